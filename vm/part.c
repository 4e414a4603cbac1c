/*
** vm/part.c
** A shard's part (part.h): what `deal merge` (merge.c) needs beyond the
** document `deal --json` writes. The statistics of a shard cover its own
** samples, so its texts, means and quantiles are not the run's; the parts
** carry what merges exactly instead (mcpart.h), and merge makes the run's
** texts from them.
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "host.h"
#include "part.h"
#include "samples.h"

/* (value, cJSON **out): the part of the value, in protected mode. */
static int part_of(lua_State *L) {
  const HostOptions *o = host_options(L);
  cJSON **out = lua_touserdata(L, 2);
  *out = samples_part(L, 1, o->shard_k, o->shard_n);
  return 0;
}

/* Adds the part of the value at v to the object rec (nothing when the
** value is not uncertain): 1, or 0 with the message pushed. */
static int add_part(lua_State *L, int v, cJSON *rec) {
  cJSON *p = NULL;
  lua_pushcfunction(L, part_of);
  lua_pushvalue(L, v);
  lua_pushlightuserdata(L, &p);
  if (lua_pcall(L, 2, 0, 0) != LUA_OK) return 0;
  if (p && !cJSON_AddItemToObject(rec, "part", p)) {
    cJSON_Delete(p);
    lua_pushliteral(L, "not enough memory");
    return 0;
  }
  return 1;
}

void part_header(lua_State *L, int doc) {
  const HostOptions *o = host_options(L);
  doc = lua_absindex(L, doc);
  lua_createtable(L, 0, 3);
  lua_pushinteger(L, (lua_Integer)o->shard_k);
  lua_setfield(L, -2, "k");
  lua_pushinteger(L, (lua_Integer)o->shard_n);
  lua_setfield(L, -2, "n");
  char seed[32];
  snprintf(seed, sizeof seed, "%llu", o->seed);
  lua_pushstring(L, seed);
  lua_setfield(L, -2, "seed");
  lua_setfield(L, doc, "part");
}

/* The results: records of kind uncertain and condition get their part
** (the Lua records and the JSON array are in the same order). */
static int add_results(lua_State *L, int doc, cJSON *j) {
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "results"), *rec = arr ? arr->child : NULL;
  int ok = 1;
  lua_getfield(L, doc, "results");
  for (lua_Integer i = 1; ok && rec && lua_rawgeti(L, -1, i) == LUA_TTABLE; i++, rec = rec->next) {
    lua_getfield(L, -1, "raw");
    ok = add_part(L, lua_gettop(L), rec);
    if (ok) lua_pop(L, 2);
  }
  if (ok) lua_pop(L, 2);
  return ok;
}

/* The claims: those on an uncertain condition get the condition's part
** (__deal.claims, in the order results_push_claims wrote them). */
static int add_claims(lua_State *L, cJSON *j) {
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "claims"), *rec = arr ? arr->child : NULL;
  int top = lua_gettop(L);
  if (lua_getglobal(L, "__deal") != LUA_TTABLE || lua_getfield(L, -1, "claims") != LUA_TTABLE) {
    lua_settop(L, top);
    return 1;
  }
  int cl = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, cl);
  for (lua_Integer i = 1; i <= n && rec; i++) {
    if (lua_rawgeti(L, cl, i) != LUA_TTABLE) { lua_pop(L, 1); continue; }
    lua_getfield(L, -1, "cond");
    if (!add_part(L, lua_gettop(L), rec)) return 0;
    lua_pop(L, 2);
    rec = rec->next;
  }
  lua_settop(L, top);
  return 1;
}

int part_add(lua_State *L, int doc, cJSON *j) {
  doc = lua_absindex(L, doc);
  if (lua_getfield(L, doc, "error") != LUA_TNIL) { lua_pop(L, 1); return 1; }   /* merge refuses it */
  lua_pop(L, 1);
  return add_results(L, doc, j) && add_claims(L, j);
}
