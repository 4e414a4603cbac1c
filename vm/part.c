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
#include "num.h"
#include "part.h"
#include "samples.h"

/* (value, cJSON **out): the part of the value, in protected mode. */
static int part_of(lua_State *L) {
  const HostOptions *o = host_options(L);
  cJSON **out = lua_touserdata(L, 2);
  *out = samples_part(L, 1, o->shard_k, o->shard_n);
  return 0;
}

/* (value) -> whether it shows statistics of the shard's samples: a
** statistic (mean(x), P(c): a num in the statistic's style), or a value
** whose text asks for one (an object showing a mean and interval). Its
** record then differs from the run's, even where all shards agree. */
static int shows_stats(lua_State *L) {
  Num *n = num_test(L, 1);
  unsigned long before = samples_asked(L);
  int yes = n && n->style != NUM_STYLE_VALUE;
  if (!yes && !n) {
    luaL_tolstring(L, 1, NULL);
    yes = samples_asked(L) != before;
  }
  lua_pushboolean(L, yes);
  return 1;
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

/* Marks rec "shard_statistics": true when the value at v shows statistics
** of this shard's samples (shows_stats): merge never takes its text for the
** run's. 1, or 0 with the message pushed. */
static int mark_stats(lua_State *L, int v, cJSON *rec) {
  lua_pushcfunction(L, shows_stats);
  lua_pushvalue(L, v);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) return 0;
  int yes = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (yes && !cJSON_AddTrueToObject(rec, "shard_statistics")) {
    lua_pushliteral(L, "not enough memory");
    return 0;
  }
  return 1;
}

/* The results: records of kind uncertain and condition get their part,
** numbers and objects a mark when they show statistics (the Lua records
** and the JSON array are in the same order). */
static int add_results(lua_State *L, int doc, cJSON *j) {
  cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "results"), *rec = arr ? arr->child : NULL;
  int ok = 1;
  lua_getfield(L, doc, "results");
  for (lua_Integer i = 1; ok && rec && lua_rawgeti(L, -1, i) == LUA_TTABLE; i++, rec = rec->next) {
    lua_getfield(L, -1, "raw");
    const cJSON *kind = cJSON_GetObjectItemCaseSensitive(rec, "kind");
    const char *k = cJSON_IsString(kind) ? kind->valuestring : "";
    if (strcmp(k, "number") == 0 || strcmp(k, "object") == 0) ok = mark_stats(L, lua_gettop(L), rec);
    else ok = add_part(L, lua_gettop(L), rec);
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
