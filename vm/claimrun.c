/*
** vm/claimrun.c
** After a run: the claims table and each failing claim as a diagnostic
** (claimrun.h), for `deal FILE` and for `deal merge`, which prints what
** the run would have.
*/
#include <stdio.h>

#include <lauxlib.h>
#include "claimrun.h"
#include "diag.h"
#include "host.h"

/* Each failing claim of __deal.claims as a diagnostic on stderr, at its
** claim( line (diag.c): what an editor jumps to. Runs protected. */
static int failing_claims(lua_State *L) {
  const char *path = lua_tostring(L, 1);
  lua_getglobal(L, "__deal");
  if (!lua_istable(L, -1) || lua_getfield(L, -1, "claims") != LUA_TTABLE) return 0;
  int t = lua_gettop(L);
  for (lua_Integer i = 1; lua_geti(L, t, i) == LUA_TTABLE; i++) {
    int c = lua_gettop(L);
    lua_getfield(L, c, "holds");
    if (!lua_toboolean(L, -1)) {
      lua_getfield(L, c, "text");
      lua_getfield(L, c, "file");
      lua_getfield(L, c, "line");
      lua_getfield(L, c, "value");
      lua_getfield(L, c, "p");
      lua_getfield(L, c, "threshold");
      fflush(stdout);                    /* after the table */
      diag_claim(stderr, progname, lua_tostring(L, c + 3), (long)lua_tointeger(L, c + 4),
                 lua_isstring(L, c + 2) ? lua_tostring(L, c + 2) : "?",
                 lua_isboolean(L, c + 5) ? lua_toboolean(L, c + 5) : -1,
                 lua_tonumber(L, c + 6), lua_tonumber(L, c + 7), path);
    }
    lua_settop(L, c - 1);
  }
  return 0;
}

/* The claims table, if the stdlib has one, then the failing claims as
** diagnostics: after a script, or after -e when there is no script (a
** claim made on the command line is shown as a script's is). */
int claims_show(lua_State *L, const char *path) {
  lua_getglobal(L, "__deal");
  if (lua_istable(L, -1) && lua_getfield(L, -1, "after_run") == LUA_TFUNCTION) {
    lua_remove(L, -2);
    int st = host_docall(L, 0, 0);
    if (st != LUA_OK) return st;
    lua_pushcfunction(L, failing_claims);
    lua_pushstring(L, path);
    return host_docall(L, 1, 0);
  }
  lua_pop(L, 2);
  return LUA_OK;
}

