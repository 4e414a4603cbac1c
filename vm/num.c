/*
** vm/num.c
** The `num` userdata and the `num` library: constructors, conversions,
** printing, and the metatable that routes operators to arith.c.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "num.h"
#include "alloc.h"
#include "runlimits.h"

Num *units_pushparse(lua_State *L, const char *s, size_t len, const char *what);
int units_to(lua_State *L);

/* {====== the userdata ====== */
/* Rationals of collected nums, kept with their limbs: the next result
** reuses a warm buffer instead of malloc, which halved the cost of loops
** such as the harmonic sum. Drained when the state closes. */
#define POOL 64
static mpq_t pool[POOL];
static int npool;

void num_pool_drain(void) {
  while (npool > 0) mpq_clear(pool[--npool]);
}

static const void *num_mt;

Num *num_push(lua_State *L) {
  Num *n = lua_newuserdatauv(L, sizeof(Num), 1);
  n->live = 0;                      /* not yet initialised: __gc skips it */
  lua_rawgetp(L, LUA_REGISTRYINDEX, &num_mt);
  lua_setmetatable(L, -2);
  if (npool > 0) {
    memcpy(n->q, pool[--npool], sizeof(mpq_t));
    mpq_set_ui(n->q, 0, 1);
  } else mpq_init(n->q);
  memset(&n->dim, 0, sizeof n->dim);
  n->exact = 1;
  n->autop = 0;
  n->hasdisp = 0;
  n->live = 1;
  return n;
}

/* The num metatable, compared by identity: luaL_testudata looks the name up
** in the registry on every call, which dominated exact loops. */

Num *num_fast(lua_State *L, int i) {
  if (lua_type(L, i) != LUA_TUSERDATA || !lua_getmetatable(L, i)) return NULL;
  const void *mt = lua_topointer(L, -1);
  lua_pop(L, 1);
  return mt == num_mt ? lua_touserdata(L, i) : NULL;
}

Num *num_test(lua_State *L, int i) {
  Num *n = num_fast(L, i);
  if (n && !n->live) luaL_error(L, "attempt to use a finalized num");
  return n;
}

Num *num_check(lua_State *L, int i) {
  Num *n = luaL_checkudata(L, i, NUM_MT);
  if (!n->live) luaL_error(L, "attempt to use a finalized num");
  return n;
}

const char *num_display(lua_State *L, int i) {
  const char *s = NULL;
  Num *n = lua_touserdata(L, i);
  if (n && !n->hasdisp && num_fast(L, i)) return NULL;   /* most nums: no lookup */
  if (lua_getiuservalue(L, i, 1) == LUA_TSTRING) s = lua_tostring(L, -1);
  lua_pop(L, 1);                    /* the string stays alive in the uservalue */
  return s;
}

void num_setdisplay(lua_State *L, int numidx, const char *s, int autop) {
  numidx = lua_absindex(L, numidx);
  Num *n = lua_touserdata(L, numidx);
  if (s) lua_pushstring(L, s); else lua_pushnil(L);
  lua_setiuservalue(L, numidx, 1);
  n->autop = (unsigned char)autop;
  n->hasdisp = s != NULL;
}

size_t num_bits(const mpq_t q) {
  return mpz_sizeinbase(mpq_numref(q), 2) + mpz_sizeinbase(mpq_denref(q), 2);
}

/* An upper bound from the limb counts: cheap enough for every operation. */
size_t num_bits_bound(const mpq_t q) {
  return (mpz_size(mpq_numref(q)) + mpz_size(mpq_denref(q))) * GMP_NUMB_BITS;
}

/* A GMP call cannot be interrupted: before a large one (~0.01 s and up;
** at NUM_MAXBITS a gcd takes ~2.5 s), the time limit and Ctrl-C are
** checked, so a loop of large steps inside one C function stops between
** them. One that runs past the deadline is the watchdog's (runlimits.h). */
#define NUM_CHECKED_BITS (1UL << 18)

void num_checkbits(lua_State *L, double bits) {
  if (bits > (double)NUM_MAXBITS) {
    char buf[64];
    snprintf(buf, sizeof buf, "%.3g", bits);
    luaL_error(L, "number too large (about %s bits; the limit is %d bits)", buf, (int)NUM_MAXBITS);
  }
  if (bits / 8 * 4 > (double)alloc_room())      /* result and temporaries */
    luaL_error(L, "not enough memory");
  if (bits >= (double)NUM_CHECKED_BITS) limits_check(L);
}

static int n_gc(lua_State *L) {
  Num *n = luaL_testudata(L, 1, NUM_MT);
  if (n && n->live) {
    if (npool < POOL && mpz_size(mpq_numref(n->q)) < 4096) memcpy(pool[npool++], n->q, sizeof(mpq_t));
    else mpq_clear(n->q);
    n->live = 0;
  }
  return 0;
}
/* }====== */

/* A fresh num holding the value at index i (integer, float, num, or a
** numeric string). Floats enter through their shortest decimal, inexact. */
Num *num_coerce(lua_State *L, int i) {
  i = lua_absindex(L, i);
  Num *src = num_test(L, i);
  if (src) { lua_pushvalue(L, i); return src; }
  if (lua_type(L, i) == LUA_TNUMBER) {
    if (lua_isinteger(L, i)) {
      lua_Integer v = lua_tointeger(L, i);
      Num *n = num_push(L);
      if (v >= 0) mpz_set_ui(mpq_numref(n->q), (unsigned long)v);
      else { mpz_set_ui(mpq_numref(n->q), (unsigned long)(-(v + 1))); mpz_add_ui(mpq_numref(n->q), mpq_numref(n->q), 1); mpz_neg(mpq_numref(n->q), mpq_numref(n->q)); }
      return n;
    }
    double d = lua_tonumber(L, i);
    Num *n = num_push(L);
    if (!num_fromdouble(L, d, n->q))
      luaL_error(L, "%s has no exact value", isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf"));
    n->exact = 0;
    return n;
  }
  luaL_error(L, "attempt to perform arithmetic on a %s value", luaL_typename(L, i));
  return NULL;
}

/* num(x): from an integer, a float, a string or another num. */
static int num_call(lua_State *L) {
  lua_remove(L, 1);                 /* the num table itself (__call) */
  luaL_checkany(L, 1);
  if (lua_type(L, 1) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, 1, &len);
    units_pushparse(L, s, len, "bad argument #1 to 'num'");
    return 1;
  }
  if (lua_type(L, 1) != LUA_TNUMBER && !num_test(L, 1))
    return luaL_typeerror(L, 1, "number or string");
  num_coerce(L, 1);
  return 1;
}

static int n_tostring(lua_State *L) {
  num_check(L, 1);
  num_pushtext(L, 1);
  return 1;
}

static int n_concat(lua_State *L) {
  for (int i = 1; i <= 2; i++) {
    if (num_test(L, i)) { num_pushtext(L, i); lua_replace(L, i); }
    else if (!lua_isstring(L, i))
      return luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, i));
  }
  lua_concat(L, 2);
  return 1;
}

/* num.exact(x): "2/3" (with the unit for quantities, in base units). */
static int n_exact(lua_State *L) {
  Num *n = num_coerce(L, 1);
  char *s;
  size_t need = mpz_sizeinbase(mpq_numref(n->q), 10) + mpz_sizeinbase(mpq_denref(n->q), 10) + 3;
  if (need > 4000000) return luaL_error(L, "num.exact: number too long to print (%d digits)", (int)need);
  s = lua_newuserdatauv(L, need, 0);
  mpq_get_str(s, 10, n->q);
  lua_pushstring(L, s);
  return 1;
}

static int n_format(lua_State *L) {
  int digits = (int)luaL_optinteger(L, 2, 4);
  lua_settop(L, 1);
  Num *n = num_coerce(L, 1);
  int rounded;
  luaL_argcheck(L, digits >= 1 && digits <= 1000, 2, "digits must be between 1 and 1000");
  num_pushdecimal(L, n->q, digits, 0, 0, &rounded);
  return 1;
}

static int n_tofloat(lua_State *L) {
  Num *n = num_coerce(L, 1);
  lua_pushnumber(L, mpq_get_d(n->q));
  return 1;
}

static int fits_int(const mpq_t q) {
  return mpz_cmp_ui(mpq_denref(q), 1) == 0 && mpz_fits_slong_p(mpq_numref(q));
}

static int n_tointeger(lua_State *L) {
  Num *n = num_coerce(L, 1);
  if (fits_int(n->q) && dim_iszero(&n->dim)) lua_pushinteger(L, mpz_get_si(mpq_numref(n->q)));
  else lua_pushnil(L);
  return 1;
}

static int n_isexact(lua_State *L) {
  if (lua_isinteger(L, 1)) { lua_pushboolean(L, 1); return 1; }
  if (lua_type(L, 1) == LUA_TNUMBER) { lua_pushboolean(L, 0); return 1; }
  lua_pushboolean(L, num_check(L, 1)->exact);
  return 1;
}

static int n_isinteger(lua_State *L) {
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_Number d = lua_tonumber(L, 1);
    lua_pushboolean(L, lua_isinteger(L, 1) || (d == floor(d) && !isinf(d)));
    return 1;
  }
  lua_pushboolean(L, mpz_cmp_ui(mpq_denref(num_check(L, 1)->q), 1) == 0);
  return 1;
}

static int n_isnum(lua_State *L) {
  lua_pushboolean(L, luaL_testudata(L, 1, NUM_MT) != NULL);
  return 1;
}

/* floor/ceil/round keep the unit: rounding happens in base units for
** plain numbers and in the display unit for quantities is not attempted. */
static int round_impl(lua_State *L, int mode) {
  int digits = (int)luaL_optinteger(L, 2, 0);
  lua_settop(L, 1);
  Num *n = num_coerce(L, 1);
  luaL_argcheck(L, digits >= -1000 && digits <= 1000, 2, "digits out of range");
  num_checkbits(L, (double)num_bits(n->q) + 3.33 * abs(digits) + 2);
  int nidx = lua_gettop(L);
  Num *r = num_push(L);
  r->dim = n->dim;
  r->exact = n->exact;
  lua_getiuservalue(L, nidx, 1);
  lua_setiuservalue(L, -2, 1);
  r->autop = n->autop;
  r->hasdisp = n->hasdisp;
  mpz_t p, t;
  mpz_inits(p, t, NULL);
  mpz_ui_pow_ui(p, 10, (unsigned long)(digits < 0 ? -digits : digits));
  mpq_set(r->q, n->q);
  if (digits >= 0) mpz_mul(mpq_numref(r->q), mpq_numref(r->q), p);
  else mpz_mul(mpq_denref(r->q), mpq_denref(r->q), p);
  mpq_canonicalize(r->q);
  if (mode == 0) mpz_fdiv_q(t, mpq_numref(r->q), mpq_denref(r->q));
  else if (mode == 1) mpz_cdiv_q(t, mpq_numref(r->q), mpq_denref(r->q));
  else {                                /* half away from zero */
    mpz_mul_2exp(mpq_numref(r->q), mpq_numref(r->q), 1);
    if (mpq_sgn(r->q) >= 0) mpz_add(mpq_numref(r->q), mpq_numref(r->q), mpq_denref(r->q));
    else mpz_sub(mpq_numref(r->q), mpq_numref(r->q), mpq_denref(r->q));
    mpz_mul_2exp(mpq_denref(r->q), mpq_denref(r->q), 1);
    mpz_tdiv_q(t, mpq_numref(r->q), mpq_denref(r->q));
  }
  mpz_set(mpq_numref(r->q), t);
  mpz_set_ui(mpq_denref(r->q), 1);
  if (digits >= 0) mpz_set(mpq_denref(r->q), p); else mpz_mul(mpq_numref(r->q), mpq_numref(r->q), p);
  mpq_canonicalize(r->q);
  mpz_clears(p, t, NULL);
  return 1;
}
static int n_floor(lua_State *L) { return round_impl(L, 0); }
static int n_ceil(lua_State *L) { return round_impl(L, 1); }
static int n_round(lua_State *L) { return round_impl(L, 2); }

/* num.sqrt: exact for rational squares; otherwise about 64 significant
** bits computed with integer square roots, so huge and tiny values work
** where a double would overflow to inf or 0. */
static int n_sqrt(lua_State *L) {
  Num *n = num_coerce(L, 1);
  if (!dim_iszero(&n->dim)) return luaL_error(L, "num.sqrt: needs a plain number");
  if (mpq_sgn(n->q) < 0) return luaL_error(L, "num.sqrt: negative argument");
  num_checkbits(L, (double)num_bits(n->q) + 256);
  Num *r = num_push(L);
  if (mpz_perfect_square_p(mpq_numref(n->q)) && mpz_perfect_square_p(mpq_denref(n->q))) {
    mpz_sqrt(mpq_numref(r->q), mpq_numref(n->q));
    mpz_sqrt(mpq_denref(r->q), mpq_denref(n->q));
    r->exact = n->exact;
    return 1;
  }
  /* sqrt(a/b) = sqrt(a*b*4^k) / (b*2^k) */
  mpz_t m;
  mpz_init(m);
  mpz_mul(m, mpq_numref(n->q), mpq_denref(n->q));
  size_t bits = mpz_sizeinbase(m, 2);
  unsigned long k = bits < 160 ? (160 - bits) / 2 + 1 : 0;
  mpz_mul_2exp(m, m, 2 * k);
  mpz_sqrt(mpq_numref(r->q), m);
  mpz_mul_2exp(mpq_denref(r->q), mpq_denref(n->q), k);
  mpq_canonicalize(r->q);
  mpz_clear(m);
  r->exact = 0;
  return 1;
}

int arith_metamethod(lua_State *L);
extern const luaL_Reg num_arith_meta[];

static const luaL_Reg num_funcs[] = {
  {"exact", n_exact}, {"format", n_format}, {"tofloat", n_tofloat},
  {"tointeger", n_tointeger}, {"isexact", n_isexact}, {"isinteger", n_isinteger},
  {"isnum", n_isnum}, {"floor", n_floor}, {"ceil", n_ceil}, {"round", n_round},
  {"sqrt", n_sqrt}, {"to", NULL},
  {NULL, NULL}
};

static const luaL_Reg num_methods[] = {
  {"exact", n_exact}, {"format", n_format}, {"tofloat", n_tofloat},
  {"tointeger", n_tointeger}, {"floor", n_floor}, {"ceil", n_ceil},
  {"round", n_round}, {"to", NULL},
  {NULL, NULL}
};

int luaopen_num(lua_State *L) {
  luaL_newmetatable(L, NUM_MT);
  num_mt = lua_topointer(L, -1);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &num_mt);   /* fast lookup for num_push */
  luaL_setfuncs(L, num_arith_meta, 0);
  lua_pushcfunction(L, n_gc); lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, n_tostring); lua_setfield(L, -2, "__tostring");
  lua_pushcfunction(L, n_concat); lua_setfield(L, -2, "__concat");
  lua_pushliteral(L, "locked"); lua_setfield(L, -2, "__metatable");
  luaL_newlib(L, num_methods);
  lua_pushcfunction(L, units_to); lua_setfield(L, -2, "to");
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
  luaL_newlib(L, num_funcs);
  lua_pushcfunction(L, units_to); lua_setfield(L, -2, "to");
  lua_newtable(L);
  lua_pushcfunction(L, num_call); lua_setfield(L, -2, "__call");
  lua_setmetatable(L, -2);
  return 1;
}
