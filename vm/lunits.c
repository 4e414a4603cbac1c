/*
** vm/lunits.c
** The `units` library: parse, value, dim, check, same, dimension, define,
** list, fx and to (also the `to` method of nums and uncertain values).
** Argument checking and messages live here; the rules are in units.c.
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "arith.h"
#include "numlib.h"
#include "samples.h"
#include "uexpr.h"
#include "unitcat.h"
#include "units.h"

/* The unit expression of a string argument, or raise. */
static void check_uexpr(lua_State *L, int arg, UExpr *u) {
  size_t len;
  char err[200];
  const char *s = luaL_checklstring(L, arg, &len);
  if (uexpr_parse(s, len, u, err, sizeof err)) luaL_argerror(L, arg, err);
}

/* x:to("TWh"): the same value, shown in another unit. */
int units_to(lua_State *L) {
  Num *n = num_check(L, 1);
  UExpr u;
  Dim d;
  check_uexpr(L, 2, &u);
  uexpr_dim(&u, &d);
  Num *r = num_push(L);
  mpq_set(r->q, n->q);
  r->dim = n->dim;
  r->exact = n->exact;
  if (!dim_eq(&d, &n->dim) && !units_fx_convert(L, r, &d)) {
    char na[64], nb[64];
    int e = 0;
    Dim t = n->dim;
    int ca = units_currency(&n->dim, &e), cb = units_currency(&d, &e);
    if (ca >= 0 && cb >= 0 && ca != cb) { t.e[cb] = t.e[ca]; t.e[ca] = 0; }
    if (!units_hasfx() && ca >= 0 && cb >= 0 && ca != cb && dim_eq(&t, &d))
      return luaL_error(L, "cannot convert %s to %s without an FX table: units.fx{date = \"2026-01-15\", %s%s = \"...\"}",
                        dim_name(&n->dim, na, sizeof na), dim_name(&d, nb, sizeof nb),
                        base_dims[units_currency(&n->dim, &e)].sym, base_dims[units_currency(&d, &e)].sym);
    return luaL_error(L, "cannot convert %s to %s: %s is a %s, '%s' is a %s",
                      dim_name(&n->dim, na, sizeof na), dim_name(&d, nb, sizeof nb),
                      luaL_tolstring(L, 1, NULL), na, lua_tostring(L, 2), nb);
  }
  char text[160];
  uexpr_text(&u, text, sizeof text);
  lua_pushstring(L, text);
  num_setdisplay(L, -2, u.n > 0 ? lua_tostring(L, -1) : NULL, 0);   /* "1": plain */
  lua_pop(L, 1);
  return 1;
}

/* units.value(x, "TWh"): the magnitude in that unit, as a plain num. */
static int u_value(lua_State *L) {
  UExpr u;
  Dim d;
  int uncertain = luaL_testudata(L, 1, SAMPLES_MT) != NULL;
  if (!uncertain && !num_test(L, 1) && lua_type(L, 1) != LUA_TNUMBER)
    return luaL_typeerror(L, 1, "number or quantity");
  check_uexpr(L, 2, &u);
  uexpr_dim(&u, &d);
  Dim a = units_valuedim(L, 1);
  if (!dim_eq(&d, &a)) {
    char na[64], nb[64];
    return luaL_error(L, "units.value: %s is a %s, not a %s", luaL_tolstring(L, 1, NULL),
                      dim_name(&a, na, sizeof na), dim_name(&d, nb, sizeof nb));
  }
  if (uncertain) {                             /* x / (1 unit), per sample */
    lua_settop(L, 1);
    Num *f = num_push(L);
    uexpr_factor(&u, f->q);
    f->dim = d;
    return arith_op(L, LUA_OPDIV, 0);
  }
  Num *n = num_coerce(L, 1);
  Num *r = num_push(L);
  uexpr_factor(&u, r->q);
  mpq_div(r->q, n->q, r->q);
  r->exact = n->exact;
  return 1;
}

/* units.dim(x): "Power", "Money[USD]/Energy", "Number". */
static int u_dim(lua_State *L) {
  char buf[96];
  Dim d = units_valuedim(L, 1);
  lua_pushstring(L, dim_name(&d, buf, sizeof buf));
  return 1;
}

/* units.check(x, "Power", "what"): raise unless x has that dimension. */
static int u_check(lua_State *L) {
  Dim want, got;
  const char *spec = luaL_checkstring(L, 2);
  const char *what = luaL_optstring(L, 3, "value");
  char nw[96], ng[96];
  if (!units_dimfromspec(spec, &want)) return luaL_argerror(L, 2, "unknown dimension or unit");
  if (lua_isnoneornil(L, 1))
    return luaL_error(L, "%s: expected %s %s, got nothing", what,
                      strchr("AEIOU", dim_name(&want, nw, sizeof nw)[0]) ? "an" : "a", nw);
  if (!num_test(L, 1) && lua_type(L, 1) != LUA_TNUMBER && !luaL_getmetafield(L, 1, "__dim"))
    return luaL_error(L, "%s: expected a %s, got a %s", what, dim_name(&want, nw, sizeof nw), luaL_typename(L, 1));
  lua_settop(L, 3);
  got = units_valuedim(L, 1);
  if (!dim_eq(&want, &got)) {
    dim_name(&want, nw, sizeof nw);
    dim_name(&got, ng, sizeof ng);
    UExpr u;
    char ex[96];
    uexpr_auto(&want, &u);
    uexpr_text(&u, ex, sizeof ex);
    return luaL_error(L, "%s: expected %s %s (e.g. 1 %s), got %s (%s)", what,
                      strchr("AEIOU", nw[0]) ? "an" : "a", nw, ex, luaL_tolstring(L, 1, NULL), ng);
  }
  lua_settop(L, 1);
  return 1;
}

static int u_same(lua_State *L) {
  Dim a = units_valuedim(L, 1), b = units_valuedim(L, 2);
  lua_pushboolean(L, dim_eq(&a, &b));
  return 1;
}

static int u_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  units_pushparse(L, s, len, "bad argument #1 to 'parse'");
  return 1;
}

static int u_dimension(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *unit = luaL_optstring(L, 2, NULL);
  char err[128], low[32];
  if (!unit) {
    snprintf(low, sizeof low, "%s", name);
    for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
    unit = low;
  }
  if (!units_user_dimension(name, unit, err, sizeof err)) return luaL_error(L, "units.dimension: %s", err);
  units_pushparse(L, "1", 1, "units.dimension");
  lua_pushfstring(L, "1 %s", unit);
  units_pushparse(L, lua_tostring(L, -1), strlen(lua_tostring(L, -1)), "units.dimension");
  return 1;
}

/* The exact, positive amount at i that a unit or an FX rate stands for:
** a string ("8 chip"), a number or a num; anything else, zero, a
** negative amount or NaN/inf is an error naming fname and what. Pushes it. */
static Num *positive_amount(lua_State *L, int i, const char *fname, const char *what) {
  Num *n;
  if (lua_type(L, i) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, i, &len);
    n = units_pushparse(L, s, len, fname);
  } else if (num_test(L, i) || (lua_type(L, i) == LUA_TNUMBER && isfinite(lua_tonumber(L, i)))) {
    n = num_coerce(L, i);
  } else {
    double x = lua_tonumber(L, i);           /* a number here is inf or nan */
    if (lua_type(L, i) == LUA_TNUMBER) lua_pushstring(L, isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
    else lua_pushstring(L, lua_isnoneornil(L, i) ? "nothing" : luaL_typename(L, i));
    luaL_error(L, "%s: %s must be a positive amount, got %s", fname, what, lua_tostring(L, -1));
    return NULL;
  }
  if (mpq_sgn(n->q) <= 0)
    luaL_error(L, "%s: %s must be a positive amount, got %s", fname, what, luaL_tolstring(L, -1, NULL));
  return n;
}

static int u_define(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  char err[128];
  lua_settop(L, 2);
  lua_pushfstring(L, "'%s'", name);
  Num *n = positive_amount(L, 2, "units.define", lua_tostring(L, -1));
  if (!units_user_define(name, n->q, &n->dim, err, sizeof err)) return luaL_error(L, "units.define: %s", err);
  lua_pushfstring(L, "1 %s", name);
  units_pushparse(L, lua_tostring(L, -1), strlen(lua_tostring(L, -1)), "units.define");
  return 1;
}

/* units.list([dimension]): unit names, optionally of one dimension. */
static int u_list(lua_State *L) {
  Dim want, d;
  int filter = 0;
  char buf[48];
  if (!lua_isnoneornil(L, 1)) {
    if (!units_dimfromspec(luaL_checkstring(L, 1), &want)) return luaL_argerror(L, 1, "unknown dimension");
    filter = 1;
  }
  lua_newtable(L);
  int k = 1;
  for (int i = 0; units_name_at(i, buf, sizeof buf, &d); i++) {
    if (filter && !dim_eq(&d, &want)) continue;
    lua_pushstring(L, buf);
    lua_rawseti(L, -2, k++);
  }
  return 1;
}

/* units.fx{date = "2026-01-15", EURUSD = "1.08"}: the dated rates that
** conversions between currencies use from now on. */
static int u_fx(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "date");
  if (!lua_isstring(L, -1)) return luaL_error(L, "units.fx: field 'date' expected (e.g. date = \"2026-01-15\")");
  lua_pop(L, 1);
  lua_newtable(L);            /* normalised: "EURUSD" -> num */
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "date") != 0) {
      const char *k = lua_tostring(L, -2);
      if (strlen(k) != 6 || !unit_is_currency(k, 3) || !unit_is_currency(k + 3, 3))
        return luaL_error(L, "units.fx: bad pair '%s' (expected e.g. EURUSD = \"1.08\")", k);
      lua_pushvalue(L, -2);
      Num *r = positive_amount(L, lua_gettop(L) - 1, "units.fx", k);
      if (!dim_iszero(&r->dim))      /* a rate is a plain number: EUR 1 = $1.08 */
        return luaL_error(L, "units.fx: %s must be a plain number, got %s", k, luaL_tolstring(L, -1, NULL));
      lua_rawset(L, -5);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, 1, "date");
  lua_setfield(L, -2, "date");
  units_setfx(L);
  return 0;
}

static const luaL_Reg units_funcs[] = {
  {"parse", u_parse}, {"value", u_value}, {"dim", u_dim}, {"check", u_check},
  {"same", u_same}, {"dimension", u_dimension}, {"define", u_define},
  {"fx", u_fx}, {"list", u_list}, {"to", units_to},
  {NULL, NULL}
};

int luaopen_units(lua_State *L) {
  units_open();
  luaL_newlib(L, units_funcs);
  return 1;
}
