/*
** vm/numlib.h
** The Lua libraries over the numeric core: what scripts see of nums
** (lnum.c), units (lunits.c), the runtime of translated .deal code
** (dealrt.c) and Lua's own functions taught to take nums (lift.c). The
** core below (num.h, units.h, arith.h) never calls up into these.
*/
#ifndef DEAL_NUMLIB_H
#define DEAL_NUMLIB_H
#include <lua.h>

int luaopen_num(lua_State *L);      /* the `num` table and the num metatable */
int luaopen_units(lua_State *L);    /* the `units` table */
int luaopen_dealrt(lua_State *L);   /* the __deal runtime table */

/* x:to("TWh") and units.to: the same value shown in another unit (also
** the `to` method of uncertain values). */
int units_to(lua_State *L);

/* num.sqrt(x) on the value at 1: exact for rational squares, units
** halved (the square root of 4 m^2 is 2 m); pushes the result. */
int num_sqrt(lua_State *L);

/* Wraps math.floor, math.max, string.format, tonumber... so they take nums
** and uncertain values. Run after num and samples are open: the wrappers
** capture the functions they stand for when they are made. */
int lift_stdlib(lua_State *L);
#endif
