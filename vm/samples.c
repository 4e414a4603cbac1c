/*
** vm/samples.c
** Uncertain values: the Lua binding of the Monte Carlo engine.
**
** A `samples` userdata is a node of the engine's expression graph
** (mcgraph.h): an input drawn from a distribution, data, or an operation on
** other values. Arithmetic builds nodes and computes nothing; statistics,
** conditions and printing force them through mcstats.h, block by block
** (docs/architecture.md, "Monte Carlo engine"). Values are in BASE units,
** like num's mpq. The userdata also holds the Dim, a boolean flag
** (uncertain conditions are 0/1), an input id and the set of input ids it
** depends on (for sensitivity). User values: 1 = display unit text (as
** num), 2 = "file:line:" of the operation (errors name it), 3 = a label for
** inputs ("20k to 40k"), 4..6 = the operands (a table of them for a
** mixture), anchored so that the graph lives as long as its values.
** docs/uncertainty.md has the language-level rules.
*/
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "alloc.h"
#include "arith.h"
#include "defaults.h"
#include "dist.h"
#include "host.h"
#include "mcpart.h"
#include "mcshard.h"
#include "mcstats.h"
#include "numlib.h"
#include "registry.h"
#include "runlimits.h"
#include "samples.h"
#include "units.h"

#define DEPBITS 2048               /* input ids tracked for sensitivity */
#define NUSER 6                    /* user values, as listed above */

typedef struct Samples {
  Dim dim;
  unsigned char isbool;            /* an uncertain condition: 0/1 */
  unsigned char autop;             /* display unit chosen by us */
  unsigned char combined;          /* used in arithmetic: correlate refuses */
  unsigned id;                     /* input id (constructors); 0 if derived */
  uint64_t deps[DEPBITS / 64];     /* inputs this value depends on */
  McNode node;
  McSource src;                    /* node.src for inputs and mixtures */
  McGrid *grid;                    /* a merged value (deal merge): its quantiles
                                      come from here, its summary is given */
} Samples;

/* Per-state Monte Carlo context: the engine, the seed and stream counter
** of new inputs, the id counter (ids are never reused: sensitivity tells
** inputs apart by them), and the input `deal check --explain` pins to one
** value (pin_id 0: none). */
typedef struct MC {
  McEngine engine;
  uint64_t seed;
  uint32_t stream;                 /* restarts with deal.seed */
  unsigned next_id;
  int closed;
  unsigned pin_id;
  double pin_value;
  unsigned long asked;             /* statistics asked for (samples_asked) */
} MC;

/* {====== basics ====== */
static MC *mc(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, REG_MC);
  MC *m = lua_touserdata(L, -1);
  lua_pop(L, 1);                   /* anchored in the registry */
  if (!m) luaL_error(L, "uncertain values are not initialised");
  return m;
}

static McEngine *eng(lua_State *L) { return &mc(L)->engine; }

static Samples *stest(lua_State *L, int i) { return luaL_testudata(L, i, SAMPLES_MT); }

static size_t nof(const Samples *s) { return s->node.n; }

/* The most samples a value may have: a shard's run may total more than
** one machine's (defaults.h). */
static size_t max_count(lua_State *L) {
  return (size_t)(host_options(L)->shard_n ? DEAL_MAX_SHARD_SAMPLES : DEAL_MAX_SAMPLES);
}

/* Sample count for new values: --samples or deal.samples(N). */
static size_t count(lua_State *L) {
  long n = host_options(L)->samples;
  return n >= 1 && (size_t)n <= max_count(L) ? (size_t)n : (size_t)DEAL_DEFAULT_SAMPLES;
}

/* In a shard (--shard K/N), statistics of values of the run's sample count
** cover shard K's samples only (mcstats.h): what the shard's own printing
** and export cost. When the count leaves the shard no chunk (deal.samples
** made it small), they cover the run: a part is per value (samples_part). */
static void shard_setup(McEngine *E, const HostOptions *o) {
  size_t lo, hi, n = (size_t)o->samples;
  E->shard_n = 0;
  if (!o->shard_n || o->samples < 1) return;
  mc_shard_range(n, o->shard_k, o->shard_n, &lo, &hi);
  if (lo == hi) return;
  E->shard_n = n, E->shard_lo = lo, E->shard_hi = hi;
}

/* A new samples userdata: node op over n samples, pushed. Nothing is
** computed; the node's memory is the userdata's (the limit applies). */
static Samples *snew(lua_State *L, int op, size_t n) {
  if (n < 1 || n > max_count(L))
    luaL_error(L, "sample count %I out of range (1 to %s)", (lua_Integer)n,
               host_options(L)->shard_n ? DEAL_MAX_SHARD_SAMPLES_TEXT : DEAL_MAX_SAMPLES_TEXT);
  McEngine *E = eng(L);
  Samples *s = lua_newuserdatauv(L, sizeof(Samples), NUSER);
  memset(s, 0, sizeof *s);
  s->node.op = (uint8_t)op;
  s->node.n = n;
  s->node.seq = ++E->seq;
  luaL_setmetatable(L, SAMPLES_MT);
  if (mc_op_can_fail(op)) {        /* where NaN or inf would be reported */
    luaL_where(L, 1);
    s->node.where = lua_tostring(L, -1);
    lua_setiuservalue(L, -2, 2);   /* the string lives as long as the node */
  }
  return s;
}

/* Operand j (0..2) of the node at the top: the samples at index i, or the
** constant c when i is 0 or not samples. */
static void set_kid(lua_State *L, int j, int i, double c) {
  Samples *r = lua_touserdata(L, -1), *k = i ? stest(L, i) : NULL;
  r->node.c[j] = c;
  if (j + 1 > r->node.nkid) r->node.nkid = (uint16_t)(j + 1);
  if (!k) return;
  r->node.kid[j] = &k->node;
  lua_pushvalue(L, i);
  lua_setiuservalue(L, -2, 4 + j);
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

/* A fresh input: new id, registered (weakly) for sensitivity, labelled,
** drawing from the next stream of the current seed. */
static Samples *input_new(lua_State *L, int op, size_t n, const Dim *d, const char *label) {
  MC *m = mc(L);
  Samples *s = snew(L, op, n);
  if (d) s->dim = *d;
  s->id = ++m->next_id;
  if (op == MC_SRC) {
    s->node.src = &s->src;
    s->src.seed = m->seed;
    s->src.stream = ++m->stream;
  }
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

/* When the node on top is the input pinned by samples_pin, it becomes
** data: every sample the pinned value. Its stream was taken already, so
** every later input draws as in the unpinned run: the runs differ by the
** pinned input alone. Called as the input is finished (validate), before
** anything is computed from it. */
static void pin_input(lua_State *L, Samples *s) {
  MC *m = mc(L);
  if (!m->pin_id || s->id != m->pin_id) return;
  size_t n = s->node.n;
  double *v = mc_alloc(eng(L), n * sizeof(double));
  if (!v) luaL_error(L, "not enough memory to pin an input");
  for (size_t i = 0; i < n; i++) v[i] = m->pin_value;
  s->node.op = MC_DATA;
  s->node.src = NULL;
  s->node.kids = NULL;
  s->node.nkid = 0;
  s->node.vals = v;
  s->node.lo = s->node.hi = m->pin_value;
}

void samples_pin(lua_State *L, unsigned id, double value) {
  MC *m = mc(L);
  m->pin_id = id;
  m->pin_value = value;
}

static void dist_check(lua_State *L, const char *fname, int st) {
  if (st != DIST_OK) luaL_error(L, "%s: %s", fname, dist_strerror(st));
}

/* "1,234,567" into buf. */
static const char *grouped(char *buf, size_t size, uint64_t v) {
  char t[32];
  int n = snprintf(t, sizeof t, "%llu", (unsigned long long)v), o = 0;
  for (int i = 0; i < n && o + 2 < (int)size; i++) {
    if (i > 0 && (n - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = t[i];
  }
  buf[o] = '\0';
  return buf;
}

/* The likely causes of NaN and of infinite results of x's operation. */
#define BEYOND "beyond 1.8e308"
static void causes(const McNode *x, const char **whynan, const char **whyinf) {
  *whynan = *whyinf = BEYOND;
  switch (x->op) {
    case MC_DIV: case MC_IDIV: case MC_MOD:
      *whynan = "division by zero"; *whyinf = "division by zero, or " BEYOND; break;
    case MC_POW: *whynan = "a negative base with a fractional exponent"; break;
    case MC_ADD: case MC_SUB: case MC_MUL: case MC_UNM: *whynan = "an operand " BEYOND; break;
    case MC_SQRT: case MC_EXP: *whynan = "negative argument"; break;
    case MC_LOG: *whynan = "negative argument"; *whyinf = "zero argument"; break;
    case MC_LOGB: *whynan = "negative argument, or a bad base"; *whyinf = "zero argument, or base 1"; break;
    default: break;
  }
}

/* Raises the engine's failure: "not enough memory", the time limit, or
** the operation that made NaN or infinite samples, at that operation's
** line, with the count of bad samples and the likely cause of each kind
** ("sqrt: 50014 of 100000 samples are NaN (negative argument)"). */
static void engine_check(lua_State *L, const char *fname, int st) {
  if (st == DIST_OK) return;
  if (st == MC_ECANCEL) { limits_check(L); luaL_error(L, "interrupted!"); }
  if (st == MC_ENONFINITE) {
    const McFail *f = &eng(L)->fail;
    const char *whynan, *whyinf;
    uint64_t bad = f->nan + f->inf;
    causes(f->node, &whynan, &whyinf);
    const char *kind = f->nan == 0 ? "infinite" : f->nan == bad ? "NaN" : "infinite or NaN";
    if (f->nan == bad) whyinf = NULL;
    if (f->nan == 0 || (whyinf && strstr(whyinf, whynan))) whynan = NULL;
    lua_pushfstring(L, "%s%s: %I of %I samples are %s (%s%s%s)", f->node->where ? f->node->where : "",
                    f->node->what ? f->node->what : "operation", (lua_Integer)bad,
                    (lua_Integer)f->node->n, kind, whynan ? whynan : "", whynan && whyinf ? "; " : "",
                    whyinf ? whyinf : "");
    lua_error(L);
  }
  dist_check(L, fname, st);
}

/* The node at the top is made: when its operands' ranges say it may give
** NaN or infinity (a square root of something that may be negative, a
** division by something that may be zero, an overflow), it is computed
** now, so that the error comes here, at its line, as if it had been
** computed eagerly. The rest stays lazy; every pass still counts bad
** results, so a sample beyond the ranges (|z| > 10) is caught too. */
static void validate(lua_State *L, const char *what) {
  Samples *r = lua_touserdata(L, -1);
  const McSummary *sm;
  pin_input(L, r);
  r->node.what = what;
  if (!mc_bound(&r->node)) return;
  engine_check(L, what, mc_summary(eng(L), &r->node, &sm));
  r->node.lo = sm->min;                    /* computed: the true bounds */
  r->node.hi = sm->max;
}

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
/* The name of a LUA_OP* or SOP_* operation in messages ("'/'"). */
static const char *opname(int op) {
  switch (op) {
    case LUA_OPADD: return "'+'";
    case LUA_OPSUB: case LUA_OPUNM: return "'-'";
    case LUA_OPMUL: return "'*'";
    case LUA_OPDIV: return "'/'";
    case LUA_OPMOD: return "'%'";
    case LUA_OPIDIV: return "'//'";
    case LUA_OPPOW: return "'^'";
    case SOP_EQ: return "'=='";
    case SOP_LT: return "'<'";
    case SOP_LE: return "'<='";
    case SOP_AND: return "'and'";
    case SOP_OR: return "'or'";
    default: return "'not'";
  }
}

/* The engine's operation for a LUA_OP* or SOP_* code. */
static int mc_op_of(int op) {
  switch (op) {
    case LUA_OPADD: return MC_ADD;
    case LUA_OPSUB: return MC_SUB;
    case LUA_OPMUL: return MC_MUL;
    case LUA_OPDIV: return MC_DIV;
    case LUA_OPMOD: return MC_MOD;
    case LUA_OPIDIV: return MC_IDIV;
    case LUA_OPPOW: return MC_POW;
    case LUA_OPUNM: return MC_UNM;
    case SOP_EQ: return MC_EQ;
    case SOP_LT: return MC_LT;
    case SOP_LE: return MC_LE;
    case SOP_AND: return MC_AND;
    case SOP_OR: return MC_OR;
    default: return MC_NOT;
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

/* Conditions written twice are one value (P(npv > 0) then a claim on
** npv > 0): the second is found by its operation and operands, so its
** probability, computed once, is shared. The key (in a weak table) holds
** the operands' addresses, valid while the condition that holds them
** lives. Leaves the key on the stack when not found. */
static int same_condition(lua_State *L, int op, const Opnd *a, const Opnd *b) {
  struct { int op; const void *sa, *sb; double ca, cb; } key;
  memset(&key, 0, sizeof key);
  key.op = op;
  key.sa = a->s; key.ca = a->s ? 0 : a->c;
  if (b) { key.sb = b->s; key.cb = b->s ? 0 : b->c; }
  lua_getfield(L, LUA_REGISTRYINDEX, REG_CONDS);
  lua_pushlstring(L, (const char *)&key, sizeof key);
  if (lua_rawget(L, -2) == LUA_TUSERDATA) {
    lua_replace(L, -2);
    return 1;
  }
  lua_pop(L, 2);
  lua_pushlstring(L, (const char *)&key, sizeof key);
  return 0;
}

/* Stores the condition at the top under the key below it, which it pops. */
static void remember_condition(lua_State *L) {
  lua_getfield(L, LUA_REGISTRYINDEX, REG_CONDS);
  lua_pushvalue(L, -3);
  lua_pushvalue(L, -3);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  lua_remove(L, -2);
}

/* The arith hook: the values at 1 and 2 (at least one samples). Builds
** the node; nothing is computed until a statistic needs it. */
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
  if (a.s && b.s) same_n(L, nof(a.s), nof(b.s));
  size_t n = a.s ? nof(a.s) : nof(b.s);
  memset(&d, 0, sizeof d);
  from = 0;
  text[0] = '\0';
  if (!logic) result_unit(L, op, &a, &b, &d, &from, text, sizeof text);
  if ((op == LUA_OPDIV || op == LUA_OPMOD || op == LUA_OPIDIV) && !b.s && b.c == 0)
    return luaL_error(L, "attempt to divide by zero");
  int unary = op == LUA_OPUNM || op == SOP_NOT;
  int never = op == SOP_EQ && !dim_eq(&a.dim, &b.dim) && !a.zero && !b.zero;
  if (a.s) a.s->combined = 1;
  if (b.s) b.s->combined = 1;
  if (op >= SOP_EQ && same_condition(L, never ? MC_LT : mc_op_of(op), &a, unary ? NULL : &b))
    return 1;
  Samples *r = snew(L, never ? MC_LT : mc_op_of(op), n);   /* never: 0 < 0, all 0 */
  r->dim = d;
  if (never) { set_kid(L, 0, 0, 0); set_kid(L, 1, 0, 0); }
  else {
    set_kid(L, 0, a.s ? 1 : 0, a.c);
    if (!unary) set_kid(L, 1, b.s ? 2 : 0, b.c);
  }
  deps_or(r, a.s);
  deps_or(r, b.s);
  r->isbool = op >= SOP_EQ;
  if (r->isbool) remember_condition(L);
  if (r->isbool) r->node.flags |= MC_BOOL;
  validate(L, opname(op));
  if (from) copy_disp(L, -1, from);
  else set_disp(L, -1, text);
  return 1;
}

/* The summary of the samples at i (forced on first use). */
static const McSummary *summary(lua_State *L, int i, const char *fname) {
  Samples *s = lua_touserdata(L, i);
  const McSummary *sm;
  mc(L)->asked++;
  engine_check(L, fname, mc_summary(eng(L), &s->node, &sm));
  return sm;
}

/* Probability that the uncertain condition at i holds. */
static double s_prob(lua_State *L, int i) {
  Samples *s = stest(L, i);
  if (!s) return 0;
  const McSummary *sm = summary(L, lua_absindex(L, i), "P");
  return (double)sm->nonzero / (double)sm->n;
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

/* Starts an input of the engine's op: label on the stack is consumed;
** display from disp_i. */
static Samples *begin_op(lua_State *L, int op, const Dim *d, int disp_i) {
  const char *label = lua_tostring(L, -1);
  Samples *s = input_new(L, op, count(L), d, label);
  lua_remove(L, -2);
  if (disp_i) copy_disp(L, -1, disp_i);
  return s;
}

/* An input drawn from a distribution with parameters p, checked now. */
static Samples *source(lua_State *L, const char *fname, McKind kind, const double *p, const Dim *d,
                       int disp_i) {
  McSource chk;
  memset(&chk, 0, sizeof chk);
  chk.kind = kind;
  memcpy(chk.p, p, sizeof chk.p);
  dist_check(L, fname, mc_source_check(&chk));
  Samples *s = begin_op(L, MC_SRC, d, disp_i);
  s->src.kind = kind;
  memcpy(s->src.p, p, sizeof s->src.p);
  validate(L, fname);
  return s;
}

/* Parameters for source(): up to four. */
static const double *params(double a, double b, double c, double d) {
  static double p[4];
  p[0] = a; p[1] = b; p[2] = c; p[3] = d;
  return p;
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
  source(L, "a to b", lognormal ? MK_LOGNORMAL : MK_NORMAL, params(mu, sd, 0, 0), &d, from);
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
  source(L, "normal", MK_NORMAL, params(mu, sd, 0, 0), &d, arith_isplainzero(L, 1) ? 2 : 1);
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
  source(L, "lognormal", MK_LOGNORMAL, params(mu, sg, 0, 0), &d, 1);
  return 1;
}

static int s_uniform(lua_State *L) {
  double a, b;
  Dim d;
  lua_settop(L, 2);
  if (two_params(L, "uniform", &a, &b, &d)) return luaL_error(L, "uniform: expected (low, high)");
  dist_check(L, "uniform", a < b ? DIST_OK : DIST_EBOUNDS);
  source(L, "uniform", MK_UNIFORM, params(a, b, 0, 0), &d, arith_isplainzero(L, 1) ? 2 : 1);
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
  source(L, fname, pert ? MK_PERT : MK_TRIANGULAR, params(v[0], v[1], v[2], lambda), &d, ref);
  return 1;
}
static int s_triangular(lua_State *L) { return tri_or_pert(L, 0); }
static int s_pert(lua_State *L) { return tri_or_pert(L, 1); }

static int s_beta(lua_State *L) {
  double a = plain_arg(L, 1, "beta", "alpha"), b = plain_arg(L, 2, "beta", "beta");
  lua_settop(L, 2);
  push_label(L, "beta", 2);
  source(L, "beta", MK_BETA, params(a, b, 0, 0), NULL, 0);
  return 1;
}

/* gamma(shape, scale): the scale carries the unit. */
static int s_gamma(lua_State *L) {
  Dim d;
  double k = plain_arg(L, 1, "gamma", "shape");
  double th = qty_arg(L, 2, "gamma", "scale", &d);
  lua_settop(L, 2);
  push_label(L, "gamma", 2);
  source(L, "gamma", MK_GAMMA, params(k, th, 0, 0), &d, 2);
  return 1;
}

static int s_chance(lua_State *L) {
  double p = plain_arg(L, 1, "chance", "the probability");
  lua_settop(L, 1);
  push_label(L, "chance", 1);
  Samples *s = source(L, "chance", MK_BERNOULLI, params(p, 0, 0, 0), NULL, 0);
  s->isbool = 1;
  s->node.flags |= MC_BOOL;
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
  DistAlias chk;                          /* weights checked before anything is made */
  dist_check(L, "discrete", dist_alias_new(&chk, g.w, k));
  dist_alias_free(&chk);
  lua_pushliteral(L, "discrete{\xE2\x80\xA6}");
  Samples *s = begin_op(L, MC_SRC, &g.dim, g.dispidx);
  s->isbool = (unsigned char)g.isbool;
  if (s->isbool) s->node.flags |= MC_BOOL;
  s->src.kind = MK_DISCRETE;
  if (!(s->src.values = mc_alloc(eng(L), 2 * k * sizeof(double))))
    return luaL_error(L, "discrete: not enough memory");
  s->src.nvalues = k;
  memcpy(s->src.values, g.val, 2 * k * sizeof(double));   /* values, then weights */
  dist_check(L, "discrete", dist_alias_new(&s->src.alias, g.w, k));
  validate(L, "discrete");
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
  for (size_t i = 0; i < m; i++)
    if (!isfinite(g.val[i])) return luaL_error(L, "samples: value %d is not a finite number", (int)i + 1);
  lua_pushfstring(L, "samples{%d values}", (int)m);
  int inorder = m == count(L);
  Samples *s = begin_op(L, inorder ? MC_DATA : MC_SRC, &g.dim, g.dispidx);
  s->isbool = (unsigned char)g.isbool;
  if (s->isbool) s->node.flags |= MC_BOOL;
  double *v = mc_alloc(eng(L), m * sizeof(double));
  if (!v) return luaL_error(L, "samples: not enough memory");
  memcpy(v, g.val, m * sizeof(double));
  if (inorder) s->node.vals = v;           /* the data are the samples */
  else { s->src.kind = MK_EMPIRICAL; s->src.values = v; s->src.nvalues = m; }
  validate(L, "samples");
  return 1;
}

/* mixture({x, y, ...}, {w1, w2, ...}): per sample, one component chosen by
** weight (equal weights when omitted), from the mixture's own stream.
** Exact components are point masses. Stack: 3 weights, 4 components. */
static int s_mixture(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  size_t k = (size_t)luaL_len(L, 1), n = count(L);
  if (k == 0 || k > 1000) return luaL_error(L, "mixture: needs 1 to 1000 components");
  double *w = lua_newuserdatauv(L, 2 * k * sizeof(double), 0);           /* 3 */
  double *cval = w + k;
  lua_createtable(L, (int)k, 0);                                         /* 4 */
  int ref = 0, allbool = 1, dimref = 0;
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
    Dim dc;
    cval[j] = 0;
    if (s) { same_n(L, nof(s), n); allbool &= s->isbool; dc = s->dim; }
    else { cval[j] = qty_arg(L, c, "mixture", "each component", &dc); allbool = 0; }
    if (j == 0) d = dc;
    else if (!dim_eq(&d, &dc)) { lua_geti(L, 1, dimref); units_mismatch(L, "mix", ",", -1, c); }
    dimref = j == 0 ? 1 : dimref;
    if (!ref && disp(L, c)) ref = (int)j + 1;
    lua_rawseti(L, 4, (lua_Integer)j + 1);
  }
  DistAlias chk;
  dist_check(L, "mixture", dist_alias_new(&chk, w, k));
  dist_alias_free(&chk);
  lua_pushliteral(L, "mixture(\xE2\x80\xA6)");
  Samples *r = begin_op(L, MC_MIX, &d, 0);                             /* 5 */
  MC *m = mc(L);
  r->isbool = (unsigned char)allbool;
  if (allbool) r->node.flags |= MC_BOOL;
  r->node.src = &r->src;
  r->src.seed = m->seed;
  r->src.stream = ++m->stream;
  lua_pushvalue(L, 4);
  lua_setiuservalue(L, 5, 4);                                            /* anchors */
  r->node.kids = mc_alloc(&m->engine, k * sizeof *r->node.kids);
  r->node.c_mix = mc_alloc(&m->engine, k * sizeof *r->node.c_mix);
  if (!r->node.kids || !r->node.c_mix) return luaL_error(L, "mixture: not enough memory");
  r->node.nkid = (uint16_t)k;
  for (size_t j = 0; j < k; j++) {
    lua_geti(L, 4, (lua_Integer)j + 1);
    Samples *c = stest(L, -1);
    r->node.kids[j] = c ? &c->node : NULL;
    r->node.c_mix[j] = cval[j];
    if (c) { deps_or(r, c); c->combined = 1; }
    if (ref == (int)j + 1) copy_disp(L, 5, -1);
    lua_pop(L, 1);
  }
  dist_check(L, "mixture", dist_alias_new(&r->src.alias, w, k));
  validate(L, "mixture");
  return 1;
}
/* }====== */

/* {====== statistics ====== */
/* Quantiles p[0..k) of the samples at i (exact: order statistics found by
** radix selection over passes, mcstats.h). */
static void quantiles(lua_State *L, int i, const double *p, size_t k, double *q, const char *fname) {
  Samples *s = lua_touserdata(L, i);
  double err;
  mc(L)->asked++;
  if (s->grid) {                       /* merged parts: from their grid, within its bound */
    for (size_t j = 0; j < k; j++) mc_grid_quantile(s->grid, nof(s), p[j], &q[j], &err);
    return;
  }
  engine_check(L, fname, mc_quantiles(eng(L), &s->node, p, k, q));
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
  r->style = NUM_STYLE_STAT;              /* prints as the value does: 3 digits */
  const char *d = disp(L, i);
  if (d) num_setdisplay(L, -1, d, s->autop);
}

static double qsorted(lua_State *L, int i, double p) {
  double q;
  quantiles(L, lua_absindex(L, i), &p, 1, &q, "quantile");
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
  push_figure(L, 1, summary(L, 1, "mean")->mean, "mean");
  return 1;
}

static int s_median(lua_State *L) {
  if (!stat_arg(L, 1, "median")) { lua_settop(L, 1); return 1; }
  push_figure(L, 1, qsorted(L, 1, 0.5), "median");
  return 1;
}

/* quantile(x, p) or quantile(x, {p1, p2, ...}) -> as many values. */
static int s_quantile(lua_State *L) {
  int exact = !stat_arg(L, 1, "quantile"), k = lua_istable(L, 2) ? (int)luaL_len(L, 2) : 1;
  if (k < 0 || k > 100000) return luaL_error(L, "quantile: too many probabilities");
  luaL_checkstack(L, k + 4, "quantile");
  double *p = lua_newuserdatauv(L, 2 * (size_t)(k ? k : 1) * sizeof(double), 0), *q = p + k;
  int buf = lua_gettop(L);
  for (int j = 0; j < k; j++) {
    if (lua_istable(L, 2)) lua_geti(L, 2, j + 1); else lua_pushvalue(L, 2);
    p[j] = prob_arg(L, lua_gettop(L), "quantile");
    lua_pop(L, 1);
  }
  if (!exact) quantiles(L, 1, p, (size_t)k, q, "quantile");
  for (int j = 0; j < k; j++)
    if (exact) lua_pushvalue(L, 1); else push_figure(L, 1, q[j], "quantile");
  lua_remove(L, buf);
  return k;
}

/* The probabilities of a central interval of level lv at i (default 0.9):
** (1 -+ lv) / 2 in exact arithmetic for an exact lv, converted as a
** probability literal is, so ci(x, 0.9) ends exactly at quantile(x, 0.05)
** and quantile(x, 0.95). */
static void ci_probs(lua_State *L, int i, double *p) {
  mpq_t lv, t;
  Num *n = num_test(L, i);
  double d = lua_isnoneornil(L, i) ? 0.9 : prob_arg(L, i, "ci");   /* raises before GMP */
  mpq_init(lv);
  mpq_init(t);
  if (lua_isnoneornil(L, i)) mpq_set_ui(lv, 9, 10);
  else if (n) mpq_set(lv, n->q);
  else mpq_set_d(lv, d);                        /* a Lua float: its exact value */
  mpq_set_ui(t, 1, 1);
  mpq_sub(t, t, lv);
  mpq_div_2exp(t, t, 1);
  p[0] = mpq_get_d(t);
  mpq_set_ui(t, 1, 1);
  mpq_add(t, t, lv);
  mpq_div_2exp(t, t, 1);
  p[1] = mpq_get_d(t);
  mpq_clear(lv);
  mpq_clear(t);
}

static int s_ci(lua_State *L) {
  stat_arg(L, 1, "ci");
  double p[2], q[2];
  if (!lua_isnoneornil(L, 2)) prob_arg(L, 2, "ci");   /* checked even for exact values */
  if (!stest(L, 1)) { lua_settop(L, 1); lua_pushvalue(L, 1); return 2; }
  ci_probs(L, 2, p);
  quantiles(L, 1, p, 2, q, "ci");
  push_figure(L, 1, q[0], "ci");
  push_figure(L, 1, q[1], "ci");
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
  push_figure(L, 1, summary(L, 1, "sd")->sd, "sd");
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
    const McSummary *sm = summary(L, 1, fname);
    push_figure(L, 1, ismax ? sm->max : sm->min, fname);
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
    if (a.s && b.s) same_n(L, nof(a.s), nof(b.s));
    size_t n = a.s ? nof(a.s) : nof(b.s);
    Samples *r = snew(L, ismax ? MC_MAX : MC_MIN, n);
    r->dim = a.dim;
    set_kid(L, 0, a.s ? acc : 0, a.c);
    set_kid(L, 1, b.s ? i : 0, b.c);
    deps_or(r, a.s); deps_or(r, b.s);
    if (a.s) a.s->combined = 1;
    if (b.s) b.s->combined = 1;
    validate(L, fname);
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

/* A probability or its standard error as a num that prints like the
** condition does ("≈0.97"): a Monte Carlo estimate, never a bare 1.0. */
static void push_estimate(lua_State *L, double p, int style) {
  Num *r = num_push(L);
  if (!num_fromdouble(p, r->q)) luaL_error(L, "P: the probability is not a number");
  r->exact = 0;
  r->style = (unsigned char)style;
}

static int s_P(lua_State *L) {
  lua_remove(L, 1);                          /* P is a table with __call */
  Samples *s = cond_arg(L, 1, "P");
  if (!s) { lua_pushinteger(L, lua_toboolean(L, 1)); return 1; }
  const McSummary *sm = summary(L, 1, "P");
  push_estimate(L, (double)sm->nonzero / (double)sm->n, NUM_STYLE_PROB);
  return 1;
}

static int s_Pse(lua_State *L) {
  Samples *s = cond_arg(L, 1, "P.se");
  if (!s) { lua_pushinteger(L, 0); return 1; }
  const McSummary *sm = summary(L, 1, "P.se");
  double n = (double)sm->n, p = (double)sm->nonzero / n;
  push_estimate(L, sqrt(p * (1.0 - p) / n), NUM_STYLE_STAT);
  return 1;
}
/* }====== */

/* {====== what exporters read (samples.h) ====== */
int samples_stats(lua_State *L, int i, SamplesStats *out) {
  Samples *s = stest(L, i);
  if (!s) return 0;
  i = lua_absindex(L, i);
  memset(out, 0, sizeof *out);
  out->n = nof(s);
  out->dim = s->dim;
  out->isbool = s->isbool;
  if (s->isbool) {
    const McSummary *sm = summary(L, i, "P");
    out->p = (double)sm->nonzero / (double)sm->n;
    return 1;
  }
  double p[3] = {0.05, 0.5, 0.95}, q[3];
  quantiles(L, i, p, 3, q, "tostring");     /* first: its pass makes the summary too */
  const McSummary *sm = summary(L, i, "tostring");
  out->mean = sm->mean;
  out->sd = sm->n >= 2 ? sm->sd : 0;
  out->p5 = q[0], out->p50 = q[1], out->p95 = q[2];
  return 1;
}

/* The values copied into a userdata: whether cached or computed for the
** occasion, the engine's memory is given back before anything can raise. */
const double *samples_pushvalues(lua_State *L, int i, size_t *n) {
  Samples *s = stest(L, i);
  if (!s) return NULL;
  double *dst = lua_newuserdatauv(L, nof(s) * sizeof(double), 0), *vals;
  int owned;
  engine_check(L, "samples", mc_values(eng(L), &s->node, &vals, &owned));
  memcpy(dst, vals, nof(s) * sizeof(double));
  mc_values_done(eng(L), &s->node, vals, owned);
  *n = nof(s);
  return dst;
}

void samples_pushfigure(lua_State *L, int i, double v) {
  luaL_checkudata(L, i, SAMPLES_MT);
  push_figure(L, i, v, "tostring");
}
/* }====== */

/* {====== shards: a value's part, and merged parts as a value ====== */
int samples_iscondition(lua_State *L, int i) {
  Samples *s = stest(L, i);
  return s && s->isbool;
}

unsigned long samples_asked(lua_State *L) {
  return mc(L)->asked;
}

/* What the text of the value at i needs besides its statistics: its
** dimension, display unit and whether we chose that unit. */
static int add_shape(cJSON *o, lua_State *L, int i, const Samples *s) {
  int e[NDIM];
  for (int d = 0; d < NDIM; d++) e[d] = s->dim.e[d];
  cJSON *dim = cJSON_CreateIntArray(e, NDIM);
  if (!dim || !cJSON_AddItemToObject(o, "dim", dim)) { cJSON_Delete(dim); return 0; }
  const char *d = disp(L, i);
  if (d && !cJSON_AddStringToObject(o, "display", d)) return 0;
  return cJSON_AddBoolToObject(o, "auto", s->autop) != NULL;
}

cJSON *samples_part(lua_State *L, int i, unsigned long k, unsigned long N) {
  Samples *s = stest(L, i);
  if (!s) return NULL;
  i = lua_absindex(L, i);
  size_t lo, hi;
  McSummary sm;
  McGrid g;
  mc_shard_range(nof(s), k, N, &lo, &hi);   /* by its own count: deal.samples may differ */
  /* a first pass for the range's min and max: the grid's top just above
  ** them, so its buckets are as fine as they go (mcshard.h) */
  engine_check(L, "part", mc_summary_range(eng(L), &s->node, lo, hi, &sm, NULL));
  double top = mc_grid_top_of(sm.n ? sm.min : 0, sm.n ? sm.max : 0);
  engine_check(L, "part", mc_summary_range_top(eng(L), &s->node, lo, hi, &sm, &g, top));
  cJSON *j = mc_part_json(&sm, &g);
  mc_grid_free(&g);
  if (!j || !add_shape(j, L, i, s)) { cJSON_Delete(j); luaL_error(L, "not enough memory"); }
  return j;
}

/* The shape of a part (add_shape's fields) into s and *display; 0 with
** why when it is not one. */
static int read_shape(const cJSON *j, Samples *s, const char **display, char *why, size_t n) {
  const cJSON *dim = cJSON_GetObjectItemCaseSensitive(j, "dim"), *e;
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "display");
  const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, "auto");
  int k = 0;
  if (!cJSON_IsArray(dim) || cJSON_GetArraySize(dim) != NDIM) {
    snprintf(why, n, "dim: not %d exponents", NDIM);
    return 0;
  }
  cJSON_ArrayForEach(e, dim) {
    if (!cJSON_IsNumber(e) || e->valuedouble != (int8_t)e->valuedouble) {
      snprintf(why, n, "dim: exponent %d is not a small integer", k + 1);
      return 0;
    }
    s->dim.e[k++] = (int8_t)e->valuedouble;
  }
  if (d && !cJSON_IsString(d)) { snprintf(why, n, "display: not a text"); return 0; }
  if (!cJSON_IsBool(a)) { snprintf(why, n, "auto: not true or false"); return 0; }
  *display = d ? d->valuestring : NULL;
  s->autop = cJSON_IsTrue(a);
  return 1;
}

int samples_pushmerged(lua_State *L, const cJSON *shape, int isbool, const McSummary *sm, McGrid *g,
                       char *why, size_t n) {
  const char *display;
  McGrid *kept = malloc(sizeof *kept);
  McSummary *sum = mc_alloc(eng(L), sizeof *sum);
  Samples *s = lua_newuserdatauv(L, sizeof(Samples), NUSER);
  memset(s, 0, sizeof *s);
  luaL_setmetatable(L, SAMPLES_MT);              /* from here the GC frees what it holds */
  if (!kept || !sum) {
    free(kept);
    if (sum) mc_free(eng(L), sum, sizeof *sum);
    return luaL_error(L, "not enough memory");
  }
  *kept = *g;
  memset(g, 0, sizeof *g);                       /* taken over */
  s->grid = kept;
  *sum = *sm;
  s->node.op = MC_DATA;                          /* computes nothing: no values, a summary */
  s->node.n = sm->n;
  s->node.sum = sum;
  s->node.seq = ++eng(L)->seq;
  s->node.flags = isbool ? MC_BOOL : 0;
  s->isbool = (unsigned char)isbool;
  if (!read_shape(shape, s, &display, why, n)) { lua_pop(L, 1); return 0; }
  if (display) { lua_pushstring(L, display); lua_setiuservalue(L, -2, 1); }
  return 1;
}
/* }====== */

/* {====== printing ====== */
/* "0.97", "0.00095", "0.9991": the rule of num_probtext, which the claims
** tables share. */
static void push_prob(lua_State *L, double p) {
  char buf[32];
  num_probtext(buf, sizeof buf, p);
  lua_pushstring(L, buf);
}

static int s_fmtprob(lua_State *L) {
  push_prob(L, luaL_checknumber(L, 1));
  return 1;
}

/* Text of the statistic on top (a num from push_figure), without the "≈"
** mark (the caller puts one in front of everything); replaces it. */
static const char *figtext(lua_State *L) {
  num_pushtext(L, -1);
  const char *t = lua_tostring(L, -1);
  if (strncmp(t, "\xE2\x89\x88", 3) == 0) {
    lua_pushstring(L, t + 3 + (t[3] == ' '));
    lua_remove(L, -2);
  }
  lua_remove(L, -2);
  return lua_tostring(L, -1);
}

/* Text of the figure v of the samples at i, in `unit` when not NULL. */
static const char *push_figtext(lua_State *L, int i, double v, const char *unit) {
  push_figure(L, i, v, "tostring");
  if (unit && unit[0]) num_setdisplay(L, -1, unit, 0);
  return figtext(L);
}

/* "≈ 620k chip (90% CI 410k chip … 930k chip)": the mean as the statistic
** prints, both ends of the interval in the mean's unit; "P ≈ 0.97" for
** conditions. */
static void push_text(lua_State *L, int i) {
  i = lua_absindex(L, i);
  Samples *s = lua_touserdata(L, i);
  double p[2] = {0.05, 0.95}, q[2];
  if (!s->isbool) quantiles(L, i, p, 2, q, "tostring");   /* first: its pass makes the summary too */
  const McSummary *sm = summary(L, i, "tostring");
  if (s->isbool) {
    push_prob(L, (double)sm->nonzero / (double)sm->n);
    lua_pushfstring(L, "P \xE2\x89\x88 %s", lua_tostring(L, -1));
    lua_remove(L, -2);
    return;
  }
  double mean = sm->mean, lo = q[0], hi = q[1];
  int top = lua_gettop(L);
  if (!isfinite(mean) || !isfinite(lo) || !isfinite(hi)) {
    lua_pushfstring(L, "\xE2\x89\x88 %f (90%% CI %f \xE2\x80\xA6 %f)", mean, lo, hi);
  } else {
    push_figure(L, i, mean, "tostring");
    num_pushunit(L, -1);
    const char *unit = lua_tostring(L, -1);
    lua_insert(L, -2);
    const char *tm = figtext(L);
    if (sm->min == sm->max) {
      lua_pushfstring(L, "\xE2\x89\x88 %s (all samples equal)", tm);
    } else {
      const char *ta = push_figtext(L, i, lo, unit), *tb = push_figtext(L, i, hi, unit);
      lua_pushfstring(L, "\xE2\x89\x88 %s (90%% CI %s \xE2\x80\xA6 %s)", tm, ta, tb);
    }
  }
  lua_insert(L, top + 1);
  lua_settop(L, top + 1);
}

/* The plain text of the samples at i: push_text's, or while texts are
** deferred (samples_defer) the token that stands for it, the value being
** recorded and no statistic asked. */
static void push_plain(lua_State *L, int i) {
  i = lua_absindex(L, i);
  if (lua_getfield(L, LUA_REGISTRYINDEX, REG_DEFERRED) != LUA_TTABLE) {
    lua_pop(L, 1);
    push_text(L, i);
    return;
  }
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1) + 1;
  lua_pushvalue(L, i);
  lua_rawseti(L, -2, n);
  lua_pop(L, 1);
  lua_pushfstring(L, SAMPLES_TOKEN_OPEN "%I" SAMPLES_TOKEN_CLOSE, n);
}

void samples_defer(lua_State *L, int on) {
  if (on) {
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_DEFERRED);
    return;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, REG_DEFERRED);   /* the values, returned */
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_DEFERRED);
}

static int s_tostring(lua_State *L) {
  luaL_checkudata(L, 1, SAMPLES_MT);
  push_plain(L, 1);
  return 1;
}

static int s_concat(lua_State *L) {
  for (int i = 1; i <= 2; i++) {
    if (stest(L, i)) { push_plain(L, i); lua_replace(L, i); }
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
  double p[2] = {0.005, 0.995}, q[2];
  if (!s->isbool) quantiles(L, 1, p, 2, q, "hist");        /* first: its pass makes the summary too */
  const McSummary *sm = summary(L, 1, "hist");
  if (s->isbool) {
    double p = (double)sm->nonzero / (double)sm->n;
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
  size_t m = sm->n;
  double lo = sm->min, hi = sm->max;
  if (q[0] < q[1]) { lo = q[0]; hi = q[1]; }
  if (!(lo < hi) || !isfinite(lo) || !isfinite(hi)) bins = 1;
  luaL_checkstack(L, bins + 8, "hist");
  size_t *cnt = lua_newuserdatauv(L, 2 * (size_t)bins * sizeof(size_t), 0);   /* 2 */
  double *edges = (double *)(void *)(cnt + bins);
  for (int j = 0; j + 1 < bins; j++) edges[j] = lo + (hi - lo) * (j + 1) / bins;
  if (bins > 1) engine_check(L, "hist", mc_counts(eng(L), &s->node, edges, (size_t)bins - 1, cnt));
  cnt[bins - 1] = m;                            /* counts up to each edge, then per bin */
  size_t maxc = 1;
  for (int j = bins - 1; j >= 0; j--) {
    if (j > 0) cnt[j] -= cnt[j - 1];
    if (cnt[j] > maxc) maxc = cnt[j];
  }
  int labw = 0;                                 /* labels: the bins' lower edges */
  for (int j = 0; j < bins; j++) {
    const char *t = push_figtext(L, 1, j == 0 ? sm->min : lo + (hi - lo) * j / bins, NULL);
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
      snprintf(pct, sizeof pct, " %.1f%%", 100.0 * (double)cnt[j] / (double)m);
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

/* The copula outlives its members' userdata one by one: the last frees it. */
static void copula_release(McCopula *g) {
  if (--g->refs > 0) return;
  deal_alloc(&deal_budget, g->L, (size_t)g->k * (size_t)g->k * sizeof(double), 0);
  deal_alloc(&deal_budget, g->members, (size_t)g->k * sizeof *g->members, 0);
  deal_alloc(&deal_budget, g, sizeof *g, 0);
}

/* An input correlate can take: fresh, not yet combined, not correlated. */
static Samples *corr_item(lua_State *L, size_t j, size_t n, double *const *seen) {
  Samples *s = stest(L, -1);
  int i = (int)j + 1;
  (void)seen;
  if (!s) luaL_error(L, "correlate: item %d is not uncertain (%s)", i, luaL_tolstring(L, -1, NULL));
  if (!s->id) luaL_error(L, "correlate: item %d is computed from other values; "
                         "correlate the inputs it comes from", i);
  if (s->combined) luaL_error(L, "correlate: item %d was already used in a calculation; "
                              "correlate inputs right after creating them", i);
  if (s->node.op == MC_MIX) luaL_error(L, "correlate: item %d is a mixture; correlate its components", i);
  if (s->node.op == MC_SRC && s->src.cop) luaL_error(L, "correlate: item %d is correlated already", i);
  if (j > 0) same_n(L, n, nof(s));
  return s;
}

/* Data given in order becomes data resampled through the copula (its
** quantile function is the sorted data). */
static void data_to_source(Samples *s) {
  if (s->node.op != MC_DATA) return;
  s->src.kind = MK_EMPIRICAL;
  s->src.values = s->node.vals;
  s->src.nvalues = s->node.n;
  s->node.vals = NULL;
  s->node.op = MC_SRC;
  s->node.src = &s->src;
}

/* correlate({a, b, ...}, rho or matrix): a Gaussian copula. Each input
** keeps its distribution; its samples become its quantiles at Phi(w_j),
** w = L z, so that the rank correlations approach the target and every
** block can still be drawn alone. Inputs must be fresh: not yet used in
** any calculation (what was computed from them would not see it). */
static int s_correlate(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  size_t k = (size_t)luaL_len(L, 1), n = 0;
  if (k < 2 || k > 100) return luaL_error(L, "correlate: needs 2 to 100 uncertain inputs");
  Samples **items = lua_newuserdatauv(L, k * sizeof(Samples *), 0);   /* 3 */
  double *t = lua_newuserdatauv(L, 2 * k * k * sizeof(double), 0);     /* 4 */
  luaL_checkstack(L, (int)k + 4, "correlate");
  for (size_t j = 0; j < k; j++) {
    lua_geti(L, 1, (lua_Integer)j + 1);
    items[j] = corr_item(L, j, n, NULL);
    if (j == 0) n = nof(items[0]);
    for (size_t i = 0; i < j; i++)
      if (items[i] == items[j]) return luaL_error(L, "correlate: item %d appears twice", (int)j + 1);
  }
  read_target(L, 2, k, t);
  dist_check(L, "correlate", dist_copula_factor(t, k, t + k * k));
  McEngine *E = eng(L);
  int st = DIST_OK;
  for (size_t j = 0; j < k && st == DIST_OK; j++) {   /* quantile tables, before any change */
    Samples *it = items[j];
    McSource tmp = it->src;
    if (it->node.op == MC_DATA) {
      memset(&tmp, 0, sizeof tmp);
      tmp.kind = MK_EMPIRICAL; tmp.values = it->node.vals; tmp.nvalues = it->node.n;
    }
    st = mc_copula_prepare(&tmp);
    it->src.inv = tmp.inv;
  }
  McCopula *g = st ? NULL : deal_alloc(&deal_budget, NULL, 0, sizeof *g);
  if (g) {
    memset(g, 0, sizeof *g);
    g->L = deal_alloc(&deal_budget, NULL, 0, k * k * sizeof(double));
    g->members = deal_alloc(&deal_budget, NULL, 0, k * sizeof *g->members);
    if (!g->L || !g->members) {
      if (g->L) deal_alloc(&deal_budget, g->L, k * k * sizeof(double), 0);
      if (g->members) deal_alloc(&deal_budget, g->members, k * sizeof *g->members, 0);
      deal_alloc(&deal_budget, g, sizeof *g, 0);
      g = NULL;
    }
  }
  if (!g) {                                  /* nothing changed: drop the tables of data */
    for (size_t j = 0; j < k; j++)
      if (items[j]->node.op == MC_DATA && items[j]->src.inv) {
        free_any(items[j]->src.inv, nof(items[j]) * sizeof(double));
        items[j]->src.inv = NULL;
      }
    dist_check(L, "correlate", st ? st : DIST_ENOMEM);
  }
  memcpy(g->L, t + k * k, k * k * sizeof(double));
  g->k = (int)k;
  for (size_t j = 0; j < k; j++) {
    Samples *it = items[j];
    data_to_source(it);
    mc_forget(E, &it->node);                 /* its samples change */
    it->src.cop = g;
    it->src.cop_i = (int)j;
    g->members[j] = &it->node;
    g->refs++;
  }
  lua_settop(L, 3 + (int)k + 1);
  return (int)k;
}

/* Records value at `v` under `name` if it is an input of `out` not yet named. */
static void note_input(lua_State *L, const Samples *out, int v, const char *name, int names) {
  Samples *s = stest(L, v);
  if (!s || !deps_has(out, s->id) || nof(s) != nof(out)) return;
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
  lua_pushglobaltable(L);                    /* the REPL's names are globals */
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (lua_type(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, out)) {
      const char *g = lua_tostring(L, -2);   /* anchored by the global table */
      lua_pop(L, 3);
      return g;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return NULL;
}

static void add_pad(luaL_Buffer *b, const char *s, int w) {
  luaL_addstring(b, s);
  for (int k = uwidth(s); k < w; k++) luaL_addchar(b, ' ');
}

/* sensitivity(out): which inputs move out most, by Spearman rank
** correlation (monotone effects of any shape, robust to heavy tails); the
** share column is rho^2 normalised, the usual "contribution to variance"
** reading. Prints a tornado and returns {{name=, rho=, share=, id=, input=},
** ...}: id and input are what `deal check --explain` pins. */
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
  lua_pushnil(L);                            /* the entries, in the order pairs gives */
  while (lua_next(L, 2)) { lua_rawseti(L, 3, ++k); }
  McNode **in = lua_newuserdatauv(L, (size_t)(k ? k : 1) * (sizeof(McNode *) + sizeof(double)), 0);
  double *rho = (double *)(void *)(in + (k ? k : 1));
  for (int i = 0; i < k; i++) {
    lua_rawgeti(L, 3, i + 1);
    lua_getfield(L, -1, "value");
    in[i] = &((Samples *)lua_touserdata(L, -1))->node;
    lua_pop(L, 2);
  }
  engine_check(L, "sensitivity", mc_sensitivity(eng(L), &out->node, in, k, rho));
  for (int i = 0; i < k; i++) {
    lua_rawgeti(L, 3, i + 1);
    double r = isnan(rho[i]) ? 0 : rho[i];   /* a constant input or output: 0 */
    lua_pushnumber(L, r);
    lua_setfield(L, -2, "rho");
    lua_pop(L, 1);
    tot += r * r;
  }
  lua_pop(L, 1);
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
    lua_getfield(L, -1, "value");               /* the input itself, and its id */
    lua_pushinteger(L, (lua_Integer)((Samples *)lua_touserdata(L, -1))->id);
    lua_setfield(L, -3, "id");
    lua_setfield(L, -2, "input");
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
    lua_pushvalue(L, 3);                     /* the REPL need not echo the table */
    lua_setfield(L, LUA_REGISTRYINDEX, REG_SHOWN);
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
  if (!s && f == sqrt && (lua_isinteger(L, 1) || num_test(L, 1))) {
    lua_settop(L, 1);                        /* exact: sqrt(4) is 2, sqrt(4 m^2) 2 m */
    Num *a = num_test(L, 1);
    if (a ? mpq_sgn(a->q) < 0 : lua_tointeger(L, 1) < 0)   /* named sqrt, not num.sqrt */
      return arith_notreal(L, fname, 1, NAN);
    num_sqrt(L);
    Num *r = num_test(L, -1);
    lua_Integer v;
    if (r->exact && dim_iszero(&r->dim) && !r->hasdisp && num_tointeger(r, &v)) lua_pushinteger(L, v);
    return 1;
  }
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
  int op = plainlog ? MC_LOGB : f == sqrt ? MC_SQRT : f == exp ? MC_EXP : f == log ? MC_LOG : MC_ABS;
  Samples *r = snew(L, op, nof(s));
  r->dim = d;
  set_kid(L, 0, 1, 0);
  if (plainlog) set_kid(L, 1, 0, log(base));
  deps_or(r, s);
  s->combined = 1;
  validate(L, fname);
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
  if (a.s) same_n(L, nof(c), nof(a.s));
  if (b.s) same_n(L, nof(c), nof(b.s));
  Samples *r = snew(L, MC_WHERE, nof(c));
  set_kid(L, 0, 1, 0);
  set_kid(L, 1, a.s ? 2 : 0, a.c);
  set_kid(L, 2, b.s ? 3 : 0, b.c);
  r->dim = a.zero && !a.s ? b.dim : a.dim;
  r->isbool = (!a.s || a.s->isbool) && (!b.s || b.s->isbool) && (a.s || b.s) &&
              (a.s || lua_isboolean(L, 2)) && (b.s || lua_isboolean(L, 3));
  deps_or(r, c); deps_or(r, a.s); deps_or(r, b.s);
  c->combined = 1;
  if (a.s) a.s->combined = 1;
  if (b.s) b.s->combined = 1;
  if (r->isbool) r->node.flags |= MC_BOOL;
  validate(L, "where");
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
  lua_pushinteger(L, (lua_Integer)nof(luaL_checkudata(L, 1, SAMPLES_MT)));
  return 1;
}

/* x:sample(i): the i-th sample, with x's unit (an approximate quantity),
** or a boolean for an uncertain condition. For inspecting a run and for
** per-sample algorithms in the stdlib (finance's IRR fallback). */
static int s_sampleat(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= nof(s), 2, "sample index out of range");
  double v;
  engine_check(L, "sample", mc_sample(eng(L), &s->node, (size_t)i - 1, &v));
  if (s->isbool) lua_pushboolean(L, v != 0);
  else push_figure(L, 1, v, "sample");
  return 1;
}

/* x:to "TWh": the same samples shown in another unit. */
static int s_tounit(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  luaL_checkstring(L, 2);
  lua_settop(L, 2);
  lua_pushcfunction(L, units_to);              /* with a nominal figure: nothing forced */
  push_figure(L, 1, 1.0, "to");
  lua_pushvalue(L, 2);
  if (lua_pcall(L, 2, 1, 0) != LUA_OK) {       /* again with the mean, for the message */
    lua_settop(L, 2);
    double m = summary(L, 1, "to")->mean;
    lua_pushcfunction(L, units_to);
    push_figure(L, 1, isfinite(m) ? m : 0, "to");
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
  }
  Num *c = num_check(L, -1);
  if (!dim_eq(&c->dim, &s->dim))
    return luaL_error(L, "to: converting uncertain values between currencies is not supported");
  Samples *r = snew(L, MC_VIEW, nof(s));         /* 4: the same samples */
  r->node.nkid = 1;
  r->node.kid[0] = &s->node;
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, 4, 4);
  r->dim = s->dim;
  r->isbool = s->isbool;
  r->node.flags = s->node.flags;
  r->id = s->id;
  memcpy(r->deps, s->deps, sizeof r->deps);
  r->autop = c->autop;
  lua_pushstring(L, disp(L, 3));
  lua_setiuservalue(L, 4, 1);
  lua_getiuservalue(L, 1, 3);
  lua_setiuservalue(L, 4, 3);
  r->combined = s->combined = 1;             /* two views of one input: never reorder */
  return 1;
}

/* }====== */

/* {====== settings and test helpers ====== */
int samples_fit(long n, size_t max_memory, char *why, size_t size) {
  /* an eighth of the limit is left for the model itself */
  size_t room = max_memory - max_memory / 8, need = mc_bytes_needed((size_t)n);
  if (!max_memory || need <= room) return 1;
  size_t fit = 0;
  while (mc_bytes_needed(fit + 1) <= room && fit < (size_t)n) {   /* the largest that fits */
    size_t step = 1;
    while (fit + 2 * step < (size_t)n && mc_bytes_needed(fit + 2 * step) <= room) step *= 2;
    fit += step;
  }
  char b[32];
  snprintf(why, size, "needs at least %.0f MB (one value held in full, and ranks for sensitivity); "
           "--max-memory %.0f MB allows at most %s samples", (double)need / 1048576.0,
           (double)max_memory / 1048576.0, grouped(b, sizeof b, (uint64_t)fit));
  return 0;
}

static int s_samples(lua_State *L) {
  HostOptions *o = host_options(L);
  if (!lua_isnoneornil(L, 1)) {
    double v = plain_arg(L, 1, "deal.samples", "the sample count");
    char why[200];
    if (!(v >= 1 && v <= (double)DEAL_MAX_SAMPLES) || v != floor(v))
      return luaL_error(L, "deal.samples: expects a whole number from 1 to " DEAL_MAX_SAMPLES_TEXT);
    if (!samples_fit((long)v, o->max_memory == HOST_UNLIMITED ? 0 : o->max_memory, why, sizeof why))
      return luaL_error(L, "deal.samples(%d) %s", (int)v, why);
    o->samples = (long)v;
    shard_setup(eng(L), o);
  }
  lua_pushinteger(L, (lua_Integer)count(L));
  return 1;
}

/* deal.seed(N): inputs made from now on draw from N's streams, numbered
** from the start again (the same script after deal.seed(7) repeats). */
static int s_seed(lua_State *L) {
  HostOptions *o = host_options(L);
  if (!lua_isnoneornil(L, 1)) {
    double v = plain_arg(L, 1, "deal.seed", "the seed");
    if (!(v >= 0 && v < 18446744073709551616.0) || v != floor(v))
      return luaL_error(L, "deal.seed: expects a non-negative whole number");
    o->seed = lua_isinteger(L, 1) ? (unsigned long long)lua_tointeger(L, 1) : (unsigned long long)v;
    MC *m = mc(L);
    m->seed = o->seed;
    m->stream = 0;
  }
  lua_pushinteger(L, (lua_Integer)o->seed);
  return 1;
}

/* What a samples userdata owns besides itself: its source's tables, a
** mixture's operand arrays, data, cached values, its share of a copula. */
static int s_gc(lua_State *L) {
  Samples *s = lua_touserdata(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, REG_MC);
  MC *m = lua_touserdata(L, -1);
  McEngine *E = m && !m->closed ? &m->engine : NULL;
  McNode *x = &s->node;
  if (E) mc_forget(E, x);
  else if (x->sum) free_any(x->sum, sizeof *x->sum);
  x->sum = NULL;
  if (x->op == MC_DATA) free_any(x->vals, x->n * sizeof(double));
  x->vals = NULL;
  if (x->src == &s->src) {
    if (s->src.cop) copula_release(s->src.cop);
    mc_source_free(&s->src);
  }
  free_any(x->kids, x->kids ? x->nkid * sizeof *x->kids : 0);
  free_any(x->c_mix, x->c_mix ? x->nkid * sizeof *x->c_mix : 0);
  x->kids = NULL;
  x->c_mix = NULL;
  x->src = NULL;
  if (s->grid) { mc_grid_free(s->grid); free(s->grid); s->grid = NULL; }
  return 0;
}

/* The engine goes with the state (after every value: it was made first). */
static int mc_gc(lua_State *L) {
  MC *m = lua_touserdata(L, 1);
  if (m->closed) return 0;
  mc_cache_close(&m->engine);
  mc_engine_close(&m->engine);
  m->closed = 1;
  return 0;
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
  double p[4] = {0, 0, 0, 4}, d, *v;
  int owned;
  for (int i = 0; i < 4; i++) if (!lua_isnoneornil(L, 3 + i)) p[i] = luaL_checknumber(L, 3 + i);
  engine_check(L, "ks", mc_values(eng(L), &s->node, &v, &owned));
  int st = dist_ks(v, nof(s), fns[k], p, &d);
  mc_values_done(eng(L), &s->node, v, owned);
  dist_check(L, "ks", st);
  lua_pushnumber(L, d);
  lua_pushnumber(L, d * sqrt((double)nof(s)));
  return 2;
}

/* __deal.spearman(x, y): rank correlation of two uncertain values. */
static int s_spearman(lua_State *L) {
  Samples *a = luaL_checkudata(L, 1, SAMPLES_MT), *b = luaL_checkudata(L, 2, SAMPLES_MT);
  same_n(L, nof(a), nof(b));
  double rho;
  engine_check(L, "spearman", mc_spearman(eng(L), &a->node, &b->node, &rho));
  lua_pushnumber(L, rho);
  return 1;
}

/* __deal.sample(x, i): the i-th sample as a float in base units (tests). */
static int s_sample(lua_State *L) {
  Samples *s = luaL_checkudata(L, 1, SAMPLES_MT);
  lua_Integer i = luaL_checkinteger(L, 2);
  luaL_argcheck(L, i >= 1 && (size_t)i <= nof(s), 2, "index out of range");
  double v;
  engine_check(L, "sample", mc_sample(eng(L), &s->node, (size_t)i - 1, &v));
  lua_pushnumber(L, v);
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
  {"__gc", s_gc}, {NULL, NULL}
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
  memset(m, 0, sizeof *m);
  mc_engine_init(&m->engine);
  mc_cache_setup(&m->engine, o->max_memory == HOST_UNLIMITED ? 0 : o->max_memory);
  m->engine.due = limits_due;
  shard_setup(&m->engine, o);
  m->seed = o->seed;
  lua_newtable(L);
  lua_pushcfunction(L, mc_gc);
  lua_setfield(L, -2, "__gc");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_MC);
  lua_newtable(L);                              /* inputs, weak values */
  lua_newtable(L);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_INPUTS);
  lua_newtable(L);                              /* conditions, weak values */
  lua_newtable(L);
  lua_pushliteral(L, "v");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_CONDS);
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
