/*
** vm/claimrun.h
** What `deal FILE` prints after its script, and `deal merge` after merging
** parts (claimrun.c).
*/
#ifndef DEAL_CLAIMRUN_H
#define DEAL_CLAIMRUN_H
#include <lua.h>

/* The claims table (the stdlib's __deal.after_run), then each failing claim
** of __deal.claims as "path:line:1: error: claim fails: ..." on stderr;
** path NULL for standard input or the command line. Returns the status of
** the calls (their error message left on the stack). */
int claims_show(lua_State *L, const char *path);
#endif
