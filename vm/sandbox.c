/*
** vm/sandbox.c
** The environment a model runs in: Lua's safe libraries, minus everything
** that reaches the machine (io, os, package, debug, binary chunks), plus
** guarded versions of the few functions that can hang or crash the host.
** --trust opens everything (see docs/security.md).
*/
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>
#include "host.h"

/* load(chunk [, name [, mode [, env]]]): text only, whatever mode says. */
static int s_load(lua_State *L) {
  size_t len;
  const char *s;
  const char *name;
  int envidx = lua_isnone(L, 4) ? 0 : 4;
  if (lua_type(L, 1) != LUA_TSTRING) {
    /* a reader function: collect its pieces first */
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (;;) {
      lua_pushvalue(L, 1);
      lua_call(L, 0, 1);
      if (lua_isnil(L, -1) || (lua_isstring(L, -1) && lua_rawlen(L, -1) == 0)) { lua_pop(L, 1); break; }
      if (!lua_isstring(L, -1)) return luaL_error(L, "reader function must return a string");
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_replace(L, 1);
  }
  s = lua_tolstring(L, 1, &len);
  name = luaL_optstring(L, 2, s);
  int st = host_loadbuffer(L, s, len, name, DIALECT_LUA);
  if (st != LUA_OK) { luaL_pushfail(L); lua_insert(L, -2); return 2; }
  if (envidx) {
    lua_pushvalue(L, envidx);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  }
  return 1;
}

/* setmetatable that refuses __gc: finalizers run with hooks off and can
** hang the host, even inside lua_close. */
static int s_setmetatable(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_getfield(L, 2, "__gc");
    int has = !lua_isnil(L, -1);
    lua_pop(L, 1);
    if (has) return luaL_error(L, "setmetatable: __gc is not allowed in models");
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

static int s_collectgarbage(lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "collect");
  if (strcmp(opt, "count") == 0) {
    int k = lua_gc(L, LUA_GCCOUNT, 0), b = lua_gc(L, LUA_GCCOUNTB, 0);
    lua_pushnumber(L, (lua_Number)k + ((lua_Number)b / 1024));
    return 1;
  }
  return luaL_error(L, "collectgarbage('%s') is not available in models", opt);
}

/* coroutine.close chains nested ~100k deep crash Debian's Lua 5.4.4
** (fixed upstream in 5.4.5, commit 1e64c139): bound the nesting. */
static int close_depth;
static int s_coclose(lua_State *L) {
  if (close_depth >= 100) return luaL_error(L, "coroutine.close nested too deeply");
  close_depth++;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  close_depth--;
  if (st != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

static void open_lib(lua_State *L, const char *name, lua_CFunction f) {
  luaL_requiref(L, name, f, 1);
  lua_pop(L, 1);
}

static void remove_field(lua_State *L, const char *lib, const char *field) {
  if (lua_getglobal(L, lib) == LUA_TTABLE) {
    lua_pushnil(L);
    lua_setfield(L, -2, field);
  }
  lua_pop(L, 1);
}

/* A small os: time and clocks only. */
static void open_os(lua_State *L) {
  static const char *const keep[] = {"clock", "time", "date", "difftime", NULL};
  luaL_requiref(L, "os", luaopen_os, 0);
  lua_newtable(L);
  for (int i = 0; keep[i]; i++) {
    lua_getfield(L, -2, keep[i]);
    lua_setfield(L, -2, keep[i]);
  }
  lua_setglobal(L, "os");
  lua_pop(L, 1);
}

/* A small io: write to stdout, read stdin, and read files (io.open with a
** read mode only; see docs/security.md). */
static int s_ioopen(lua_State *L) {
  const char *mode = luaL_optstring(L, 2, "r");
  if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0)
    return luaL_error(L, "io.open: models may only read files (mode '%s' refused)", mode);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushstring(L, mode);
  lua_call(L, 2, LUA_MULTRET);
  return lua_gettop(L) - 2;
}

static void open_io(lua_State *L) {
  luaL_requiref(L, "io", luaopen_io, 0);
  lua_newtable(L);
  static const char *const keep[] = {"write", "read", "lines", "stdout", "stderr", NULL};
  for (int i = 0; keep[i]; i++) {
    lua_getfield(L, -2, keep[i]);
    lua_setfield(L, -2, keep[i]);
  }
  lua_getfield(L, -2, "open");
  lua_pushcclosure(L, s_ioopen, 1);
  lua_setfield(L, -2, "open");
  lua_setglobal(L, "io");
  lua_pop(L, 1);
}

void sandbox_open(lua_State *L, const HostOptions *opt) {
  if (opt->trust) { luaL_openlibs(L); return; }
  open_lib(L, LUA_GNAME, luaopen_base);
  open_lib(L, LUA_STRLIBNAME, luaopen_string);
  open_lib(L, LUA_TABLIBNAME, luaopen_table);
  open_lib(L, LUA_MATHLIBNAME, luaopen_math);
  open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
  open_lib(L, LUA_COLIBNAME, luaopen_coroutine);
  open_os(L);
  open_io(L);
  lua_pushnil(L); lua_setglobal(L, "dofile");
  lua_pushnil(L); lua_setglobal(L, "loadfile");
  lua_pushcfunction(L, s_load); lua_setglobal(L, "load");
  lua_pushcfunction(L, s_collectgarbage); lua_setglobal(L, "collectgarbage");
  lua_getglobal(L, "setmetatable");
  lua_pushcclosure(L, s_setmetatable, 1);
  lua_setglobal(L, "setmetatable");
  remove_field(L, "string", "dump");
  lua_getglobal(L, "coroutine");
  lua_getfield(L, -1, "close");
  lua_pushcclosure(L, s_coclose, 1);
  lua_setfield(L, -2, "close");
  lua_pop(L, 1);
  /* lock the shared string metatable: getmetatable("") returns false */
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}
