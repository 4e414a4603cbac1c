/*
** vm/state.c
** Building a state the production way: the counting allocator, panic and
** warning handlers, the limits, then the libraries of dealibs[] in order
** (as Lua's linit.c does with loadedlibs[]). Closing one gives the limits
** back and drains the numeric core's pools.
**
** Adding a library: write its luaopen_x (returning its table, or setting
** globals itself), declare it in its own header, and add one line to
** dealibs[] below the libraries it uses.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>
#include "alloc.h"
#include "arith.h"
#include "host.h"
#include "runlimits.h"
#include "num.h"
#include "numlib.h"
#include "registry.h"
#include "samples.h"
#include "sandbox.h"
#include "stdlib.h"

/* Lua's own libraries: all of them for --conformance (plain Lua), else
** the sandbox's (which opens everything under --trust), and the paths of
** the command line as places a model may read. */
static int open_lua(lua_State *L) {
  const HostOptions *opt = host_options(L);
  if (opt->conformance) luaL_openlibs(L);
  else {
    sandbox_open(L);
    if (!opt->trust) host_allowcmdline(L);
  }
  return 0;
}

/* lift replaces Lua's math functions, string.format and tonumber by C
** closures; --conformance runs Lua's own functions, unchanged (Lua's suite
** checks them down to their upvalue counts). */
static int open_lift(lua_State *L) {
  return host_options(L)->conformance ? 0 : lift_stdlib(L);
}

/* The libraries of every state, opened in this order; each may use those
** above it. `global`: the result is also the global of that name (else
** the library sets its globals itself, or has none). */
static const struct { const char *name; lua_CFunction open; int global; } dealibs[] = {
  {"lua", open_lua, 0},                /* Lua's libraries, sandboxed */
  {"num", luaopen_num, 1},             /* exact numbers */
  {"units", luaopen_units, 1},         /* quantities and units */
  {"__deal", luaopen_dealrt, 1},       /* the runtime translated .deal code calls */
  {"samples", luaopen_samples, 0},     /* uncertain values: normal, P, mean... */
  {"lift", open_lift, 0},              /* math.floor(7/2) and friends take nums */
  {"stdlib", stdlib_open, 0},          /* require, module globals, the preludes */
};

/* Everything that can raise runs here, inside lua_pcall: the options
** first (every library may read them), then the libraries. */
static int setup(lua_State *L) {
  HostOptions *opt = lua_newuserdatauv(L, sizeof *opt, 0);
  *opt = *(const HostOptions *)lua_touserdata(L, 1);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_OPTIONS);
  *(HostOptions **)lua_getextraspace(L) = opt;   /* host_options() */
  for (size_t i = 0; i < sizeof dealibs / sizeof dealibs[0]; i++) {
    if (dealibs[i].global) {
      luaL_requiref(L, dealibs[i].name, dealibs[i].open, 1);
      lua_pop(L, 1);
    } else {
      lua_pushcfunction(L, dealibs[i].open);
      lua_call(L, 0, 0);
    }
  }
  return 0;
}

static int panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "%s: PANIC: unprotected error: %s\n", progname, msg ? msg : "?");
  fflush(stderr);
  _exit(3);
}

/* Lua's warnings (warn("@on")), printed as lua.c prints them. */
static int warn_on, warn_cont;
static void warnf(void *ud, const char *msg, int tocont) {
  int on = warn_on, cont = warn_cont;
  (void)ud;                               /* a lua_WarnFunction; we keep no data */
  if (!cont && msg[0] == '@') {           /* control messages, as lua.c */
    if (strcmp(msg, "@on") == 0) warn_on = 1; else if (strcmp(msg, "@off") == 0) warn_on = 0;
    return;
  }
  if (on) { fprintf(stderr, "%s%s", cont ? "" : "deal: warning: ", msg); if (!tocont) fputc('\n', stderr); }
  warn_cont = tocont;
}

/* The memory budget of a new state (docs/security.md). */
static void set_budget(const HostOptions *opt) {
  deal_budget.limit = opt->max_memory == HOST_UNLIMITED ? 0 : opt->max_memory;
  deal_budget.count = 0;
  deal_budget.fail_after = -1;
#ifdef DEAL_TEST_HOOKS
  const char *f = getenv("DEAL_FAIL_AFTER");     /* the OOM sweep */
  if (f) deal_budget.fail_after = atol(f);
#endif
  deal_budget.peak = deal_budget.used;
}

lua_State *host_newstate(const HostOptions *opt) {
  set_budget(opt);
  warn_on = warn_cont = 0;
  alloc_setup_gmp();
  lua_State *L = lua_newstate(deal_alloc, &deal_budget);
  if (!L) return NULL;
  *(HostOptions **)lua_getextraspace(L) = NULL;
  lua_atpanic(L, panic);
  lua_gc(L, LUA_GCGEN, 0, 0);      /* most nums die young: generational suits them */
  lua_setwarnf(L, warnf, L);
  limits_arm(L, opt->timeout);
  lua_pushcfunction(L, setup);
  lua_pushlightuserdata(L, (void *)opt);
  if (host_docall(L, 1, 0) != LUA_OK) {
    host_report(L, LUA_ERRRUN);
    host_close(L);
    return NULL;
  }
  return L;
}

void host_close(lua_State *L) {
#ifdef DEAL_TEST_HOOKS
  if (getenv("DEAL_ALLOC_COUNT"))                 /* the OOM sweep asks */
    fprintf(stderr, "deal: %ld allocations\n", deal_budget.count);
#endif
  /* no limit hook while finalizers run (models cannot set __gc; ours are C) */
  lua_sethook(L, NULL, 0, 0);
  limits_detach();
  lua_gc(L, LUA_GCCOLLECT, 0);
  lua_close(L);
  limits_disarm();
  num_pool_drain();
  arith_drain();
}
