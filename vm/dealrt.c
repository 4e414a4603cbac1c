/*
** vm/dealrt.c
** The runtime of translated .deal code: the functions that the prologue
** `local __add,... = __deal.ops()` binds (the list is vm/dealops.h). Operators
** normalise exact integral results back to Lua integers, so `t[6/3]`,
** `for i = 1, n/2` and `string.rep(s, 6/2)` keep working.
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "arith.h"
#include "claimtab.h"
#include "dealops.h"
#include "numlib.h"
#include "samples.h"
#include "units.h"

/* The hot path of every translated operator: two Lua integers whose
** result fits. Everything else (overflow, floats, nums, samples) goes to
** arith_op. */
#define INT_FAST(name, op, builtin)                                        \
  static int name(lua_State *L) {                                          \
    if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {                      \
      lua_Integer r;                                                       \
      if (!builtin(lua_tointeger(L, 1), lua_tointeger(L, 2), &r)) {        \
        lua_pushinteger(L, r);                                             \
        return 1;                                                          \
      }                                                                    \
    }                                                                      \
    return arith_op(L, op, 1);                                             \
  }
INT_FAST(r_add, LUA_OPADD, __builtin_add_overflow)
INT_FAST(r_sub, LUA_OPSUB, __builtin_sub_overflow)
INT_FAST(r_mul, LUA_OPMUL, __builtin_mul_overflow)
static int r_div(lua_State *L) { return arith_op(L, LUA_OPDIV, 1); }
static int r_idiv(lua_State *L) { return arith_op(L, LUA_OPIDIV, 1); }
static int r_mod(lua_State *L) { return arith_op(L, LUA_OPMOD, 1); }
static int r_pow(lua_State *L) { return arith_op(L, LUA_OPPOW, 1); }
static int r_unm(lua_State *L) { lua_settop(L, 1); lua_pushvalue(L, 1); return arith_op(L, LUA_OPUNM, 1); }
static int r_eq(lua_State *L) {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {
    lua_pushboolean(L, lua_tointeger(L, 1) == lua_tointeger(L, 2));
    return 1;
  }
  return arith_compare(L, LUA_OPEQ);
}
static int r_lt(lua_State *L) {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {
    lua_pushboolean(L, lua_tointeger(L, 1) < lua_tointeger(L, 2));
    return 1;
  }
  return arith_compare(L, LUA_OPLT);
}
static int r_le(lua_State *L) { return arith_compare(L, LUA_OPLE); }
static int r_gt(lua_State *L) { lua_settop(L, 2); lua_insert(L, 1); return arith_compare(L, LUA_OPLT); }
static int r_ge(lua_State *L) { lua_settop(L, 2); lua_insert(L, 1); return arith_compare(L, LUA_OPLE); }

static int is_samples(lua_State *L, int i) { return luaL_testudata(L, i, SAMPLES_MT) != NULL; }

static int r_ne(lua_State *L) {
  arith_compare(L, LUA_OPEQ);
  if (lua_isboolean(L, -1)) { lua_pushboolean(L, !lua_toboolean(L, -1)); return 1; }
  lua_replace(L, 1);                    /* uncertain: not, per sample */
  lua_settop(L, 1);
  lua_pushvalue(L, 1);
  return samples_hooks.arith(L, SOP_NOT);
}

static int r_not(lua_State *L) {
  lua_settop(L, 1);
  if (is_samples(L, 1)) { lua_pushvalue(L, 1); return samples_hooks.arith(L, SOP_NOT); }
  lua_pushboolean(L, !lua_toboolean(L, 1));
  return 1;
}

/* a and b, a or b with eager b (b is a name or a constant). */
static int logic(lua_State *L, int isand, int lazy) {
  lua_settop(L, 2);
  if (is_samples(L, 1)) {
    if (lazy) { lua_call(L, 0, 1); }
    return samples_hooks.arith(L, isand ? SOP_AND : SOP_OR);
  }
  int t = lua_toboolean(L, 1);
  if (isand ? !t : t) { lua_settop(L, 1); return 1; }
  if (lazy) { lua_call(L, 0, 1); return 1; }
  return 1;
}
static int r_and(lua_State *L) { return logic(L, 1, 0); }
static int r_or(lua_State *L) { return logic(L, 0, 0); }
static int r_andf(lua_State *L) { return logic(L, 1, 1); }
static int r_orf(lua_State *L) { return logic(L, 0, 1); }

/* if/while/until conditions: an uncertain value is not true or false. */
static int r_cond(lua_State *L) {
  if (lua_type(L, 1) != LUA_TUSERDATA) { lua_settop(L, 1); return 1; }
  lua_settop(L, 1);
  if (is_samples(L, 1)) return uncertain_condition(L, 1);
  return 1;
}

/* Numeric for bounds must be Lua numbers. */
static int r_for(lua_State *L) {
  lua_settop(L, 1);
  Num *n = luaL_testudata(L, 1, NUM_MT);
  if (!n) return 1;
  if (!dim_iszero(&n->dim))
    return luaL_error(L, "'for' bound must be a plain number, got %s", luaL_tolstring(L, 1, NULL));
  num_pushnumber(L, n);
  return 1;
}

static int r_to(lua_State *L) {
  lua_settop(L, 2);
  return samples_hooks.range(L);
}

/* __K[i]: constants parsed on first use, so a bad unit raises on the line
** that uses it. */
static int k_index(lua_State *L) {
  lua_Integer i = luaL_checkinteger(L, 2);
  lua_getiuservalue(L, lua_upvalueindex(1), 1);
  if (lua_rawgeti(L, -1, i) != LUA_TSTRING) return luaL_error(L, "bad constant index");
  size_t len;
  const char *s = lua_tolstring(L, -1, &len);
  units_pushparse(L, s, len, "bad literal");
  lua_pushvalue(L, -1);
  lua_rawseti(L, 1, i);
  return 1;
}

static int r_consts(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_newtable(L);                      /* the cache: __K */
  lua_newtable(L);                      /* its metatable */
  lua_newuserdatauv(L, 0, 1);           /* holds the spec table */
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, 1);
  lua_pushcclosure(L, k_index, 1);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  return 1;
}

/* Conditions that are comparisons: compare and check in one call
** (`if x % 2 == 0 then`). */
static int r_ceq(lua_State *L) {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {
    lua_pushboolean(L, lua_tointeger(L, 1) == lua_tointeger(L, 2));
    return 1;
  }
  arith_compare(L, LUA_OPEQ);
  lua_replace(L, 1);
  return r_cond(L);
}
static int r_cne(lua_State *L) {
  if (lua_isinteger(L, 1) && lua_isinteger(L, 2)) {
    lua_pushboolean(L, lua_tointeger(L, 1) != lua_tointeger(L, 2));
    return 1;
  }
  r_ne(L);
  lua_replace(L, 1);
  return r_cond(L);
}

#define OP_FUNCTION(name, fn) fn,
static const lua_CFunction ops[] = {DEAL_OPS(OP_FUNCTION)};

/* __deal.ops(): the functions of DEAL_OPS, in the order the translator's
** prologue names them. Cached as upvalues. */
static int r_ops(lua_State *L) {
  int n = (int)(sizeof ops / sizeof ops[0]);
  luaL_checkstack(L, n, "ops");
  for (int i = 1; i <= n; i++) lua_pushvalue(L, lua_upvalueindex(i));
  return n;
}

int luaopen_dealrt(lua_State *L) {
  int n = (int)(sizeof ops / sizeof ops[0]);
  lua_newtable(L);
  luaL_checkstack(L, n, "ops");
  for (int i = 0; i < n; i++) lua_pushcfunction(L, ops[i]);
  lua_pushcclosure(L, r_ops, n);
  lua_setfield(L, -2, "ops");
  lua_pushcfunction(L, claimtab_lua);          /* the claims table (prelude_claims.lua) */
  lua_setfield(L, -2, "claims_render");
  return 1;
}
