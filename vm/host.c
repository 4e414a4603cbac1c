/*
** vm/host.c
** The services every part of a run uses: the run's options, the model's
** directory, protected calls with a traceback, and one report() for
** errors (in the GNU form of diag.c). Modeled on lua.c's docall and
** report.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "defaults.h"
#include "diag.h"
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

/* The model file's path as given, for error positions Lua shortened: a C
** copy, since host_report runs outside protection too and must not
** allocate (one model runs at a time in a process). */
static char modelpath[4096];

void host_setmodelfile(lua_State *L, const char *path) {
  const char *slash = strrchr(path, '/');
  snprintf(modelpath, sizeof modelpath, "%s", path);
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

/* {====== errors that read as if the model called the library ======
** Lua names the function in "bad argument #2 to 'format'" and puts the
** caller's line first only when the model called that C function itself.
** Wrapped library functions (the sandbox's, lift.c's, longcalls.c's) call
** Lua's own from C, and library functions compare or call metamethods
** from C: their errors came out as "bad argument #2 to '?'" or
** "attempt to compare number with string" with no line. One rule mends
** them: the model's line, and the name of the function it called. */

/* Does the first line of msg begin with a position ("chunk:12: ")? */
static int has_position(const char *m) {
  DiagPos p;
  return diag_parse(m, &p);
}

/* Pushes "lib.name" for the function on top (popped) when a loaded
** library holds it (as lauxlib names functions called from C), else
** returns 0 with nothing pushed. */
static int push_libname(lua_State *L) {
  int f = lua_gettop(L), found = 0;
  if (lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE) == LUA_TTABLE) {
    lua_pushnil(L);
    while (!found && lua_next(L, f + 1)) {
      if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
          if (lua_type(L, -2) == LUA_TSTRING && lua_rawequal(L, -1, f)) {
            const char *lib = lua_tostring(L, -4), *name = lua_tostring(L, -2);
            if (strcmp(lib, LUA_GNAME) == 0) lua_pushstring(L, name);
            else lua_pushfstring(L, "%s.%s", lib, name);
            found = 1;
            break;
          }
          lua_pop(L, 1);
        }
      }
      if (!found) lua_pop(L, 1);
    }
  }
  if (found) { lua_replace(L, f); lua_settop(L, f); }
  else lua_settop(L, f - 1);
  return found;
}

/* Pushes the name of the function at `level` as luaL_argerror would
** give it (its name at the call, else its library field); 0 and nothing
** pushed when it has none. *method: it was called as a method. */
static int push_funcname(lua_State *L, int level, int *method) {
  lua_Debug ar;
  *method = 0;
  if (!lua_getstack(L, level, &ar) || !lua_getinfo(L, "nf", &ar)) return 0;
  if (ar.name) {
    lua_pop(L, 1);
    *method = strcmp(ar.namewhat, "method") == 0;
    lua_pushstring(L, ar.name);
    return 1;
  }
  return push_libname(L);
}

/* Pushes "file:line: " of the model's line: the first Lua function from
** `level` up that is not the stdlib's (whose checks already point at the
** model, _shared.lua), or only the one at `level` when !walk (as
** luaL_where); or nothing and returns 0. */
static int push_modelpos(lua_State *L, int level, int walk) {
  lua_Debug ar;
  for (; lua_getstack(L, level, &ar); level++) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0 && (!walk || strncmp(ar.source, "@stdlib/", 8) != 0)) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return 1;
    }
    if (!walk) break;
  }
  return 0;
}

/* Rewrites the message on top of the stack (a string) for the C function
** at `fn` (the one the model, or the stdlib for it, called), with the
** model's line at `pos` (walk: looked for from there up): "to '?'" gets
** the name; a message without a position gets "file:line: "; with `below`
** (the error came from deeper than fn, from code fn called), "name: " too,
** unless the message names it. */
static void mend_message(lua_State *L, int fn, int pos, int below, int walk) {
  int m = lua_gettop(L), method;
  const char *msg = lua_tostring(L, m);
  const char *q = strstr(msg, " to '?'");
  int named = push_funcname(L, fn, &method);
  const char *name = named ? lua_tostring(L, -1) : NULL;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (!has_position(msg) && push_modelpos(L, pos, walk)) luaL_addvalue(&b);
  int n;
  if (name && q && sscanf(msg, "bad argument #%d to '?'", &n) == 1 && q == strstr(msg, " to '?'")) {
    const char *rest = q + strlen(" to '?'");
    if (method && n == 1) lua_pushfstring(L, "calling '%s' on bad self%s", name, rest);
    else lua_pushfstring(L, "bad argument #%d to '%s'%s", method ? n - 1 : n, name, rest);
    luaL_addvalue(&b);
  } else {
    if (name && below && !strstr(msg, name)) {
      luaL_addstring(&b, name);
      luaL_addstring(&b, ": ");
    }
    luaL_addstring(&b, msg);
  }
  luaL_pushresult(&b);
  lua_replace(L, m);
  lua_settop(L, m);
}

void host_wrappedcall(lua_State *L, int nargs, int nresults) {
  if (lua_pcall(L, nargs, nresults, 0) == LUA_OK) return;
  if (lua_type(L, -1) == LUA_TSTRING && lua_checkstack(L, LUA_MINSTACK))
    mend_message(L, 0, 1, 0, 0);     /* exactly as the function would have said it */
  lua_error(L);
}

/* The same from the message handler (level 1 is the function that
** raised): the innermost Lua function is the model's line, the function
** just above it the one the model called. */
static void mend_raised(lua_State *L) {
  lua_Debug ar;
  int level = 1;
  for (; lua_getstack(L, level, &ar); level++)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) break;
  if (level < 2 || !lua_getstack(L, level, &ar)) return;   /* raised by Lua code, or no Lua */
  mend_message(L, level - 1, level, level > 2, 1);
}
/* }====== */

/* {====== calls and errors ====== */
/* Message handler: a traceback, without calling metamethods that could
** raise again (an error object whose __tostring errors is still printed). */
static int msghandler(lua_State *L) {
  if (!lua_checkstack(L, LUA_MINSTACK)) return 1;   /* the bare error, no traceback */
  if (lua_type(L, 1) == LUA_TSTRING) mend_raised(L);
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
    if (msg != NULL) diag_print(stderr, progname, msg, modelpath[0] ? modelpath : NULL);
    else if (lua_type(L, -1) == LUA_TNUMBER) fprintf(stderr, "%s: %.14g\n", progname, (double)lua_tonumber(L, -1));
    else fprintf(stderr, "%s: (error object is a %s value)\n", progname, luaL_typename(L, -1));
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}

int host_flushout(const char *who) {
  int bad = fflush(stdout) != 0, err = errno;
  if (!bad && !ferror(stdout)) return 1;
  if (bad) fprintf(stderr, "%s: cannot write standard output: %s\n", who, strerror(err));
  else fprintf(stderr, "%s: cannot write standard output (an earlier write failed)\n", who);
  fflush(stderr);
  return 0;
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
