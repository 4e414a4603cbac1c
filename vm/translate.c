/*
** vm/translate.c
** The .deal -> Lua translator: a recursive-descent parser of Lua 5.4's
** grammar over the tokens of lex.c. It never builds a tree: it appends
** output "pieces" (token texts and synthetic texts) in source order, and
** when precedence climbing discovers that an emitted subexpression is the
** left operand of an operator (`a + b` after `a`), it attaches the call
** prefix ("__add(") to the subexpression's first piece: O(1), no copying.
** Every piece remembers its source line; the final pass inserts newlines
** so that each token lands on its original line and Lua's own messages
** point at the user's line.
**
** Integer range inference: an expression may carry a static interval
** [lo, hi] proving that it is a Lua integer in that range (integer
** literals, unassigned locals and numeric-for variables with integer
** bounds, and native arithmetic on those). `a + b`, `a - b`, `a * b`, `-a`
** and comparisons of two such expressions are emitted as the native
** operator when the result stays within +-2^53: no runtime call, and no
** possible wrap-around. Whether a local is ever assigned is only known
** once its whole scope has been parsed, so such a decision is recorded as
** a condition ("bindings b1, b2... are never assigned") and the operator's
** pieces carry the call form as an alternative: put_pieces picks one when
** every assignment has been seen. No tree, no second pass.
*/
#include "translate.h"
#include "dealops.h"
#include "lex.h"

#include <stdio.h>
#include <string.h>

#define MAXDEPTH 200  /* nesting limit, as Lua's LUAI_MAXCCALLS */

/* An output piece: text, its source line (0 = synthetic, stays on the
** current output line), line breaks inside it, the blanks to print before
** it, and a linked list of prefixes (printed outermost first). */
typedef struct Piece {
  const char *s;
  const char *g;
  uint32_t len, glen, line, nl;
  int32_t pre;
  int32_t alt;        /* index in P.alt, or -1 */
} Piece;

typedef struct Pre {
  const char *s;
  uint32_t len;
  int32_t next;
  int32_t alt;        /* index in P.alt, or -1 */
} Pre;

/* The call-form text of a piece or prefix that is native only when the
** condition holds: printed instead (without blanks) when it does not. */
typedef struct Alt {
  const char *s;
  uint32_t len;
  int32_t cond;
} Alt;

/* Conditions: -1 is "always"; node i >= 0 is either a leaf (b == LEAF:
** local a is never assigned) or the conjunction of nodes a and b (each
** >= 0 or -1). Children are always older nodes, so one pass in index order
** evaluates them all. */
#define LEAF (-2)
typedef struct CondN { int32_t a, b; } CondN;

/* A static integer interval: the expression is a Lua integer in [lo, hi]
** whenever cond holds. Bounds are kept within +-2^53 (IVMAX). */
#define IVMAX ((int64_t)1 << 53)
typedef struct Iv {
  int64_t lo, hi;
  int32_t cond;
  uint8_t ok;         /* 0: nothing known */
} Iv;

/* A local variable in scope (or once in scope: leaves refer to it). */
typedef struct Bind {
  const char *s;
  uint32_t len, h;
  int32_t prev;       /* older active binding in the same hash bucket */
  uint8_t assigned;   /* target of an assignment anywhere in its scope */
  Iv iv;              /* its value's interval, valid while unassigned */
} Bind;
#define NBUCKET 1024

/* What the caller of an expression parser needs to know about it. */
enum { K_OTHER, K_SIMPLE, K_INT };
typedef struct Exp {
  uint32_t first;     /* index of its first piece */
  uint8_t kind;       /* K_SIMPLE: one name/literal; K_INT: integer literal */
  uint8_t multi;      /* a call or '...': may give several values */
  uint8_t var;        /* assignable (name or index) */
  uint8_t call;       /* a function call (a valid statement) */
  Iv iv;              /* static integer interval, if known */
} Exp;

typedef struct P {
  Ctx *C;
  Lexed *X;
  const Tok *t;       /* tokens */
  size_t i;           /* current token */
  Piece *pc;
  size_t npc, cappc;
  Pre *pre;
  size_t npre, cappre;
  Str *ks;            /* constant specs in index order; ktext "__K[i]" */
  const char **ktext;
  size_t nks, capks, capktext;
  uint32_t *kh;       /* hash of specs -> index+1 */
  size_t capkh;
  char *out;
  size_t nout, capout;
  int nogap;          /* next token follows synthetic "__unm(" etc. */
  int depth;
  unsigned vararg;    /* '...' seen in the current function */
  Alt *alt;           /* call forms of conditionally native operators */
  size_t nalt, capalt;
  CondN *cn;          /* conditions */
  size_t ncn, capcn;
  uint8_t *cv;        /* their values, computed before output */
  size_t capcv;
  Bind *bd;           /* every local declared so far */
  size_t nbd, capbd;
  uint32_t *act;      /* active locals (indices in bd), innermost last */
  size_t nact, capact;
  int32_t *bucket;    /* name hash -> newest active binding, or -1 */
  size_t capbucket;
  Iv *lx;             /* intervals of a 'local' statement's expressions */
  size_t nlx, caplx;
} P;

/* ---------------------------------------------------------------------- */
/* Pieces                                                                  */
/* ---------------------------------------------------------------------- */

static uint32_t add_piece(P *p, const char *s, size_t len, uint32_t line,
                          uint32_t nl) {
  Piece *c;
  ctx_grow(p->C, (void **)&p->pc, &p->cappc, sizeof(Piece), p->npc + 1);
  c = &p->pc[p->npc];
  c->s = s;
  c->len = (uint32_t)len;
  c->line = line;
  c->nl = nl;
  c->g = NULL;
  c->glen = 0;
  c->pre = -1;
  c->alt = -1;
  return (uint32_t)p->npc++;
}

/* Synthetic text on the current output line. */
static uint32_t syn(P *p, const char *s) {
  return add_piece(p, s, strlen(s), 0, 0);
}

/* Synthetic text replacing token tk (on its line, without its blanks). */
static uint32_t syn_at(P *p, const char *s, const Tok *tk) {
  return add_piece(p, s, strlen(s), tk->line, 0);
}

/* Prepends s to piece k's prefixes: the newest wrapper is the outermost. */
static void prefix(P *p, uint32_t k, const char *s) {
  Pre *r;
  ctx_grow(p->C, (void **)&p->pre, &p->cappre, sizeof(Pre), p->npre + 1);
  r = &p->pre[p->npre];
  r->s = s;
  r->len = (uint32_t)strlen(s);
  r->next = p->pc[k].pre;
  r->alt = -1;
  p->pc[k].pre = (int32_t)p->npre++;
}

/* An alternative text for condition c (see Alt). */
static int32_t add_alt(P *p, const char *s, int32_t c) {
  Alt *a;
  ctx_grow(p->C, (void **)&p->alt, &p->capalt, sizeof(Alt), p->nalt + 1);
  a = &p->alt[p->nalt];
  a->s = s;
  a->len = (uint32_t)strlen(s);
  a->cond = c;
  return (int32_t)p->nalt++;
}

static const Tok *cur(const P *p) { return &p->t[p->i]; }
static int ctype(const P *p) { return p->t[p->i].type; }
static int peek(const P *p, size_t k) {
  size_t j = p->i + k;
  return j < p->X->ntoks ? p->t[j].type : TK_EOF;
}

static uint32_t intern(P *p, const char *spec, size_t n);

/* Emits the current token with its blanks and advances. */
static uint32_t emit_text(P *p, const char *s, size_t n) {
  const Tok *tk = cur(p);
  uint32_t k = add_piece(p, s, n, tk->line, tk->nl);
  int nogap = p->nogap && p->i > 0 &&
              p->t[p->i - 1].line + p->t[p->i - 1].nl == tk->line;
  p->nogap = 0;
  if (nogap) {
    /* "__unm(x" reads better than "__unm( x" */
  } else if (tk->gap) {
    p->pc[k].g = p->C->src + tk->off - tk->gap;
    p->pc[k].glen = tk->gap;
  } else if (tk->spaced) {
    p->pc[k].g = " ";
    p->pc[k].glen = 1;
  }
  if (tk->type != TK_EOF) p->i++;
  return k;
}

static uint32_t emit(P *p) {
  const Tok *tk = cur(p);
  if (tk->type == TK_INT) {
    const Str *s = &p->X->strs[tk->aux];
    return emit_text(p, s->s, s->len);
  }
  if (tk->type == TK_LIT) {
    const Str *s = &p->X->strs[tk->aux];
    uint32_t k = intern(p, s->s, s->len);  /* may move ktext */
    const char *txt = p->ktext[k];
    return emit_text(p, txt, strlen(txt));
  }
  return emit_text(p, p->C->src + tk->off, tk->len);
}

/* ---------------------------------------------------------------------- */
/* Constants: identical specs share one __K index                          */
/* ---------------------------------------------------------------------- */

static uint32_t shash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  while (n--) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}

static void rehash_consts(P *p) {
  size_t ncap = p->capkh ? p->capkh * 2 : 256, i;
  uint32_t *nt = p->C->allocf(p->C->ud, NULL, 0, ncap * sizeof(uint32_t));
  if (nt == NULL) ctx_nomem(p->C);
  memset(nt, 0, ncap * sizeof(uint32_t));
  for (i = 0; i < p->nks; i++) {
    uint32_t h = shash(p->ks[i].s, p->ks[i].len) & (uint32_t)(ncap - 1);
    while (nt[h]) h = (h + 1) & (uint32_t)(ncap - 1);
    nt[h] = (uint32_t)i + 1;
  }
  ctx_free_array(p->C, p->kh, p->capkh, sizeof(uint32_t));
  p->kh = nt;
  p->capkh = ncap;
}

/* Index (0-based) of spec, adding it when new. */
static uint32_t intern(P *p, const char *spec, size_t n) {
  uint32_t h;
  char buf[32];
  if ((p->nks + 1) * 2 > p->capkh) rehash_consts(p);
  for (h = shash(spec, n) & (uint32_t)(p->capkh - 1); p->kh[h];
       h = (h + 1) & (uint32_t)(p->capkh - 1)) {
    const Str *k = &p->ks[p->kh[h] - 1];
    if (k->len == n && memcmp(k->s, spec, n) == 0) return p->kh[h] - 1;
  }
  ctx_grow(p->C, (void **)&p->ks, &p->capks, sizeof(Str), p->nks + 1);
  ctx_grow(p->C, (void **)&p->ktext, &p->capktext, sizeof(char *),
           p->nks + 1);
  p->ks[p->nks].s = spec;
  p->ks[p->nks].len = (uint32_t)n;
  snprintf(buf, sizeof buf, "__K[%zu]", p->nks + 1);
  p->ktext[p->nks] = ctx_cat(p->C, buf, strlen(buf), NULL, 0);
  p->kh[h] = (uint32_t)++p->nks;
  return p->kh[h] - 1;
}

/* ---------------------------------------------------------------------- */
/* Locals and integer intervals                                            */
/* ---------------------------------------------------------------------- */

/* The condition "a and b" (-1 = always). */
static int32_t cond_and(P *p, int32_t a, int32_t b) {
  if (a < 0 || a == b) return b;
  if (b < 0) return a;
  ctx_grow(p->C, (void **)&p->cn, &p->capcn, sizeof(CondN), p->ncn + 1);
  p->cn[p->ncn].a = a;
  p->cn[p->ncn].b = b;
  return (int32_t)p->ncn++;
}

/* Declares a local: it shadows older ones of the same name until its
** scope is closed. Returns its index in bd. */
static uint32_t declare(P *p, const char *s, size_t n) {
  Bind *b;
  if (p->capbucket == 0) {
    ctx_grow(p->C, (void **)&p->bucket, &p->capbucket, sizeof(int32_t),
             NBUCKET);
    memset(p->bucket, 0xff, NBUCKET * sizeof(int32_t));   /* all -1 */
  }
  ctx_grow(p->C, (void **)&p->bd, &p->capbd, sizeof(Bind), p->nbd + 1);
  ctx_grow(p->C, (void **)&p->act, &p->capact, sizeof(uint32_t),
           p->nact + 1);
  b = &p->bd[p->nbd];
  b->s = s;
  b->len = (uint32_t)n;
  b->h = shash(s, n) & (NBUCKET - 1);
  b->prev = p->bucket[b->h];
  b->assigned = 0;
  b->iv.ok = 0;
  p->bucket[b->h] = (int32_t)p->nbd;
  p->act[p->nact++] = (uint32_t)p->nbd;
  return (uint32_t)p->nbd++;
}

static uint32_t declare_tok(P *p, const Tok *tk) {
  return declare(p, p->C->src + tk->off, tk->len);
}

/* Gives local k the interval iv, valid while iv's condition holds and k
** is never assigned. */
static void bind_iv(P *p, uint32_t k, Iv iv) {
  int32_t leaf;
  if (!iv.ok) return;
  ctx_grow(p->C, (void **)&p->cn, &p->capcn, sizeof(CondN), p->ncn + 1);
  p->cn[p->ncn].a = (int32_t)k;
  p->cn[p->ncn].b = LEAF;
  leaf = (int32_t)p->ncn++;
  iv.cond = cond_and(p, iv.cond, leaf);
  p->bd[k].iv = iv;
}

/* Ends the scope of the locals declared since mark (LIFO, so each one is
** the newest of its bucket). */
static void scope_close(P *p, size_t mark) {
  while (p->nact > mark) {
    Bind *b = &p->bd[p->act[--p->nact]];
    p->bucket[b->h] = b->prev;
  }
}

/* The active local named by token tk, or -1 for a global. */
static int32_t lookup(const P *p, const Tok *tk) {
  const char *s = p->C->src + tk->off;
  int32_t k;
  if (p->capbucket == 0) return -1;
  for (k = p->bucket[shash(s, tk->len) & (NBUCKET - 1)]; k >= 0;
       k = p->bd[k].prev)
    if (p->bd[k].len == tk->len && memcmp(p->bd[k].s, s, tk->len) == 0)
      return k;
  return -1;
}

static void mark_assigned(P *p, const Tok *tk) {
  int32_t k = lookup(p, tk);
  if (k >= 0) p->bd[k].assigned = 1;
}

static Iv no_iv(void) {
  Iv r;
  r.lo = r.hi = 0;
  r.cond = -1;
  r.ok = 0;
  return r;
}

static Iv mk_iv(P *p, int64_t lo, int64_t hi, const Iv *a, const Iv *b) {
  Iv r = no_iv();
  if (lo < -IVMAX || hi > IVMAX) return r;   /* might not be exact: a call */
  r.lo = lo;
  r.hi = hi;
  r.cond = cond_and(p, a->cond, b != NULL ? b->cond : -1);
  r.ok = 1;
  return r;
}

/* The value of an integer numeral's text when it is within +-2^53. */
static Iv literal_iv(const Str *s, int neg) {
  Iv r = no_iv();
  int64_t v = 0;
  uint32_t i;
  for (i = 0; i < s->len; i++) {
    if (s->s[i] < '0' || s->s[i] > '9') return r;
    v = v * 10 + (s->s[i] - '0');
    if (v > IVMAX) return r;
  }
  r.lo = r.hi = neg ? -v : v;
  r.ok = 1;
  return r;
}

static int64_t min2(int64_t a, int64_t b) { return a < b ? a : b; }
static int64_t max2(int64_t a, int64_t b) { return a > b ? a : b; }

/* Lua's floor division of integers (|a|, |b| <= 2^53, b != 0). */
static int64_t floordiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && (a < 0) != (b < 0)) q--;
  return q;
}

/* The interval of `a op b` for two integer operands (ok = 0 when the
** result may leave +-2^53, or for operators without one). */
static Iv binop_iv(P *p, int op, const Iv *a, const Iv *b) {
  int64_t c[4], lo, hi;
  int i;
  if (!a->ok || !b->ok) return no_iv();
  switch (op) {
    case '+': return mk_iv(p, a->lo + b->lo, a->hi + b->hi, a, b);
    case '-': return mk_iv(p, a->lo - b->hi, a->hi - b->lo, a, b);
    case '*':
      /* the extremes of a product lie at the corners; |corner| <= 2^106
      ** may overflow int64, in which case it is out of range anyway */
      if (__builtin_mul_overflow(a->lo, b->lo, &c[0]) ||
          __builtin_mul_overflow(a->lo, b->hi, &c[1]) ||
          __builtin_mul_overflow(a->hi, b->lo, &c[2]) ||
          __builtin_mul_overflow(a->hi, b->hi, &c[3]))
        return no_iv();
      break;
    case TK_IDIV:
      /* b never 0: floor(a/b) is monotonic in a and in b on each side of
      ** 0, so its extremes lie at the corners too */
      if (b->lo <= 0 && b->hi >= 0) return no_iv();
      c[0] = floordiv(a->lo, b->lo), c[1] = floordiv(a->lo, b->hi);
      c[2] = floordiv(a->hi, b->lo), c[3] = floordiv(a->hi, b->hi);
      break;
    case '%':
      /* the result has the divisor's sign and is smaller in magnitude */
      if (b->lo > 0) return mk_iv(p, 0, b->hi - 1, a, b);
      if (b->hi < 0) return mk_iv(p, b->lo + 1, 0, a, b);
      return no_iv();
    default:
      return no_iv();
  }
  lo = hi = c[0];
  for (i = 1; i < 4; i++) lo = min2(lo, c[i]), hi = max2(hi, c[i]);
  return mk_iv(p, lo, hi, a, b);
}

/* ---------------------------------------------------------------------- */
/* Errors                                                                  */
/* ---------------------------------------------------------------------- */

/* "msg near 'tok'" at the current token; at the end of input the message
** ends in "<eof>" (the REPL's "incomplete" signal). */
static _Noreturn void err_near(P *p, const char *msg) {
  const Tok *tk = cur(p);
  size_t n = tk->len > 40 ? 40 : tk->len;
  if (tk->type == TK_EOF) ctx_error_eof(p->C, msg);
  ctx_error(p->C, tk->off, "%s near '%.*s'", msg, (int)n,
            p->C->src + tk->off);
}

static void token_text(int type, char *buf, size_t n) {
  if (type == TK_NAME) snprintf(buf, n, "<name>");
  else if (type == TK_EOF) snprintf(buf, n, "<eof>");
  else if (type < 256) snprintf(buf, n, "'%c'", type);
  else snprintf(buf, n, "'%s'", lex_token_name(type));
}

static _Noreturn void expected(P *p, int type) {
  char msg[64], tok[32];
  token_text(type, tok, sizeof tok);
  snprintf(msg, sizeof msg, "%s expected", tok);
  err_near(p, msg);
}

static void check(P *p, int type) {
  if (ctype(p) != type) expected(p, type);
}

static uint32_t check_emit(P *p, int type) {
  check(p, type);
  return emit(p);
}

/* As Lua's check_match: names the opener when it is on another line. */
static void check_match(P *p, int what, int who, uint32_t line) {
  char msg[128], a[32], b[32];
  if (ctype(p) == what) {
    emit(p);
    return;
  }
  if (cur(p)->line == line) expected(p, what);
  token_text(what, a, sizeof a);
  token_text(who, b, sizeof b);
  snprintf(msg, sizeof msg, "%s expected (to close %s at line %u)", a, b,
           line);
  err_near(p, msg);
}

static void enter(P *p, const char *what) {
  if (++p->depth > MAXDEPTH) {
    char msg[64];
    snprintf(msg, sizeof msg, "%s too deeply nested", what);
    /* never "near <eof>": more input would not make this complete */
    ctx_error(p->C, cur(p)->off, "%s", msg);
  }
}

/* ---------------------------------------------------------------------- */
/* Expressions                                                             */
/* ---------------------------------------------------------------------- */

enum { B_CALL, B_NATIVE, B_AND, B_OR };
typedef struct BinOp { uint8_t left, right, how; const char *fn; } BinOp;

/* Lua 5.4's priorities; arithmetic and comparisons become runtime calls,
** except `//` and `%`: on two Lua integers they cannot overflow (only
** mininteger // -1 wraps) and Lua raises its own 'n//0' / 'n%%0' errors;
** on nums, quantities and uncertain values their metatables' __idiv and
** __mod do what the runtime call would. */
static const BinOp *binop(int type) {
  static const BinOp add = {10, 10, B_CALL, "__add("},
    sub = {10, 10, B_CALL, "__sub("}, mul = {11, 11, B_CALL, "__mul("},
    mod = {11, 11, B_NATIVE, NULL}, pw = {14, 13, B_CALL, "__pow("},
    dv = {11, 11, B_CALL, "__div("}, idv = {11, 11, B_NATIVE, NULL},
    band = {6, 6, B_NATIVE, NULL}, bor = {4, 4, B_NATIVE, NULL},
    bxor = {5, 5, B_NATIVE, NULL}, shl = {7, 7, B_NATIVE, NULL},
    cat = {9, 8, B_NATIVE, NULL}, eq = {3, 3, B_CALL, "__eq("},
    lt = {3, 3, B_CALL, "__lt("}, le = {3, 3, B_CALL, "__le("},
    ne = {3, 3, B_CALL, "__ne("}, gt = {3, 3, B_CALL, "__gt("},
    ge = {3, 3, B_CALL, "__ge("}, an = {2, 2, B_AND, NULL},
    orr = {1, 1, B_OR, NULL};
  switch (type) {
    case '+': return &add;
    case '-': return &sub;
    case '*': return &mul;
    case '%': return &mod;
    case '^': return &pw;
    case '/': return &dv;
    case TK_IDIV: return &idv;
    case '&': return &band;
    case '|': return &bor;
    case '~': return &bxor;
    case TK_SHL: case TK_SHR: return &shl;
    case TK_CONCAT: return &cat;
    case TK_EQ: return &eq;
    case '<': return &lt;
    case TK_LE: return &le;
    case TK_NE: return &ne;
    case '>': return &gt;
    case TK_GE: return &ge;
    case TK_AND: return &an;
    case TK_OR: return &orr;
    default: return NULL;
  }
}

#define UNARY_PRIORITY 12

static Exp expr(P *p);
static Exp subexpr(P *p, int limit);
static void native_or_call(P *p, uint32_t first, uint32_t ph,
                           const char *op, const char *fn, int32_t c);
static void statlist(P *p);
static void body(P *p, uint32_t line, int method);

static Exp mkexp(uint32_t first, int kind) {
  Exp e;
  e.first = first;
  e.kind = (uint8_t)kind;
  e.multi = e.var = e.call = 0;
  e.iv = no_iv();
  return e;
}

/* Closes a call whose last argument is e: a multi-value argument is
** parenthesised so that the runtime function gets exactly one value. */
static void close_arg(P *p, Exp e, const char *closing) {
  if (e.multi) {
    prefix(p, e.first, "(");
    syn(p, ")");
  }
  syn(p, closing);
}

/* Wraps e in fn(...): "__for(e)", or "__for((f()))" for several values. */
static void wrap(P *p, Exp e, const char *fn) {
  if (e.multi) prefix(p, e.first, "(");
  prefix(p, e.first, fn);
  if (e.multi) syn(p, ")");
  syn(p, ")");
}

static void explist(P *p) {
  expr(p);
  while (ctype(p) == ',') {
    emit(p);
    expr(p);
  }
}

static void checkname(P *p) { check_emit(p, TK_NAME); }

/* Table constructor: fields are translated, the braces stay. */
static void constructor(P *p) {
  uint32_t line = cur(p)->line;
  check_emit(p, '{');
  while (ctype(p) != '}') {
    if (ctype(p) == TK_NAME && peek(p, 1) == '=') {
      emit(p);
      emit(p);
      expr(p);
    } else if (ctype(p) == '[') {
      emit(p);
      expr(p);
      check_emit(p, ']');
      check_emit(p, '=');
      expr(p);
    } else {
      expr(p);
    }
    if (ctype(p) != ',' && ctype(p) != ';') break;
    emit(p);
  }
  check_match(p, '}', '{', line);
}

static void funcargs(P *p, uint32_t line) {
  switch (ctype(p)) {
    case '(':
      emit(p);
      if (ctype(p) != ')') explist(p);
      check_match(p, ')', '(', line);
      return;
    case '{':
      constructor(p);
      return;
    case TK_STRING:
      emit(p);
      return;
    default:
      err_near(p, "function arguments expected");
  }
}

static Exp primaryexp(P *p) {
  Exp e;
  uint32_t line;
  switch (ctype(p)) {
    case TK_NAME: {
      int32_t k = lookup(p, cur(p));
      e = mkexp(emit(p), K_SIMPLE);
      e.var = 1;
      if (k >= 0) e.iv = p->bd[k].iv;
      return e;
    }
    case '(':
      line = cur(p)->line;
      e = mkexp(emit(p), K_OTHER);
      e.iv = expr(p).iv;             /* (e) has e's interval */
      check_match(p, ')', '(', line);
      return e;
    case TK_LIT:                     /* a quantity with a method call */
      return mkexp(emit(p), K_OTHER);
    default:
      err_near(p, "unexpected symbol");
  }
}

/* primaryexp { '.' NAME | '[' exp ']' | ':' NAME funcargs | funcargs } */
static Exp suffixedexp(P *p) {
  uint32_t line = cur(p)->line;
  Exp e = primaryexp(p);
  for (;;) {
    switch (ctype(p)) {
      case '.':
        emit(p);
        checkname(p);
        e.var = 1, e.call = e.multi = 0;
        break;
      case '[':
        emit(p);
        expr(p);
        check_emit(p, ']');
        e.var = 1, e.call = e.multi = 0;
        break;
      case ':':
        emit(p);
        checkname(p);
        funcargs(p, line);
        e.var = 0, e.call = e.multi = 1;
        break;
      case '(': case TK_STRING: case '{':
        funcargs(p, line);
        e.var = 0, e.call = e.multi = 1;
        break;
      default:
        return e;
    }
    e.kind = K_OTHER;
    e.iv = no_iv();
  }
}

static Exp simpleexp(P *p) {
  Exp e;
  switch (ctype(p)) {
    case TK_INT:
      e = mkexp(0, K_INT);
      e.iv = literal_iv(&p->X->strs[cur(p)->aux], 0);
      e.first = emit(p);
      return e;
    case TK_LIT:
      if (peek(p, 1) == ':') return suffixedexp(p);   /* 1 GW:to "MW" */
      return mkexp(emit(p), K_SIMPLE);
    case TK_HEX: case TK_STRING: case TK_NIL: case TK_TRUE:
    case TK_FALSE:
      return mkexp(emit(p), K_SIMPLE);
    case TK_DOTS:
      e = mkexp(emit(p), K_OTHER);
      e.multi = 1;
      p->vararg++;
      return e;
    case '{':
      e = mkexp((uint32_t)p->npc, K_OTHER);
      constructor(p);
      return e;
    case TK_FUNCTION: {
      uint32_t line = cur(p)->line;
      e = mkexp(emit(p), K_OTHER);
      body(p, line, 0);
      return e;
    }
    default:
      return suffixedexp(p);
  }
}

/* `-` on a numeral literal folds into it: -3 stays an integer, -0.5 and
** -1.2 GW become constants "-0.5", "-1.2 GW" (not before '^': -2^2). */
static int foldable(const P *p) {
  int nt = peek(p, 1);
  return (nt == TK_INT || nt == TK_LIT) && peek(p, 2) != '^' && peek(p, 2) != ':';
}

static Exp fold_minus(P *p) {
  const Tok *num = &p->t[p->i + 1];
  const Str *s = &p->X->strs[num->aux];
  char *txt = ctx_cat(p->C, "-", 1, s->s, s->len);
  Exp e;
  Iv iv = no_iv();
  int kind = K_SIMPLE;
  if (num->type == TK_INT) {
    if (s->len == 1 && s->s[0] == '0') txt = (char *)"0";
    kind = K_INT;
    iv = literal_iv(s, 1);
  } else {
    uint32_t ki = intern(p, txt, s->len + 1);
    txt = (char *)p->ktext[ki];
  }
  e = mkexp(emit_text(p, txt, strlen(txt)), kind);  /* at the '-' token */
  p->i++;                                           /* the numeral */
  e.iv = iv;
  return e;
}

static Exp unary(P *p) {
  int op = ctype(p);
  Exp e, arg;
  if (op == '-' && foldable(p)) return fold_minus(p);
  if (op == '-' || op == TK_NOT) {
    e = mkexp(emit_text(p, op == '-' ? "__unm(" : "__not(", 6), K_OTHER);
    p->nogap = 1;
    arg = subexpr(p, UNARY_PRIORITY);
    if (op == '-' && arg.iv.ok) {    /* -a on an integer in +-2^53 */
      e.iv = mk_iv(p, -arg.iv.hi, -arg.iv.lo, &arg.iv, NULL);
      native_or_call(p, e.first, e.first, "-", "__unm(", e.iv.cond);
      return e;
    }
    close_arg(p, arg, ")");
    return e;
  }
  e = mkexp(emit(p), K_OTHER);       /* '#' and '~' stay native */
  subexpr(p, UNARY_PRIORITY);
  return e;
}

/* and/or: eager __and(a,b) when b is a plain value, native (a and b) when
** b uses the enclosing function's '...' (a closure could not see it),
** else a thunk so that b is evaluated only when needed. */
static void andor(P *p, Exp *e, const BinOp *b) {
  uint32_t ph = emit(p);
  unsigned va = p->vararg;
  Exp r = subexpr(p, b->right);
  int isand = b->how == B_AND;
  if (r.kind != K_OTHER) {
    prefix(p, e->first, isand ? "__and(" : "__or(");
    p->pc[ph].s = ",", p->pc[ph].len = 1, p->pc[ph].g = NULL;
    p->pc[ph].glen = 0;
    syn(p, ")");
  } else if (p->vararg != va) {
    prefix(p, e->first, "(");
    syn(p, ")");
  } else {
    prefix(p, e->first, isand ? "__andf(" : "__orf(");
    p->pc[ph].s = ",function() return (";
    p->pc[ph].len = (uint32_t)strlen(p->pc[ph].s);
    p->pc[ph].g = NULL, p->pc[ph].glen = 0;
    if (p->pc[r.first].line == p->pc[ph].line) p->pc[r.first].glen = 0;
    syn(p, ") end)");
  }
}

static int is_compare(int t) {
  return t == TK_EQ || t == TK_NE || t == '<' || t == '>' || t == TK_LE ||
         t == TK_GE;
}

/* The operator piece ph (emitted as its source token) becomes the ','
** of the call fn(first ... , r). */
static void to_call(P *p, uint32_t first, uint32_t ph, Exp r,
                    const char *fn) {
  p->pc[ph].s = ",", p->pc[ph].len = 1;
  p->pc[ph].g = NULL, p->pc[ph].glen = 0;
  prefix(p, first, fn);
  close_arg(p, r, ")");
}

/* Native operator at piece ph (text op) when condition c holds, else the
** call fn(...): first gets an empty prefix whose alternative is fn, ph
** the alternative ',' (op is the prefix itself for unary minus, ph ==
** first), and an empty closing piece the alternative ')'. The native form
** needs no parentheses: it keeps the source's own structure, in which
** every call is an atom. */
static void native_or_call(P *p, uint32_t first, uint32_t ph,
                           const char *op, const char *fn, int32_t c) {
  uint32_t close;
  if (ph == first) {                 /* unary: "-" or "__unm(" */
    p->pc[ph].s = op, p->pc[ph].len = (uint32_t)strlen(op);
    if (c >= 0) p->pc[ph].alt = add_alt(p, fn, c);
  } else {
    if (c < 0) return;               /* always native */
    prefix(p, first, "");
    p->pre[p->pc[first].pre].alt = add_alt(p, fn, c);
    p->pc[ph].alt = add_alt(p, ",", c);
  }
  if (c < 0) return;
  close = syn(p, "");
  p->pc[close].alt = add_alt(p, ")", c);
}

/* Finishes `e op r` whose operator token is piece ph (B_CALL or B_NATIVE):
** native when both are integers and the result is known to stay within
** +-2^53 (comparisons: always), else the runtime call. */
static void combine(P *p, Exp *e, int op, uint32_t ph, Exp r,
                    const BinOp *b) {
  Exp res = mkexp(e->first, K_OTHER);
  if (b->how == B_NATIVE) {
    res.iv = binop_iv(p, op, &e->iv, &r.iv);   /* '//' and '%' */
  } else if (is_compare(op) && e->iv.ok && r.iv.ok) {
    native_or_call(p, e->first, ph, NULL, b->fn,
                   cond_and(p, e->iv.cond, r.iv.cond));
  } else if ((res.iv = binop_iv(p, op, &e->iv, &r.iv)).ok) {
    native_or_call(p, e->first, ph, NULL, b->fn, res.iv.cond);
  } else {
    to_call(p, e->first, ph, r, b->fn);
  }
  *e = res;
}

/* One binary operation whose left operand e is already emitted. */
static void binary(P *p, Exp *e, const BinOp *b) {
  int op = ctype(p);
  uint32_t ph;
  Exp r;
  if (b->how == B_AND || b->how == B_OR) {
    andor(p, e, b);
    *e = mkexp(e->first, K_OTHER);
    return;
  }
  ph = emit(p);
  r = subexpr(p, b->right);
  combine(p, e, op, ph, r, b);
}

/* subexpr -> (simpleexp | unop subexpr) { binop subexpr }: left-associative
** chains loop here, so `1+1+...+1` needs no recursion. */
static Exp subexpr(P *p, int limit) {
  Exp e;
  const BinOp *b;
  int op = ctype(p);
  enter(p, "expression");
  if (op == TK_NOT || op == '-' || op == '#' || op == '~') e = unary(p);
  else e = simpleexp(p);
  while ((b = binop(ctype(p))) != NULL && b->left > limit) binary(p, &e, b);
  p->depth--;
  return e;
}

/* `to` is the range operator where a binary operator may stand, unless
** it is used as a name (`to = 1`, `to.x`, `to:y()`, `to[k]`, `to, x`). */
static int at_to(const P *p) {
  const Tok *tk = cur(p);
  int nt;
  if (tk->type != TK_NAME || tk->len != 2 ||
      memcmp(p->C->src + tk->off, "to", 2) != 0)
    return 0;
  nt = peek(p, 1);
  return nt != '=' && nt != ',' && nt != '.' && nt != ':' && nt != '[';
}

/* expr -> subexpr ['to' subexpr]: the range has the lowest priority. */
static Exp expr(P *p) {
  Exp e = subexpr(p, 0), r;
  if (!at_to(p)) return e;
  syn_at(p, ",", cur(p));
  p->i++;
  r = subexpr(p, 0);
  prefix(p, e.first, "__to(");
  close_arg(p, r, ")");
  if (at_to(p)) err_near(p, "ranges do not chain (write one 'a to b')");
  return mkexp(e.first, K_OTHER);
}

/* ---------------------------------------------------------------------- */
/* Conditions: and/or/not stay native, each leaf becomes __cond(leaf)       */
/* ---------------------------------------------------------------------- */

static void cond_sub(P *p, int limit);
static void cond_operand(P *p, int limit);

/* A leaf of a condition: a normal expression down to priority limit.
** When its outermost operator is a comparison, that comparison is the
** check itself: `<` `<=` `>` `>=` stay native (Lua calls the __lt/__le
** metamethods of nums, which compare values and dimensions, and the
** uncertain values' metatables raise), `==` / `~=` become __ceq / __cne
** (native `==` is false between a num and a Lua number), or native `==`
** when both sides are known integers. Comparisons that are operands of
** that comparison are values and keep __lt etc. */
static void cond_leaf(P *p, int limit) {
  static const BinOp ceq = {3, 3, B_CALL, "__ceq("},
                     cne = {3, 3, B_CALL, "__cne("};
  size_t start = p->i;
  int t = ctype(p);
  Exp e = subexpr(p, limit < 3 ? 3 : limit), r;
  while (limit < 3 && is_compare(ctype(p))) {
    int op = ctype(p);
    uint32_t ph = emit(p);
    r = subexpr(p, 3);
    if (is_compare(ctype(p))) {      /* a < b < c: the left one is a value */
      combine(p, &e, op, ph, r, binop(op));
    } else if (op == TK_EQ || op == TK_NE) {
      combine(p, &e, op, ph, r, op == TK_EQ ? &ceq : &cne);
      return;
    } else {
      return;                        /* native < <= > >= */
    }
  }
  if (p->i == start + 1 && (t == TK_TRUE || t == TK_FALSE || t == TK_NIL))
    return;                        /* constant conditions need no check */
  wrap(p, e, "__cond(");
}

/* Is the parenthesis at token index open a group of the condition (its
** content keeps condition mode) rather than the start of a leaf? */
static int paren_group(const P *p, size_t open) {
  size_t close = p->t[open].aux;
  const BinOp *b;
  int nt;
  if (close == 0) return 0;
  nt = p->t[close + 1 < p->X->ntoks ? close + 1 : close].type;
  b = binop(nt);
  if (b != NULL && b->left > 2) return 0;
  return !(nt == '.' || nt == '[' || nt == ':' || nt == '(' ||
           nt == TK_STRING || nt == '{');
}

/* `not x` stays native unless the whole `not x` is an operand of a
** comparison or arithmetic (`not a == b` is `(not a) == b`): that is only
** known after x, so the parse is rolled back and redone as a leaf. */
static void cond_not(P *p, int limit) {
  size_t i = p->i, npc = p->npc, npre = p->npre;
  unsigned va = p->vararg;
  const BinOp *b;
  emit(p);
  cond_operand(p, UNARY_PRIORITY);
  b = binop(ctype(p));
  if (b == NULL || b->left <= limit) return;
  p->i = i, p->npc = npc, p->npre = npre, p->vararg = va;
  cond_leaf(p, limit);
}

static void cond_operand(P *p, int limit) {
  enter(p, "expression");
  if (ctype(p) == TK_NOT) {
    cond_not(p, limit);
  } else if (ctype(p) == '(' && paren_group(p, p->i)) {
    uint32_t line = cur(p)->line;
    emit(p);
    cond_sub(p, 0);
    check_match(p, ')', '(', line);
  } else {
    cond_leaf(p, limit);
  }
  p->depth--;
}

static void cond_sub(P *p, int limit) {
  int t;
  enter(p, "expression");
  cond_operand(p, 2);
  while (((t = ctype(p)) == TK_AND && 2 > limit) || (t == TK_OR && 1 > limit)) {
    emit(p);
    cond_sub(p, t == TK_AND ? 2 : 1);
  }
  p->depth--;
}

static void cond(P *p) { cond_sub(p, 0); }

/* ---------------------------------------------------------------------- */
/* Statements                                                              */
/* ---------------------------------------------------------------------- */

static int block_follow(const P *p, int withuntil) {
  switch (ctype(p)) {
    case TK_ELSE: case TK_ELSEIF: case TK_END: case TK_EOF: return 1;
    case TK_UNTIL: return withuntil;
    default: return 0;
  }
}

/* A block is a scope: its locals end with it. */
static void block(P *p) {
  size_t mark = p->nact;
  statlist(p);
  scope_close(p, mark);
}

static void parlist(P *p) {
  if (ctype(p) == ')') return;
  for (;;) {
    if (ctype(p) == TK_DOTS) {
      emit(p);
      return;
    }
    if (ctype(p) == TK_NAME) declare_tok(p, cur(p));
    checkname(p);
    if (ctype(p) != ',') return;
    emit(p);
  }
}

/* '(' parlist ')' block 'end'; '...' inside belongs to the new function.
** Parameters (and a method's implicit self) are locals of the body. */
static void body(P *p, uint32_t line, int method) {
  unsigned va = p->vararg;
  size_t mark = p->nact;
  if (method) declare(p, "self", 4);
  check_emit(p, '(');
  parlist(p);
  check_emit(p, ')');
  statlist(p);
  check_match(p, TK_END, TK_FUNCTION, line);
  scope_close(p, mark);
  p->vararg = va;
}

/* A numeric for bound: integer numerals stay, others go through __for
** (which returns a Lua integer unchanged). */
static Iv forbound(P *p) {
  Exp e = expr(p);
  if (e.kind != K_INT) wrap(p, e, "__for(");
  return e.iv;
}

/* The control variable of `for v = a, b, c` with integer a, b and c takes
** values between a and b only (Lua's integer loop never passes the limit
** and never wraps), so it gets the hull of their intervals while the body
** does not assign it. */
static void forstat(P *p, uint32_t line) {
  size_t mark = p->nact, var;
  uint32_t n;
  Iv a, b, c, v;
  emit(p);
  var = p->i;
  checkname(p);
  if (ctype(p) == '=') {
    emit(p);
    a = forbound(p);
    check_emit(p, ',');
    b = forbound(p);
    c = no_iv();
    c.lo = c.hi = 1, c.ok = 1;       /* the default step */
    if (ctype(p) == ',') {
      emit(p);
      c = forbound(p);
    }
    check_emit(p, TK_DO);
    n = declare_tok(p, &p->t[var]);
    if (a.ok && b.ok && c.ok) {
      v = mk_iv(p, min2(a.lo, b.lo), max2(a.hi, b.hi), &a, &b);
      v.cond = cond_and(p, v.cond, c.cond);
      bind_iv(p, n, v);
    }
  } else if (ctype(p) == ',' || ctype(p) == TK_IN) {
    size_t in;
    while (ctype(p) == ',') {
      emit(p);
      checkname(p);
    }
    in = p->i;
    check_emit(p, TK_IN);
    explist(p);
    check_emit(p, TK_DO);
    for (; var < in; var += 2)       /* the names, in scope in the body */
      declare_tok(p, &p->t[var]);
  } else {
    err_near(p, "'=' or 'in' expected");
  }
  block(p);
  scope_close(p, mark);
  check_match(p, TK_END, TK_FOR, line);
}

static void test_then_block(P *p) {
  emit(p);                           /* 'if' or 'elseif' */
  cond(p);
  check_emit(p, TK_THEN);
  block(p);
}

static void ifstat(P *p, uint32_t line) {
  test_then_block(p);
  while (ctype(p) == TK_ELSEIF) test_then_block(p);
  if (ctype(p) == TK_ELSE) {
    emit(p);
    block(p);
  }
  check_match(p, TK_END, TK_IF, line);
}

/* `local a, b <const> = e1, e2`: the names are in scope after the
** statement; a name whose expression is a known integer gets its
** interval (valid while the name is never assigned). */
static void localstat(P *p) {
  size_t first = p->i, nnames = 0, base = p->nlx, k, j;
  if (ctype(p) == TK_FUNCTION) {
    uint32_t line = cur(p)->line;
    emit(p);
    if (ctype(p) == TK_NAME) declare_tok(p, cur(p));  /* visible inside */
    checkname(p);
    body(p, line, 0);
    return;
  }
  for (;;) {
    checkname(p);
    nnames++;
    if (ctype(p) == '<') {           /* attribute: <const> / <close> */
      emit(p);
      checkname(p);
      check_emit(p, '>');
    }
    if (ctype(p) != ',') break;
    emit(p);
  }
  if (ctype(p) == '=') {
    emit(p);
    for (;;) {
      Exp e = expr(p);
      if (p->nlx - base < nnames) {  /* this array is a stack: nested */
        ctx_grow(p->C, (void **)&p->lx, &p->caplx, sizeof(Iv), p->nlx + 1);
        p->lx[p->nlx++] = e.iv;     /* locals push above and pop back */
      }
      if (ctype(p) != ',') break;
      emit(p);
    }
  }
  for (k = 0, j = first; k < nnames; k++) {  /* NAME ['<' NAME '>'] [','] */
    uint32_t n = declare_tok(p, &p->t[j]);
    int close = p->t[j + 1].type == '<' &&
                !(p->t[j + 2].len == 5 &&
                  memcmp(p->C->src + p->t[j + 2].off, "const", 5) == 0);
    if (k < p->nlx - base && !close) bind_iv(p, n, p->lx[base + k]);
    j += p->t[j + 1].type == '<' ? 5 : 2;
  }
  p->nlx = base;
}

/* `function f()` assigns the local f when there is one. */
static void funcstat(P *p, uint32_t line) {
  int method = 0;
  emit(p);
  if (ctype(p) == TK_NAME && peek(p, 1) != '.' && peek(p, 1) != ':')
    mark_assigned(p, cur(p));
  checkname(p);
  while (ctype(p) == '.') {
    emit(p);
    checkname(p);
  }
  if (ctype(p) == ':') {
    emit(p);
    checkname(p);
    method = 1;
  }
  body(p, line, method);
}

/* Assignment or call statement. Each target that is a plain name marks
** its local (if any) as assigned. */
static void exprstat(P *p) {
  size_t at = p->i;
  Exp e = suffixedexp(p);
  if (ctype(p) == '=' || ctype(p) == ',') {
    for (;;) {
      if (!e.var) err_near(p, "syntax error");
      if (e.kind == K_SIMPLE) mark_assigned(p, &p->t[at]);
      if (ctype(p) != ',') break;
      emit(p);
      at = p->i;
      e = suffixedexp(p);
    }
    check_emit(p, '=');
    explist(p);
  } else if (!e.call) {
    err_near(p, "syntax error");
  }
}

static void retstat(P *p) {
  emit(p);
  if (!block_follow(p, 1) && ctype(p) != ';') explist(p);
  if (ctype(p) == ';') emit(p);
}

static void statement(P *p) {
  uint32_t line = cur(p)->line;
  enter(p, "block");
  switch (ctype(p)) {
    case ';': case TK_BREAK: emit(p); break;
    case TK_IF: ifstat(p, line); break;
    case TK_WHILE:
      emit(p);
      cond(p);
      check_emit(p, TK_DO);
      block(p);
      check_match(p, TK_END, TK_WHILE, line);
      break;
    case TK_DO:
      emit(p);
      block(p);
      check_match(p, TK_END, TK_DO, line);
      break;
    case TK_FOR: forstat(p, line); break;
    case TK_REPEAT: {                /* the body's locals reach 'until' */
      size_t mark = p->nact;
      emit(p);
      statlist(p);
      check_match(p, TK_UNTIL, TK_REPEAT, line);
      cond(p);
      scope_close(p, mark);
      break;
    }
    case TK_FUNCTION: funcstat(p, line); break;
    case TK_LOCAL: emit(p); localstat(p); break;
    case TK_DBCOLON:
      emit(p);
      checkname(p);
      check_emit(p, TK_DBCOLON);
      break;
    case TK_RETURN: retstat(p); break;
    case TK_GOTO: emit(p); checkname(p); break;
    default:
      /* `x = 0.5` newline `(f)()` is two statements in Lua because a
      ** numeral cannot be called, but `__K[1]` or `__add(a,1)` can: a ';'
      ** keeps the statement apart. */
      if (ctype(p) == '(') syn_at(p, ";", cur(p));
      exprstat(p);
      break;
  }
  p->depth--;
}

static void statlist(P *p) {
  while (!block_follow(p, 1)) {
    if (ctype(p) == TK_RETURN) {
      statement(p);
      return;                        /* 'return' must be last */
    }
    statement(p);
  }
}

/* ---------------------------------------------------------------------- */
/* Output                                                                  */
/* ---------------------------------------------------------------------- */

static void put(P *p, const char *s, size_t n) {
  ctx_grow(p->C, (void **)&p->out, &p->capout, 1, p->nout + n + 1);
  memcpy(p->out + p->nout, s, n);
  p->nout += n;
}

static int wordc(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z') || c == '_';
}

/* Would a followed by b lex differently from a, b separated by a space?
** (Source tokens keep their own blanks; this guards synthetic joins.) */
static int need_space(int a, int b) {
  if (wordc(a)) return wordc(b);
  switch (a) {
    case '-': return b == '-';
    case '[': return b == '[' || b == '=';
    case '.': return b == '.' || (b >= '0' && b <= '9');
    case '=': case '<': case '>': case '~': case '/': case ':':
      return b == '=' || b == '<' || b == '>' || b == '/' || b == ':';
    default: return 0;
  }
}

static void put_sep(P *p, const char *s, size_t n) {
  if (n == 0) return;
  if (p->nout > 0 && need_space((unsigned char)p->out[p->nout - 1],
                                (unsigned char)s[0]))
    put(p, " ", 1);
  put(p, s, n);
}

/* ",__add,__sub,...,__cne": the runtime's operators as locals of the chunk
** (the prologue drops the first comma). */
#define OP_LOCAL(name, fn) "," #name
static const char op_locals[] = DEAL_OPS(OP_LOCAL);

static void put_prologue(P *p) {
  put(p, "local ", 6);
  put(p, op_locals + 1, sizeof op_locals - 2);
  put(p, "=__deal.ops();", 14);
}

/* "__K=__K{"spec",...};" with the specs as Lua string literals. */
static void put_consts(P *p) {
  size_t i, j;
  if (p->nks == 0) return;
  put(p, "__K=__K{", 8);
  for (i = 0; i < p->nks; i++) {
    put(p, i ? ",\"" : "\"", i ? 2 : 1);
    for (j = 0; j < p->ks[i].len; j++) {
      unsigned char c = (unsigned char)p->ks[i].s[j];
      char esc[8];
      if (c == '"' || c == '\\') {
        esc[0] = '\\', esc[1] = (char)c;
        put(p, esc, 2);
      } else if (c < 32 || c == 127) {
        snprintf(esc, sizeof esc, "\\%03u", c);
        put(p, esc, 4);
      } else {
        put(p, (const char *)&c, 1);
      }
    }
    put(p, "\"", 1);
  }
  put(p, "};", 2);
}

static void newlines_to(P *p, uint32_t *line, uint32_t target) {
  while (*line < target) {
    put(p, "\n", 1);
    (*line)++;
  }
}

/* Every local's assignments are known now: evaluates the conditions (in
** index order: children are older). */
static void eval_conds(P *p) {
  size_t i;
  if (p->ncn == 0) return;
  ctx_grow(p->C, (void **)&p->cv, &p->capcv, 1, p->ncn);
  for (i = 0; i < p->ncn; i++) {
    const CondN *n = &p->cn[i];
    if (n->b == LEAF)
      p->cv[i] = !p->bd[n->a].assigned;
    else
      p->cv[i] = (n->a < 0 || p->cv[n->a]) && (n->b < 0 || p->cv[n->b]);
  }
}

/* Is the call form (alternative a) the one to print? */
static const Alt *use_alt(const P *p, int32_t a) {
  return a >= 0 && !p->cv[p->alt[a].cond] ? &p->alt[a] : NULL;
}

/* Pieces in order; newlines first bring the output to each piece's line. */
static void put_pieces(P *p) {
  uint32_t line = 1;
  size_t k;
  for (k = 0; k < p->npc; k++) {
    const Piece *c = &p->pc[k];
    const Alt *a;
    int32_t r;
    if (c->line > line) newlines_to(p, &line, c->line);
    a = use_alt(p, c->alt);
    if (c->glen && a == NULL) put(p, c->g, c->glen);
    for (r = c->pre; r >= 0; r = p->pre[r].next) {
      const Alt *ra = use_alt(p, p->pre[r].alt);
      if (ra != NULL) put_sep(p, ra->s, ra->len);
      else put_sep(p, p->pre[r].s, p->pre[r].len);
    }
    if (a != NULL) put_sep(p, a->s, a->len);
    else put_sep(p, c->s, c->len);
    line += c->nl;
  }
  newlines_to(p, &line, p->t[p->X->ntoks - 1].line);
}

/* The caller frees exactly outlen + 1 bytes: shrink (or copy) to fit. */
static char *finish_output(P *p, size_t *outlen) {
  char *r;
  put(p, "", 0);
  p->out[p->nout] = '\0';
  r = p->C->allocf(p->C->ud, p->out, p->capout, p->nout + 1);
  if (r == NULL) {
    r = p->C->allocf(p->C->ud, NULL, 0, p->nout + 1);
    if (r == NULL) ctx_nomem(p->C);
    memcpy(r, p->out, p->nout + 1);
    ctx_free_array(p->C, p->out, p->capout, 1);
  }
  p->out = NULL;
  p->capout = 0;
  *outlen = p->nout;
  return r;
}

/* ---------------------------------------------------------------------- */
/* Entry point                                                             */
/* ---------------------------------------------------------------------- */

static void free_all(P *p) {
  ctx_free_array(p->C, p->pc, p->cappc, sizeof(Piece));
  ctx_free_array(p->C, p->pre, p->cappre, sizeof(Pre));
  ctx_free_array(p->C, p->ks, p->capks, sizeof(Str));
  ctx_free_array(p->C, p->ktext, p->capktext, sizeof(char *));
  ctx_free_array(p->C, p->kh, p->capkh, sizeof(uint32_t));
  ctx_free_array(p->C, p->out, p->capout, 1);
  ctx_free_array(p->C, p->alt, p->capalt, sizeof(Alt));
  ctx_free_array(p->C, p->cn, p->capcn, sizeof(CondN));
  ctx_free_array(p->C, p->cv, p->capcv, 1);
  ctx_free_array(p->C, p->bd, p->capbd, sizeof(Bind));
  ctx_free_array(p->C, p->act, p->capact, sizeof(uint32_t));
  ctx_free_array(p->C, p->bucket, p->capbucket, sizeof(int32_t));
  ctx_free_array(p->C, p->lx, p->caplx, sizeof(Iv));
  lex_free(p->C, p->X);
  ctx_free_arena(p->C);
}

static void translate(P *p, char **out, size_t *outlen) {
  lex_all(p->C, p->X);
  p->t = p->X->toks;
  ctx_grow(p->C, (void **)&p->pc, &p->cappc, sizeof(Piece),
           p->X->ntoks + p->X->ntoks / 2);
  statlist(p);
  ctx_grow(p->C, (void **)&p->out, &p->capout, 1,
           p->C->len + p->C->len / 2 + sizeof op_locals + 64);
  if (ctype(p) != TK_EOF) err_near(p, "<eof> expected");
  put_prologue(p);
  put_consts(p);
  eval_conds(p);
  put_pieces(p);
  *out = finish_output(p, outlen);
}

int deal_translate(lua_Alloc allocf, void *ud, const char *src, size_t len,
                   const char *chunkname, char **out, size_t *outlen,
                   char *err, size_t errsz) {
  Ctx C;
  Lexed X;
  P p;
  char dummy[1];
  memset(&C, 0, sizeof C);
  memset(&X, 0, sizeof X);
  memset(&p, 0, sizeof p);
  C.allocf = allocf;
  C.ud = ud;
  C.src = src != NULL ? src : "";
  C.len = src != NULL ? len : 0;
  C.chunk = chunkname != NULL ? chunkname : "?";
  if (C.chunk[0] == '@' || C.chunk[0] == '=') C.chunk++;
  C.err = err != NULL && errsz > 0 ? err : dummy;
  C.errsz = err != NULL && errsz > 0 ? errsz : sizeof dummy;
  p.C = &C;
  p.X = &X;
  *out = NULL;
  *outlen = 0;
  if (setjmp(C.jb) != 0) {
    free_all(&p);
    *out = NULL;
    *outlen = 0;
    return -1;
  }
  translate(&p, out, outlen);
  free_all(&p);
  return 0;
}
