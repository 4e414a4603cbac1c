/*
** vm/lift.c
** Lua's own math functions, string.format and tonumber, taught to accept
** exact numbers: a model writes math.floor(7/2) or ("%.2f"):format(2/3)
** without caring that 7/2 is a num. Plain numbers take the original
** functions unchanged (the wrapper only looks at its arguments' types).
*/
#include <math.h>
#include <string.h>

#include <lauxlib.h>
#include "num.h"
#include "samples.h"

/* Any argument a num or an uncertain value? */
static int has_ours(lua_State *L) {
  int n = lua_gettop(L);
  for (int i = 1; i <= n; i++)
    if (lua_type(L, i) == LUA_TUSERDATA && (num_fast(L, i) || luaL_testudata(L, i, SAMPLES_MT)))
      return 1;
  return 0;
}

/* Calls the original function (upvalue 1) with the current arguments. */
static int call_original(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* Uncertain arguments go to the global lifted function of the same name
** (sqrt, exp, log, abs, min, max from the uncertainty library). */
static int call_global(lua_State *L, const char *name) {
  if (lua_getglobal(L, name) != LUA_TFUNCTION)
    return luaL_error(L, "math.%s does not take uncertain values", name);
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
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
    if (mpz_cmp_ui(mpq_denref(n->q), 1) == 0 && mpz_fits_slong_p(mpq_numref(n->q)))
      lua_pushinteger(L, mpz_get_si(mpq_numref(n->q)));
    else lua_pushnumber(L, mpq_get_d(n->q));
    lua_replace(L, i);
  }
}

/* floor/ceil: exact, keeping big values as nums (via num.floor/ceil). */
static int exact_round(lua_State *L, const char *which) {
  if (!has_ours(L)) return call_original(L);
  lua_settop(L, 1);
  Num *n = num_fast(L, 1);
  if (!n) return call_global(L, which);
  lua_getglobal(L, "num");
  lua_getfield(L, -1, which);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  Num *r = num_fast(L, -1);
  if (r && dim_iszero(&r->dim) && mpz_fits_slong_p(mpq_numref(r->q)))
    lua_pushinteger(L, mpz_get_si(mpq_numref(r->q)));
  return 1;
}
static int lift_floor(lua_State *L) { return exact_round(L, "floor"); }
static int lift_ceil(lua_State *L) { return exact_round(L, "ceil"); }

static int lift_abs(lua_State *L) {
  if (!has_ours(L)) return call_original(L);
  if (any_samples(L)) return call_global(L, "abs");
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
static int extreme(lua_State *L, int wantmax, const char *name) {
  if (!has_ours(L)) return call_original(L);
  if (any_samples(L)) return call_global(L, name);
  int n = lua_gettop(L), best = 1;
  luaL_argcheck(L, n >= 1, 1, "number expected, got no value");
  for (int i = 2; i <= n; i++)
    if (wantmax ? lua_compare(L, best, i, LUA_OPLT) : lua_compare(L, i, best, LUA_OPLT)) best = i;
  lua_pushvalue(L, best);
  return 1;
}
static int lift_max(lua_State *L) { return extreme(L, 1, "max"); }
static int lift_min(lua_State *L) { return extreme(L, 0, "min"); }

static int lift_tointeger(lua_State *L) {
  Num *n = num_fast(L, 1);
  if (!n) return call_original(L);
  if (n->exact && dim_iszero(&n->dim) && mpz_cmp_ui(mpq_denref(n->q), 1) == 0 &&
      mpz_fits_slong_p(mpq_numref(n->q)))
    lua_pushinteger(L, mpz_get_si(mpq_numref(n->q)));
  else luaL_pushfail(L);
  return 1;
}

/* Transcendental functions: approximate anyway, so a float result. */
static int lift_float(lua_State *L) {
  if (!has_ours(L)) return call_original(L);
  if (any_samples(L)) return call_global(L, lua_tostring(L, lua_upvalueindex(2)));
  to_lua_numbers(L);
  return call_original(L);
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
      if (strchr("dicxXo", *p) && mpz_cmp_ui(mpq_denref(n->q), 1) == 0 && mpz_fits_slong_p(mpq_numref(n->q)))
        lua_pushinteger(L, mpz_get_si(mpq_numref(n->q)));
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
  if (mpz_cmp_ui(mpq_denref(n->q), 1) == 0 && mpz_fits_slong_p(mpq_numref(n->q)))
    lua_pushinteger(L, mpz_get_si(mpq_numref(n->q)));
  else lua_pushnumber(L, mpq_get_d(n->q));
  return 1;
}

static void wrap(lua_State *L, int tbl, const char *name, lua_CFunction f) {
  if (lua_getfield(L, tbl, name) == LUA_TNIL) { lua_pop(L, 1); return; }
  lua_pushstring(L, name);
  lua_pushcclosure(L, f, 2);
  lua_setfield(L, tbl, name);
}

int lift_stdlib(lua_State *L) {
  static const char *const floats[] = {"sqrt", "exp", "log", "sin", "cos", "tan", "asin",
                                       "acos", "atan", "fmod", "modf", "ult", NULL};
  if (lua_getglobal(L, "math") == LUA_TTABLE) {
    int t = lua_gettop(L);
    wrap(L, t, "floor", lift_floor);
    wrap(L, t, "ceil", lift_ceil);
    wrap(L, t, "abs", lift_abs);
    wrap(L, t, "max", lift_max);
    wrap(L, t, "min", lift_min);
    wrap(L, t, "tointeger", lift_tointeger);
    for (int i = 0; floats[i]; i++) wrap(L, t, floats[i], lift_float);
  }
  lua_pop(L, 1);
  if (lua_getglobal(L, "string") == LUA_TTABLE) wrap(L, lua_gettop(L), "format", lift_format);
  lua_pop(L, 1);
  lua_pushglobaltable(L);
  wrap(L, lua_gettop(L), "tonumber", lift_tonumber);
  lua_pop(L, 1);
  return 0;
}
