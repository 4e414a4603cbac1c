/*
** vm/sandbox.h
** The environment a model runs in (see sandbox.c and docs/security.md).
*/
#ifndef DEAL_SANDBOX_H
#define DEAL_SANDBOX_H
#include <lua.h>

/* Opens Lua's safe libraries with the sandbox's guards, or all of them
** under --trust (host_options(L)); math.random seeded from the run's seed.
** A lua_CFunction: state.c opens it first. */
int sandbox_open(lua_State *L);
#endif
