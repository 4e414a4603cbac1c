/*
** vm/samples.c
** Uncertain values: N samples in C, combined element by element.
**
** A `samples` userdata holds the doubles (in BASE units, like num's mpq),
** the Dim, a boolean flag (uncertain conditions are 0/1 samples), an input
** id and the set of input ids it depends on (for sensitivity). User values:
** 1 = display unit text (as num), 2 = sorted copy (made once, on the first
** quantile, then shared by every statistic), 3 = a label for inputs
** ("20k to 40k"). The arrays live inside the userdata, so the memory limit
** of the counting allocator applies and nothing leaks on errors.
** The kernels are in dist.c; this file is the Lua binding. See
** docs/uncertainty.md for the language-level rules.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "arith.h"
#include "defaults.h"
#include "dist.h"
#include "host.h"
#include "numlib.h"
#include "registry.h"
#include "rng.h"
#include "samples.h"
#include "units.h"

#define DEPBITS 2048               /* input ids tracked for sensitivity */

typedef struct Samples {
  size_t n;
  Dim dim;
  unsigned char isbool;            /* an uncertain condition: 0/1 */
  unsigned char autop;             /* display unit chosen by us */
  unsigned char combined;          /* used in arithmetic: correlate refuses */
  unsigned id;                     /* input id (constructors); 0 if derived */
  uint64_t deps[DEPBITS / 64];     /* inputs this value depends on */
  double v[];
} Samples;

/* Per-state Monte Carlo context: the one generator and the id counter. */
typedef struct MC {
  deal_rng rng;
  unsigned next_id;
} MC;

/* {====== basics ====== */
static MC *mc(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, REG_MC);
  MC *m = lua_touserdata(L, -1);
  lua_pop(L, 1);                   /* anchored in the registry */
  if (!m) luaL_error(L, "uncertain values are not initialised");
  return m;
}

static Samples *stest(lua_State *L, int i) { return luaL_testudata(L, i, SAMPLES_MT); }

/* Sample count for new values: --samples or deal.samples(N). */
static size_t count(lua_State *L) {
  long n = host_options(L)->samples;
  return n >= 1 && n <= DEAL_MAX_SAMPLES ? (size_t)n : (size_t)DEAL_DEFAULT_SAMPLES;
}

/* A new samples userdata of n values (uninitialised), pushed. Sample
** arrays live in GC-owned userdata (the memory limit applies). Huge pages
** were tried (madvise): with the usual THP defrag=madvise setting the
** fault path compacts memory and made 10M-sample runs slower and erratic,
** so arrays take the ordinary path. */
static Samples *snew(lua_State *L, size_t n) {
  if (n < 1 || n > (size_t)DEAL_MAX_SAMPLES)
    luaL_error(L, "sample count %d out of range (1 to " DEAL_MAX_SAMPLES_TEXT ")", (int)n);
  Samples *s = lua_newuserdatauv(L, offsetof(Samples, v) + n * sizeof(double), 3);
  memset(s, 0, offsetof(Samples, v));
  s->n = n;
  luaL_setmetatable(L, SAMPLES_MT);
  return s;
}

/* Display text of a num or samples (user value 1), NULL when none. */
static const char *disp(lua_State *L, int i) {
  const char *d = NULL;
  if (lua_type(L, i) != LUA_TUSERDATA) return NULL;
  if (lua_getiuservalue(L, i, 1) == LUA_TSTRING) d = lua_tostring(L, -1);
  lua_pop(L, 1);                   /* still anchored by the userdata */
  return d;
}

static int autop_of(lua_State *L, int i) {
  Samples *s = stest(L, i);
  if (s) return s->autop;
  Num *n = num_test(L, i);
  return n ? n->autop : 0;
}

/* Copies the display unit of the value at `from` to the samples at `to`. */
static void copy_disp(lua_State *L, int to, int from) {
  to = lua_absindex(L, to);
  Samples *s = lua_touserdata(L, to);
  const char *d = disp(L, from);
  if (d) { lua_pushstring(L, d); lua_setiuservalue(L, to, 1); }
  s->autop = (unsigned char)autop_of(L, from);
}

static void set_disp(lua_State *L, int to, const char *text) {
  to = lua_absindex(L, to);
  Samples *s = lua_touserdata(L, to);
  if (text && *text) { lua_pushstring(L, text); lua_setiuservalue(L, to, 1); s->autop = 1; }
}

static void deps_or(Samples *r, const Samples *a) {
  if (!a) return;
  for (int k = 0; k < DEPBITS / 64; k++) r->deps[k] |= a->deps[k];
}

static int deps_has(const Samples *s, unsigned id) {
  return id > 0 && id < DEPBITS && (s->deps[id / 64] >> (id % 64)) & 1;
}

/* A fresh input: new id, registered (weakly) for sensitivity, labelled. */
static Samples *input_new(lua_State *L, size_t n, const Dim *d, const char *label) {
  MC *m = mc(L);
  Samples *s = snew(L, n);
  if (d) s->dim = *d;
  s->id = ++m->next_id;
  if (s->id < DEPBITS) s->deps[s->id / 64] |= (uint64_t)1 << (s->id % 64);
  lua_pushstring(L, label ? label : "input");
  lua_setiuservalue(L, -2, 3);
  if (s->id < DEPBITS) {
    lua_getfield(L, LUA_REGISTRYINDEX, REG_INPUTS);
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, s->id);
    lua_pop(L, 1);
  }
  return s;
}

static void dist_check(lua_State *L, const char *fname, int st) {
  if (st != DIST_OK) luaL_error(L, "%s: %s", fname, dist_strerror(st));
}

/* NaN or an infinity in the samples r just made is an error here, at the
** operation that made them (what: "'/'", "sqrt", "a to b"), with the
** count of bad samples and the likely cause of each kind (whynan,
** whyinf): downstream they would print as "≈ inf" or drop out of P(...)
** unseen. The test is one cheap pass (dist_allfinite); only a failure
** counts. */
static void check_finite(lua_State *L, const Samples *r, const char *what,
                         const char *whynan, const char *whyinf) {
  if (r->isbool || dist_allfinite(r->v, r->n)) return;
  size_t nan = dist_count_nan(r->v, r->n), bad = 0;
  for (size_t i = 0; i < r->n; i++) bad += !isfinite(r->v[i]);
  const char *kind = nan == 0 ? "infinite" : nan == bad ? "NaN" : "infinite or NaN";
  if (nan == bad) whyinf = NULL;
  if (nan == 0 || (whyinf && strstr(whyinf, whynan))) whynan = NULL;
  luaL_error(L, "%s: %d of %d samples are %s (%s%s%s)", what, (int)bad, (int)r->n, kind,
             whynan ? whynan : "", whynan && whyinf ? "; " : "", whyinf ? whyinf : "");
}
#define BEYOND "beyond 1.8e308"

static void same_n(lua_State *L, size_t a, size_t b) {
  if (a != b)
    luaL_error(L, "uncertain values with different sample counts (%d and %d): "
               "deal.samples(N) changed between them", (int)a, (int)b);
}
/* }====== */

/* {====== operands: a samples or an exact value ====== */
typedef struct Opnd {
  Samples *s;       /* NULL: exact, value c */
  double c;
  Dim dim;
  int zero;         /* a plain exact zero: meets any dimension in + - < */
} Opnd;

/* Reads operand i; `logic` accepts any Lua value by its truth. */
static void opnd(lua_State *L, int i, Opnd *o, int logic) {
  memset(o, 0, sizeof *o);
  if ((o->s = stest(L, i)) != NULL) { o->dim = o->s->dim; return; }
  Num *n = num_test(L, i);
  if (logic) { o->c = lua_toboolean(L, i); return; }
  if (n) { o->c = mpq_get_d(n->q); o->dim = n->dim; }
  else if (lua_type(L, i) == LUA_TNUMBER) o->c = lua_tonumber(L, i);
  else if (lua_type(L, i) == LUA_TBOOLEAN) o->c = lua_toboolean(L, i);
  else luaL_error(L, "attempt to perform arithmetic on a %s value (with an uncertain value)",
                  luaL_typename(L, i));
  o->zero = arith_isplainzero(L, i);
}

/* Double of a plain exact argument (Lua number or dimensionless num). */
static double plain_arg(lua_State *L, int i, const char *fname, const char *what) {
  Num *n = num_test(L, i);
  if (n) {
    if (!dim_iszero(&n->dim))
      luaL_error(L, "%s: %s must be a plain number, got %s", fname, what, luaL_tolstring(L, i, NULL));
    return mpq_get_d(n->q);
  }
  if (lua_type(L, i) == LUA_TNUMBER) return lua_tonumber(L, i);
  if (stest(L, i)) luaL_error(L, "%s: %s must be an exact value, got an uncertain one", fname, what);
  return luaL_error(L, "%s: %s must be a number, got %s", fname, what, luaL_typename(L, i));
}

/* Double and dimension of an exact argument (number or quantity). */
static double qty_arg(lua_State *L, int i, const char *fname, const char *what, Dim *d) {
  memset(d, 0, sizeof *d);
  Num *n = num_test(L, i);
  if (n) { *d = n->dim; return mpq_get_d(n->q); }
  return plain_arg(L, i, fname, what);
}

/* }====== */

/* {====== lifted arithmetic ====== */
/* r = a OP b for n elements; a or b NULL means the constant ca or cb. */
#define LOOP(EXPR) do { \
    if (a && b) for (size_t i = 0; i < n; i++) { double x = a[i], y = b[i]; r[i] = (EXPR); } \
    else if (a) for (size_t i = 0; i < n; i++) { double x = a[i], y = cb; r[i] = (EXPR); } \
    else for (size_t i = 0; i < n; i++) { double x = ca, y = b[i]; r[i] = (EXPR); } \
  } while (0)

static double lmod(double x, double y) {
  double m = fmod(x, y);
  if (m != 0 && (m > 0) != (y > 0)) m += y;   /* Lua's rule: the sign of y */
  return m;
}

static void kernel(int op, const double *a, double ca, const double *b, double cb, double *r, size_t n) {
  switch (op) {
    case LUA_OPADD: LOOP(x + y); break;
    case LUA_OPSUB: LOOP(x - y); break;
    case LUA_OPMUL: LOOP(x * y); break;
    case LUA_OPDIV: LOOP(x / y); break;
    case LUA_OPMOD: LOOP(lmod(x, y)); break;
    case LUA_OPIDIV: LOOP(floor(x / y)); break;
    case LUA_OPPOW:
      if (!b && cb == 2) { for (size_t i = 0; i < n; i++) r[i] = a[i] * a[i]; }
      else if (!b && cb == 0.5) { for (size_t i = 0; i < n; i++) r[i] = sqrt(a[i]); }
      else LOOP(pow(x, y));
      break;
    case LUA_OPUNM: for (size_t i = 0; i < n; i++) r[i] = -a[i]; break;
    case SOP_EQ: LOOP((double)(x == y)); break;
    case SOP_LT: LOOP((double)(x < y)); break;
    case SOP_LE: LOOP((double)(x <= y)); break;
    case SOP_AND: LOOP((double)((x != 0 && x == x) && (y != 0 && y == y))); break;
    case SOP_OR: LOOP((double)((x != 0 && x == x) || (y != 0 && y == y))); break;
    case SOP_NOT: for (size_t i = 0; i < n; i++) r[i] = !(a[i] != 0 && a[i] == a[i]); break;
  }
}

/* Result dimension and display for op; raises on a unit mismatch. Sets
** *dispfrom to the operand whose display the result copies (0: computed
** into text). */
static void result_unit(lua_State *L, int op, Opnd *a, Opnd *b, Dim *d, int *from,
                        char *text, size_t tn) {
  memset(d, 0, sizeof *d);
  *from = 0; text[0] = '\0';
  switch (op) {
    case LUA_OPADD: case LUA_OPSUB: case LUA_OPMOD: case LUA_OPIDIV:
    case SOP_EQ: case SOP_LT: case SOP_LE: {
      int pz = op == LUA_OPADD || op == LUA_OPSUB || op == SOP_LT || op == SOP_LE || op == SOP_EQ;
      if (!dim_eq(&a->dim, &b->dim) && !(pz && (a->zero || b->zero))) {
        if (op == SOP_EQ) return;        /* different kinds are never equal: all 0 */
        units_mismatch(L, arith_opverb(op), arith_opsym(op), 1, 2);
      }
      if (op >= SOP_EQ || op == LUA_OPIDIV) return;
      *d = a->zero && !a->s ? b->dim : a->dim;
      *from = a->zero && !a->s ? 2 : 1;
      return;
    }
    case LUA_OPUNM: *d = a->dim; *from = 1; return;
    case LUA_OPMUL: case LUA_OPDIV: {
      int s = op == LUA_OPMUL ? 1 : -1;
      arith_dim(L, d, &a->dim, &b->dim, s);
      units_combine(&a->dim, disp(L, 1), &b->dim, disp(L, 2), s, d, text, tn);
      return;
    }
    case LUA_OPPOW: {
      if (!dim_iszero(&b->dim))
        luaL_error(L, "cannot raise to a power with a unit: %s ^ %s",
                   luaL_tolstring(L, 1, NULL), luaL_tolstring(L, 2, NULL));
      if (dim_iszero(&a->dim)) return;
      if (b->s || b->c != floor(b->c) || fabs(b->c) > 127)
        luaL_error(L, "cannot raise %s to a non-integer power", luaL_tolstring(L, 1, NULL));
      int e = (int)b->c;
      arith_dim(L, d, &a->dim, NULL, e);
      if (!dim_iszero(d)) units_combine(&a->dim, disp(L, 1), NULL, NULL, e, d, text, tn);
      return;
    }
  }
}

/* The arith hook: the values at 1 and 2 (at least one samples). */
static int s_arith(lua_State *L, int op) {
  Opnd a, b;
  Dim d;
  int from;
  char text[160];
  lua_settop(L, 2);
  int logic = op == SOP_NOT || op == SOP_AND || op == SOP_OR;
  if (op == SOP_NE) {                    /* not ==, per sample */
    s_arith(L, SOP_EQ);
    lua_replace(L, 1);
    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    return s_arith(L, SOP_NOT);
  }
  opnd(L, 1, &a, logic);
  opnd(L, 2, &b, logic);
  if (a.s && b.s) same_n(L, a.s->n, b.s->n);
  size_t n = a.s ? a.s->n : b.s->n;
  memset(&d, 0, sizeof d);
  from = 0;
  text[0] = '\0';
  if (!logic) result_unit(L, op, &a, &b, &d, &from, text, sizeof text);
  if ((op == LUA_OPDIV || op == LUA_OPMOD || op == LUA_OPIDIV) && !b.s && b.c == 0)
    return luaL_error(L, "attempt to divide by zero");
  Samples *r = snew(L, n);
  r->dim = d;
  if (a.s) a.s->combined = 1;
  if (b.s) b.s->combined = 1;
  deps_or(r, a.s);
  deps_or(r, b.s);
  if (op == SOP_EQ && !dim_eq(&a.dim, &b.dim) && !a.zero && !b.zero)
    memset(r->v, 0, n * sizeof(double));
  else
    kernel(op, a.s ? a.s->v : NULL, a.c, b.s ? b.s->v : NULL, b.c, r->v, n);
  r->isbool = op >= SOP_EQ;
  if (!r->isbool) {
    char what[8];
    snprintf(what, sizeof what, "'%s'", arith_opsym(op));
    int div = op == LUA_OPDIV || op == LUA_OPIDIV || op == LUA_OPMOD;
    check_finite(L, r, what,
                 div ? "division by zero" : op == LUA_OPPOW ? "a negative base with a fractional exponent"
                                                            : "an operand " BEYOND,
                 div ? "division by zero, or " BEYOND : BEYOND);
  }
  if (from) copy_disp(L, -1, from);
  else set_disp(L, -1, text);
  return 1;
}

/* Probability that the uncertain condition at i holds. */
static double s_prob(lua_State *L, int i) {
  Samples *s = stest(L, i);
  double p = 0;
  if (s) dist_prob(s->v, s->n, &p, NULL);
  return p;
}
/* }====== */

/* {====== constructors ====== */
/* Label "name(a, b)" from the arguments 1..k (tables shown as {…}). */
static void push_label(lua_State *L, const char *fname, int k) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, fname);
  luaL_addchar(&b, '(');
  for (int i = 1; i <= k; i++) {
    if (i > 1) luaL_addstring(&b, ", ");
    if (lua_istable(L, i)) luaL_addstring(&b, "{\xE2\x80\xA6}");
    else { luaL_tolstring(L, i, NULL); luaL_addvalue(&b); }
  }
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
}

/* Starts an input: label on the stack is consumed; display from disp_i. */
static Samples *begin(lua_State *L, const Dim *d, int disp_i) {
  const char *label = lua_tostring(L, -1);
  Samples *s = input_new(L, count(L), d, label);
  lua_remove(L, -2);
  if (disp_i) copy_disp(L, -1, disp_i);
  return s;
}

/* a to b: lognormal 90% interval when both ends are positive, else normal. */
static int s_range(lua_State *L) {
  Dim da, db;
  lua_settop(L, 2);
  if (stest(L, 1) || stest(L, 2))
    return luaL_error(L, "a to b: the ends must be exact values, got an uncertain one");
  double a = qty_arg(L, 1, "a to b", "the low end", &da);
  double b = qty_arg(L, 2, "a to b", "the high end", &db);
  if (!dim_eq(&da, &db) && !arith_isplainzero(L, 1) && !arith_isplainzero(L, 2))
    return units_mismatch(L, "make a range of", "to", 1, 2);
  if (a == b) { lua_settop(L, 1); return 1; }
  if (!(a < b))
    return luaL_error(L, "%s to %s: the low end must come first", luaL_tolstring(L, 1, NULL),
                      luaL_tolstring(L, 2, NULL));
  int from = arith_isplainzero(L, 1) && !dim_iszero(&db) ? 2 : 1;
  Dim d = from == 2 ? db : da;
  lua_pushfstring(L, "%s to %s", luaL_tolstring(L, 1, NULL), luaL_tolstring(L, 2, NULL));
  lua_remove(L, -2); lua_remove(L, -2);
  double mu, sd;
  int lognormal = a > 0 && b > 0;
  dist_check(L, "a to b", lognormal ? dist_lognormal_from_ci90(a, b, &mu, &sd)
                                    : dist_normal_from_ci90(a, b, &mu, &sd));
  Samples *s = begin(L, &d, from);
  MC *m = mc(L);
  dist_check(L, "a to b", lognormal ? dist_lognormal(&m->rng, mu, sd, s->v, s->n)
                                    : dist_normal(&m->rng, mu, sd, s->v, s->n));
  check_finite(L, s, "a to b", BEYOND, BEYOND);
  return 1;
}

static int s_to(lua_State *L) { return s_range(L); }

/* Replaces a table argument at 1 by its fields a and b when both exist. */
static int fields2(lua_State *L, const char *a, const char *b) {
  lua_settop(L, 1);
  lua_getfield(L, 1, a);
  lua_getfield(L, 1, b);
  if (lua_isnil(L, 2) || lua_isnil(L, 3)) return 0;
  lua_remove(L, 1);
  return 1;
}

/* Two parameters with one dimension (normal, lognormal, uniform): from
** positional args or table fields; kind: 0 = (a, b), 1 = {mean, sd},
** 2 = {p5, p95}, 3 = {mu, sigma}. Leaves the two values at 1 and 2 and
** pushes a label. */
static int two_params(lua_State *L, const char *fname, double *a, double *b, Dim *d) {
  static const char *const fa[] = {NULL, "mean", "p5", "mu"}, *const fb[] = {NULL, "sd", "p95", "sigma"};
  int kind = 0;
  Dim db;
  if (lua_istable(L, 1)) {
    if (fields2(L, "p5", "p95")) kind = 2;
    else if (fields2(L, "mean", "sd")) kind = 1;
    else if (fields2(L, "mu", "sigma")) kind = 3;
    else return luaL_error(L, "%s: expected (a, b) or a table {p5=, p95=} or {mean=, sd=}", fname);
  }
  lua_settop(L, 2);
  *a = qty_arg(L, 1, fname, kind ? fa[kind] : "the first parameter", d);
  *b = qty_arg(L, 2, fname, kind ? fb[kind] : "the second parameter", &db);
  if (kind == 3 && (!dim_iszero(d) || !dim_iszero(&db)))
    return luaL_error(L, "%s: mu and sigma are parameters of log(x): plain numbers", fname);
  if (!dim_eq(d, &db) && !arith_isplainzero(L, 1))
    return units_mismatch(L, "mix", ",", 1, 2);
  if (arith_isplainzero(L, 1)) *d = db;
  if (kind) lua_pushfstring(L, "%s{%s=%s, %s=%s}", fname, fa[kind], luaL_tolstring(L, 1, NULL),
                            fb[kind], luaL_tolstring(L, 2, NULL));
  else lua_pushfstring(L, "%s(%s, %s)", fname, luaL_tolstring(L, 1, NULL), luaL_tolstring(L, 2, NULL));
  lua_replace(L, 3);
  lua_settop(L, 3);
  return kind;
}

static int s_normal(lua_State *L) {
  double a, b, mu, sd;
  Dim d;
  int kind = two_params(L, "normal", &a, &b, &d);
  if (kind == 3) return luaL_error(L, "normal: use {mean=, sd=} or {p5=, p95=}");
  if (kind == 2) dist_check(L, "normal", dist_normal_from_ci90(a, b, &mu, &sd));
  else { mu = a; sd = b; }
  Samples *s = begin(L, &d, arith_isplainzero(L, 1) ? 2 : 1);
  dist_check(L, "normal", dist_normal(&mc(L)->rng, mu, sd, s->v, s->n));
  check_finite(L, s, "normal", BEYOND, BEYOND);
  return 1;
}

/* lognormal(mean, sd) of x itself, or {p5, p95}, {mean, sd}, {mu, sigma}. */
static int s_lognormal(lua_State *L) {
  double a, b, mu, sg;
  Dim d;
  int kind = two_params(L, "lognormal", &a, &b, &d);
  if (kind == 2) dist_check(L, "lognormal", dist_lognormal_from_ci90(a, b, &mu, &sg));
  else if (kind == 3) { mu = a; sg = b; }
  else dist_check(L, "lognormal", dist_lognormal_from_meansd(a, b, &mu, &sg));
  Samples *s = begin(L, &d, 1);
  dist_check(L, "lognormal", dist_lognormal(&mc(L)->rng, mu, sg, s->v, s->n));
  check_finite(L, s, "lognormal", BEYOND, BEYOND);
  return 1;
}

static int s_uniform(lua_State *L) {
  double a, b;
  Dim d;
  lua_settop(L, 2);
  if (two_params(L, "uniform", &a, &b, &d)) return luaL_error(L, "uniform: expected (low, high)");
  dist_check(L, "uniform", a < b ? DIST_OK : DIST_EBOUNDS);
  Samples *s = begin(L, &d, arith_isplainzero(L, 1) ? 2 : 1);
  dist_check(L, "uniform", dist_uniform(&mc(L)->rng, a, b, s->v, s->n));
  check_finite(L, s, "uniform", BEYOND, BEYOND);
  return 1;
}

/* Three parameters of one dimension: triangular and pert. */
static void three_params(lua_State *L, const char *fname, double *v, Dim *d) {
  Dim di[3];
  static const char *const what[] = {"the low end", "the mode", "the high end"};
  for (int i = 0; i < 3; i++) v[i] = qty_arg(L, i + 1, fname, what[i], &di[i]);
  int ref = arith_isplainzero(L, 1) ? (arith_isplainzero(L, 2) ? 3 : 2) : 1;
  *d = di[ref - 1];
  for (int i = 1; i <= 3; i++)
    if (!dim_eq(&di[i - 1], d) && !arith_isplainzero(L, i)) units_mismatch(L, "mix", ",", ref, i);
}

static int tri_or_pert(lua_State *L, int pert) {
  const char *fname = pert ? "pert" : "triangular";
  double v[3], lambda = 4;
  Dim d;
  if (pert && !lua_isnoneornil(L, 4)) lambda = plain_arg(L, 4, fname, "lambda");
  lua_settop(L, 3);
  three_params(L, fname, v, &d);
  push_label(L, fname, 3);
  int ref = arith_isplainzero(L, 1) ? (arith_isplainzero(L, 2) ? 3 : 2) : 1;
  Samples *s = begin(L, &d, ref);
  MC *m = mc(L);
  dist_check(L, fname, pert ? dist_pert(&m->rng, v[0], v[1], v[2], lambda, s->v, s->n)
                            : dist_triangular(&m->rng, v[0], v[1], v[2], s->v, s->n));
  check_finite(L, s, fname, BEYOND, BEYOND);
  return 1;
}
static int s_triangular(lua_State *L) { return tri_or_pert(L, 0); }
static int s_pert(lua_State *L) { return tri_or_pert(L, 1); }

static int s_beta(lua_State *L) {
  double a = plain_arg(L, 1, "beta", "alpha"), b = plain_arg(L, 2, "beta", "beta");
  lua_settop(L, 2);
  push_label(L, "beta", 2);
  Samples *s = begin(L, NULL, 0);
  dist_check(L, "beta", dist_beta(&mc(L)->rng, a, b, s->v, s->n));
  return 1;
}

/* gamma(shape, scale): the scale carries the unit. */
static int s_gamma(lua_State *L) {
  Dim d;
  double k = plain_arg(L, 1, "gamma", "shape");
  double th = qty_arg(L, 2, "gamma", "scale", &d);
  lua_settop(L, 2);
  push_label(L, "gamma", 2);
  Samples *s = begin(L, &d, 2);
  dist_check(L, "gamma", dist_gamma(&mc(L)->rng, k, th, s->v, s->n));
  check_finite(L, s, "gamma", BEYOND, BEYOND);
  return 1;
}

static int s_chance(lua_State *L) {
  double p = plain_arg(L, 1, "chance", "the probability");
  lua_settop(L, 1);
  push_label(L, "chance", 1);
  Samples *s = begin(L, NULL, 0);
  s->isbool = 1;
  dist_check(L, "chance", dist_bernoulli(&mc(L)->rng, p, s->v, s->n));
  return 1;
}

/* The values of a list/dict argument gathered as doubles with one unit.
** Used by discrete (pairs) and samples (a list). */
typedef struct Gather {
  double *val, *w;
  size_t k;
  Dim dim;
  int isbool, dispidx;
} Gather;

/* Value at the top into g (at slot j): all values share the first one's
** dimension; the first with a unit is kept at `keep` for its display. */
static void gather_one(lua_State *L, Gather *g, size_t j, const char *fname, int keep) {
  Dim d;
  int top = lua_gettop(L);
  if (lua_type(L, top) == LUA_TBOOLEAN) {
    if (j > 0 && !g->isbool) luaL_error(L, "%s: cannot mix true/false with numbers", fname);
    g->isbool = 1;
    g->val[j] = lua_toboolean(L, top);
    return;
  }
  if (g->isbool) luaL_error(L, "%s: cannot mix true/false with numbers", fname);
  g->val[j] = qty_arg(L, top, fname, "each value", &d);
  if (j == 0) g->dim = d;
  else if (!dim_eq(&g->dim, &d))
    luaL_error(L, "%s: values of different kinds (%s is not like the first value)", fname,
               luaL_tolstring(L, top, NULL));
  if (keep && !g->dispidx && !dim_iszero(&d)) {
    lua_pushvalue(L, top);
    lua_replace(L, keep);
    g->dispidx = keep;
  }
}

/* Sorts pairs by value (then weight): a dict has no order of its own. */
static void sort_pairs(double *v, double *w, size_t k) {
  for (size_t i = 1; i < k; i++)
    for (size_t j = i; j > 0 && (v[j] < v[j - 1] || (v[j] == v[j - 1] && w[j] < w[j - 1])); j--) {
      double t = v[j]; v[j] = v[j - 1]; v[j - 1] = t;
      t = w[j]; w[j] = w[j - 1]; w[j - 1] = t;
    }
}

/* discrete{ {v, w}, ... } or discrete{[v] = w, ...}. Stack: 1 table, 2 a
** value with the display unit, 3 scratch userdata. */
static int s_discrete(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_pushnil(L);                                        /* 2: display holder */
  size_t k = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) { k++; lua_pop(L, 1); }
  if (k == 0) return luaL_error(L, "discrete: needs at least one value");
  if (k > 1000000) return luaL_error(L, "discrete: too many values");
  Gather g;
  memset(&g, 0, sizeof g);
  g.val = lua_newuserdatauv(L, 2 * k * sizeof(double), 0);   /* 3 */
  g.w = g.val + k;
  int list = luaL_len(L, 1) == (lua_Integer)k;
  if (list) {
    lua_geti(L, 1, 1);
    list = lua_istable(L, -1);
    lua_pop(L, 1);
  }
  if (list) {                             /* {{v, w}, ...} in list order */
    for (size_t i = 0; i < k; i++) {
      if (lua_geti(L, 1, (lua_Integer)i + 1) != LUA_TTABLE)
        return luaL_error(L, "discrete: each item must be {value, weight}");
      lua_geti(L, -1, 2);
      g.w[i] = plain_arg(L, lua_gettop(L), "discrete", "each weight");
      lua_pop(L, 1);
      lua_geti(L, -1, 1);
      gather_one(L, &g, i, "discrete", 2);
      lua_pop(L, 2);
    }
  } else {                                /* {[v] = w}: sorted, for determinism */
    size_t j = 0;
    lua_pushnil(L);
    while (lua_next(L, 1)) {
      g.w[j] = plain_arg(L, lua_gettop(L), "discrete", "each weight");
      lua_pushvalue(L, -2);
      gather_one(L, &g, j++, "discrete", 2);
      lua_pop(L, 2);
    }
    sort_pairs(g.val, g.w, k);
  }
  lua_pushliteral(L, "discrete{\xE2\x80\xA6}");
  Samples *s = begin(L, &g.dim, g.dispidx);
  s->isbool = (unsigned char)g.isbool;
  dist_check(L, "discrete", dist_discrete(&mc(L)->rng, g.w, g.val, k, s->v, s->n));
  check_finite(L, s, "discrete", BEYOND, BEYOND);
  return 1;
}

/* samples{...}: data as an uncertain value. A list of exactly N values is
** taken in order (paired data stays paired); otherwise it is resampled. */
static int s_empirical(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_pushnil(L);                                        /* 2: display holder */
  size_t m = (size_t)luaL_len(L, 1);
  if (m == 0) return luaL_error(L, "samples: needs at least one value");
  if (m > (size_t)DEAL_MAX_SAMPLES) return luaL_error(L, "samples: too many values");
  Gather g;
  memset(&g, 0, sizeof g);
  g.val = lua_newuserdatauv(L, m * sizeof(double), 0);  /* 3 */
  for (size_t i = 0; i < m; i++) {
    lua_geti(L, 1, (lua_Integer)i + 1);
    gather_one(L, &g, i, "samples", 2);
    lua_pop(L, 1);
  }
  lua_pushfstring(L, "samples{%d values}", (int)m);
  Samples *s = begin(L, &g.dim, g.dispidx);
  s->isbool = (unsigned char)g.isbool;
  if (m == s->n) memcpy(s->v, g.val, m * sizeof(double));
  else dist_check(L, "samples", dist_empirical(&mc(L)->rng, g.val, m, s->v, s->n));
  check_finite(L, s, "samples", BEYOND, BEYOND);
  return 1;
}

/* mixture({x, y, ...}, {w1, w2, ...}): per sample, one component chosen by
** weight (equal weights when omitted). Exact components are point masses. */
static int s_mixture(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  size_t k = (size_t)luaL_len(L, 1), n = count(L);
  if (k == 0 || k > 1000) return luaL_error(L, "mixture: needs 1 to 1000 components");
  double *w = lua_newuserdatauv(L, k * sizeof(double), 0);              /* 3 */
  const double **comps = lua_newuserdatauv(L, k * sizeof(double *), 0); /* 4 */
  lua_createtable(L, (int)k, 0);                                         /* 5 */
  int ref = 0, allbool = 1;
  Dim d;
  memset(&d, 0, sizeof d);
  for (size_t j = 0; j < k; j++) {
    if (lua_isnoneornil(L, 2)) w[j] = 1;
    else {
      lua_geti(L, 2, (lua_Integer)j + 1);
      w[j] = plain_arg(L, lua_gettop(L), "mixture", "each weight");
      lua_pop(L, 1);
    }
    lua_geti(L, 1, (lua_Integer)j + 1);
    int c = lua_gettop(L);
    Samples *s = stest(L, c);
    if (s) { same_n(L, s->n, n); allbool &= s->isbool; }
    else {
      Dim dc;
      double v = qty_arg(L, c, "mixture", "each component", &dc);
      allbool = 0;
      s = snew(L, n);                                             /* point mass */
      for (size_t i = 0; i < n; i++) s->v[i] = v;
      s->dim = dc;
      copy_disp(L, -1, c);
      lua_replace(L, c);
    }
    if (j == 0) d = s->dim;
    else if (!dim_eq(&d, &s->dim)) { lua_geti(L, 1, 1); lua_geti(L, 1, (lua_Integer)j + 1); units_mismatch(L, "mix", ",", -2, -1); }
    if (!ref && disp(L, c)) ref = (int)j + 1;
    comps[j] = s->v;
    lua_rawseti(L, 5, (lua_Integer)j + 1);
  }
  lua_pushliteral(L, "mixture(\xE2\x80\xA6)");
  Samples *r = begin(L, &d, 0);
  r->isbool = (unsigned char)allbool;
  for (size_t j = 0; j < k; j++) {
    lua_geti(L, 5, (lua_Integer)j + 1);
    Samples *c = lua_touserdata(L, -1);
    deps_or(r, c);
    c->combined = 1;
    if (ref == (int)j + 1) copy_disp(L, -2, -1);
    lua_pop(L, 1);
  }
  dist_check(L, "mixture", dist_mixture(&mc(L)->rng, comps, w, k, r->v, n));
  check_finite(L, r, "mixture", BEYOND, BEYOND);
  return 1;
}
/* }====== */

/* {====== statistics ====== */
/* The sorted copy of the samples at i (user value 2), made on first use. */
static const double *sorted(lua_State *L, int i) {
  i = lua_absindex(L, i);
  Samples *s = lua_touserdata(L, i);
  if (lua_getiuservalue(L, i, 2) == LUA_TUSERDATA) {
    const double *p = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return p;
  }
  lua_pop(L, 1);
  double *c = lua_newuserdatauv(L, s->n * sizeof(double), 0);
  memcpy(c, s->v, s->n * sizeof(double));
  dist_check(L, "sort", dist_sort(c, s->n));
  lua_setiuservalue(L, i, 2);
  return c;
}

/* Pushes v as an inexact num with the unit of the samples at i. */
static void push_figure(lua_State *L, int i, double v, const char *fname) {
  i = lua_absindex(L, i);
  Samples *s = lua_touserdata(L, i);
  Num *r = num_push(L);
  if (!num_fromdouble(v, r->q))
    luaL_error(L, "%s: the result is %s (some samples are not finite numbers)", fname,
               isnan(v) ? "not a number" : "infinite");
  r->dim = s->dim;
  r->exact = 0;
  const char *d = disp(L, i);
  if (d) num_setdisplay(L, -1, d, s->autop);
}

static double qsorted(lua_State *L, int i, double p) {
  Samples *s = lua_touserdata(L, i);
  double q;
  dist_check(L, "quantile", dist_quantile_sorted(sorted(L, i), s->n, p, &q));
  return q;
}

static double prob_arg(lua_State *L, int i, const char *fname) {
  double p = plain_arg(L, i, fname, "the probability");
  if (!(p >= 0 && p <= 1)) luaL_error(L, "%s: probability must be between 0 and 1", fname);
  return p;
}

/* The argument of a statistic: uncertain, or an exact number or quantity
** (its own mean, median...); a table or nil is an error, not an answer.
** Returns the samples, or NULL for an exact value. */
static Samples *stat_arg(lua_State *L, int i, const char *fname) {
  Samples *s = stest(L, i);
  if (!s && !num_test(L, i) && lua_type(L, i) != LUA_TNUMBER)
    luaL_error(L, "%s: expected a number, a quantity or an uncertain value, got %s", fname,
               lua_isnone(L, i) ? "nothing" : luaL_typename(L, i));
  return s;
}

static int s_mean(lua_State *L) {
  Samples *s = stat_arg(L, 1, "mean");
  if (!s) { lua_settop(L, 1); return 1; }
  double m;
  dist_check(L, "mean", dist_mean(s->v, s->n, &m));
  push_figure(L, 1, m, "mean");
  return 1;
}

static int s_median(lua_State *L) {
  if (!stat_arg(L, 1, "median")) { lua_settop(L, 1); return 1; }
  push_figure(L, 1, qsorted(L, 1, 0.5), "median");
  return 1;
}

/* quantile(x, p) or quantile(x, {p1, p2, ...}) -> as many values. */
/* Quantiles of a value whose sorted copy is not cached yet: radix select
** instead of a full sort (the reference model's p5/p50/p95 took 30 ms of a
** 60 ms run by sorting).
** Returns 0 when the sort path must be used (NaNs, a cached copy, many p). */
static int quantiles_by_select(lua_State *L, int i, const double *p, size_t k, double *out) {
  Samples *s = lua_touserdata(L, i);
  if (k > 8 || lua_getiuservalue(L, i, 2) == LUA_TUSERDATA) { lua_pop(L, 1); return 0; }
  lua_pop(L, 1);
  if (dist_count_nan(s->v, s->n) > 0) return 0;
  dist_check(L, "quantile", dist_quantiles_select(s->v, s->n, p, k, out));
  return 1;
}

static int s_quantile(lua_State *L) {
  int exact = !stat_arg(L, 1, "quantile");
  if (!exact && (lua_istable(L, 2) || lua_type(L, 2) == LUA_TNUMBER)) {
    double p[8], out[8];
    size_t k = lua_istable(L, 2) ? (size_t)luaL_len(L, 2) : 1;
    if (k >= 1 && k <= 8) {
      for (size_t j = 0; j < k; j++) {
        if (lua_istable(L, 2)) lua_geti(L, 2, (lua_Integer)j + 1); else lua_pushvalue(L, 2);
        p[j] = prob_arg(L, lua_gettop(L), "quantile");
        lua_pop(L, 1);
      }
      if (quantiles_by_select(L, 1, p, k, out)) {
        luaL_checkstack(L, (int)k + 4, "quantile");
        for (size_t j = 0; j < k; j++) push_figure(L, 1, out[j], "quantile");
        return (int)k;
      }
    }
  }
  if (lua_istable(L, 2)) {
    int k = (int)luaL_len(L, 2);
    luaL_checkstack(L, k + 4, "quantile");
    for (int j = 1; j <= k; j++) {
      lua_geti(L, 2, j);
      double p = prob_arg(L, lua_gettop(L), "quantile");
      lua_pop(L, 1);
      if (exact) lua_pushvalue(L, 1); else push_figure(L, 1, qsorted(L, 1, p), "quantile");
    }
    return k;
  }
  double p = prob_arg(L, 2, "quantile");
  if (exact) { lua_settop(L, 1); return 1; }
  push_figure(L, 1, qsorted(L, 1, p), "quantile");
  return 1;
}

static int s_ci(lua_State *L) {
  stat_arg(L, 1, "ci");
  double lv = lua_isnoneornil(L, 2) ? 0.9 : prob_arg(L, 2, "ci");
  if (!stest(L, 1)) { lua_settop(L, 1); lua_pushvalue(L, 1); return 2; }
  push_figure(L, 1, qsorted(L, 1, (1 - lv) / 2), "ci");
  push_figure(L, 1, qsorted(L, 1, (1 + lv) / 2), "ci");
  return 2;
}

static int s_sd(lua_State *L) {
  Samples *s = stat_arg(L, 1, "sd");
  if (!s) {                                  /* an exact value: 0, in its unit */
    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 1);
    return arith_op(L, LUA_OPSUB, 1);
  }
  double v = 0;
  if (s->n >= 2) dist_check(L, "sd", dist_sd(s->v, s->n, &v));
  push_figure(L, 1, v, "sd");
  return 1;
}

/* a < b by the value algebra (nums, numbers), in a fresh frame. */
static int cmp_lt(lua_State *L) { return arith_compare(L, LUA_OPLT); }

/* min/max: one uncertain argument -> its min/max; several with any
** uncertain -> per sample; otherwise math.min/max over exact values. */
static int minmax(lua_State *L, int ismax) {
  int k = lua_gettop(L);
  const char *fname = ismax ? "max" : "min";
  luaL_checkany(L, 1);
  Samples *s1 = stest(L, 1);
  if (k == 1 && s1) {
    double lo, hi;
    dist_check(L, fname, dist_minmax(s1->v, s1->n, &lo, &hi));
    push_figure(L, 1, ismax ? hi : lo, fname);
    return 1;
  }
  int anys = 0;
  for (int i = 1; i <= k; i++) anys |= stest(L, i) != NULL;
  if (!anys) {
    int best = 1;
    for (int i = 2; i <= k; i++) {
      lua_pushcfunction(L, cmp_lt);
      lua_pushvalue(L, ismax ? best : i);
      lua_pushvalue(L, ismax ? i : best);
      lua_call(L, 2, 1);
      if (lua_toboolean(L, -1)) best = i;
      lua_pop(L, 1);
    }
    lua_pushvalue(L, best);
    return 1;
  }
  lua_pushvalue(L, 1);                       /* accumulate pairwise */
  for (int i = 2; i <= k; i++) {
    int acc = lua_gettop(L);
    Opnd a, b;
    opnd(L, acc, &a, 0);
    opnd(L, i, &b, 0);
    if (!dim_eq(&a.dim, &b.dim)) {
      lua_pushvalue(L, acc); lua_pushvalue(L, i);
      units_mismatch(L, "compare", ",", -2, -1);
    }
    if (a.s && b.s) same_n(L, a.s->n, b.s->n);
    size_t n = a.s ? a.s->n : b.s->n;
    Samples *r = snew(L, n);
    r->dim = a.dim;
    deps_or(r, a.s); deps_or(r, b.s);
    if (a.s) a.s->combined = 1;
    if (b.s) b.s->combined = 1;
    const double *pa = a.s ? a.s->v : NULL, *pb = b.s ? b.s->v : NULL;
    double ca = a.c, cb = b.c, *rv = r->v;
    for (size_t j = 0; j < n; j++) {
      double x = pa ? pa[j] : ca, y = pb ? pb[j] : cb;
      rv[j] = ismax ? (y > x ? y : x) : (y < x ? y : x);
    }
    check_finite(L, r, fname, BEYOND, BEYOND);
    copy_disp(L, -1, disp(L, acc) ? acc : i);
    lua_replace(L, acc);
  }
  return 1;
}
static int s_min(lua_State *L) { return minmax(L, 0); }
static int s_max(lua_State *L) { return minmax(L, 1); }

/* P(b): the probability of an uncertain condition; 1 or 0 for true/false. */
static Samples *cond_arg(lua_State *L, int i, const char *fname) {
  Samples *s = stest(L, i);
  if (s && !s->isbool)
    luaL_error(L, "%s: needs a condition such as x > 5, got an uncertain number (%s)", fname,
               luaL_tolstring(L, i, NULL));
  if (!s && lua_type(L, i) != LUA_TBOOLEAN)
    luaL_error(L, "%s: needs a condition (true/false or uncertain), got %s", fname,
               lua_isnoneornil(L, i) ? "nothing" : luaL_tolstring(L, i, NULL));
  return s;
}

static int s_P(lua_State *L) {
  lua_remove(L, 1);                          /* P is a table with __call */
  Samples *s = cond_arg(L, 1, "P");
  if (!s) { lua_pushinteger(L, lua_toboolean(L, 1)); return 1; }
  double p;
  dist_check(L, "P", dist_prob(s->v, s->n, &p, NULL));
  lua_pushnumber(L, p);
  return 1;
}

static int s_Pse(lua_State *L) {
  Samples *s = cond_arg(L, 1, "P.se");
  double p, se = 0;
  if (s) dist_check(L, "P.se", dist_prob(s->v, s->n, &p, &se));
  lua_pushnumber(L, se);
  return 1;
}
/* }====== */

/* {====== what exporters read (samples.h) ====== */
int samples_view(lua_State *L, int i, SamplesView *out, int wantsorted) {
  Samples *s = stest(L, i);
  if (!s) return 0;
  out->n = s->n;
  out->v = s->v;
  out->dim = s->dim;
  out->isbool = s->isbool;
  out->nan = dist_count_nan(s->v, s->n);
  out->sorted = wantsorted && !s->isbool ? sorted(L, i) : NULL;
  return 1;
}

void samples_pushfigure(lua_State *L, int i, double v) {
  luaL_checkudata(L, i, SAMPLES_MT);
  push_figure(L, i, v, "tostring");
}
/* }====== */

/* {====== printing ====== */
/* "0.97", "0.00095", "0.9991": enough digits that a P below 1 never
** prints as 1 and a small P keeps two significant digits. */
static void push_prob(lua_State *L, double p) {
  char buf[32];
  if (p <= 0 || p >= 1) snprintf(buf, sizeof buf, "%d", p >= 1);
  else if (p < 0.01) snprintf(buf, sizeof buf, "%.2g", p);
  else {
    int d = 2;
    while (d < 6 && (p > 0.99 || p < 0.01)) {
      double scale = pow(10, d);
      if (round(p * scale) / scale < 1) break;
      d++;
    }
    snprintf(buf, sizeof buf, "%.*f", d, p);
  }
  lua_pushstring(L, buf);
}

static int s_fmtprob(lua_State *L) {
  push_prob(L, luaL_checknumber(L, 1));
  return 1;
}

/* Text of the figure v in the unit of samples i, 3 significant digits,
** without the "≈" mark (the caller puts one in front of everything). */
static const char *push_figtext(lua_State *L, int i, double v, const char *unit) {
  static const char *const sfx[] = {"", "k", "M", "B", "T"};
  i = lua_absindex(L, i);
  Samples *s = lua_touserdata(L, i);
  int k = 0;
  if (dim_iszero(&s->dim) && !disp(L, i))      /* plain: 499k, 1.2M as analysts write */
    while (k < 4 && fabs(v) >= 999.5) { v /= 1000; k++; }
  push_figure(L, i, v, "tostring");
  if (unit) num_setdisplay(L, -1, unit, 0);   /* the CI ends share the mean's unit */
  num_pushtext_sig(L, -1, 3);
  if (k) { lua_pushstring(L, sfx[k]); lua_concat(L, 2); }
  lua_remove(L, -2);
  const char *t = lua_tostring(L, -1);
  if (strncmp(t, "\xE2\x89\x88", 3) == 0) {
    lua_pushstring(L, t + 3 + (t[3] == ' '));
    lua_remove(L, -2);
  }
  return lua_tostring(L, -1);
}

/* The unit part of a figure (" chip" in "410k chip", "/chip/h" in
** "$1.17/chip/h"), or NULL. */
static const char *unit_suffix(const char *t) {
  const char *sp = strchr(t, ' ');
  if (t[0] == '$' || t[0] == '-') {           /* money: the rate's tail */
    const char *sl = strchr(t, '/');
    if (sl && (!sp || sl < sp)) return sl;
  }
  return sp;
}

/* "≈ 620k chip (90% CI 410k … 930k)"; "P ≈ 0.97" for conditions. */
static void push_text(lua_State *L, int i) {
  i = lua_absindex(L, i);
  Samples *s = lua_touserdata(L, i);
  if (s->isbool) {
    double p;
    dist_prob(s->v, s->n, &p, NULL);
    push_prob(L, p);
    lua_pushfstring(L, "P \xE2\x89\x88 %s", lua_tostring(L, -1));
    lua_remove(L, -2);
    return;
  }
  size_t nan = dist_count_nan(s->v, s->n);
  if (nan == s->n) { lua_pushliteral(L, "\xE2\x89\x88 nan (every sample is NaN)"); return; }
  const double *x = sorted(L, i);
  size_t m = s->n - nan;
  double mean, lo, hi;
  dist_mean(x, m, &mean);
  dist_quantile_sorted(x, m, 0.05, &lo);
  dist_quantile_sorted(x, m, 0.95, &hi);
  int top = lua_gettop(L);
  if (!isfinite(mean) || !isfinite(lo) || !isfinite(hi)) {
    lua_pushfstring(L, "\xE2\x89\x88 %f (90%% CI %f \xE2\x80\xA6 %f)", mean, lo, hi);
  } else {
    const char *tm = push_figtext(L, i, mean, NULL);
    if (x[0] == x[m - 1]) {
      lua_pushfstring(L, "\xE2\x89\x88 %s (all samples equal)", tm);
    } else {
      const char *um0 = unit_suffix(tm);
      const char *shared = um0 && um0[0] == ' ' ? lua_pushstring(L, um0 + 1) : NULL;   /* "GW" of "1.21 GW" */
      const char *ta = push_figtext(L, i, lo, shared), *tb = push_figtext(L, i, hi, shared);
      const char *um = unit_suffix(tm), *ua = unit_suffix(ta), *ub = unit_suffix(tb);
      int sa = um && ua && strcmp(um, ua) == 0, sb = um && ub && strcmp(um, ub) == 0;
      lua_pushfstring(L, "\xE2\x89\x88 %s (90%% CI %s", tm, "");
      lua_pushlstring(L, ta, sa ? (size_t)(ua - ta) : strlen(ta));
      lua_pushliteral(L, " \xE2\x80\xA6 ");
      lua_pushlstring(L, tb, sb ? (size_t)(ub - tb) : strlen(tb));
      lua_pushliteral(L, ")");
      lua_concat(L, 5);
    }
  }
  if (nan) { lua_pushfstring(L, ", %d NaN samples", (int)nan); lua_concat(L, 2); }
  lua_insert(L, top + 1);
  lua_settop(L, top + 1);
}

static int s_tostring(lua_State *L) {
  luaL_checkudata(L, 1, SAMPLES_MT);
  push_text(L, 1);
  return 1;
}

static int s_concat(lua_State *L) {
  for (int i = 1; i <= 2; i++) {
    if (stest(L, i)) { push_text(L, i); lua_replace(L, i); }
    else if (!lua_isstring(L, i)) { luaL_tolstring(L, i, NULL); lua_replace(L, i); }
  }
  lua_concat(L, 2);
  return 1;
}

static void print_text(lua_State *L) {
  lua_getglobal(L, "print");
  lua_insert(L, -2);
  lua_call(L, 1, 0);
}

/* Index of the first sorted value > v (binary search). */
static size_t upper(const double *x, size_t n, double v) {
  size_t lo = 0, hi = n;
  while (lo < hi) { size_t mid = lo + (hi - lo) / 2; if (x[mid] <= v) lo = mid + 1; else hi = mid; }
  return lo;
}

/* Horizontal bar of `len` eighths with Unicode blocks. */
static void add_bar(luaL_Buffer *b, int eighths) {
  static const char *const part[] = {"", "\xE2\x96\x8F", "\xE2\x96\x8E", "\xE2\x96\x8D",
    "\xE2\x96\x8C", "\xE2\x96\x8B", "\xE2\x96\x8A", "\xE2\x96\x89"};
  for (int k = 0; k < eighths / 8; k++) luaL_addstring(b, "\xE2\x96\x88");
  luaL_addstring(b, part[eighths % 8]);
}

/* Display width of UTF-8 text (code points). */
static int uwidth(const char *s) {
  int w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

/* hist(x [, bins]): prints bars over the 0.5%..99.5% range (tails go into
** the end bins, so one extreme sample does not flatten the picture). */
static int s_hist(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  int bins = (int)luaL_optinteger(L, 2, 16);
  luaL_argcheck(L, bins >= 1 && bins <= 200, 2, "bins must be between 1 and 200");
  lua_settop(L, 1);
  luaL_Buffer b;
  if (s->isbool) {
    double p;
    dist_prob(s->v, s->n, &p, NULL);
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "false ");
    add_bar(&b, (int)lround((1 - p) * 320));
    lua_pushfstring(L, " %d%%\ntrue  ", (int)lround((1 - p) * 100));
    luaL_addvalue(&b);
    add_bar(&b, (int)lround(p * 320));
    lua_pushfstring(L, " %d%%", (int)lround(p * 100));
    luaL_addvalue(&b);
    luaL_pushresult(&b);
    print_text(L);
    return 0;
  }
  size_t m = s->n - dist_count_nan(s->v, s->n);
  if (m == 0) return luaL_error(L, "hist: every sample is NaN");
  const double *x = sorted(L, 1);
  double lo, hi;
  dist_quantile_sorted(x, m, 0.005, &lo);
  dist_quantile_sorted(x, m, 0.995, &hi);
  if (!(lo < hi)) { lo = x[0]; hi = x[m - 1]; }
  if (!(lo < hi) || !isfinite(lo) || !isfinite(hi)) bins = 1;
  luaL_checkstack(L, bins + 8, "hist");
  size_t *cnt = lua_newuserdatauv(L, (size_t)bins * sizeof(size_t), 0);   /* 2 */
  size_t prev = 0, maxc = 1;
  for (int j = 0; j < bins; j++) {
    size_t up = j == bins - 1 ? m : upper(x, m, lo + (hi - lo) * (j + 1) / bins);
    cnt[j] = up - prev;
    prev = up;
    if (cnt[j] > maxc) maxc = cnt[j];
  }
  int labw = 0;                                 /* labels: the bins' lower edges */
  for (int j = 0; j < bins; j++) {
    const char *t = push_figtext(L, 1, j == 0 && isfinite(x[0]) ? x[0] : lo + (hi - lo) * j / bins, NULL);
    if (uwidth(t) > labw) labw = uwidth(t);
  }
  luaL_buffinit(L, &b);
  for (int j = 0; j < bins; j++) {
    const char *t = lua_tostring(L, 3 + j);
    for (int k = uwidth(t); k < labw; k++) luaL_addchar(&b, ' ');
    luaL_addstring(&b, t);
    luaL_addstring(&b, j == 0 ? " \xE2\x94\xA4" : " \xE2\x94\x82");
    add_bar(&b, (int)lround((double)cnt[j] / (double)maxc * 320));
    if (cnt[j]) {
      char pct[32];
      snprintf(pct, sizeof pct, " %.1f%%", 100.0 * (double)cnt[j] / (double)s->n);
      luaL_addstring(&b, pct);
    }
    if (j < bins - 1) luaL_addchar(&b, '\n');
  }
  luaL_pushresult(&b);
  print_text(L);
  return 0;
}
/* }====== */

/* {====== correlation and sensitivity ====== */
/* Target matrix from a number (all pairs) or a k x k table. */
static void read_target(lua_State *L, int i, size_t k, double *t) {
  for (size_t r = 0; r < k; r++)
    for (size_t c = 0; c < k; c++) {
      if (r == c) { t[r * k + c] = 1; continue; }
      if (!lua_istable(L, i)) { t[r * k + c] = plain_arg(L, i, "correlate", "the rank correlation"); continue; }
      if (lua_geti(L, i, (lua_Integer)r + 1) != LUA_TTABLE)
        luaL_error(L, "correlate: the matrix must be a table of %d rows", (int)k);
      lua_geti(L, -1, (lua_Integer)c + 1);
      t[r * k + c] = plain_arg(L, lua_gettop(L), "correlate", "each matrix entry");
      lua_pop(L, 2);
    }
}

/* correlate({a, b, ...}, rho or matrix): reorders the inputs in place so
** their rank correlation approaches the target (Iman-Conover; marginals
** unchanged). They must be fresh inputs, not yet combined. */
static int s_correlate(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  size_t k = (size_t)luaL_len(L, 1);
  if (k < 2 || k > 100) return luaL_error(L, "correlate: needs 2 to 100 uncertain inputs");
  double **cols = lua_newuserdatauv(L, k * sizeof(double *), 0);    /* 3 */
  double *t = lua_newuserdatauv(L, k * k * sizeof(double), 0);      /* 4 */
  size_t n = 0;
  luaL_checkstack(L, (int)k + 4, "correlate");
  for (size_t j = 0; j < k; j++) {
    lua_geti(L, 1, (lua_Integer)j + 1);
    Samples *s = stest(L, -1);
    if (!s) return luaL_error(L, "correlate: item %d is not uncertain (%s)", (int)j + 1,
                              luaL_tolstring(L, -1, NULL));
    if (!s->id) return luaL_error(L, "correlate: item %d is computed from other values; "
                                  "correlate the inputs it comes from", (int)j + 1);
    if (s->combined) return luaL_error(L, "correlate: item %d was already used in a calculation; "
                                       "correlate inputs right after creating them", (int)j + 1);
    if (j == 0) n = s->n; else same_n(L, n, s->n);
    for (size_t i = 0; i < j; i++)
      if (cols[i] == s->v) return luaL_error(L, "correlate: item %d appears twice", (int)j + 1);
    cols[j] = s->v;
  }
  read_target(L, 2, k, t);
  dist_check(L, "correlate", dist_iman_conover(&mc(L)->rng, cols, k, n, t));
  return (int)k;
}

/* Records value at `v` under `name` if it is an input of `out` not yet named. */
static void note_input(lua_State *L, const Samples *out, int v, const char *name, int names) {
  Samples *s = stest(L, v);
  if (!s || !deps_has(out, s->id) || s->n != out->n) return;
  if (lua_rawgeti(L, names, s->id) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, name); lua_setfield(L, -2, "name");
    lua_pushvalue(L, v); lua_setfield(L, -2, "value");
    lua_rawseti(L, names, s->id);
  } else lua_pop(L, 1);
}

/* A value found under `name`: an input, or a plain table of them (one
** level, the first 200 fields: rack.power). */
static void note_value(lua_State *L, const Samples *out, const char *name, int names) {
  int v = lua_gettop(L);
  if (stest(L, v)) { note_input(L, out, v, name, names); return; }
  if (!lua_istable(L, v)) return;
  if (lua_getmetatable(L, v)) { lua_pop(L, 1); return; }
  int seen = 0;
  lua_pushnil(L);
  while (lua_next(L, v)) {
    if (lua_type(L, -2) == LUA_TSTRING && stest(L, -1)) {
      lua_pushfstring(L, "%s.%s", name, lua_tostring(L, -2));
      note_input(L, out, lua_gettop(L) - 1, lua_tostring(L, -1), names);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (++seen >= 200) { lua_pop(L, 1); break; }
  }
}

/* Names for the inputs of out: the caller's locals and upvalues (all
** levels), then globals, then the inputs' own labels ("20k to 40k"). */
static void find_inputs(lua_State *L, const Samples *out, int names) {
  lua_Debug ar;
  for (int level = 1; level < 50 && lua_getstack(L, level, &ar); level++) {
    const char *nm;
    for (int i = 1; (nm = lua_getlocal(L, &ar, i)) != NULL; i++) {
      if (nm[0] != '(' && strncmp(nm, "__", 2) != 0) note_value(L, out, nm, names);
      lua_pop(L, 1);
    }
    lua_getinfo(L, "f", &ar);
    int f = lua_gettop(L);
    for (int i = 1; (nm = lua_getupvalue(L, f, i)) != NULL; i++) {
      if (nm[0] && strncmp(nm, "__", 2) != 0 && strcmp(nm, "_ENV") != 0) note_value(L, out, nm, names);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pushglobaltable(L);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING && stest(L, -1))
      note_input(L, out, lua_gettop(L), lua_tostring(L, -2), names);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, REG_INPUTS);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_getiuservalue(L, -1, 3);
    note_input(L, out, lua_gettop(L) - 1, lua_tostring(L, -1), names);
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

/* Name of out itself among the caller's locals and globals, for the title. */
static const char *out_name(lua_State *L, int out) {
  lua_Debug ar;
  const char *nm;
  if (lua_getstack(L, 1, &ar))
    for (int i = 1; (nm = lua_getlocal(L, &ar, i)) != NULL; i++) {
      int same = lua_rawequal(L, -1, out);
      lua_pop(L, 1);
      if (same && nm[0] != '(') return nm;
    }
  return NULL;
}

static void add_pad(luaL_Buffer *b, const char *s, int w) {
  luaL_addstring(b, s);
  for (int k = uwidth(s); k < w; k++) luaL_addchar(b, ' ');
}

/* sensitivity(out): which inputs move out most, by Spearman rank
** correlation (monotone effects of any shape, robust to heavy tails); the
** share column is rho^2 normalised, the usual "contribution to variance"
** reading. Prints a tornado and returns {{name=, rho=, share=}, ...}. */
static int s_sensitivity(lua_State *L) {
  Samples *out = luaL_checkudata(L, 1, SAMPLES_MT);
  int quiet = lua_toboolean(L, 2);
  lua_settop(L, 1);
  lua_newtable(L);                           /* 2: id -> {name, value} */
  find_inputs(L, out, 2);
  int found = 0, total = 0;                  /* inputs out still has in reach */
  lua_pushnil(L);
  while (lua_next(L, 2)) { found++; lua_pop(L, 1); }
  for (int w = 0; w < DEPBITS / 64; w++) total += __builtin_popcountll(out->deps[w]);
  lua_newtable(L);                           /* 3: result list */
  int k = 0;
  double tot = 0;
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    lua_getfield(L, -1, "value");
    Samples *in = lua_touserdata(L, -1);
    double rho = 0;
    if (in == out) rho = 1;
    else if (dist_spearman(in->v, out->v, out->n, &rho) == DIST_ENOMEM)   /* one sample: 0 */
      dist_check(L, "sensitivity", DIST_ENOMEM);
    if (isnan(rho)) rho = 0;
    lua_pop(L, 1);
    lua_pushnumber(L, rho);
    lua_setfield(L, -2, "rho");
    lua_pushvalue(L, -1);
    lua_rawseti(L, 3, ++k);
    tot += rho * rho;
    lua_pop(L, 1);
  }
  for (int i = 2; i <= k; i++)              /* insertion sort by |rho|, then name */
    for (int j = i; j > 1; j--) {
      lua_rawgeti(L, 3, j); lua_rawgeti(L, 3, j - 1);
      lua_getfield(L, -2, "rho"); lua_getfield(L, -2, "rho");
      double a = fabs(lua_tonumber(L, -2)), b = fabs(lua_tonumber(L, -1));
      lua_pop(L, 2);
      lua_getfield(L, -2, "name"); lua_getfield(L, -2, "name");
      int swap = a > b || (a == b && strcmp(lua_tostring(L, -2), lua_tostring(L, -1)) < 0);
      lua_pop(L, 2);
      if (!swap) { lua_pop(L, 2); break; }
      lua_rawseti(L, 3, j); lua_rawseti(L, 3, j - 1);
    }
  int namew = 4;
  for (int i = 1; i <= k; i++) {
    lua_rawgeti(L, 3, i);
    lua_getfield(L, -1, "rho");
    double rho = lua_tonumber(L, -1);
    lua_pop(L, 1);
    lua_pushnumber(L, tot > 0 ? rho * rho / tot : 0);
    lua_setfield(L, -2, "share");
    lua_pushnil(L); lua_setfield(L, -2, "value");
    lua_getfield(L, -1, "name");
    if (uwidth(lua_tostring(L, -1)) > namew) namew = uwidth(lua_tostring(L, -1));
    lua_pop(L, 2);
  }
  if (namew > 40) namew = 40;
  if (!quiet) {
    luaL_checkstack(L, k + 8, "sensitivity");
    for (int i = 1; i <= k; i++) {          /* names at 4..k+3 */
      lua_rawgeti(L, 3, i);
      lua_getfield(L, -1, "name");
      lua_remove(L, -2);
    }
    const char *on = out_name(L, 1);
    lua_pushfstring(L, "sensitivity of %s (rank correlation)%s", on ? on : "the result",
                    k ? "" : "\n  (no uncertain inputs found)");
    for (int i = 1; i <= k; i++) {
      lua_rawgeti(L, 3, i);
      lua_getfield(L, -1, "rho");
      double rho = lua_tonumber(L, -1);
      lua_pop(L, 2);
      luaL_Buffer b;
      luaL_buffinit(L, &b);
      luaL_addstring(&b, "\n  ");
      add_pad(&b, lua_tostring(L, 3 + i), namew);
      char num[16];
      snprintf(num, sizeof num, " %+.2f ", rho);
      luaL_addstring(&b, num);
      int len = (int)lround(fabs(rho) * 160);  /* 20 cells of 8 eighths */
      int cells = rho < 0 ? len / 8 + (len % 8 != 0) : 0;
      for (int p = cells; p < 20; p++) luaL_addchar(&b, ' ');
      if (rho < 0) {
        if (len % 8) luaL_addstring(&b, "\xE2\x96\x90");
        for (int p = 0; p < len / 8; p++) luaL_addstring(&b, "\xE2\x96\x88");
      }
      luaL_addstring(&b, "\xE2\x94\x82");
      if (rho > 0) add_bar(&b, len);
      luaL_pushresult(&b);
      lua_concat(L, 2);
    }
    if (total > found) {
      lua_pushfstring(L, "\n  (%d more input%s no longer reachable: assign %s to a variable to see %s)",
                      total - found, total - found > 1 ? "s are" : " is", total - found > 1 ? "them" : "it",
                      total - found > 1 ? "them" : "it");
      lua_concat(L, 2);
    }
    print_text(L);
  }
  lua_settop(L, 3);
  return 1;
}
/* }====== */

/* {====== math per sample, where, units ====== */
/* One-argument math: samples per sample, exact values through math/num. */
static int math1(lua_State *L, const char *fname, double (*f)(double)) {
  luaL_checkany(L, 1);
  Samples *s = stest(L, 1);
  int plainlog = strcmp(fname, "log") == 0 && !lua_isnoneornil(L, 2);
  double base = plainlog ? plain_arg(L, 2, "log", "the base") : 0;
  if (!s) {
    Dim d;
    double x = qty_arg(L, 1, fname, "the argument", &d);
    if (f == fabs) {                          /* abs keeps exactness and unit */
      lua_settop(L, 1);
      if (!(x < 0)) return 1;
      lua_pushvalue(L, 1);
      return arith_op(L, LUA_OPUNM, 1);
    }
    if (!dim_iszero(&d)) return luaL_error(L, "%s: needs a plain number, got %s", fname, luaL_tolstring(L, 1, NULL));
    double v = plainlog ? log(x) / log(base) : f(x);
    if (!isfinite(v)) return arith_notreal(L, fname, plainlog ? 2 : 1, v);
    if (lua_type(L, 1) == LUA_TNUMBER) { lua_pushnumber(L, v); return 1; }
    Num *r = num_push(L);
    if (!num_fromdouble(v, r->q)) return luaL_error(L, "%s: result is not a real number", fname);
    r->exact = 0;
    return 1;
  }
  Dim d = s->dim;
  if (f == sqrt) {
    for (int k = 0; k < NDIM; k++) {
      if (d.e[k] % 2) return luaL_error(L, "sqrt: cannot take the square root of %s", luaL_tolstring(L, 1, NULL));
      d.e[k] = (int8_t)(d.e[k] / 2);
    }
  } else if (f != fabs && !dim_iszero(&d))
    return luaL_error(L, "%s: needs a plain number, got %s", fname, luaL_tolstring(L, 1, NULL));
  Samples *r = snew(L, s->n);
  r->dim = d;
  deps_or(r, s);
  s->combined = 1;
  if (plainlog) { double lb = log(base); for (size_t i = 0; i < s->n; i++) r->v[i] = log(s->v[i]) / lb; }
  else for (size_t i = 0; i < s->n; i++) r->v[i] = f(s->v[i]);
  check_finite(L, r, fname, plainlog ? "negative argument, or a bad base" : "negative argument",
               f == log ? (plainlog ? "zero argument, or base 1" : "zero argument") : BEYOND);
  if (f == fabs) copy_disp(L, -1, 1);
  return 1;
}
static int s_sqrt(lua_State *L) { return math1(L, "sqrt", sqrt); }
static int s_exp(lua_State *L) { return math1(L, "exp", exp); }
static int s_log(lua_State *L) { return math1(L, "log", log); }
static int s_abs(lua_State *L) { return math1(L, "abs", fabs); }

/* where(cond, a, b): a where cond holds, else b, per sample. */
static int s_where(lua_State *L) {
  lua_settop(L, 3);
  Samples *c = cond_arg(L, 1, "where");
  if (!c) { lua_settop(L, lua_toboolean(L, 1) ? 2 : 3); return 1; }
  Opnd a, b;
  opnd(L, 2, &a, 0);
  opnd(L, 3, &b, 0);
  if (!dim_eq(&a.dim, &b.dim) && !a.zero && !b.zero) return units_mismatch(L, "choose between", "or", 2, 3);
  if (a.s) same_n(L, c->n, a.s->n);
  if (b.s) same_n(L, c->n, b.s->n);
  Samples *r = snew(L, c->n);
  r->dim = a.zero && !a.s ? b.dim : a.dim;
  r->isbool = (!a.s || a.s->isbool) && (!b.s || b.s->isbool) && (a.s || b.s) &&
              (a.s || lua_isboolean(L, 2)) && (b.s || lua_isboolean(L, 3));
  deps_or(r, c); deps_or(r, a.s); deps_or(r, b.s);
  c->combined = 1;
  if (a.s) a.s->combined = 1;
  if (b.s) b.s->combined = 1;
  for (size_t i = 0; i < c->n; i++) {
    int t = c->v[i] != 0 && c->v[i] == c->v[i];
    r->v[i] = t ? (a.s ? a.s->v[i] : a.c) : (b.s ? b.s->v[i] : b.c);
  }
  check_finite(L, r, "where", BEYOND, BEYOND);
  copy_disp(L, -1, a.zero && !a.s ? 3 : 2);
  return 1;
}

/* __dim: a num 0 with the dimension (units.dim, units.check use it). */
static int s_dim(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  Num *r = num_push(L);
  r->dim = s->dim;
  return 1;
}

static int s_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)((Samples *)luaL_checkudata(L, 1, SAMPLES_MT))->n);
  return 1;
}

/* x:sample(i): the i-th sample, with x's unit (an approximate quantity),
** or a boolean for an uncertain condition. For inspecting a run and for
** per-sample algorithms in the stdlib (finance's IRR fallback). */
static int s_sampleat(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= s->n, 2, "sample index out of range");
  if (s->isbool) lua_pushboolean(L, s->v[i - 1] != 0);
  else push_figure(L, 1, s->v[i - 1], "sample");
  return 1;
}

/* x:to "TWh": the same samples shown in another unit. */
static int s_tounit(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  luaL_checkstring(L, 2);
  lua_settop(L, 2);
  lua_pushcfunction(L, units_to);
  double m = 0;
  dist_mean(s->v, s->n, &m);
  push_figure(L, 1, isfinite(m) ? m : 0, "to");
  lua_pushvalue(L, 2);
  lua_call(L, 2, 1);                         /* raises on a wrong dimension */
  Num *c = num_check(L, -1);
  if (!dim_eq(&c->dim, &s->dim))
    return luaL_error(L, "to: converting uncertain values between currencies is not supported");
  Samples *r = snew(L, s->n);
  memcpy(r, s, offsetof(Samples, v) + s->n * sizeof(double));
  r->autop = c->autop;
  lua_pushstring(L, disp(L, 3));
  lua_setiuservalue(L, -2, 1);
  lua_getiuservalue(L, 1, 2);                /* same sorted copy */
  lua_setiuservalue(L, -2, 2);
  lua_getiuservalue(L, 1, 3);
  lua_setiuservalue(L, -2, 3);
  r->combined = s->combined = 1;             /* two views of one input: never reorder */
  return 1;
}

/* }====== */

/* {====== settings and test helpers ====== */
static int s_samples(lua_State *L) {
  HostOptions *o = host_options(L);
  if (!lua_isnoneornil(L, 1)) {
    double v = plain_arg(L, 1, "deal.samples", "the sample count");
    if (!(v >= 1 && v <= (double)DEAL_MAX_SAMPLES) || v != floor(v))
      return luaL_error(L, "deal.samples: expects a whole number from 1 to " DEAL_MAX_SAMPLES_TEXT);
    o->samples = (long)v;
  }
  lua_pushinteger(L, (lua_Integer)count(L));
  return 1;
}

static int s_seed(lua_State *L) {
  HostOptions *o = host_options(L);
  if (!lua_isnoneornil(L, 1)) {
    double v = plain_arg(L, 1, "deal.seed", "the seed");
    if (!(v >= 0 && v < 18446744073709551616.0) || v != floor(v))
      return luaL_error(L, "deal.seed: expects a non-negative whole number");
    o->seed = lua_isinteger(L, 1) ? (unsigned long long)lua_tointeger(L, 1) : (unsigned long long)v;
    rng_seed(&mc(L)->rng, o->seed);
  }
  lua_pushinteger(L, (lua_Integer)o->seed);
  return 1;
}

#ifdef DEAL_TEST_HOOKS
/* Test hooks, only in the test build (deal-test; see the Makefile). */
/* __deal.ks(x, "normal", p1, p2[, p3, p4]): KS statistic D and D*sqrt(n)
** against a named CDF, parameters in base units (for the tests). */
static int s_ks(lua_State *L) {
  static const char *const names[] = {"normal", "lognormal", "uniform", "gamma", "beta",
                                      "triangular", "pert", NULL};
  static const dist_cdf_fn fns[] = {dist_cdf_normal, dist_cdf_lognormal, dist_cdf_uniform,
                                    dist_cdf_gamma, dist_cdf_beta, dist_cdf_triangular, dist_cdf_pert};
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  int k = luaL_checkoption(L, 2, NULL, names);
  double p[4] = {0, 0, 0, 4}, d;
  for (int i = 0; i < 4; i++) if (!lua_isnoneornil(L, 3 + i)) p[i] = luaL_checknumber(L, 3 + i);
  dist_check(L, "ks", dist_ks(s->v, s->n, fns[k], p, &d));
  lua_pushnumber(L, d);
  lua_pushnumber(L, d * sqrt((double)s->n));
  return 2;
}

/* __deal.spearman(x, y): rank correlation of two uncertain values. */
static int s_spearman(lua_State *L) {
  Samples *a = luaL_checkudata(L, 1, SAMPLES_MT), *b = luaL_checkudata(L, 2, SAMPLES_MT);
  same_n(L, a->n, b->n);
  double rho;
  dist_check(L, "spearman", dist_spearman(a->v, b->v, a->n, &rho));
  lua_pushnumber(L, rho);
  return 1;
}

/* __deal.sample(x, i): the i-th sample as a float in base units (tests). */
static int s_sample(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= s->n, 2, "index out of range");
  lua_pushnumber(L, s->v[i - 1]);
  return 1;
}
#endif

static int s_isuncertain(lua_State *L) {
  lua_pushboolean(L, stest(L, 1) != NULL);
  return 1;
}
/* }====== */

/* The operators are arith.c's (arith_metamethods): arithmetic through the
** value algebra; a native comparison of uncertain values can only be a
** condition (.deal code keeps `<` native in if/while) or plain Lua, where
** Lua turns the result into true or false: both are errors, with P. */
static const luaL_Reg meta[] = {
  {"__tostring", s_tostring}, {"__concat", s_concat}, {"__len", s_len}, {"__dim", s_dim},
  {NULL, NULL}
};

static const luaL_Reg methods[] = {{"to", s_tounit}, {"sample", s_sampleat}, {NULL, NULL}};

static const luaL_Reg globals[] = {
  {"normal", s_normal}, {"lognormal", s_lognormal}, {"uniform", s_uniform},
  {"triangular", s_triangular}, {"pert", s_pert}, {"beta", s_beta}, {"gamma", s_gamma},
  {"chance", s_chance}, {"discrete", s_discrete}, {"mixture", s_mixture},
  {"samples", s_empirical}, {"correlate", s_correlate},
  {"mean", s_mean}, {"median", s_median}, {"quantile", s_quantile}, {"ci", s_ci},
  {"sd", s_sd}, {"min", s_min}, {"max", s_max}, {"hist", s_hist},
  {"sensitivity", s_sensitivity}, {"where", s_where},
  {"sqrt", s_sqrt}, {"exp", s_exp}, {"log", s_log}, {"abs", s_abs},
  {"isuncertain", s_isuncertain}, {"range", s_to},
  {NULL, NULL}
};

static const luaL_Reg dealfuncs[] = {
  {"samples", s_samples}, {"seed", s_seed}, {"fmtprob", s_fmtprob}, {"range", s_to},
#ifdef DEAL_TEST_HOOKS
  {"ks", s_ks}, {"spearman", s_spearman}, {"sample", s_sample},
#endif
  {NULL, NULL}
};

int luaopen_samples(lua_State *L) {
  MC *m = lua_newuserdatauv(L, sizeof(MC), 0);
  HostOptions *o = host_options(L);
  rng_seed(&m->rng, o->seed);
  m->next_id = 0;
  lua_setfield(L, LUA_REGISTRYINDEX, REG_MC);
  lua_newtable(L);                              /* inputs, weak values */
  lua_newtable(L);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_INPUTS);
  luaL_newmetatable(L, SAMPLES_MT);
  luaL_setfuncs(L, arith_metamethods, 0);
  luaL_setfuncs(L, meta, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "locked");
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 1);
  lua_pushglobaltable(L);
  luaL_setfuncs(L, globals, 0);
  lua_newtable(L);                              /* P(b), P.se(b) */
  lua_pushcfunction(L, s_Pse);
  lua_setfield(L, -2, "se");
  lua_newtable(L);
  lua_pushcfunction(L, s_P);
  lua_setfield(L, -2, "__call");
  lua_setmetatable(L, -2);
  lua_setfield(L, -2, "P");
  if (lua_getfield(L, -1, "__deal") == LUA_TTABLE) luaL_setfuncs(L, dealfuncs, 0);
  lua_pop(L, 2);
  samples_hooks.arith = s_arith;
  samples_hooks.range = s_range;
  samples_hooks.prob = s_prob;
  lua_newtable(L);
  return 1;
}
