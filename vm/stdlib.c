/*
** vm/stdlib.c
** `require` for models: the embedded stdlib first, then .deal/.lua files
** beside the model; nothing else (no C modules, no search path). Stdlib
** modules are also globals, loaded on first use so start-up stays fast.
** Under --conformance the global `require` is Lua's again once the
** preludes have run (package.searchers, C modules): Lua's own test suite
** requires "debug" and tests `package`.
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "host.h"
#include "registry.h"
#include "stdlib.h"

const StdlibFile *stdlib_find(const char *name) {
  for (const StdlibFile *f = stdlib_files; f->name; f++)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}

static int valid_modname(const char *s) {
  if (!*s || *s == '.') return 0;
  for (; *s; s++)
    if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
      return 0;
  return 1;
}

/* Loads module `name` (at index 1) and leaves the loader on the stack. */
static int find_loader(lua_State *L, const char *name) {
  const StdlibFile *f = stdlib_find(name);
  if (f) return host_loadbuffer(L, f->src, f->len, f->chunkname, f->isdeal ? DIALECT_DEAL : DIALECT_LUA) == LUA_OK
                ? 1 : (lua_error(L), 0);
  if (!valid_modname(name)) return luaL_error(L, "module '%s' not found (bad module name)", name);
  const char *dir = host_modeldir(L);
  char path[4096];
  static const char *const ext[] = {".deal", ".lua"};
  for (int i = 0; i < 2; i++) {
    int n = snprintf(path, sizeof path, "%s/%s%s", dir, name, ext[i]);
    if (n < 0 || (size_t)n >= sizeof path) break;
    for (char *p = path + strlen(dir) + 1; *p && p < path + n - (int)strlen(ext[i]); p++)
      if (*p == '.') *p = '/';
    FILE *fp = fopen(path, "rb");
    if (!fp) continue;
    fclose(fp);
    int st = host_loadfile(L, path, DIALECT_AUTO);
    if (st != LUA_OK) return lua_error(L);
    return 1;
  }
  return luaL_error(L, "module '%s' not found: not in the stdlib, no %s/%s.deal or .lua",
                    name, dir, name);
}

int stdlib_require(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  lua_settop(L, 1);
  lua_getfield(L, LUA_REGISTRYINDEX, REG_LOADED);          /* 2 */
  if (lua_getfield(L, 2, name) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  find_loader(L, name);
  lua_pushstring(L, name);
  lua_call(L, 1, 1);
  if (lua_isnil(L, -1)) { lua_pop(L, 1); lua_pushboolean(L, 1); }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, name);
  return 1;
}

/* _G's __index: a stdlib module name loads the module. */
static int s_lazyglobal(lua_State *L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  const StdlibFile *f = stdlib_find(lua_tostring(L, 2));
  if (!f || f->name[0] == '_') return 0;
  lua_pushcfunction(L, stdlib_require);
  lua_pushvalue(L, 2);
  lua_call(L, 1, 1);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, -2);
  lua_rawset(L, 1);
  return 1;
}

int stdlib_open(lua_State *L) {
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_LOADED);
  lua_getglobal(L, "require");             /* Lua's, for --conformance below */
  lua_pushcfunction(L, stdlib_require);
  lua_setglobal(L, "require");
  lua_pushglobaltable(L);
  lua_newtable(L);
  lua_pushcfunction(L, s_lazyglobal);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  /* modules named "prelude*" run at start-up: analysis helpers as globals */
  for (const StdlibFile *f = stdlib_files; f->name; f++) {
    if (strncmp(f->name, "prelude", 7) != 0) continue;
    lua_pushcfunction(L, stdlib_require);
    lua_pushstring(L, f->name);
    lua_call(L, 1, 0);
  }
  if (host_options(L)->conformance) lua_setglobal(L, "require");   /* the preludes had ours */
  else lua_pop(L, 1);
  return 0;
}

void stdlib_pushfiles(lua_State *L) {
  lua_newtable(L);
  for (int i = 0; stdlib_files[i].name; i++) {
    lua_createtable(L, 0, 2);
    lua_pushstring(L, stdlib_files[i].name);
    lua_setfield(L, -2, "name");
    lua_pushlstring(L, stdlib_files[i].src, stdlib_files[i].len);
    lua_setfield(L, -2, "src");
    lua_rawseti(L, -2, i + 1);
  }
}
