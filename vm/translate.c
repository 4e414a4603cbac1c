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
*/
#include "translate.h"
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
} Piece;

typedef struct Pre {
  const char *s;
  uint32_t len;
  int32_t next;
} Pre;

/* What the caller of an expression parser needs to know about it. */
enum { K_OTHER, K_SIMPLE, K_INT };
typedef struct Exp {
  uint32_t first;     /* index of its first piece */
  uint8_t kind;       /* K_SIMPLE: one name/literal; K_INT: integer literal */
  uint8_t multi;      /* a call or '...': may give several values */
  uint8_t var;        /* assignable (name or index) */
  uint8_t call;       /* a function call (a valid statement) */
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
  p->pc[k].pre = (int32_t)p->npre++;
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
static void statlist(P *p);
static void body(P *p, uint32_t line);

static Exp mkexp(uint32_t first, int kind) {
  Exp e;
  e.first = first;
  e.kind = (uint8_t)kind;
  e.multi = e.var = e.call = 0;
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
    case TK_NAME:
      e = mkexp(emit(p), K_SIMPLE);
      e.var = 1;
      return e;
    case '(':
      line = cur(p)->line;
      e = mkexp(emit(p), K_OTHER);
      expr(p);
      check_match(p, ')', '(', line);
      return e;
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
  }
}

static Exp simpleexp(P *p) {
  Exp e;
  switch (ctype(p)) {
    case TK_INT:
      return mkexp(emit(p), K_INT);
    case TK_HEX: case TK_LIT: case TK_STRING: case TK_NIL: case TK_TRUE:
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
      body(p, line);
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
  return (nt == TK_INT || nt == TK_LIT) && peek(p, 2) != '^';
}

static Exp fold_minus(P *p) {
  const Tok *num = &p->t[p->i + 1];
  const Str *s = &p->X->strs[num->aux];
  char *txt = ctx_cat(p->C, "-", 1, s->s, s->len);
  uint32_t k;
  int kind = K_SIMPLE;
  if (num->type == TK_INT) {
    if (s->len == 1 && s->s[0] == '0') txt = (char *)"0";
    kind = K_INT;
  } else {
    uint32_t ki = intern(p, txt, s->len + 1);
    txt = (char *)p->ktext[ki];
  }
  k = emit_text(p, txt, strlen(txt));  /* at the '-' token */
  p->i++;                              /* the numeral */
  return mkexp(k, kind);
}

static Exp unary(P *p) {
  int op = ctype(p);
  Exp e, arg;
  if (op == '-' && foldable(p)) return fold_minus(p);
  if (op == '-' || op == TK_NOT) {
    e = mkexp(emit_text(p, op == '-' ? "__unm(" : "__not(", 6), K_OTHER);
    p->nogap = 1;
    arg = subexpr(p, UNARY_PRIORITY);
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

/* One binary operation whose left operand e is already emitted. */
static void binary(P *p, Exp *e, const BinOp *b) {
  Exp r;
  if (b->how == B_AND || b->how == B_OR) {
    andor(p, e, b);
  } else if (b->how == B_NATIVE) {
    emit(p);
    subexpr(p, b->right);
  } else {
    syn_at(p, ",", cur(p));
    p->i++;
    r = subexpr(p, b->right);
    prefix(p, e->first, b->fn);
    close_arg(p, r, ")");
  }
  *e = mkexp(e->first, K_OTHER);
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

/* A leaf of a condition: a normal expression down to priority limit. */
static void cond_leaf(P *p, int limit) {
  size_t start = p->i;
  int t = ctype(p);
  Exp e = subexpr(p, limit);
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

static void block(P *p) { statlist(p); }

static void parlist(P *p) {
  if (ctype(p) == ')') return;
  for (;;) {
    if (ctype(p) == TK_DOTS) {
      emit(p);
      return;
    }
    checkname(p);
    if (ctype(p) != ',') return;
    emit(p);
  }
}

/* '(' parlist ')' block 'end'; '...' inside belongs to the new function. */
static void body(P *p, uint32_t line) {
  unsigned va = p->vararg;
  check_emit(p, '(');
  parlist(p);
  check_emit(p, ')');
  statlist(p);
  check_match(p, TK_END, TK_FUNCTION, line);
  p->vararg = va;
}

/* A numeric for bound: integer numerals stay, others go through __for. */
static void forbound(P *p) {
  Exp e = expr(p);
  if (e.kind == K_INT) return;
  wrap(p, e, "__for(");
}

static void forstat(P *p, uint32_t line) {
  emit(p);
  checkname(p);
  if (ctype(p) == '=') {
    emit(p);
    forbound(p);
    check_emit(p, ',');
    forbound(p);
    if (ctype(p) == ',') {
      emit(p);
      forbound(p);
    }
  } else if (ctype(p) == ',' || ctype(p) == TK_IN) {
    while (ctype(p) == ',') {
      emit(p);
      checkname(p);
    }
    check_emit(p, TK_IN);
    explist(p);
  } else {
    err_near(p, "'=' or 'in' expected");
  }
  check_emit(p, TK_DO);
  block(p);
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

static void localstat(P *p) {
  if (ctype(p) == TK_FUNCTION) {
    uint32_t line = cur(p)->line;
    emit(p);
    checkname(p);
    body(p, line);
    return;
  }
  for (;;) {
    checkname(p);
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
    explist(p);
  }
}

static void funcstat(P *p, uint32_t line) {
  emit(p);
  checkname(p);
  while (ctype(p) == '.') {
    emit(p);
    checkname(p);
  }
  if (ctype(p) == ':') {
    emit(p);
    checkname(p);
  }
  body(p, line);
}

/* Assignment or call statement. */
static void exprstat(P *p) {
  Exp e = suffixedexp(p);
  if (ctype(p) == '=' || ctype(p) == ',') {
    for (;;) {
      if (!e.var) err_near(p, "syntax error");
      if (ctype(p) != ',') break;
      emit(p);
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
    case TK_REPEAT:
      emit(p);
      block(p);
      check_match(p, TK_UNTIL, TK_REPEAT, line);
      cond(p);
      break;
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

static const char prologue[] =
  "local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,"
  "__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K="
  "__deal.ops();";

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

/* Pieces in order; newlines first bring the output to each piece's line. */
static void put_pieces(P *p) {
  uint32_t line = 1;
  size_t k;
  for (k = 0; k < p->npc; k++) {
    const Piece *c = &p->pc[k];
    int32_t r;
    if (c->line > line) newlines_to(p, &line, c->line);
    if (c->glen) put(p, c->g, c->glen);
    for (r = c->pre; r >= 0; r = p->pre[r].next)
      put_sep(p, p->pre[r].s, p->pre[r].len);
    put_sep(p, c->s, c->len);
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
           p->C->len + p->C->len / 2 + sizeof prologue + 64);
  if (ctype(p) != TK_EOF) err_near(p, "<eof> expected");
  put(p, prologue, sizeof prologue - 1);
  put_consts(p);
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
