/*
** vm/num.c
** The `num` userdata: its life cycle (creation, the pool of recycled
** rationals, finalization), the display unit it carries, size checks
** before GMP calls, and coercion of Lua numbers. The library over it is
** lnum.c.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "alloc.h"
#include "num.h"
#include "runlimits.h"

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

/* The num metatable, compared by identity: luaL_testudata looks the name up
** in the registry on every call, which dominated exact loops. */
static const void *num_mt;

static int n_gc(lua_State *L) {
  Num *n = luaL_testudata(L, 1, NUM_MT);
  if (n && n->live) {
    if (npool < POOL && mpz_size(mpq_numref(n->q)) < 4096) memcpy(pool[npool++], n->q, sizeof(mpq_t));
    else mpq_clear(n->q);
    n->live = 0;
  }
  return 0;
}

void num_newmetatable(lua_State *L) {
  luaL_newmetatable(L, NUM_MT);
  num_mt = lua_topointer(L, -1);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &num_mt);   /* fast lookup for num_push */
  lua_pushcfunction(L, n_gc);
  lua_setfield(L, -2, "__gc");
}

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
  n->style = NUM_STYLE_VALUE;
  n->live = 1;
  return n;
}

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
/* }====== */

/* {====== Lua numbers in and out ====== */
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
    if (!num_fromdouble(d, n->q))
      luaL_error(L, "%s has no exact value", isnan(d) ? "nan" : (d > 0 ? "inf" : "-inf"));
    n->exact = 0;
    return n;
  }
  luaL_error(L, "attempt to perform arithmetic on a %s value", luaL_typename(L, i));
  return NULL;
}

void num_pushnumber(lua_State *L, const Num *n) {
  lua_Integer v;
  if (num_tointeger(n, &v)) lua_pushinteger(L, v);
  else lua_pushnumber(L, mpq_get_d(n->q));
}
/* }====== */
