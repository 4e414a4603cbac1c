/*
** vm/host.c
** The services every part of a run uses: the run's options, the model's
** directory, protected calls with a traceback, and one report() for
** errors. Modeled on lua.c's docall and report.
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "defaults.h"
#include "host.h"
#include "runlimits.h"
#include "registry.h"

const char *progname = "deal";

/* {====== options and the model's directory ====== */
void host_defaults(HostOptions *opt) {
  memset(opt, 0, sizeof *opt);
  opt->max_memory = DEAL_DEFAULT_MAX_MEMORY;
  opt->timeout = DEAL_DEFAULT_TIMEOUT;
  opt->samples = DEAL_DEFAULT_SAMPLES;
  opt->seed = DEAL_DEFAULT_SEED;
}

/* The options live in the state (a userdata in the registry, created by
** state.c) and are found through Lua's extra space, which every thread
** copies from the main thread: one load, no lookup, since every new
** uncertain value reads the sample count. */
HostOptions *host_options(lua_State *L) {
  return *(HostOptions **)lua_getextraspace(L);
}

void host_setmodeldir(lua_State *L, const char *dir) {
  lua_pushstring(L, dir);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_MODELDIR);
}

void host_setmodelfile(lua_State *L, const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) { host_setmodeldir(L, "."); return; }
  lua_pushlstring(L, path, (size_t)(slash - path));
  lua_setfield(L, LUA_REGISTRYINDEX, REG_MODELDIR);
}

const char *host_modeldir(lua_State *L) {
  const char *dir = lua_getfield(L, LUA_REGISTRYINDEX, REG_MODELDIR) == LUA_TSTRING
                  ? lua_tostring(L, -1) : ".";
  lua_pop(L, 1);                  /* the registry keeps the string alive */
  return dir;
}
/* }====== */

/* {====== calls and errors ====== */
/* Message handler: a traceback, without calling metamethods that could
** raise again (an error object whose __tostring errors is still printed). */
static int msghandler(lua_State *L) {
  if (!lua_checkstack(L, LUA_MINSTACK)) return 1;   /* the bare error, no traceback */
  const char *msg = lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER ? lua_tostring(L, 1) : NULL;
  if (msg == NULL) {
    int t = luaL_getmetafield(L, 1, "__tostring");
    if (t == LUA_TFUNCTION) {
      lua_pushvalue(L, 1);
      if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) return 1;
      lua_pop(L, 1);
    } else if (t != LUA_TNIL) lua_pop(L, 1);   /* LUA_TNIL pushed nothing */
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int host_report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (msg != NULL) fprintf(stderr, "%s: %s\n", progname, msg);
    else if (lua_type(L, -1) == LUA_TNUMBER) fprintf(stderr, "%s: %.14g\n", progname, (double)lua_tonumber(L, -1));
    else fprintf(stderr, "%s: (error object is a %s value)\n", progname, luaL_typename(L, -1));
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}

int host_docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  limits_enter(L);
  int status = lua_pcall(L, narg, nres, base);
  limits_leave(L);
  lua_remove(L, base);
  return status;
}
/* }====== */
