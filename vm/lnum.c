/*
** vm/lnum.c
** The `num` library: num(x), num.exact, format, tofloat, tointeger,
** isexact, isinteger, isnum, floor, ceil, round, sqrt and to; and the num
** metatable's Lua face (operators from arith.c, tostring, methods).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "arith.h"
#include "numlib.h"
#include "uexpr.h"
#include "units.h"

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

/* The digits argument at i (default dflt) within [lo, hi], checked
** before it is narrowed: 2^40 digits is an error, not 0 digits. */
static int digits_arg(lua_State *L, int i, int dflt, int lo, int hi, const char *msg) {
  lua_Integer d = luaL_optinteger(L, i, dflt);
  luaL_argcheck(L, d >= lo && d <= hi, i, msg);
  return (int)d;
}

/* A money scale in a format unit: "$M" is $ in millions, "EUR k" EUR in
** thousands ("$M/yr" keeps its tail). Returns the power of 1000 and writes
** the unit without it, or returns -1. */
static int money_scale(const char *u, char *out, size_t n) {
  static const char scales[] = "kMBT";
  size_t k = u[0] == '$' ? 1 : 0;
  if (!k) {
    while (k < 3 && u[k] >= 'A' && u[k] <= 'Z') k++;
    if (k != 3 || !unit_is_currency(u, 3)) return -1;
  }
  size_t j = k + (u[k] == ' ');
  char c = u[j] == 'K' ? 'k' : u[j];
  const char *p = c ? strchr(scales, c) : NULL;
  if (!p || (u[j + 1] && u[j + 1] != '/' && u[j + 1] != '*' && u[j + 1] != ' ' &&
             (unsigned char)u[j + 1] != 0xC2)) return -1;
  snprintf(out, n, "%.*s%s", (int)k, u, u + j + 1);
  return (int)(p - scales) + 1;
}

static int opt_bool(lua_State *L, const char *name) {
  int t = lua_getfield(L, 2, name), v = lua_toboolean(L, -1);
  if (t != LUA_TNIL && t != LUA_TBOOLEAN)
    luaL_error(L, "bad argument #2 to 'format' (field '%s': true or false expected, got %s)", name, luaL_typename(L, -1));
  lua_pop(L, 1);
  return t == LUA_TNIL ? -1 : v;
}

static int opt_int(lua_State *L, const char *name, int lo, int hi) {
  int v = -1;
  if (lua_getfield(L, 2, name) != LUA_TNIL) {
    lua_Integer x = 0;
    int isint = 0;
    Num *n = num_test(L, -1);
    if (lua_type(L, -1) == LUA_TNUMBER) x = lua_tointegerx(L, -1, &isint);   /* 4 or 4.0 */
    if (!isint && !(n && dim_iszero(&n->dim) && num_tointeger(n, &x)))
      luaL_error(L, "bad argument #2 to 'format' (field '%s': a whole number expected, got %s)", name, luaL_tolstring(L, -1, NULL));
    if (x < lo || x > hi)
      luaL_error(L, "bad argument #2 to 'format' (%s must be between %d and %d)", name, lo, hi);
    v = (int)x;
  }
  lua_pop(L, 1);
  return v;
}

/* x:format{digits = 4, decimals = 2, cents = true, sep = false, unit = "$M",
** mark = true} or num.format(x, 4): the text of x with the display chosen
** (docs/display.md). The value is never changed; a unit converts the
** display as x:to does. */
static int n_format(lua_State *L) {
  static const char *const known[] = {"digits", "decimals", "cents", "sep", "unit", "mark", NULL};
  NumFmt f = {0, -1, 0, -1, -1, -1};
  char unit[160];
  luaL_checkany(L, 1);
  if (lua_type(L, 1) != LUA_TNUMBER && !num_test(L, 1))
    return luaL_typeerror(L, 1, luaL_testudata(L, 1, "samples") ? "number or quantity (an uncertain value: format mean(x))" : "number or quantity");
  lua_settop(L, 2);
  if (lua_type(L, 2) == LUA_TNUMBER || num_test(L, 2)) {   /* num.format(x, digits) */
    lua_createtable(L, 0, 1);
    lua_pushvalue(L, 2);
    lua_setfield(L, -2, "digits");
    lua_replace(L, 2);
  } else if (lua_isnil(L, 2)) {
    lua_newtable(L);
    lua_replace(L, 2);
  }
  luaL_checktype(L, 2, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    int k = 0;
    if (lua_type(L, -2) == LUA_TSTRING)
      while (known[k] && strcmp(known[k], lua_tostring(L, -2)) != 0) k++;
    if (lua_type(L, -2) != LUA_TSTRING || !known[k])
      return luaL_error(L, "bad argument #2 to 'format' (unknown option '%s'; known: digits, decimals, cents, sep, unit, mark)",
                        luaL_tolstring(L, -2, NULL));
    lua_pop(L, 1);
  }
  int d = opt_int(L, "digits", 1, 1000);
  if (d > 0) f.sig = d;
  f.decimals = opt_int(L, "decimals", 0, 100);
  f.cents = opt_bool(L, "cents") == 1;
  f.mark = opt_bool(L, "mark");
  int t = lua_getfield(L, 2, "sep");
  if (t == LUA_TBOOLEAN) f.sep = lua_toboolean(L, -1) ? ',' : 0;
  else if (t == LUA_TSTRING && lua_rawlen(L, -1) == 1) f.sep = (unsigned char)lua_tostring(L, -1)[0];
  else if (t != LUA_TNIL)
    return luaL_error(L, "bad argument #2 to 'format' (field 'sep': true, false or one character expected)");
  lua_pop(L, 1);
  num_coerce(L, 1);                            /* 3: the value */
  if (lua_getfield(L, 2, "unit") != LUA_TNIL) {
    const char *u = lua_tostring(L, -1);
    if (!u || lua_type(L, -1) != LUA_TSTRING)
      return luaL_error(L, "bad argument #2 to 'format' (field 'unit': a unit such as \"MW\" or \"$M\" expected)");
    int sc = money_scale(u, unit, sizeof unit);
    if (sc >= 0) { f.scale = sc; lua_pushstring(L, unit); lua_replace(L, -2); }
    lua_pushcfunction(L, units_to);
    lua_pushvalue(L, 3);
    lua_pushvalue(L, -3);
    lua_call(L, 2, 1);
    lua_replace(L, 3);
  }
  lua_settop(L, 3);
  num_pushformat(L, 3, &f);
  return 1;
}

static int n_tofloat(lua_State *L) {
  Num *n = num_coerce(L, 1);
  lua_pushnumber(L, mpq_get_d(n->q));
  return 1;
}

static int n_tointeger(lua_State *L) {
  Num *n = num_coerce(L, 1);
  lua_Integer v;
  if (dim_iszero(&n->dim) && num_tointeger(n, &v)) lua_pushinteger(L, v);
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

/* floor/ceil/round to `digits` decimals of the value as it prints: a
** quantity rounds in its display unit (num.floor(1.9 h) is 1 h,
** num.round($1234.567, 2) is $1234.57, num.round(1.25 kW, 1) is 1.3 kW)
** and keeps its dimension and display unit. */
static int round_impl(lua_State *L, int mode) {
  int digits = digits_arg(L, 2, 0, -1000, 1000, "digits out of range (-1000 to 1000)");
  lua_settop(L, 1);
  Num *n = num_coerce(L, 1);
  int nidx = lua_gettop(L);
  Num *f = NULL;                        /* the display unit's factor, if any */
  if (!dim_iszero(&n->dim) || n->hasdisp) {
    f = num_push(L);
    num_shownfactor(L, nidx, f->q);
  }
  num_checkbits(L, (double)num_bits(n->q) + (f ? 2.0 * num_bits(f->q) : 0) + 3.33 * abs(digits) + 2);
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
  if (f) mpq_div(r->q, n->q, f->q); else mpq_set(r->q, n->q);
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
  if (f) mpq_mul(r->q, r->q, f->q);
  mpz_clears(p, t, NULL);
  return 1;
}
static int n_floor(lua_State *L) { return round_impl(L, 0); }
static int n_ceil(lua_State *L) { return round_impl(L, 1); }
static int n_round(lua_State *L) { return round_impl(L, 2); }

/* The display unit of a square root: m^2 -> m, $^2/h^2 -> $/h; NULL when
** some exponent is odd (the result then shows in its dimension's unit). */
static const char *sqrt_unit(const char *disp, char *buf, size_t n) {
  UExpr u;
  char err[64];
  if (!disp || uexpr_parse(disp, strlen(disp), &u, err, sizeof err)) return NULL;
  for (int k = 0; k < u.n; k++) {
    if (u.f[k].exp % 2) return NULL;
    u.f[k].exp /= 2;
  }
  uexpr_text(&u, buf, n);
  return buf;
}

/* num.sqrt (and sqrt of an exact value): exact for rational squares;
** otherwise about 64 significant bits computed with integer square roots,
** so huge and tiny values work where a double would overflow to inf or 0.
** A quantity needs even powers of its units and has them halved (the
** square root of 4 m^2 is 2 m). */
int num_sqrt(lua_State *L) {
  Num *n = num_coerce(L, 1);
  int nidx = lua_gettop(L);
  for (int k = 0; k < NDIM; k++)
    if (n->dim.e[k] % 2) {
      char nm[96];
      return luaL_error(L, "num.sqrt: cannot take the square root of %s (a %s: its units need even powers)",
                        luaL_tolstring(L, nidx, NULL), dim_name(&n->dim, nm, sizeof nm));
    }
  if (mpq_sgn(n->q) < 0) return arith_notreal(L, "num.sqrt", 1, NAN);
  num_checkbits(L, (double)num_bits(n->q) + 256);
  Num *r = num_push(L);
  for (int k = 0; k < NDIM; k++) r->dim.e[k] = (int8_t)(n->dim.e[k] / 2);
  char unit[160];
  const char *u = sqrt_unit(num_display(L, nidx), unit, sizeof unit);
  if (u) num_setdisplay(L, -1, u, n->autop);
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

static const luaL_Reg num_funcs[] = {
  {"exact", n_exact}, {"format", n_format}, {"tofloat", n_tofloat},
  {"tointeger", n_tointeger}, {"isexact", n_isexact}, {"isinteger", n_isinteger},
  {"isnum", n_isnum}, {"floor", n_floor}, {"ceil", n_ceil}, {"round", n_round},
  {"sqrt", num_sqrt}, {"to", NULL},
  {NULL, NULL}
};

static const luaL_Reg num_methods[] = {
  {"exact", n_exact}, {"format", n_format}, {"tofloat", n_tofloat},
  {"tointeger", n_tointeger}, {"floor", n_floor}, {"ceil", n_ceil},
  {"round", n_round}, {"to", NULL},
  {NULL, NULL}
};

int luaopen_num(lua_State *L) {
  num_newmetatable(L);
  luaL_setfuncs(L, arith_metamethods, 0);
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
