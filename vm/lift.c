/*
** vm/lift.c
** Lua's own math functions, string.format and tonumber, taught to accept
** exact numbers: a model writes math.floor(7/2) or ("%.2f"):format(2/3)
** without caring that 7/2 is a num. Plain numbers take the original
** functions unchanged (the wrapper only looks at its arguments' types).
** Every function a wrapper calls is captured when the wrapper is made, so
** a model that assigns `num = nil` or `max = 3` breaks nothing here.
*/
#include <math.h>
#include <string.h>

#include <lauxlib.h>
#include "arith.h"
#include "host.h"
#include "num.h"
#include "numlib.h"
#include "samples.h"

/* The upvalues of a wrapper: the function it wraps, its name, and what it
** hands exact and uncertain arguments to (nil when nothing). */
#define ORIGINAL lua_upvalueindex(1)
#define NAME lua_upvalueindex(2)
#define UNCERTAIN lua_upvalueindex(3)   /* the uncertainty library's sqrt, max... */
#define EXACT lua_upvalueindex(4)       /* num.floor, num.ceil */

/* Any argument a num or an uncertain value? */
static int has_ours(lua_State *L) {
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++)
    if (lua_type(L, i) == LUA_TUSERDATA && (num_fast(L, i) || luaL_testudata(L, i, SAMPLES_MT)))
      return 1;
  return 0;
}

/* Calls the upvalue `which` with the current arguments. */
static int call_with_args(lua_State *L, int which) {
  lua_pushvalue(L, which);
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

static int call_original(lua_State *L) { return call_with_args(L, ORIGINAL); }

/* Uncertain arguments go to the uncertainty library's function of the same
** name (sqrt, exp, log, abs, min, max). */
static int call_uncertain(lua_State *L) {
  if (lua_type(L, UNCERTAIN) != LUA_TFUNCTION)
    return luaL_error(L, "math.%s does not take uncertain values", lua_tostring(L, NAME));
  return call_with_args(L, UNCERTAIN);
}

static int any_samples(lua_State *L) {
  for (int i = 1; i <= lua_gettop(L); i++) if (luaL_testudata(L, i, SAMPLES_MT)) return 1;
  return 0;
}

/* Replaces num arguments by Lua numbers: integers when exact and integral. */
static void to_lua_numbers(lua_State *L) {
  for (int i = 1; i <= lua_gettop(L); i++) {
    Num *n = num_fast(L, i);
    if (!n) continue;
    if (!dim_iszero(&n->dim))
      luaL_error(L, "bad argument #%d (a plain number expected, got %s)", i, luaL_tolstring(L, i, NULL));
    num_pushnumber(L, n);
    lua_replace(L, i);
  }
}

/* floor/ceil: exact, keeping big values as nums (num.floor/ceil). */
static int lift_round(lua_State *L) {
  if (!has_ours(L)) return call_original(L);
  lua_settop(L, 1);
  if (!num_fast(L, 1)) return call_uncertain(L);
  call_with_args(L, EXACT);
  Num *r = num_fast(L, -1);
  lua_Integer v;
  if (r && dim_iszero(&r->dim) && num_tointeger(r, &v)) lua_pushinteger(L, v);
  return 1;
}

static int lift_abs(lua_State *L) {
  /* |mininteger| is 2^63, one past the integers: the exact value, not
  ** Lua's wrap-around (kept for Lua's own test suite, --conformance). */
  if (lua_isinteger(L, 1) && lua_tointeger(L, 1) == LUA_MININTEGER && !host_options(L)->conformance) {
    lua_settop(L, 1);
    lua_pushvalue(L, 1);
    return arith_op(L, LUA_OPUNM, 0);
  }
  if (!has_ours(L)) return call_original(L);
  if (any_samples(L)) return call_uncertain(L);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  if (lua_compare(L, 1, 2, LUA_OPLT)) {      /* num's __lt: quantities too */
    lua_pushvalue(L, 1);
    lua_arith(L, LUA_OPUNM);
    return 1;
  }
  lua_settop(L, 1);
  return 1;
}

/* max/min compare values (quantities too) through num's metamethods. */
static int extreme(lua_State *L, int wantmax) {
  if (!has_ours(L)) return call_original(L);
  if (any_samples(L)) return call_uncertain(L);
  int n = lua_gettop(L), best = 1;
  luaL_argcheck(L, n >= 1, 1, "number expected, got no value");
  for (int i = 2; i <= n; i++)
    if (wantmax ? lua_compare(L, best, i, LUA_OPLT) : lua_compare(L, i, best, LUA_OPLT)) best = i;
  lua_pushvalue(L, best);
  return 1;
}
static int lift_max(lua_State *L) { return extreme(L, 1); }
static int lift_min(lua_State *L) { return extreme(L, 0); }

static int lift_tointeger(lua_State *L) {
  Num *n = num_fast(L, 1);
  lua_Integer v;
  if (!n) return call_original(L);
  if (n->exact && dim_iszero(&n->dim) && num_tointeger(n, &v)) lua_pushinteger(L, v);
  else luaL_pushfail(L);
  return 1;
}

/* Transcendental functions: approximate anyway, so a float result. */
static int lift_float(lua_State *L) {
  if (!has_ours(L)) return call_original(L);
  if (any_samples(L)) return call_uncertain(L);
  to_lua_numbers(L);
  return call_original(L);
}

/* sqrt, exp and log: a float result as lift_float, but never a silent
** nan or inf: math.sqrt(-4), math.log(0) and math.exp(1000) are errors
** naming the call, as Dealscript's own sqrt, log and exp are. */
static int lift_real(lua_State *L) {
  if (any_samples(L)) return call_uncertain(L);
  to_lua_numbers(L);
  int n = lua_gettop(L);
  luaL_checkstack(L, n + 2, NULL);
  lua_pushvalue(L, ORIGINAL);
  for (int i = 1; i <= n; i++) lua_pushvalue(L, i);
  lua_call(L, n, 1);
  if (lua_type(L, -1) == LUA_TNUMBER && !isfinite(lua_tonumber(L, -1))) {
    lua_pushfstring(L, "math.%s", lua_tostring(L, NAME));
    return arith_notreal(L, lua_tostring(L, -1), n, lua_tonumber(L, -2));
  }
  return 1;
}

static int lift_format(lua_State *L) {
  if (has_ours(L)) {
    /* %s keeps the analyst's text; numeric conversions take Lua numbers */
    const char *fmt = luaL_checkstring(L, 1);
    int arg = 1;
    for (const char *p = fmt; *p; p++) {
      if (*p != '%') continue;
      if (*++p == '%') continue;
      arg++;
      while (*p && strchr("-+ #0123456789.", *p)) p++;
      if (!*p) break;
      Num *n = num_fast(L, arg);
      if (!n || *p == 's' || *p == 'q') continue;
      if (!dim_iszero(&n->dim))
        return luaL_error(L, "bad argument #%d to 'format' (a plain number expected, got %s; use %%s)",
                          arg, luaL_tolstring(L, arg, NULL));
      if (strchr("dicxXo", *p)) num_pushnumber(L, n);   /* %d of 2^70: a float */
      else lua_pushnumber(L, mpq_get_d(n->q));
      lua_replace(L, arg);
    }
  }
  return call_original(L);
}

static int lift_tonumber(lua_State *L) {
  Num *n = num_fast(L, 1);
  if (!n || !lua_isnone(L, 2)) return call_original(L);
  if (!dim_iszero(&n->dim)) { luaL_pushfail(L); return 1; }
  num_pushnumber(L, n);
  return 1;
}

/* Replaces lib[name] (lib at index tbl) by f over it. uncertain, exact: the
** tables (indices, 0 for none) whose function of the same name f hands
** uncertain or exact arguments to. */
static void wrap(lua_State *L, int tbl, const char *name, lua_CFunction f, int uncertain,
                 int exact) {
  if (lua_getfield(L, tbl, name) == LUA_TNIL) { lua_pop(L, 1); return; }
  lua_pushstring(L, name);
  if (uncertain) lua_getfield(L, uncertain, name); else lua_pushnil(L);
  if (exact) lua_getfield(L, exact, name); else lua_pushnil(L);
  lua_pushcclosure(L, f, 4);
  lua_setfield(L, tbl, name);
}

int lift_stdlib(lua_State *L) {
  static const char *const floats[] = {"sin", "cos", "tan", "asin", "acos", "atan", "fmod",
                                       "modf", "ult", NULL};
  static const char *const lifted[] = {"sqrt", "exp", "log", NULL};
  int G, numlib;
  lua_pushglobaltable(L);
  G = lua_gettop(L);                       /* the uncertainty library's functions */
  if (luaL_getmetatable(L, SAMPLES_MT) == LUA_TNIL)
    return luaL_error(L, "lift_stdlib: open the samples library first");
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, -1, "num") != LUA_TTABLE)
    return luaL_error(L, "lift_stdlib: open the num library first");
  numlib = lua_gettop(L);
  if (lua_getglobal(L, "math") == LUA_TTABLE) {
    int t = lua_gettop(L);
    wrap(L, t, "floor", lift_round, 0, numlib);
    wrap(L, t, "ceil", lift_round, 0, numlib);
    wrap(L, t, "abs", lift_abs, G, 0);
    wrap(L, t, "max", lift_max, G, 0);
    wrap(L, t, "min", lift_min, G, 0);
    wrap(L, t, "tointeger", lift_tointeger, 0, 0);
    for (int i = 0; lifted[i]; i++) wrap(L, t, lifted[i], lift_real, G, 0);
    for (int i = 0; floats[i]; i++) wrap(L, t, floats[i], lift_float, 0, 0);
  }
  lua_pop(L, 1);
  if (lua_getglobal(L, "string") == LUA_TTABLE) wrap(L, lua_gettop(L), "format", lift_format, 0, 0);
  lua_pop(L, 1);
  wrap(L, G, "tonumber", lift_tonumber, 0, 0);
  lua_settop(L, G - 1);
  return 0;
}
