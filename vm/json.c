/*
** vm/json.c
** JSON policies over cJSON: exact numbers, valid UTF-8, Lua <-> JSON,
** errors with a position (json.h).
**
** cJSON allocates with malloc, outside the state's memory budget; an
** export is small next to the samples it summarises. Every tree built from
** Lua is owned by a userdata box while it grows, so an error (memory, a
** __tostring that raises) frees it when the box is collected.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "json.h"

#define MAXDEPTH 100               /* nesting of Lua tables written as JSON */
#define BOX_MT "deal.json"         /* a userdata owning a cJSON tree */

/* {====== numbers and strings ====== */
int json_fmtnum(double x, char *buf, size_t n) {
  if (!isfinite(x)) { if (n) buf[0] = '\0'; return 0; }
  for (int prec = 15; prec <= 17; prec++) {
    snprintf(buf, n, "%.*g", prec, x);
    if (prec == 17 || strtod(buf, NULL) == x) break;
  }
  return 1;
}

cJSON *json_num(double x) {
  char buf[32];
  return json_fmtnum(x, buf, sizeof buf) ? cJSON_CreateRaw(buf) : cJSON_CreateNull();
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len;
  unsigned lo = 0x80, hi = 0xBF;       /* range of the second byte */
  if (c >= 0x01 && c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;          /* no overlong forms */
    if (c == 0xED) hi = 0x9F;          /* no surrogates */
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;          /* nothing past U+10FFFF */
  } else return 0;                     /* NUL, continuation bytes, C0, C1, F5.. */
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (size_t k = 2; k < len; k++) if (s[k] < 0x80 || s[k] > 0xBF) return 0;
  return len;
}

/* Is s[0..len) plain ASCII without NUL (valid as it is: the common case)? */
static int ascii(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] - 1u >= 0x7Fu) return 0;
  return 1;
}

char *json_utf8(const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, w = 0;
  char *out = malloc(3 * len + 1);     /* each bad byte grows to 3 */
  if (!out) return NULL;
  while (i < len) {
    size_t k = utf8_seq(p + i, len - i);
    if (k) { memcpy(out + w, p + i, k); w += k; i += k; }
    else { memcpy(out + w, "\xEF\xBF\xBD", 3); w += 3; i++; }
  }
  out[w] = '\0';
  return out;
}

cJSON *json_str(const char *s, size_t len) {
  if (s[len] == '\0' && ascii(s, len)) return cJSON_CreateString(s);
  char *clean = json_utf8(s, len);
  cJSON *r = clean ? cJSON_CreateString(clean) : NULL;
  free(clean);
  return r;
}
/* }====== */

/* {====== Lua to JSON ====== */
typedef struct Box { cJSON *root; } Box;

static int box_gc(lua_State *L) {
  Box *b = luaL_checkudata(L, 1, BOX_MT);
  cJSON_Delete(b->root);
  b->root = NULL;
  return 0;
}

/* A box owning root (NULL: none yet), pushed. */
static Box *box_push(lua_State *L, cJSON *root) {
  Box *b = lua_newuserdatauv(L, sizeof *b, 0);
  b->root = root;
  if (luaL_newmetatable(L, BOX_MT)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return b;
}

static cJSON *need(lua_State *L, cJSON *item) {
  if (!item) luaL_error(L, "not enough memory");
  return item;
}

/* A key of an object, in the order the caller asked for. */
typedef struct Key { const char *s; size_t len; int rank; lua_Integer at; } Key;

static int key_cmp(const void *va, const void *vb) {
  const Key *a = va, *b = vb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* The place of key s in `order`; -1 for a key it leaves out ("-key"). */
static int rank_of(const char *const *order, const char *s, size_t len) {
  for (int i = 0; order && order[i]; i++) {
    const char *o = order[i] + (order[i][0] == '-');
    if (o[0] == s[0] && strncmp(o, s, len) == 0 && o[len] == '\0') return order[i][0] == '-' ? -1 : i;
  }
  return 1 << 20;
}

static void fill(lua_State *L, int idx, cJSON *into, const char *key, const char *const *order, int depth);

/* Adds the value at idx to container `into` (under key when an object). */
static void add(lua_State *L, int idx, cJSON *into, const char *key, const char *const *order, int depth) {
  cJSON *item;
  size_t len;
  const char *s;
  switch (lua_type(L, idx)) {
    case LUA_TNIL: item = cJSON_CreateNull(); break;
    case LUA_TBOOLEAN: item = cJSON_CreateBool(lua_toboolean(L, idx)); break;
    case LUA_TNUMBER: item = json_num((double)lua_tonumber(L, idx)); break;
    case LUA_TSTRING: s = lua_tolstring(L, idx, &len); item = json_str(s, len); break;
    case LUA_TTABLE: fill(L, idx, into, key, order, depth + 1); return;
    default:
      s = luaL_tolstring(L, idx, &len);          /* may run a __tostring */
      item = json_str(s, len);
      lua_pop(L, 1);
      break;
  }
  need(L, item);
  if (key) cJSON_AddItemToObject(into, key, item);
  else cJSON_AddItemToArray(into, item);
}

/* Is the table at idx a sequence 1..n (n >= 0) with no other keys? */
static int is_array(lua_State *L, int idx) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx), count = 0;
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    lua_pop(L, 1);
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 || lua_tointeger(L, -1) > n) {
      lua_pop(L, 1);
      return 0;
    }
    count++;
  }
  return count == n;
}

/* The table at idx as a new array or object added to `into`; the keys
** stay anchored in a table of their own while values are written (a
** __tostring may change the table). */
static void fill(lua_State *L, int idx, cJSON *into, const char *key, const char *const *order, int depth) {
  idx = lua_absindex(L, idx);
  luaL_checkstack(L, 8, "JSON nesting");
  if (depth > MAXDEPTH) luaL_error(L, "JSON: tables nested deeper than %d", MAXDEPTH);
  lua_pushvalue(L, idx);                          /* cycles: tables being written */
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) luaL_error(L, "JSON: a table contains itself");
  lua_pop(L, 1);
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, lua_upvalueindex(1));
  int arr = is_array(L, idx);
  cJSON *c = need(L, arr ? cJSON_CreateArray() : cJSON_CreateObject());
  if (!into) ((Box *)lua_touserdata(L, lua_upvalueindex(2)))->root = c;
  else if (key) cJSON_AddItemToObject(into, key, c);
  else cJSON_AddItemToArray(into, c);
  if (arr) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, idx, i);
      add(L, lua_gettop(L), c, NULL, order, depth);
      lua_pop(L, 1);
    }
  } else {
    int kt = (lua_newtable(L), lua_gettop(L));    /* i -> key as text */
    int ot = (lua_newtable(L), lua_gettop(L));    /* i -> the key itself */
    lua_Integer nk = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
      lua_pop(L, 1);
      if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
        lua_pushvalue(L, -1);
        lua_rawseti(L, ot, ++nk);
        lua_pushvalue(L, -1);
        luaL_tolstring(L, -1, NULL);              /* numbers: never a metamethod */
        lua_rawseti(L, kt, nk);
        lua_pop(L, 1);
      }
    }
    Key *keys = lua_newuserdatauv(L, (size_t)nk * sizeof(Key) + 1, 0);
    for (lua_Integer i = 0; i < nk; i++) {
      lua_rawgeti(L, kt, i + 1);
      keys[i].s = lua_tolstring(L, -1, &keys[i].len);   /* anchored by kt */
      keys[i].rank = rank_of(order, keys[i].s, keys[i].len);
      keys[i].at = i + 1;
      lua_pop(L, 1);
    }
    qsort(keys, (size_t)nk, sizeof(Key), key_cmp);
    for (lua_Integer i = 0; i < nk; i++) {
      if (keys[i].rank < 0) continue;
      if (ascii(keys[i].s, keys[i].len)) lua_pushlstring(L, keys[i].s, keys[i].len);
      else {
        char *k = json_utf8(keys[i].s, keys[i].len);
        if (!k) luaL_error(L, "not enough memory");
        lua_pushstring(L, k);                     /* in Lua before anything can raise */
        free(k);
      }
      lua_rawgeti(L, ot, keys[i].at);
      lua_rawget(L, idx);
      add(L, lua_gettop(L), c, lua_tostring(L, -2), order, depth);
      lua_pop(L, 2);
    }
    lua_pop(L, 3);                                /* keys, their texts, the keys */
  }
  lua_pushvalue(L, idx);
  lua_pushnil(L);
  lua_rawset(L, lua_upvalueindex(1));
}

/* The protected part of json_fromlua: upvalues are the set of tables being
** written and the box; argument 1 the value, 2 the order list. */
static int fromlua(lua_State *L) {
  const char *const *order = lua_touserdata(L, 2);
  Box *b = lua_touserdata(L, lua_upvalueindex(2));
  if (lua_type(L, 1) == LUA_TTABLE) fill(L, 1, NULL, NULL, order, 0);
  else {
    cJSON *a = need(L, cJSON_CreateArray());      /* a holder for the one item */
    b->root = a;
    add(L, 1, a, NULL, order, 0);
    b->root = cJSON_DetachItemFromArray(a, 0);
    cJSON_Delete(a);
  }
  return 0;
}

cJSON *json_fromlua(lua_State *L, int idx, const char *const *order) {
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  Box *b = box_push(L, NULL);
  lua_pushcclosure(L, fromlua, 2);
  lua_pushvalue(L, idx);
  lua_pushlightuserdata(L, (void *)order);
  lua_call(L, 2, 0);                              /* the box is an upvalue: GC-owned */
  cJSON *r = b->root;
  b->root = NULL;
  return r;
}
/* }====== */

/* {====== JSON to Lua ====== */
void json_push(lua_State *L, const cJSON *item) {
  luaL_checkstack(L, 4, "JSON nesting");
  if (cJSON_IsNull(item) || cJSON_IsInvalid(item)) lua_pushnil(L);
  else if (cJSON_IsBool(item)) lua_pushboolean(L, cJSON_IsTrue(item));
  else if (cJSON_IsNumber(item)) {
    double d = item->valuedouble;
    if (d == floor(d) && fabs(d) <= 9007199254740992.0) lua_pushinteger(L, (lua_Integer)d);
    else lua_pushnumber(L, d);
  } else if (cJSON_IsString(item)) lua_pushstring(L, item->valuestring);
  else if (cJSON_IsRaw(item)) lua_pushstring(L, item->valuestring);
  else if (cJSON_IsArray(item)) {
    lua_createtable(L, cJSON_GetArraySize(item), 0);
    lua_Integer i = 0;
    for (const cJSON *c = item->child; c; c = c->next) {
      json_push(L, c);
      lua_rawseti(L, -2, ++i);
    }
  } else {
    lua_newtable(L);
    for (const cJSON *c = item->child; c; c = c->next) {
      json_push(L, c);
      lua_setfield(L, -2, c->string ? c->string : "");
    }
  }
}

cJSON *json_parse(const char *text, size_t len, char *err, size_t errsz) {
  const char *end = NULL;
  cJSON *r = cJSON_ParseWithLengthOpts(text, len, &end, 0);
  if (r) {                                   /* nothing but blanks may follow */
    while (end < text + len && strchr(" \t\r\n", *end) && *end) end++;
    if (end == text + len) return r;
    cJSON_Delete(r);
  }
  if (!end || end < text || end > text + len) end = text + len;
  int line = 1, col = 1;
  for (const char *p = text; p < end; p++) {
    if (*p == '\n') line++, col = 1;
    else if (((unsigned char)*p & 0xC0) != 0x80) col++;
  }
  if (end >= text + len) snprintf(err, errsz, "line %d, column %d: %s", line, col,
                                  r ? "unexpected text after the value" : "unexpected end of the text");
  else snprintf(err, errsz, "line %d, column %d: %s near '%.10s'", line, col,
                r ? "unexpected text after the value" : "invalid JSON", end);
  return NULL;
}

int json_write(FILE *f, const cJSON *item, int pretty) {
  char *s = pretty ? cJSON_Print(item) : cJSON_PrintUnformatted(item);
  if (!s) { errno = ENOMEM; return 0; }
  int ok = fputs(s, f) >= 0 && fputc('\n', f) != EOF;
  free(s);
  return ok && fflush(f) == 0;
}
/* }====== */
