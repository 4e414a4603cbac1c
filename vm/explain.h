/*
** vm/explain.h
** `deal check --explain`: which inputs each claim depends on, and where its
** verdict flips (explain.c drives stdlib/_explain.lua from the model's child).
*/
#ifndef DEAL_EXPLAIN_H
#define DEAL_EXPLAIN_H
#include <lua.h>
#include "host.h"

/* Before the model runs in L: claim() hands every condition to
** stdlib/_explain.lua, which names the inputs it depends on. */
int explain_arm(lua_State *L);

/* After the model ran in L (armed): reruns it from path once per probe, in
** a forked process, each time in a fresh state with one input pinned
** (samples_pin), until deadline (host_now() seconds), and leaves on L's
** stack a list, one entry per claim, of { text = lines, json = the fields
** to add to its JSON record }. Returns LUA_OK or an error status with the
** message on the stack. */
int explain_run(lua_State *L, const HostOptions *host, const char *path, double deadline);
#endif
