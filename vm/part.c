/*
** vm/part.c
** A shard's part (part.h): what `deal merge` (merge.c) needs beyond the
** document `deal --json` writes. The statistics of a shard cover its own
** samples, so its texts, means and quantiles are not the run's; the parts
** carry what merges exactly instead (mcpart.h), and merge makes the run's
** texts from them.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Adds "shard_statistics": true to rec: 1, or 0 with the message pushed. */
static int add_mark(lua_State *L, cJSON *rec) {
  if (cJSON_AddTrueToObject(rec, "shard_statistics")) return 1;
  lua_pushliteral(L, "not enough memory");
  return 0;
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
  return !yes || add_mark(L, rec);
}

void part_render(lua_State *L, int tmpl, int values, const char *what) {
  size_t len;
  const char *t = luaL_checklstring(L, tmpl, &len), *end = t + len;
  lua_Integer n = (lua_Integer)lua_rawlen(L, values);
  luaL_Buffer b;
  values = lua_absindex(L, values);
  luaL_buffinit(L, &b);
  while (t < end) {
    const char *plain = t;
    while (t < end && *t != SAMPLES_TOKEN_OPEN[0] && *t != SAMPLES_TOKEN_CLOSE[0]) t++;
    luaL_addlstring(&b, plain, (size_t)(t - plain));
    if (t == end) break;
    char *after = NULL;
    long k = *t == SAMPLES_TOKEN_OPEN[0] && isdigit((unsigned char)t[1]) ? strtol(t + 1, &after, 10) : 0;
    if (k < 1 || k > n || *after != SAMPLES_TOKEN_CLOSE[0])
      luaL_error(L, "%s: bad template: its tokens are not those of its %d values", what, (int)n);
    lua_rawgeti(L, values, k);
    luaL_tolstring(L, -1, NULL);
    lua_remove(L, -2);
    luaL_addvalue(&b);
    t = after + 1;
  }
  luaL_pushresult(&b);
}

/* (object) -> its text with its uncertain values' texts deferred (the
** template), and whether it asked a statistic otherwise. */
static int deferred_text(lua_State *L) {
  unsigned long before = samples_asked(L);
  luaL_tolstring(L, 1, NULL);
  lua_pushboolean(L, samples_asked(L) != before);
  return 2;
}

/* (template, values, text, rec) -> whether the template, each token
** replaced by the text of its value in this shard, is the object's text
** (a __tostring that pads, cuts or changes a value's text would not be:
** the template would not show the run's), and if so adds the template
** and each value's part to rec. */
static int add_template(lua_State *L) {
  const HostOptions *o = host_options(L);
  cJSON *rec = lua_touserdata(L, 4), *parts = cJSON_CreateArray();
  part_render(L, 1, 2, "object");
  if (strcmp(lua_tostring(L, -1), lua_tostring(L, 3)) != 0) { cJSON_Delete(parts); return 0; }
  if (!parts || !cJSON_AddItemToObject(rec, "values", parts)) { cJSON_Delete(parts); return luaL_error(L, "not enough memory"); }
  for (lua_Integer i = 1; i <= (lua_Integer)lua_rawlen(L, 2); i++) {
    lua_rawgeti(L, 2, i);
    cJSON *p = samples_part(L, -1, o->shard_k, o->shard_n);
    if (p && samples_iscondition(L, -1) && !cJSON_AddTrueToObject(p, "condition")) p = NULL;
    if (!cJSON_AddItemToArray(parts, p)) { cJSON_Delete(p); return luaL_error(L, "not enough memory"); }
    lua_pop(L, 1);
  }
  if (!cJSON_AddStringToObject(rec, "template", lua_tostring(L, 1))) return luaL_error(L, "not enough memory");
  lua_pushboolean(L, 1);
  return 1;
}

/* An object's record: its text made again with the plain texts of its
** uncertain values deferred (samples_defer). When it shows them only
** through those texts, rec gets the template and the values' parts, from
** which merge makes the run's text; when it asks another statistic (a
** mean, a formatted interval, a P), or its template does not give back
** its text, rec is marked "shard_statistics". 1, or 0 with the message
** pushed. */
static int object_text(lua_State *L, int v, cJSON *rec) {
  const char *text = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(rec, "text"));
  int top = lua_gettop(L);
  lua_pushcfunction(L, deferred_text);
  lua_pushvalue(L, v);
  samples_defer(L, 1);
  int st = lua_pcall(L, 1, 2, 0);
  samples_defer(L, 0);                      /* the values: top + 3 */
  if (st != LUA_OK) { lua_pop(L, 1); return 0; }
  int asked = lua_toboolean(L, top + 2);
  lua_Integer n = lua_istable(L, top + 3) ? (lua_Integer)lua_rawlen(L, top + 3) : 0;
  int done = n == 0 && !asked;              /* no uncertain value: the same in every shard */
  if (!done && !asked && text && !strpbrk(text, SAMPLES_TOKEN_OPEN SAMPLES_TOKEN_CLOSE)) {
    lua_pushcfunction(L, add_template);
    lua_pushvalue(L, top + 1);
    lua_pushvalue(L, top + 3);
    lua_pushstring(L, text);
    lua_pushlightuserdata(L, rec);
    if (lua_pcall(L, 4, 1, 0) != LUA_OK) { lua_replace(L, top + 1); lua_settop(L, top + 1); return 0; }
    done = lua_toboolean(L, -1);
  }
  lua_settop(L, top);
  return done || add_mark(L, rec);
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
    if (strcmp(k, "number") == 0) ok = mark_stats(L, lua_gettop(L), rec);
    else if (strcmp(k, "object") == 0) ok = object_text(L, lua_gettop(L), rec);
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
