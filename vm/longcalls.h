/*
** vm/longcalls.h
** string.rep, table.sort, table.move, table.insert and table.remove made
** to respect the time limit and Ctrl-C, which no hook enforces inside one
** C call (longcalls.c).
*/
#ifndef DEAL_LONGCALLS_H
#define DEAL_LONGCALLS_H
#include <lua.h>

/* Replaces those functions of the string and table libraries (opened). */
void longcalls_open(lua_State *L);
#endif
