/*
** vm/arith.c
** The value algebra: one set of rules for integers, floats, exact nums,
** quantities and uncertain samples. Plain-Lua metamethods on num and the
** .deal runtime (__deal.ops) both come here, so `a + b` means the same in
** a model and in a stdlib module.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "arith.h"
#include "samples.h"
#include "units.h"

SamplesHooks samples_hooks;

enum { T_INT, T_FLT, T_NUM, T_SAMP, T_OTHER };

static int kind(lua_State *L, int i) {
  switch (lua_type(L, i)) {
    case LUA_TNUMBER: return lua_isinteger(L, i) ? T_INT : T_FLT;
    case LUA_TUSERDATA:
      if (num_fast(L, i)) return T_NUM;
      if (luaL_testudata(L, i, SAMPLES_MT)) return T_SAMP;
      return T_OTHER;
    default: return T_OTHER;
  }
}

static const char *event_name(int op) {
  static const char *const ev[] = {"__add", "__sub", "__mul", "__mod", "__pow", "__div",
                                   "__idiv", "__band", "__bor", "__bxor", "__shl", "__shr",
                                   "__unm", "__bnot"};
  return (op >= 0 && op <= LUA_OPBNOT) ? ev[op] : "__add";
}

/* {====== shared rules ====== */
const char *arith_opsym(int op) {
  switch (op) {
    case LUA_OPADD: return "+"; case LUA_OPSUB: return "-"; case LUA_OPMUL: return "*";
    case LUA_OPMOD: return "%"; case LUA_OPPOW: return "^"; case LUA_OPDIV: return "/";
    case LUA_OPIDIV: return "//"; case LUA_OPUNM: return "-";
    case SOP_EQ: return "=="; case SOP_NE: return "~="; case SOP_LT: return "<";
    case SOP_LE: return "<="; case SOP_NOT: return "not"; case SOP_AND: return "and";
    case SOP_OR: return "or";
    default: return "?";
  }
}

const char *arith_opverb(int op) {
  switch (op) {
    case LUA_OPADD: return "add"; case LUA_OPSUB: return "subtract";
    case LUA_OPMUL: return "multiply"; case LUA_OPMOD: return "take the remainder of";
    case LUA_OPPOW: return "raise"; case LUA_OPDIV: case LUA_OPIDIV: return "divide";
    case LUA_OPUNM: return "negate";
    case SOP_EQ: case SOP_NE: case SOP_LT: case SOP_LE: return "compare";
    default: return "combine";
  }
}

int arith_notreal(lua_State *L, const char *fname, int nargs, double v) {
  luaL_Buffer b;
  double x = 0, base = 2;
  for (int i = 1; i <= nargs; i++) {       /* a num argument counts by value */
    Num *n = num_test(L, i);
    double d = n ? mpq_get_d(n->q) : lua_tonumber(L, i);
    if (i == 1) x = d; else base = d;
  }
  luaL_buffinit(L, &b);
  luaL_addstring(&b, fname);
  luaL_addchar(&b, '(');
  for (int i = 1; i <= nargs; i++) {
    if (i > 1) luaL_addstring(&b, ", ");
    luaL_tolstring(L, i, NULL);
    luaL_addvalue(&b);
  }
  luaL_addchar(&b, ')');
  luaL_pushresult(&b);
  const char *what = isnan(v) ? "not a real number" : v < 0 ? "-infinity" : "too large";
  const char *why = nargs > 1 && (!(base > 0) || base == 1) ? " (the base must be positive and not 1)"
                  : isnan(v) && x < 0 ? " (negative argument)"
                  : v < 0 && x == 0 ? " (zero argument)"
                  : v > 0 ? " (beyond 1.8e308)" : "";
  return luaL_error(L, "%s: %s%s", lua_tostring(L, -1), what, why);
}

int arith_isplainzero(lua_State *L, int i) {
  if (lua_type(L, i) == LUA_TNUMBER) return lua_tonumber(L, i) == 0;
  Num *n = num_test(L, i);
  return n && dim_iszero(&n->dim) && mpq_sgn(n->q) == 0 && !n->hasdisp;
}

void arith_dim(lua_State *L, Dim *r, const Dim *a, const Dim *b, long sign) {
  const Dim *x = b ? b : a;             /* the side that sign multiplies */
  if (dim_iszero(x)) {                  /* plain numbers: the usual case */
    if (b) *r = *a; else memset(r, 0, sizeof *r);
    return;
  }
  if (sign > 2 * DIM_MAXEXP || sign < -2 * DIM_MAXEXP)   /* some |x*sign| > 254 */
    luaL_error(L, "unit exponent too large");
  int s = (int)sign, bad = 0;
  for (int k = 0; k < NDIM; k++) {
    int d = (b ? a->e[k] : 0) + x->e[k] * s;
    bad |= d > DIM_MAXEXP || d < -DIM_MAXEXP;
    r->e[k] = (int8_t)d;
  }
  if (bad) luaL_error(L, "unit exponent too large");
}
/* }====== */

/* Replaces an exact, plain, integral num on top with a Lua integer. */
static void normalize(lua_State *L) {
  Num *n = num_fast(L, -1);
  lua_Integer v;
  if (!n || !n->exact || !dim_iszero(&n->dim) || n->hasdisp   /* 5% keeps its num */
      || !num_tointeger(n, &v))
    return;
  lua_pop(L, 1);
  lua_pushinteger(L, v);
}

/* Copies the display unit of index from to the num at index to. */
static void copy_display(lua_State *L, int to, int from) {
  Num *f = num_test(L, from);
  if (!f) return;
  lua_getiuservalue(L, from, 1);
  lua_setiuservalue(L, to, 1);
  ((Num *)lua_touserdata(L, to))->autop = f->autop;
  ((Num *)lua_touserdata(L, to))->hasdisp = f->hasdisp;
}

/* Integer power with overflow detection; returns 0 on overflow. */
static int ipow(lua_Integer a, lua_Integer e, lua_Integer *r) {
  lua_Integer acc = 1;
  while (e > 0) {
    if (e & 1) { if (__builtin_mul_overflow(acc, a, &acc)) return 0; }
    e >>= 1;
    if (e && __builtin_mul_overflow(a, a, &a)) return 0;
  }
  *r = acc;
  return 1;
}

/* Both operands are Lua integers: exact, never wrapping. Returns 1 when the
** result was pushed, 0 when the num path must take over (overflow). */
static int int_arith(lua_State *L, int op) {
  lua_Integer a = lua_tointeger(L, 1), b = lua_tointeger(L, 2), r;
  switch (op) {
    case LUA_OPADD: if (__builtin_add_overflow(a, b, &r)) return 0; break;
    case LUA_OPSUB: if (__builtin_sub_overflow(a, b, &r)) return 0; break;
    case LUA_OPMUL: if (__builtin_mul_overflow(a, b, &r)) return 0; break;
    case LUA_OPDIV:
      if (b == 0) return luaL_error(L, "attempt to divide by zero");
      if (b == -1 || a % b != 0) return 0;
      r = a / b;
      break;
    case LUA_OPIDIV: case LUA_OPMOD:
      if (b == 0) return luaL_error(L, op == LUA_OPMOD ? "attempt to perform 'n%%%%0'" : "attempt to perform 'n//0'");
      lua_arith(L, op);
      return 1;
    case LUA_OPPOW:
      if (b < 0 || !ipow(a, b, &r)) return 0;
      break;
    case LUA_OPUNM: if (a == LUA_MININTEGER) return 0; r = -a; break;
    default: return 0;
  }
  lua_pushinteger(L, r);
  return 1;
}

/* x^e for an exact integer exponent e, with the size checked first. */
static void num_ipow(lua_State *L, Num *r, Num *x, long e) {
  double bits = (double)num_bits(x->q) * fabs((double)e);
  if (mpq_sgn(x->q) == 0 && e < 0) luaL_error(L, "attempt to divide by zero");
  if (mpz_cmpabs_ui(mpq_numref(x->q), 1) <= 0 && mpz_cmp_ui(mpq_denref(x->q), 1) == 0) bits = 2;
  num_checkbits(L, bits);
  arith_dim(L, &r->dim, &x->dim, NULL, e);
  unsigned long ue = (unsigned long)(e < 0 ? -e : e);
  mpz_pow_ui(mpq_numref(r->q), mpq_numref(x->q), ue);
  mpz_pow_ui(mpq_denref(r->q), mpq_denref(x->q), ue);
  if (e < 0) mpq_inv(r->q, r->q);
  mpq_canonicalize(r->q);
}

/* x^e for a whole exponent of any size. Bases 0, 1 and -1 give 0, 1 or
** +-1 exactly however large e is ((-1)^(2^70+1) is -1: a float would
** say 1); any other base raised to 2^62 or more is far beyond
** NUM_MAXBITS, so "number too large" before GMP runs. */
static void num_wholepow(lua_State *L, Num *r, Num *x, mpz_srcptr e) {
  if (mpz_sizeinbase(e, 2) < 62) { num_ipow(L, r, x, mpz_get_si(e)); return; }
  if (!dim_iszero(&x->dim)) luaL_error(L, "unit exponent too large");
  if (mpq_sgn(x->q) == 0) {
    if (mpz_sgn(e) < 0) luaL_error(L, "attempt to divide by zero");
    mpq_set_ui(r->q, 0, 1);
  } else if (mpz_cmpabs_ui(mpq_numref(x->q), 1) == 0 && mpz_cmp_ui(mpq_denref(x->q), 1) == 0) {
    mpq_set_si(r->q, mpq_sgn(x->q) < 0 && mpz_odd_p(e) ? -1 : 1, 1);
  } else {
    num_checkbits(L, (double)num_bits(x->q) * fabs(mpz_get_d(e)));
  }
}

/* An operand of the exact path: a num, or a Lua integer kept on the C
** stack (no userdata for the `k` in `s + 1/k`). */
typedef struct Opnd { Num *n; lua_Integer i; Dim zero; mpq_ptr t; int isint, idx; } Opnd;

/* Scratch rationals for integer operands: set, used and done with before
** anything can raise, so two statics serve every operation (no malloc). */
static mpq_t scratch[2];
static int scratch_ready;

static void opnd_get(lua_State *L, int idx, Opnd *o) {
  memset(&o->zero, 0, sizeof o->zero);
  o->isint = 0;
  o->idx = idx;
  o->n = num_fast(L, idx);
  if (o->n) {
    Num *n = o->n;
    if (!n->live) luaL_error(L, "attempt to use a finalized num");
    if (n->exact && !n->hasdisp && dim_iszero(&n->dim) && num_tointeger(n, &o->i)) {
      o->isint = 1;                             /* num(1) in one/k: an integer */
      o->n = NULL;
    }
    return;
  }
  if (lua_isinteger(L, idx)) { o->isint = 1; o->i = lua_tointeger(L, idx); return; }
  o->n = num_coerce(L, idx);                  /* a float: an inexact num */
  o->idx = lua_gettop(L);                     /* ...which lives here */
}
static const Dim *opnd_dim(Opnd *o) { return o->isint ? &o->zero : &o->n->dim; }
static int opnd_sgn(Opnd *o) { return o->isint ? (o->i > 0) - (o->i < 0) : mpq_sgn(o->n->q); }
static double opnd_bits(Opnd *o, int exact) {
  return o->isint ? 65 : (double)(exact ? num_bits(o->n->q) : num_bits_bound(o->n->q));
}
static int opnd_exact(Opnd *o) { return o->isint ? 1 : o->n->exact; }
/* Only after the result is pushed: nothing may raise while t is alive. */
static mpq_srcptr opnd_q(Opnd *o, int slot) {
  if (!o->isint) return o->n->q;
  if (!scratch_ready) { mpq_init(scratch[0]); mpq_init(scratch[1]); scratch_ready = 1; }
  o->t = scratch[slot];
  mpq_set_si(o->t, o->i, 1);
  return o->t;
}

void arith_drain(void) {
  if (scratch_ready) { mpq_clear(scratch[0]); mpq_clear(scratch[1]); scratch_ready = 0; }
}

/* Lua's collector counts only its own allocations, not GMP's limbs, so a
** loop making big rationals would leave megabytes of dead numbers behind
** and thrash the caches. Report the limbs as collector debt: one
** incremental step per ~32 KB of new limbs (measured: fewer steps starve
** the recycling pool of num.c, more steps cost collector time). */
static size_t gmp_debt;
static void gc_account(lua_State *L, Num *r) {
  gmp_debt += (mpz_size(mpq_numref(r->q)) + mpz_size(mpq_denref(r->q))) * sizeof(mp_limb_t);
  if (gmp_debt > 32768) {
    lua_gc(L, LUA_GCSTEP, (int)(gmp_debt / 1024));
    gmp_debt = 0;
  }
}

/* The rare cases of num_arith that need both operands as nums. */
static int num_arith_slow(lua_State *L, int op);

/* The exact path: at least one operand is a num (or an integer overflowed). */
static int num_arith(lua_State *L, int op) {
  Opnd A, B;
  if (op == LUA_OPIDIV || op == LUA_OPMOD || op == LUA_OPPOW || op == LUA_OPUNM)
    return num_arith_slow(L, op);
  opnd_get(L, 1, &A);
  opnd_get(L, 2, &B);
  int add = (op == LUA_OPADD || op == LUA_OPSUB);
  if (add && !dim_eq(opnd_dim(&A), opnd_dim(&B))) return num_arith_slow(L, op);
  if (op == LUA_OPDIV && opnd_sgn(&B) == 0) return luaL_error(L, "attempt to divide by zero");
  double bits = opnd_bits(&A, 0) + opnd_bits(&B, 0) + 2;     /* cheap bound first */
  if (bits > (double)NUM_MAXBITS / 2) bits = opnd_bits(&A, 1) + opnd_bits(&B, 1) + 2;
  num_checkbits(L, bits);
  Dim rd;
  if (!add) arith_dim(L, &rd, opnd_dim(&A), opnd_dim(&B), op == LUA_OPMUL ? 1 : -1);
  else rd = *opnd_dim(&A);
  Num *r = num_push(L);
  int ir = lua_gettop(L);
  r->exact = opnd_exact(&A) && opnd_exact(&B);
  r->dim = rd;
  if (op == LUA_OPDIV && A.isint && B.isint) {   /* 1/k: reduce in C, no GMP gcd */
    unsigned long long x = A.i < 0 ? 0ULL - (unsigned long long)A.i : (unsigned long long)A.i;
    unsigned long long y = B.i < 0 ? 0ULL - (unsigned long long)B.i : (unsigned long long)B.i;
    unsigned long long a = x, b = y;
    while (b) { unsigned long long t = a % b; a = b; b = t; }
    mpz_set_ui(mpq_numref(r->q), (unsigned long)(x / a));
    mpz_set_ui(mpq_denref(r->q), (unsigned long)(y / a));
    if ((A.i < 0) != (B.i < 0)) mpq_neg(r->q, r->q);
    gc_account(L, r);
    return 1;
  }
  mpq_srcptr qa = opnd_q(&A, 0), qb = opnd_q(&B, 1);
  switch (op) {
    case LUA_OPADD: mpq_add(r->q, qa, qb); break;
    case LUA_OPSUB: mpq_sub(r->q, qa, qb); break;
    case LUA_OPMUL: mpq_mul(r->q, qa, qb); break;
    default: mpq_div(r->q, qa, qb); break;
  }
  gc_account(L, r);
  if (dim_iszero(&rd) && !(A.n && num_display(L, A.idx)) && !(B.n && num_display(L, B.idx))) return 1;
  if (add) copy_display(L, ir, A.n ? A.idx : B.idx);
  else if (A.n || B.n) {
    int ia = A.idx, ib = B.idx;
    if (!A.n) { num_coerce(L, 1); ia = lua_gettop(L); }
    if (!B.n) { num_coerce(L, 2); ib = lua_gettop(L); }
    num_combine_display(L, ir, ia, ib, op == LUA_OPMUL ? 1 : -1);
    lua_settop(L, ir);
  }
  return 1;
}

static int num_arith_slow(lua_State *L, int op) {
  Num *a = num_coerce(L, 1);            /* index 3 */
  Num *b = num_coerce(L, 2);            /* index 4 */
  int ia = lua_gettop(L) - 1, ib = ia + 1;
  int add = (op == LUA_OPADD || op == LUA_OPSUB);
  if ((add || op == LUA_OPMOD) && !dim_eq(&a->dim, &b->dim)) {
    if (add && arith_isplainzero(L, 1)) { lua_pushvalue(L, ib); if (op == LUA_OPSUB) { lua_settop(L, 2); lua_arith(L, LUA_OPUNM); } return 1; }
    if (add && arith_isplainzero(L, 2)) { lua_pushvalue(L, ia); return 1; }
    Num *c = num_push(L);               /* the right side in the left's currency */
    mpq_set(c->q, b->q); c->dim = b->dim; c->exact = b->exact;
    if (!units_fx_convert(L, c, &a->dim))
      return units_mismatch(L, arith_opverb(op), arith_opsym(op), 1, 2);
    b = c; ib = lua_gettop(L);
  }
  if ((op == LUA_OPDIV || op == LUA_OPIDIV || op == LUA_OPMOD) && mpq_sgn(b->q) == 0)
    return luaL_error(L, "attempt to divide by zero");
  if (op == LUA_OPPOW && !dim_iszero(&b->dim))
    return luaL_error(L, "cannot raise to a power with a unit: %s ^ %s", luaL_tolstring(L, 1, NULL), luaL_tolstring(L, 2, NULL));
  if (op == LUA_OPIDIV && !dim_eq(&a->dim, &b->dim))
    return units_mismatch(L, "divide", "//", 1, 2);
  double bits = (double)num_bits(a->q) + (double)num_bits(b->q) + 2;
  if (op != LUA_OPPOW) num_checkbits(L, bits);
  Num *r = num_push(L);
  int ir = lua_gettop(L);
  r->exact = a->exact && b->exact;
  switch (op) {
    case LUA_OPADD: mpq_add(r->q, a->q, b->q); r->dim = a->dim; copy_display(L, ir, ia); break;
    case LUA_OPSUB: mpq_sub(r->q, a->q, b->q); r->dim = a->dim; copy_display(L, ir, ia); break;
    case LUA_OPMUL: case LUA_OPDIV: {
      int s = op == LUA_OPMUL ? 1 : -1;
      if (op == LUA_OPMUL) mpq_mul(r->q, a->q, b->q); else mpq_div(r->q, a->q, b->q);
      arith_dim(L, &r->dim, &a->dim, &b->dim, s);
      num_combine_display(L, ir, ia, ib, s);
      break;
    }
    case LUA_OPIDIV: case LUA_OPMOD: {
      mpz_t q;
      mpz_init(q);
      mpq_div(r->q, a->q, b->q);
      mpz_fdiv_q(q, mpq_numref(r->q), mpq_denref(r->q));
      if (op == LUA_OPIDIV) mpq_set_z(r->q, q);
      else {                            /* a - floor(a/b)*b, in a's unit */
        mpq_set_z(r->q, q);
        mpq_mul(r->q, r->q, b->q);
        mpq_sub(r->q, a->q, r->q);
        r->dim = a->dim;
        copy_display(L, ir, ia);
      }
      mpz_clear(q);
      break;
    }
    case LUA_OPPOW: {
      if (mpz_cmp_ui(mpq_denref(b->q), 1) == 0) {   /* whole: exact (2^2.0 too) */
        num_wholepow(L, r, a, mpq_numref(b->q));
        r->exact = a->exact && b->exact;
        if (!dim_iszero(&r->dim)) num_combine_display(L, ir, ia, 0, (int)mpz_get_si(mpq_numref(b->q)));
      } else {
        if (!dim_iszero(&a->dim))
          return luaL_error(L, "cannot raise %s to a non-integer power", luaL_tolstring(L, 1, NULL));
        double v = mpq_sgn(a->q) < 0 ? NAN : pow(mpq_get_d(a->q), mpq_get_d(b->q));
        if (!num_fromdouble(v, r->q))
          return luaL_error(L, isnan(v) ? "result is not a real number: %s ^ %s" : "result too large: %s ^ %s",
                            luaL_tolstring(L, 1, NULL), luaL_tolstring(L, 2, NULL));
        r->exact = 0;
      }
      break;
    }
    case LUA_OPUNM: mpq_neg(r->q, a->q); r->dim = a->dim; copy_display(L, ir, ia); break;
  }
  return 1;
}

/* Neither side is a num or samples: Lua's own rules. Errors are raised
** here rather than by lua_arith, whose messages would lack the script's
** file:line (a C function has no line). */
static int arith_lua(lua_State *L, int op) {
  const char *ev = event_name(op);
  int bad = 0;
  for (int i = 1; i <= 2; i++) {
    int t = lua_type(L, i);
    if (t == LUA_TNUMBER) continue;
    if (t == LUA_TSTRING) {
      size_t len;
      const char *s = lua_tolstring(L, i, &len);
      if (lua_stringtonumber(L, s) == len + 1) { lua_pop(L, 1); continue; }
    }
    if (luaL_getmetafield(L, i, ev) != LUA_TNIL) { lua_pop(L, 1); lua_arith(L, op); return 1; }
    if (!bad) bad = i;
  }
  if (bad) return luaL_error(L, "attempt to perform arithmetic on a %s value", luaL_typename(L, bad));
  lua_arith(L, op);
  return 1;
}

int arith_op(lua_State *L, int op, int norm) {
  lua_settop(L, 2);
  int ka = kind(L, 1), kb = kind(L, 2);
  if (ka == T_INT && kb == T_INT) {
    if (int_arith(L, op)) return 1;
  } else if (ka == T_SAMP || kb == T_SAMP) {
    return samples_hooks.arith(L, op);
  } else if (ka == T_OTHER || kb == T_OTHER) {
    if (ka == T_NUM || kb == T_NUM) {   /* the other side's metamethod, if any */
      int i = ka == T_OTHER ? 1 : 2;
      if (lua_type(L, i) == LUA_TSTRING) {   /* never the string metatable: it
                                              ** calls num's __mul back */
        size_t len;
        const char *str = lua_tolstring(L, i, &len);
        if (lua_stringtonumber(L, str) == len + 1) { lua_replace(L, i); return arith_op(L, op, norm); }
        return luaL_error(L, "attempt to perform arithmetic on a string value");
      }
      if (luaL_getmetafield(L, i, event_name(op)) == LUA_TNIL)
        return luaL_error(L, "attempt to perform arithmetic on a %s value", luaL_typename(L, i));
      lua_insert(L, 1);
      lua_call(L, 2, 1);                /* never lua_arith: num's own __add would recurse */
      return 1;
    }
    return arith_lua(L, op);
  } else if (ka != T_NUM && kb != T_NUM && !(op == LUA_OPDIV && ka == T_INT && kb == T_INT)) {
    lua_arith(L, op);                   /* floats: Lua's own rules */
    return 1;
  }
  num_arith(L, op);
  if (norm) normalize(L);
  return 1;
}

/* Comparison of values: nums by value (dimension-checked), everything else
** as Lua does. Pushes a boolean (or an uncertain boolean). */
int arith_compare(lua_State *L, int op) {
  lua_settop(L, 2);
  int ka = kind(L, 1), kb = kind(L, 2);
  if (ka == T_SAMP || kb == T_SAMP) {
    return samples_hooks.arith(L, op == LUA_OPEQ ? SOP_EQ : op == LUA_OPLT ? SOP_LT : SOP_LE);
  }
  if ((ka == T_NUM && kb <= T_NUM) || (kb == T_NUM && ka <= T_NUM)) {
    Num *a = num_coerce(L, 1), *b = num_coerce(L, 2);
    /* A plain 0 meets any dimension in every comparison, == too ($0 == 0,
    ** as $0 <= 0); other values of two dimensions are never equal. */
    if (!dim_eq(&a->dim, &b->dim) && !arith_isplainzero(L, 1) && !arith_isplainzero(L, 2)) {
      if (op == LUA_OPEQ) { lua_pushboolean(L, 0); return 1; }
      return units_mismatch(L, "compare", op == LUA_OPLT ? "<" : "<=", 1, 2);
    }
    int c = mpq_cmp(a->q, b->q);
    lua_pushboolean(L, op == LUA_OPEQ ? c == 0 : op == LUA_OPLT ? c < 0 : c <= 0);
    return 1;
  }
  if (ka == T_NUM || kb == T_NUM) {       /* num with a string, table...: never recurse */
    int o = ka == T_NUM ? 2 : 1;
    const char *ev = op == LUA_OPEQ ? "__eq" : op == LUA_OPLT ? "__lt" : "__le";
    if (op != LUA_OPEQ && luaL_getmetafield(L, o, ev) != LUA_TNIL) {
      lua_insert(L, 1);
      lua_call(L, 2, 1);
      lua_pushboolean(L, lua_toboolean(L, -1));
      return 1;
    }
    if (op == LUA_OPEQ) { lua_pushboolean(L, 0); return 1; }
    return luaL_error(L, "attempt to compare %s with %s", luaL_typename(L, 1), luaL_typename(L, 2));
  }
  if (op != LUA_OPEQ && !((ka <= T_FLT && kb <= T_FLT) ||
                           (lua_type(L, 1) == LUA_TSTRING && lua_type(L, 2) == LUA_TSTRING))) {
    const char *ev = op == LUA_OPLT ? "__lt" : "__le";
    int has = 0;
    for (int i = 1; i <= 2 && !has; i++)
      if (luaL_getmetafield(L, i, ev) != LUA_TNIL) { lua_pop(L, 1); has = 1; }
    if (!has) {                   /* Lua's wording, with the script's line */
      const char *t1 = luaL_typename(L, 1), *t2 = luaL_typename(L, 2);
      if (strcmp(t1, t2) == 0) return luaL_error(L, "attempt to compare two %s values", t1);
      return luaL_error(L, "attempt to compare %s with %s", t1, t2);
    }
  }
  lua_pushboolean(L, lua_compare(L, 1, 2, op));
  return 1;
}

/* {====== metamethods of nums and uncertain values (plain Lua) ====== */
static int m_add(lua_State *L) { return arith_op(L, LUA_OPADD, 0); }
static int m_sub(lua_State *L) { return arith_op(L, LUA_OPSUB, 0); }
static int m_mul(lua_State *L) { return arith_op(L, LUA_OPMUL, 0); }
static int m_div(lua_State *L) { return arith_op(L, LUA_OPDIV, 0); }
static int m_idiv(lua_State *L) { return arith_op(L, LUA_OPIDIV, 0); }
static int m_mod(lua_State *L) { return arith_op(L, LUA_OPMOD, 0); }
static int m_pow(lua_State *L) { return arith_op(L, LUA_OPPOW, 0); }
static int m_unm(lua_State *L) { return arith_op(L, LUA_OPUNM, 0); }
/* Plain Lua turns whatever __eq/__lt return into true or false, so an
** uncertain comparison cannot be lifted there: say so instead of answering
** "true". (.deal code lifts comparisons through the runtime.) */
int uncertain_condition(lua_State *L, int i) {
  char pb[32];                     /* lua_pushfstring has no %.2f */
  snprintf(pb, sizeof pb, "%.2f", samples_hooks.prob(L, i));
  return luaL_error(L, "uncertain condition (P \xE2\x89\x88 %s) used as true/false: use P(...) or where(...)", pb);
}

int uncertain_compare(lua_State *L, int sop) {
  lua_settop(L, 2);
  samples_hooks.arith(L, sop);
  return uncertain_condition(L, -1);
}

static int plain_compare(lua_State *L, int op) {
  if (kind(L, 1) == T_SAMP || kind(L, 2) == T_SAMP)
    return uncertain_compare(L, op == LUA_OPEQ ? SOP_EQ : op == LUA_OPLT ? SOP_LT : SOP_LE);
  return arith_compare(L, op);
}
static int m_eq(lua_State *L) { return plain_compare(L, LUA_OPEQ); }
static int m_lt(lua_State *L) { return plain_compare(L, LUA_OPLT); }
static int m_le(lua_State *L) { return plain_compare(L, LUA_OPLE); }

const luaL_Reg arith_metamethods[] = {
  {"__add", m_add}, {"__sub", m_sub}, {"__mul", m_mul}, {"__div", m_div},
  {"__idiv", m_idiv}, {"__mod", m_mod}, {"__pow", m_pow}, {"__unm", m_unm},
  {"__eq", m_eq}, {"__lt", m_lt}, {"__le", m_le},
  {NULL, NULL}
};
/* }====== */
