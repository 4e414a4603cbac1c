/*
** vm/arith.h
** The value algebra (arith.c): one set of rules for integers, floats,
** exact nums, quantities and uncertain values, over nums (num.h) and
** quantities (units.h). The top layer of the numeric core: the libraries
** (numlib.h) and samples.c call it; it calls nothing above itself
** (uncertain values join through samples.h's hooks).
*/
#ifndef DEAL_ARITH_H
#define DEAL_ARITH_H
#include <lua.h>
#include <lauxlib.h>
#include "dim.h"

/* The operation op (a LUA_OP* code) on the values at 1 and 2 (2 a copy of
** 1 for unary ops); pushes the result. norm: turn exact dimensionless
** integers that fit 64 bits into Lua integers (the .deal runtime does;
** plain-Lua metamethods do not). */
int arith_op(lua_State *L, int op, int norm);
/* Comparison (LUA_OPEQ, LUA_OPLT, LUA_OPLE) of the values at 1 and 2: nums
** by value, dimension-checked. Pushes a boolean (or an uncertain one). */
int arith_compare(lua_State *L, int op);

/* The metamethods of nums and uncertain values in plain Lua (__add ...
** __unm, __eq, __lt, __le), for luaL_setfuncs. */
extern const luaL_Reg arith_metamethods[];

/* A plain exact zero (0, 0.0 or a num 0 without unit) at i: it meets any
** dimension in + - and comparisons (0 + 5 kW is 5 kW). */
int arith_isplainzero(lua_State *L, int i);
/* r = a + sign*b (a product: +1, a quotient: -1), or e*a for a power (b
** NULL, sign = e); raises "unit exponent too large" beyond DIM_MAXEXP. */
void arith_dim(lua_State *L, Dim *r, const Dim *a, const Dim *b, long sign);
/* Symbol ("+", "<=") and verb ("add", "compare") of an operation code
** (LUA_OPADD...LUA_OPUNM or SOP_*), for messages. */
const char *arith_opsym(int op);
const char *arith_opverb(int op);

/* The one error for a math function whose result v is not a finite real
** number: "sqrt(-4): not a real number (negative argument)", "log(0):
** -infinity (zero argument)", "exp(1000): too large (beyond 1.8e308)".
** fname's arguments are at 1..nargs. Never returns. */
int arith_notreal(lua_State *L, const char *fname, int nargs, double v);

/* Frees the scratch rationals (after lua_close). */
void arith_drain(void);
#endif
