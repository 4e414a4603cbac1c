/*
** vm/lex.c
** The .deal lexer (see lex.h). A hand-written scanner over src[0..len):
** every read goes through at(), which returns -1 past the end, so no path
** can read beyond len. Literal forms of the dialect are decided here from
** the raw bytes around a numeral, never by regular expressions.
*/
#include "lex.h"
#include "uexpr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------------- */
/* Memory and errors                                                       */
/* ---------------------------------------------------------------------- */

typedef struct Blk { struct Blk *next; size_t size; } Blk;

_Noreturn void ctx_nomem(Ctx *C) {
  snprintf(C->err, C->errsz, "not enough memory");
  longjmp(C->jb, 1);
}

/* Doubling growth keeps appends amortised O(1). */
void ctx_grow_to(Ctx *C, void **pp, size_t *cap, size_t elem, size_t need) {
  size_t ncap = *cap ? *cap : 64;
  void *np;
  if (need <= *cap) return;
  while (ncap < need) {
    if (ncap > ((size_t)-1 / 4) / elem) ctx_nomem(C);
    ncap *= 2;
  }
  np = C->allocf(C->ud, *pp, *pp ? *cap * elem : 0, ncap * elem);
  if (np == NULL) ctx_nomem(C);
  *pp = np;
  *cap = ncap;
}

void ctx_free_array(Ctx *C, void *p, size_t cap, size_t elem) {
  if (p != NULL) C->allocf(C->ud, p, cap * elem, 0);
}

/* Small strings (specs, integer texts, "__K[i]") live in an arena that is
** freed in one sweep. */
char *ctx_cat(Ctx *C, const char *a, size_t na, const char *b, size_t nb) {
  size_t n = na + nb + 1;
  char *r;
  if (n > C->arena_left) {
    size_t bs = n + sizeof(Blk) > 65536 ? n + sizeof(Blk) : 65536;
    Blk *blk = C->allocf(C->ud, NULL, 0, bs);
    if (blk == NULL) ctx_nomem(C);
    blk->next = C->arena;
    blk->size = bs;
    C->arena = blk;
    C->arena_p = (char *)(blk + 1);
    C->arena_left = bs - sizeof(Blk);
  }
  r = C->arena_p;
  if (na && a) memcpy(r, a, na);
  if (nb && b) memcpy(r + na, b, nb);
  r[na + nb] = '\0';
  C->arena_p += n;
  C->arena_left -= n;
  return r;
}

void ctx_free_arena(Ctx *C) {
  while (C->arena != NULL) {
    Blk *next = C->arena->next;
    C->allocf(C->ud, C->arena, C->arena->size, 0);
    C->arena = next;
  }
}

/* Lua counts "\r\n" and "\n\r" as one line break; so do we everywhere. */
static size_t skip_newline(const char *s, size_t n, size_t i) {
  char c = s[i++];
  if (i < n && (s[i] == '\n' || s[i] == '\r') && s[i] != c) i++;
  return i;
}

/* Line (1-based), column (1-based bytes) and line start of offset off. */
static void locate(const Ctx *C, size_t off, size_t *line, size_t *col,
                   size_t *start) {
  size_t i = 0, ln = 1, ls = 0;
  while (i < off && i < C->len) {
    if (C->src[i] == '\n' || C->src[i] == '\r') {
      i = skip_newline(C->src, C->len, i);
      ln++;
      ls = i;
    } else {
      i++;
    }
  }
  *line = ln;
  *col = off - ls + 1;
  *start = ls;
}

_Noreturn void ctx_error(Ctx *C, size_t off, const char *fmt, ...) {
  size_t line, col, ls, le, k, used;
  va_list ap;
  int n;
  if (off > C->len) off = C->len;
  locate(C, off, &line, &col, &ls);
  n = snprintf(C->err, C->errsz, "%s:%zu:%zu: ", C->chunk, line, col);
  used = n < 0 ? 0 : (size_t)n;
  va_start(ap, fmt);
  if (used < C->errsz) {
    n = vsnprintf(C->err + used, C->errsz - used, fmt, ap);
    used += n < 0 ? 0 : (size_t)n;
  }
  va_end(ap);
  for (le = ls; le < C->len && C->src[le] != '\n' && C->src[le] != '\r'; le++)
    ;
  if (used < C->errsz) {
    n = snprintf(C->err + used, C->errsz - used, "\n%.*s\n",
                 (int)(le - ls > 400 ? 400 : le - ls), C->src + ls);
    used += n < 0 ? 0 : (size_t)n;
  }
  /* the caret line copies tabs so that the caret lines up in a terminal */
  for (k = 0; k + 1 < col && used + 2 < C->errsz && k < 400; k++)
    C->err[used++] = C->src[ls + k] == '\t' ? '\t' : ' ';
  if (used + 1 < C->errsz) C->err[used++] = '^';
  if (C->errsz > 0) C->err[used < C->errsz ? used : C->errsz - 1] = '\0';
  longjmp(C->jb, 1);
}

/* Errors at end of input stay one line ending in "<eof>": the REPL reads
** that suffix as "incomplete statement, keep reading". */
_Noreturn void ctx_error_eof(Ctx *C, const char *msg) {
  size_t line, col, ls;
  locate(C, C->len, &line, &col, &ls);
  snprintf(C->err, C->errsz, "%s:%zu:%zu: %s near <eof>", C->chunk, line,
           col, msg);
  longjmp(C->jb, 1);
}

/* ---------------------------------------------------------------------- */
/* Character classes and reserved words                                    */
/* ---------------------------------------------------------------------- */

static const char *const kwords[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for", "function",
  "goto", "if", "in", "local", "nil", "not", "or", "repeat", "return",
  "then", "true", "until", "while"
};
static const char *const symnames[] = {
  "//", "..", "...", "==", ">=", "<=", "~=", "<<", ">>", "::"
};

const char *lex_token_name(int type) {
  if (type >= TK_AND && type <= TK_WHILE) return kwords[type - TK_AND];
  if (type >= TK_IDIV && type <= TK_DBCOLON) return symnames[type - TK_IDIV];
  return "?";
}

static int isdig(int c) { return c >= '0' && c <= '9'; }
static int isalpha_(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static int isalnum_(int c) { return isalpha_(c) || isdig(c); }
static int isxdig(int c) {
  return isdig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int isblank_(int c) {
  return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Reserved word token type of s[0..n), or 0. Called for every name, so
** it first rejects by length and first letter. */
static int keyword(const char *s, size_t n) {
  static const unsigned char lens[] = {3, 5, 2, 4, 6, 3, 5, 3, 8, 4, 2, 2,
                                       5, 3, 3, 2, 6, 6, 4, 4, 5, 5};
  size_t i;
  if (n < 2 || n > 8 || s[0] < 'a' || s[0] > 'w') return 0;
  for (i = 0; i < sizeof lens; i++)
    if (lens[i] == n && kwords[i][0] == s[0] && memcmp(kwords[i], s, n) == 0)
      return TK_AND + (int)i;
  return 0;
}

/* ---------------------------------------------------------------------- */
/* Lexer state                                                             */
/* ---------------------------------------------------------------------- */

typedef struct Lx {
  Ctx *C;
  Lexed *X;
  const char *s;
  size_t n;
  size_t p;          /* current position */
  uint32_t line;
  size_t gapstart;   /* end of previous token or start of line */
  int dirty;         /* a comment lies between gapstart and p */
  int spaced;
  size_t nstack;
} Lx;

static int at(const Lx *L, size_t i) {
  return i < L->n ? (unsigned char)L->s[i] : -1;
}

static void newline(Lx *L) {
  L->p = skip_newline(L->s, L->n, L->p);
  L->line++;
  L->gapstart = L->p;
  L->dirty = 0;
  L->spaced = 0;
}

static uint32_t add_str(Lx *L, const char *s, size_t n) {
  Lexed *X = L->X;
  ctx_grow(L->C, (void **)&X->strs, &X->capstrs, sizeof(Str), X->nstrs + 1);
  X->strs[X->nstrs].s = s;
  X->strs[X->nstrs].len = (uint32_t)n;
  return (uint32_t)X->nstrs++;
}

/* Appends a token spanning [start, L->p); nl counts breaks inside it. */
static void push(Lx *L, int type, size_t start, uint32_t line, uint32_t nl,
                 uint32_t aux) {
  Lexed *X = L->X;
  Tok *t;
  ctx_grow(L->C, (void **)&X->toks, &X->captoks, sizeof(Tok), X->ntoks + 1);
  t = &X->toks[X->ntoks++];
  t->off = (uint32_t)start;
  t->len = (uint32_t)(L->p - start);
  t->line = line;
  t->nl = nl;
  t->type = (uint16_t)type;
  t->aux = aux;
  t->gap = L->dirty ? 0 : (uint32_t)(start - L->gapstart);
  t->spaced = (uint8_t)(L->spaced || L->dirty || start > L->gapstart);
  L->gapstart = L->p;
  L->dirty = 0;
  L->spaced = 0;
}

/* ---------------------------------------------------------------------- */
/* Declared units: units.define("x") / units.dimension(...) anywhere        */
/* ---------------------------------------------------------------------- */

static uint32_t hash(const char *s, size_t n) {
  uint32_t h = 2166136261u;
  while (n--) h = (h ^ (unsigned char)*s++) * 16777619u;
  return h;
}

static int unit_declared(const Lexed *X, const char *s, size_t n) {
  uint32_t i;
  if (X->capunits == 0) return 0;
  for (i = hash(s, n) & (uint32_t)(X->capunits - 1); X->units[i].s;
       i = (i + 1) & (uint32_t)(X->capunits - 1))
    if (X->units[i].len == n && memcmp(X->units[i].s, s, n) == 0) return 1;
  return 0;
}

static void set_insert(Str *tab, size_t cap, const char *s, size_t n) {
  uint32_t i = hash(s, n) & (uint32_t)(cap - 1);
  while (tab[i].s) i = (i + 1) & (uint32_t)(cap - 1);
  tab[i].s = s;
  tab[i].len = (uint32_t)n;
}

/* Open-addressing set, rehashed at half full. */
static void declare_unit(Ctx *C, Lexed *X, const char *s, size_t n) {
  if (n == 0 || n > 64 || unit_declared(X, s, n)) return;
  if ((X->nunits + 1) * 2 > X->capunits) {
    size_t ncap = X->capunits ? X->capunits * 2 : 32, i;
    Str *nt = C->allocf(C->ud, NULL, 0, ncap * sizeof(Str));
    if (nt == NULL) ctx_nomem(C);
    memset(nt, 0, ncap * sizeof(Str));
    for (i = 0; i < X->capunits; i++)
      if (X->units[i].s) set_insert(nt, ncap, X->units[i].s, X->units[i].len);
    ctx_free_array(C, X->units, X->capunits, sizeof(Str));
    X->units = nt;
    X->capunits = ncap;
  }
  set_insert(X->units, X->capunits, s, n);
  X->nunits++;
}

static size_t skip_ws(const char *s, size_t n, size_t i) {
  while (i < n && (isblank_((unsigned char)s[i]) || s[i] == '\n' ||
                   s[i] == '\r'))
    i++;
  return i;
}

/* A quoted name at s[i] (no escapes): its text is s[*b, *b + *len);
** returns the index after the closing quote, or 0 when there is none. */
static size_t quoted(const char *s, size_t n, size_t i, size_t *b,
                     size_t *len) {
  size_t j;
  char q;
  if (i >= n || (s[i] != '"' && s[i] != '\'')) return 0;
  q = s[i++];
  for (j = i; j < n && s[j] != q && s[j] != '\\' && s[j] != '\n'; j++)
    ;
  if (j >= n || s[j] != q) return 0;
  *b = i;
  *len = j - i;
  return j + 1;
}

/* Reads a quoted name at s[i] and declares it. */
static void declare_quoted(Ctx *C, Lexed *X, const char *s, size_t n,
                           size_t i) {
  size_t b, len;
  if (quoted(s, n, i, &b, &len)) declare_unit(C, X, s + b, len);
}

/* After "units.dimension" + blanks + "(": ("Seat", "seat") declares the
** second string (the base unit), ("Seat") or "Seat" the first one in
** lower case, as the runtime names it. */
static void declare_dimension(Ctx *C, Lexed *X, const char *s, size_t n,
                              size_t i, int paren) {
  size_t b, len, b2, len2, j = quoted(s, n, i, &b, &len), k;
  char *low;
  if (j == 0) return;
  if (paren && (j = skip_ws(s, n, j)) < n && s[j] == ',' &&
      quoted(s, n, skip_ws(s, n, j + 1), &b2, &len2)) {
    declare_unit(C, X, s + b2, len2);
    return;
  }
  if (len == 0 || len > 64) return;
  low = ctx_cat(C, s + b, len, NULL, 0);
  for (k = 0; k < len; k++)
    if (low[k] >= 'A' && low[k] <= 'Z') low[k] = (char)(low[k] - 'A' + 'a');
  declare_unit(C, X, low, len);
}

/* After "units.define" / "units.dimension": ("x" ...) | "x" |
** { ... name = "x" ... }. */
static void declare_at(Ctx *C, Lexed *X, const char *s, size_t n, size_t i,
                       int dimension) {
  size_t j, end;
  int paren = 0;
  i = skip_ws(s, n, i);
  if (i < n && s[i] == '(') i = skip_ws(s, n, i + 1), paren = 1;
  if (i < n && s[i] == '{') {
    end = i + 512 < n ? i + 512 : n;
    for (j = i + 1; j + 4 <= end && s[j] != '}'; j++) {
      if (memcmp(s + j, "name", 4) == 0 && !isalnum_((unsigned char)s[j - 1]) &&
          (j + 4 >= n || !isalnum_((unsigned char)s[j + 4]))) {
        size_t k = skip_ws(s, n, j + 4);
        if (k < n && s[k] == '=') declare_quoted(C, X, s, n, skip_ws(s, n, k + 1));
        return;
      }
    }
    return;
  }
  if (dimension) declare_dimension(C, X, s, n, i, paren);
  else declare_quoted(C, X, s, n, i);
}

static void prescan_units(Ctx *C, Lexed *X) {
  const char *s = C->src;
  size_t n = C->len, i;
  for (i = 0; i + 12 <= n; i++) {
    if (s[i] != 'u' || (i > 0 && isalnum_((unsigned char)s[i - 1]))) continue;
    if (memcmp(s + i, "units.define", 12) == 0)
      declare_at(C, X, s, n, i + 12, 0);
    else if (i + 15 <= n && memcmp(s + i, "units.dimension", 15) == 0)
      declare_at(C, X, s, n, i + 15, 1);
  }
}

/* ---------------------------------------------------------------------- */
/* Numerals                                                                */
/* ---------------------------------------------------------------------- */

/* End of the maximal numeral run at p, as Lua reads it: alphanumerics, '_',
** '.', and a sign right after an exponent mark. */
static size_t numeral_run(const Lx *L, size_t p) {
  int hex = at(L, p) == '0' && (at(L, p + 1) == 'x' || at(L, p + 1) == 'X');
  size_t i = p;
  for (;;) {
    int c = at(L, i);
    if ((hex ? (c == 'p' || c == 'P') : (c == 'e' || c == 'E')) &&
        (at(L, i + 1) == '+' || at(L, i + 1) == '-'))
      i += 2;
    else if (isalnum_(c) || c == '.')
      i++;
    else
      return i;
  }
}

static int valid_hex(const char *s, size_t n) {
  size_t i = 2, digits = 0;
  while (i < n && isxdig((unsigned char)s[i])) i++, digits++;
  if (i < n && s[i] == '.')
    for (i++; i < n && isxdig((unsigned char)s[i]); i++) digits++;
  if (digits == 0) return 0;
  if (i < n && (s[i] == 'p' || s[i] == 'P')) {
    size_t d = 0;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-')) i++;
    while (i < n && isdig((unsigned char)s[i])) i++, d++;
    if (d == 0) return 0;
  }
  return i == n;
}

/* Exact value of a decimal numeral: sig[0..nsig) * 10^exp, nsig == 0 for
** zero; toolong when it has more significant digits than fit in sig. */
typedef struct Dec {
  char sig[24];
  int nsig, toolong;
  int64_t exp;
} Dec;

static void dec_digit(Dec *d, int c, int64_t *zeros) {
  if (c == '0') {
    if (d->nsig > 0 || d->toolong) (*zeros)++;
    return;
  }
  if (d->toolong || d->nsig + *zeros + 1 > (int64_t)sizeof d->sig) {
    d->toolong = 1;
    *zeros = 0;
    return;
  }
  while (*zeros > 0) d->sig[d->nsig++] = '0', (*zeros)--;
  d->sig[d->nsig++] = (char)c;
}

/* Digits with '_' allowed only between two digits. Returns the new index. */
static size_t dec_digits(const char *s, size_t n, size_t i, Dec *d,
                         int64_t *zeros, int64_t *count) {
  while (i < n) {
    unsigned char c = (unsigned char)s[i];
    if (isdig(c)) {
      dec_digit(d, c, zeros);
      (*count)++;
      i++;
    } else if (c == '_' && *count > 0 && i + 1 < n &&
               isdig((unsigned char)s[i + 1]) && isdig((unsigned char)s[i - 1])) {
      i++;
    } else {
      break;
    }
  }
  return i;
}

/* Parses s[0..n) as digits[.digits][e[+-]digits][k|M|B|T|bp].
** Returns the length of the valid prefix without the suffix in *plain
** (used for the "write '1 kW'" hint) and 1 when the whole text is valid. */
static int parse_dec(const char *s, size_t n, Dec *d, size_t *plain) {
  int64_t zeros = 0, ndig = 0, nfrac = 0, e = 0;
  size_t i;
  memset(d, 0, sizeof *d);
  i = dec_digits(s, n, 0, d, &zeros, &ndig);
  if (i < n && s[i] == '.') {
    i = dec_digits(s, n, i + 1, d, &zeros, &nfrac);
    d->exp -= nfrac;
  }
  *plain = i;
  if (ndig + nfrac == 0) return 0;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    int neg = 0, got = 0;
    if (j < n && (s[j] == '+' || s[j] == '-')) neg = s[j++] == '-';
    for (; j < n && isdig((unsigned char)s[j]); j++, got = 1)
      if (e < 1000000000) e = e * 10 + (s[j] - '0');
    if (!got) return 0;
    d->exp += neg ? -e : e;
    i = j;
    *plain = i;
  }
  if (i < n) {
    size_t rest = n - i;
    if (rest == 1 && s[i] == 'k') d->exp += 3;
    else if (rest == 1 && s[i] == 'M') d->exp += 6;
    else if (rest == 1 && s[i] == 'B') d->exp += 9;
    else if (rest == 1 && s[i] == 'T') d->exp += 12;
    else if (rest == 2 && s[i] == 'b' && s[i + 1] == 'p') d->exp -= 4;
    else return 0;
  }
  d->exp += zeros;
  return 1;
}

/* Decimal text of the value when it is an integer in int64, else NULL. */
static char *dec_int_text(Ctx *C, const Dec *d) {
  static const char maxi[] = "9223372036854775807";
  char buf[24];
  size_t k;
  if (d->toolong) return NULL;
  if (d->nsig == 0) return ctx_cat(C, "0", 1, NULL, 0);
  if (d->exp < 0 || d->nsig + d->exp > 19) return NULL;
  memcpy(buf, d->sig, (size_t)d->nsig);
  for (k = (size_t)d->nsig; k < (size_t)(d->nsig + d->exp); k++) buf[k] = '0';
  if (k == 19 && memcmp(buf, maxi, 19) > 0) return NULL;
  return ctx_cat(C, buf, k, NULL, 0);
}

/* Copy of the numeral without digit separators (the spec the runtime
** parses). */
static char *spec_numeral(Ctx *C, const char *s, size_t n, const char *tail,
                          size_t ntail) {
  char *r = ctx_cat(C, NULL, 0, NULL, n + ntail), *w = r;
  size_t i;
  for (i = 0; i < n; i++)
    if (s[i] != '_') *w++ = s[i];
  memcpy(w, tail, ntail);
  w[ntail] = '\0';
  return r;
}

static _Noreturn void malformed(Lx *L, size_t p, size_t e) {
  Dec d;
  size_t plain;
  const char *s = L->s + p;
  size_t k;
  int word = 1;
  parse_dec(s, e - p, &d, &plain);
  for (k = plain; k < e - p; k++) word = word && isalnum_((unsigned char)s[k]);
  /* a hint only when a unit name is glued on: "1kW", "1.5GW" */
  if (word && plain > 0 && e - p - plain >= 1 && s[plain] != '_' &&
      isalpha_((unsigned char)s[plain]) && !(s[0] == '0' && (s[1] == 'x' ||
      s[1] == 'X')) && !(e - p - plain == 1 && (s[plain] == 'e' ||
      s[plain] == 'E')))
    ctx_error(L->C, p,
              "malformed number near '%.*s' (write '%.*s %.*s' with a space)",
              (int)(e - p), s, (int)plain, s, (int)(e - p - plain), s + plain);
  ctx_error(L->C, p, "malformed number near '%.*s'", (int)(e - p), s);
}

/* ---------------------------------------------------------------------- */
/* Unit expressions: unit (('/'|'*') unit)*, unit = ident ('^' '-'? digits)? */
/* ---------------------------------------------------------------------- */

/* End of one unit atom at q, or q when none; pct allows '%' as a unit. */
static size_t unit_atom(const Lx *L, size_t q, int pct, int *op) {
  size_t r = q;
  int c = at(L, q);
  if (isalpha_(c)) {
    while (isalnum_(at(L, r))) r++;
  } else if (c == '$') {
    int d = at(L, q + 1);
    if (isdig(d) || (d == '.' && isdig(at(L, q + 2)))) return q;
    r = q + 1;
  } else if (c == '%' && pct) {
    r = q + 1;
  } else {
    return q;
  }
  if (at(L, r) == '^') {
    size_t t = r + 1;
    if (at(L, t) == '-') t++;
    if (isdig(at(L, t))) {
      while (isdig(at(L, t))) t++;
      r = t;
      *op = 1;
    }
  }
  return r;
}

/* End of the unit expression starting at q (q when there is none). */
static size_t unit_expr(const Lx *L, size_t q, int pct, int *op) {
  size_t r = unit_atom(L, q, pct, op);
  if (r == q) return q;
  for (;;) {
    int c = at(L, r);
    size_t t;
    if (c != '/' && c != '*') return r;
    t = unit_atom(L, r + 1, 1, op);
    if (t == r + 1) return r;
    *op = 1;
    r = t;
  }
}

/* Index of the next significant byte after i: skips blanks, line breaks
** and comments (used to see what follows a candidate unit name). */
static size_t next_significant(const Lx *L, size_t i) {
  for (;;) {
    int c = at(L, i);
    if (isblank_(c) || c == '\n' || c == '\r') {
      i++;
    } else if (c == '-' && at(L, i + 1) == '-') {
      size_t j = i + 2;
      if (at(L, j) == '[') {
        size_t k = j + 1, lvl = 0;
        while (at(L, k) == '=') k++, lvl++;
        if (at(L, k) == '[') {
          for (k++; k < L->n; k++) {
            size_t m = k + 1, l2 = 0;
            if (L->s[k] != ']') continue;
            while (at(L, m) == '=') m++, l2++;
            if (l2 == lvl && at(L, m) == ']') break;
          }
          i = k + lvl + 2;
          continue;
        }
      }
      while (j < L->n && L->s[j] != '\n' && L->s[j] != '\r') j++;
      i = j;
    } else {
      return i;
    }
  }
}

/* Could a token starting at i continue a statement after a Name (so that
** `x = 5 y = 3` stays two statements)? */
static int continues_name(const Lx *L, size_t i, int known) {
  int c = at(L, i);
  switch (c) {
    case '=': return at(L, i + 1) != '=';
    case '.': return at(L, i + 1) != '.' && !isdig(at(L, i + 1));
    case '(': case '[': case ':': case '{': case '"': case '\'': return 1;
    case ',': return !known;
    default: return 0;
  }
}

static int is_kw_or_to(const char *s, size_t n) {
  return keyword(s, n) || (n == 2 && s[0] == 't' && s[1] == 'o');
}

/* Decides whether the blank-separated text at q is the unit of the numeral
** just read; returns its end or 0. */
static size_t numeral_unit(const Lx *L, size_t q) {
  int op = 0, known;
  size_t r = unit_expr(L, q, 0, &op), id;
  if (r == q) return 0;
  for (id = q; isalnum_(at(L, id)); id++)
    ;
  if (id > q && is_kw_or_to(L->s + q, id - q)) return 0;
  if (op) return r;
  known = id == q || unit_name_known(L->s + q, id - q) ||
          unit_declared(L->X, L->s + q, id - q);
  /* a method call glued to a known unit is on the quantity: 1 GW:to "MW" */
  if (known && at(L, r) == ':' && at(L, r + 1) != ':') return r;
  return continues_name(L, next_significant(L, r), known) ? 0 : r;
}

/* After "5%": is the '%' a modulo, i.e. does an operand follow? */
static int operand_follows(const Lx *L, size_t i) {
  int c;
  if (at(L, i) == '-') return at(L, i + 1) != '-';
  while (isblank_(at(L, i))) i++;
  c = at(L, i);
  if (isalpha_(c)) {
    size_t j = i;
    int kw;
    while (isalnum_(at(L, j))) j++;
    kw = keyword(L->s + i, j - i);
    if (kw) return kw == TK_NOT || kw == TK_FUNCTION || kw == TK_NIL ||
                   kw == TK_TRUE || kw == TK_FALSE;
    return !(j - i == 2 && L->s[i] == 't' && L->s[i + 1] == 'o');
  }
  if (isdig(c) || c == '"' || c == '\'' || c == '(' || c == '{' ||
      c == '#' || c == '$')
    return 1;
  if (c == '.')
    return isdig(at(L, i + 1)) || (at(L, i + 1) == '.' && at(L, i + 2) == '.');
  if (c == '~') return at(L, i + 1) != '=';
  if (c == '[') return at(L, i + 1) == '[' || at(L, i + 1) == '=';
  return 0;
}

/* Pushes an exact constant whose spec is given. */
static void push_lit(Lx *L, size_t start, char *spec, size_t nspec) {
  push(L, TK_LIT, start, L->line, 0, add_str(L, spec, nspec));
}

/* Unit tail right after a money numeral: "/kWh", "/kW/month", "*h". */
static size_t money_tail(const Lx *L, size_t e) {
  int op = 0;
  int c = at(L, e);
  size_t r;
  if (c != '/' && c != '*') return e;
  r = unit_expr(L, e + 1, 1, &op);
  return r == e + 1 ? e : r;
}

/* A decimal numeral at p (possibly after '$' or a currency code). */
static void read_numeral(Lx *L) {
  size_t p = L->p, e = numeral_run(L, p), q, u, plain;
  const char *s = L->s + p;
  Dec d;
  char *txt;
  if (at(L, p) == '0' && (at(L, p + 1) == 'x' || at(L, p + 1) == 'X')) {
    if (!valid_hex(s, e - p)) malformed(L, p, e);
    L->p = e;
    push(L, TK_HEX, p, L->line, 0, 0);
    return;
  }
  if (!parse_dec(s, e - p, &d, &plain)) malformed(L, p, e);
  if (at(L, e) == '%' && !operand_follows(L, e + 1)) {      /* 5% */
    txt = spec_numeral(L->C, s, e - p, "%", 1);
    L->p = e + 1;
    push_lit(L, p, txt, strlen(txt));
    return;
  }
  for (q = e; at(L, q) == ' ' || at(L, q) == '\t'; q++)
    ;
  if (q > e && (u = numeral_unit(L, q)) != 0) {             /* 1.2 GW */
    char *num = spec_numeral(L->C, s, e - p, " ", 1);
    txt = ctx_cat(L->C, num, strlen(num), L->s + q, u - q);
    L->p = u;
    push_lit(L, p, txt, strlen(txt));
    return;
  }
  L->p = e;
  txt = dec_int_text(L->C, &d);
  if (txt != NULL) {
    push(L, TK_INT, p, L->line, 0, add_str(L, txt, strlen(txt)));
  } else {
    txt = spec_numeral(L->C, s, e - p, "", 0);
    push_lit(L, p, txt, strlen(txt));
  }
}

/* "$21B", "$0.06/kWh" (start = position of '$'), or "EUR 3M" (start =
** position of the code, code = its text). */
static void read_money(Lx *L, size_t start, const char *code, size_t ncode) {
  size_t p = L->p, e = numeral_run(L, p), t;
  Dec d;
  char *num, *spec;
  size_t nnum;
  if (at(L, p) == '0' && (at(L, p + 1) == 'x' || at(L, p + 1) == 'X'))
    malformed(L, p, e);
  if (!parse_dec(L->s + p, e - p, &d, &t)) malformed(L, p, e);
  t = money_tail(L, e);
  num = spec_numeral(L->C, L->s + p, e - p, "", 0);
  nnum = strlen(num);
  spec = ctx_cat(L->C, num, nnum, code, ncode);
  spec = ctx_cat(L->C, spec, nnum + ncode, L->s + e, t - e);
  L->p = t;
  push_lit(L, start, spec, strlen(spec));
}

/* ---------------------------------------------------------------------- */
/* Strings and comments                                                    */
/* ---------------------------------------------------------------------- */

/* At '[': returns the level+2 of a long bracket "[==[", 1 for a lone '[',
** 0 for a malformed "[=" (as Lua's skip_sep). */
static size_t long_sep(const Lx *L, size_t p) {
  size_t i = p + 1, cnt = 0;
  while (at(L, i) == '=') i++, cnt++;
  if (at(L, i) == '[') return cnt + 2;
  return cnt == 0 ? 1 : 0;
}

/* Skips a long string/comment whose opening bracket starts at L->p. */
static void read_long(Lx *L, size_t sep, int comment, uint32_t *nl) {
  uint32_t line0 = L->line;
  size_t i = L->p + sep;
  char msg[96];
  *nl = 0;
  for (;;) {
    int c = at(L, i);
    if (c < 0) {
      snprintf(msg, sizeof msg, "unfinished long %s (starting at line %u)",
               comment ? "comment" : "string", line0);
      ctx_error_eof(L->C, msg);
    }
    if (c == '\n' || c == '\r') {
      i = skip_newline(L->s, L->n, i);
      (*nl)++;
    } else if (c == ']') {
      size_t j = i + 1, cnt = 0;
      while (at(L, j) == '=') j++, cnt++;
      if (cnt + 2 == sep && at(L, j) == ']') {
        L->p = j + 1;
        return;
      }
      i = j;
    } else {
      i++;
    }
  }
}

/* Lua's message shows the string read so far; the caret marks the
** backslash (found by scanning back from upto). */
static _Noreturn void bad_escape(Lx *L, size_t start, size_t upto,
                                  const char *msg) {
  size_t n = upto - start, bs = upto;
  if (upto >= L->n) ctx_error_eof(L->C, msg);
  while (bs > start && L->s[bs] != '\\') bs--;
  ctx_error(L->C, bs, "%s near '%.*s'", msg, (int)(n > 60 ? 60 : n + 1),
            L->s + start);
}

/* Checks the escape after the backslash at i (Lua 5.4's rules, so that
** errors get a column and caret) and returns the index after it. */
static size_t escape(Lx *L, size_t start, size_t i, uint32_t *nl) {
  int c = at(L, i);
  size_t k;
  unsigned long v = 0;
  if (c < 0) ctx_error_eof(L->C, "unfinished string");
  if (strchr("abfnrtv\\\"'", c)) return i + 1;
  if (c == '\n' || c == '\r') {
    (*nl)++;
    return skip_newline(L->s, L->n, i);
  }
  if (c == 'x') {
    for (k = i + 1; k < i + 3; k++)
      if (!isxdig(at(L, k))) bad_escape(L, start, k, "hexadecimal digit expected");
    return i + 3;
  }
  if (c == 'z') {
    for (i++;;) {
      c = at(L, i);
      if (c == '\n' || c == '\r') i = skip_newline(L->s, L->n, i), (*nl)++;
      else if (isblank_(c)) i++;
      else return i;
    }
  }
  if (c == 'u') {
    if (at(L, i + 1) != '{') bad_escape(L, start, i + 1, "missing '{'");
    if (!isxdig(at(L, i + 2))) bad_escape(L, start, i + 2, "hexadecimal digit expected");
    for (k = i + 2; isxdig(at(L, k)); k++) {
      int d = at(L, k);
      v = v * 16 + (unsigned long)(isdig(d) ? d - '0' : (d | 32) - 'a' + 10);
      if (v > 0x7FFFFFFFul) bad_escape(L, start, k, "UTF-8 value too large");
    }
    if (at(L, k) != '}') bad_escape(L, start, k, "missing '}'");
    return k + 1;
  }
  if (isdig(c)) {
    for (k = i; k < i + 3 && isdig(at(L, k)); k++) v = v * 10 + (unsigned long)(at(L, k) - '0');
    if (v > 255) bad_escape(L, start, k, "decimal escape too large");
    return k;
  }
  bad_escape(L, start, i, "invalid escape sequence");
}

/* A short string, copied verbatim; an unescaped line break ends it with
** Lua's error. */
static void read_string(Lx *L) {
  size_t start = L->p, i = L->p + 1;
  int q = at(L, start);
  uint32_t nl = 0;
  for (;;) {
    int c = at(L, i);
    if (c < 0) ctx_error_eof(L->C, "unfinished string");
    if (c == q) break;
    if (c == '\n' || c == '\r')
      ctx_error(L->C, start, "unfinished string near '%.*s'",
                (int)(i - start > 40 ? 40 : i - start), L->s + start);
    if (c == '\\') i = escape(L, start, i + 1, &nl);
    else i++;
  }
  L->p = i + 1;
  push(L, TK_STRING, start, L->line, nl, 0);
  L->line += nl;
}

static void read_comment(Lx *L) {
  size_t i = L->p + 2;
  if (at(L, i) == '[') {
    size_t sep = long_sep(L, i);
    if (sep >= 2) {
      uint32_t nl;
      L->p = i;
      read_long(L, sep, 1, &nl);
      L->line += nl;
      L->dirty = 1;
      return;
    }
  }
  while (i < L->n && L->s[i] != '\n' && L->s[i] != '\r') i++;
  L->p = i;
  L->dirty = 1;
}

/* ---------------------------------------------------------------------- */
/* Names, symbols, main loop                                               */
/* ---------------------------------------------------------------------- */

static void read_name(Lx *L) {
  size_t p = L->p, e = p, q;
  int kw;
  while (isalnum_(at(L, e))) e++;
  kw = keyword(L->s + p, e - p);
  for (q = e; at(L, q) == ' ' || at(L, q) == '\t'; q++)
    ;
  if (!kw && q > e &&
      (isdig(at(L, q)) || (at(L, q) == '.' && isdig(at(L, q + 1)))) &&
      unit_is_currency(L->s + p, e - p)) {                  /* EUR 3M */
    char code[80];
    size_t nc = e - p < 78 ? e - p : 78;
    code[0] = ' ';
    memcpy(code + 1, L->s + p, nc);
    L->p = q;
    read_money(L, p, ctx_cat(L->C, code, nc + 1, NULL, 0), nc + 1);
    return;
  }
  L->p = e;
  push(L, kw ? kw : TK_NAME, p, L->line, 0, 0);
}

/* Brackets are matched here so the parser can look past a parenthesis. */
static void open_bracket(Lx *L) {
  Lexed *X = L->X;
  ctx_grow(L->C, (void **)&X->stack, &X->capstack, sizeof(uint32_t),
           L->nstack + 1);
  X->stack[L->nstack++] = (uint32_t)(X->ntoks - 1);
}

static void close_bracket(Lx *L, int open) {
  Lexed *X = L->X;
  if (L->nstack > 0 && X->toks[X->stack[L->nstack - 1]].type == open) {
    X->toks[X->stack[--L->nstack]].aux = (uint32_t)(X->ntoks - 1);
  }
}

/* Two-character symbols: first char c, alternatives in pairs. */
static int symbol(Lx *L) {
  int c = at(L, L->p), d = at(L, L->p + 1);
  static const struct { char a, b; int t; } two[] = {
    {'=', '=', TK_EQ}, {'<', '=', TK_LE}, {'<', '<', TK_SHL},
    {'>', '=', TK_GE}, {'>', '>', TK_SHR}, {'/', '/', TK_IDIV},
    {'~', '=', TK_NE}, {':', ':', TK_DBCOLON}
  };
  size_t i;
  for (i = 0; i < sizeof two / sizeof two[0]; i++)
    if (c == two[i].a && d == two[i].b) {
      L->p += 2;
      return two[i].t;
    }
  L->p++;
  return c;
}

static void read_dot(Lx *L) {
  size_t p = L->p;
  if (at(L, p + 1) == '.') {
    int three = at(L, p + 2) == '.';
    L->p += three ? 3 : 2;
    push(L, three ? TK_DOTS : TK_CONCAT, p, L->line, 0, 0);
  } else if (isdig(at(L, p + 1))) {
    read_numeral(L);
  } else {
    L->p++;
    push(L, '.', p, L->line, 0, 0);
  }
}

static void read_bracket(Lx *L) {
  size_t p = L->p, sep = long_sep(L, p);
  uint32_t nl, line = L->line;
  if (sep >= 2) {
    read_long(L, sep, 0, &nl);
    push(L, TK_STRING, p, line, nl, 0);
    L->line += nl;
  } else if (sep == 0) {
    ctx_error(L->C, p, "invalid long string delimiter near '%.*s'",
              (int)(long_sep(L, p) == 0 ? 2 : 1), L->s + p);
  } else {
    L->p++;
    push(L, '[', p, line, 0, 0);
    open_bracket(L);
  }
}

static void read_other(Lx *L) {
  size_t p = L->p;
  int c = at(L, p), t;
  if (c == '$') {
    int d = at(L, p + 1);
    if (!isdig(d) && !(d == '.' && isdig(at(L, p + 2))))
      ctx_error(L->C, p, "unexpected '$' (money is written $21B or $0.06/kWh)");
    L->p++;
    read_money(L, p, " $", 2);
    return;
  }
  if (!strchr("+-*/%^#&~|<>=(){}[];:,", c))
    ctx_error(L->C, p, c >= 32 && c < 127 ? "unexpected symbol near '%c'"
                                          : "unexpected symbol near '<\\%d>'",
              c);
  t = symbol(L);
  push(L, t, p, L->line, 0, 0);
  if (t == '(' || t == '{') open_bracket(L);
  else if (t == ')') close_bracket(L, '(');
  else if (t == ']') close_bracket(L, '[');
  else if (t == '}') close_bracket(L, '{');
}

static void lex_token(Lx *L) {
  int c = at(L, L->p);
  if (c == '\n' || c == '\r') newline(L);
  else if (isblank_(c)) L->p++;
  else if (c == '-' && at(L, L->p + 1) == '-') read_comment(L);
  else if (c == '[') read_bracket(L);
  else if (c == '"' || c == '\'') read_string(L);
  else if (c == '.') read_dot(L);
  else if (isdig(c)) read_numeral(L);
  else if (isalpha_(c)) read_name(L);
  else read_other(L);
}

void lex_all(Ctx *C, Lexed *X) {
  Lx L;
  const char *nul = memchr(C->src, '\0', C->len);
  memset(&L, 0, sizeof L);
  L.C = C;
  L.X = X;
  L.s = C->src;
  L.n = C->len;
  L.line = 1;
  if (nul != NULL) ctx_error(C, (size_t)(nul - C->src), "unexpected NUL byte");
  if (C->len > 0x7fffffffu) ctx_error(C, 0, "source too large");
  /* one token per ~4 source bytes is typical: grow once, not log n times */
  ctx_grow(C, (void **)&X->toks, &X->captoks, sizeof(Tok), C->len / 4 + 16);
  prescan_units(C, X);
  if (at(&L, 0) == '#')                   /* "#!" line: dropped, not its \n */
    while (L.p < L.n && L.s[L.p] != '\n' && L.s[L.p] != '\r') L.p++;
  L.gapstart = L.p;
  L.dirty = L.p > 0;
  while (L.p < L.n) lex_token(&L);
  push(&L, TK_EOF, L.p, L.line, 0, 0);
}

void lex_free(Ctx *C, Lexed *X) {
  ctx_free_array(C, X->toks, X->captoks, sizeof(Tok));
  ctx_free_array(C, X->strs, X->capstrs, sizeof(Str));
  ctx_free_array(C, X->stack, X->capstack, sizeof(uint32_t));
  ctx_free_array(C, X->units, X->capunits, sizeof(Str));
}
