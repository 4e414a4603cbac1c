/*
** vm/pretty.c
** How the REPL shows values.
**
** Quantities, money and uncertain values know how to print themselves
** (__tostring), so they go through luaL_tolstring. Tables are the user's:
** they are walked with lua_next and lua_rawget only, so showing a table
** never runs its __index, __pairs or __len. A table is printed on one line
** when it is flat and short, otherwise one entry per line with indentation;
** a table met again inside itself prints as <cycle>. Catalog entries (tables
** with `vendor` and `sources`) get a short card at the top level and a
** one-word name when nested.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#include "pretty.h"
#include "registry.h"

#define WIDTH     78    /* a flat table fits on one line up to this width */
#define MAXDEPTH  6     /* deeper tables print as {...} */
#define MAXITEMS  100   /* entries shown per table, then "... (N more)" */
#define NSOURCES  3     /* sources listed on a card */

/* Lua's reserved words; "to" is not one (it is an operator in .deal only
** between two values), so `t.to` still prints as a plain field. */
const char *const pretty_keywords[] = {
  "and", "break", "do", "else", "elseif", "end", "false", "for",
  "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
  "return", "then", "true", "until", "while", NULL
};

int pretty_isident(const char *s, size_t len) {
  size_t i;
  if (len == 0 || !(s[0] == '_' || ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z')))
    return 0;
  for (i = 1; i < len; i++) {
    char c = s[i];
    if (!(c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
      return 0;
  }
  for (i = 0; pretty_keywords[i]; i++)
    if (strlen(pretty_keywords[i]) == len && memcmp(pretty_keywords[i], s, len) == 0)
      return 0;
  return 1;
}


/* {====================================================== Scalars */

/* A string as a Lua literal: "a\"b\n". UTF-8 passes through. */
static void pushquoted(lua_State *L, const char *s, size_t len) {
  luaL_Buffer b;
  size_t i;
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '"');
  for (i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
      case '"': luaL_addstring(&b, "\\\""); break;
      case '\\': luaL_addstring(&b, "\\\\"); break;
      case '\n': luaL_addstring(&b, "\\n"); break;
      case '\r': luaL_addstring(&b, "\\r"); break;
      case '\t': luaL_addstring(&b, "\\t"); break;
      default:
        if (c < 32 || c == 127) {
          char e[8];
          snprintf(e, sizeof e, "\\%03d", c);
          luaL_addstring(&b, e);
        }
        else luaL_addchar(&b, (char)c);
    }
  }
  luaL_addchar(&b, '"');
  luaL_pushresult(&b);
}

/* Strings quoted, everything else through tostring. */
static void pushscalar(lua_State *L, int idx) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t l;
    const char *s = lua_tolstring(L, idx, &l);
    pushquoted(L, s, l);
  }
  else luaL_tolstring(L, idx, NULL);
}

/* Pushes the plain text of raw field f of table t (strings unquoted) and
** returns 1, or pushes nothing and returns 0 if the field is nil. */
static int rawtext(lua_State *L, int t, const char *f) {
  lua_pushstring(L, f);
  if (lua_rawget(L, t) == LUA_TNIL) {
    lua_pop(L, 1);
    return 0;
  }
  if (lua_type(L, -1) != LUA_TSTRING) {
    luaL_tolstring(L, -1, NULL);
    lua_remove(L, -2);
  }
  return 1;
}

int pretty_iscard(lua_State *L, int idx) {
  int ok;
  if (lua_type(L, idx) != LUA_TTABLE) return 0;
  idx = lua_absindex(L, idx);
  lua_pushliteral(L, "vendor");
  ok = lua_rawget(L, idx) != LUA_TNIL;
  lua_pushliteral(L, "sources");
  ok = ok && lua_rawget(L, idx) != LUA_TNIL;
  lua_pop(L, 2);
  return ok;
}

/* }====================================================== */


/* {====================================================== Tables */

typedef struct SortKey {
  int kind;             /* 0 number, 1 string, 2 other */
  lua_Number n;
  const char *s;
  size_t len;
  lua_Integer i;        /* position in the unsorted key list */
} SortKey;

static int cmpkey(const void *pa, const void *pb) {
  const SortKey *a = pa, *b = pb;
  if (a->kind != b->kind) return a->kind - b->kind;
  if (a->kind == 0) return (a->n > b->n) - (a->n < b->n);
  if (a->kind == 1) {
    size_t m = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, m);
    return c ? c : (a->len > b->len) - (a->len < b->len);
  }
  return (a->i > b->i) - (a->i < b->i);
}

/* Pushes an array of the keys of table t, except the integer keys
** 1..skip (the sequence part, printed first), sorted: numbers, then
** strings, then the rest in traversal order. Returns the count. */
static lua_Integer sortedkeys(lua_State *L, int t, lua_Integer skip) {
  lua_Integer nk = 0, i;
  int keys, sorted;
  SortKey *a;
  lua_newtable(L);
  keys = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (lua_isinteger(L, -1)) {
      lua_Integer k = lua_tointeger(L, -1);
      if (k >= 1 && k <= skip) continue;
    }
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, ++nk);
  }
  if (nk < 2) return nk;
  /* The sorted array is created before malloc so that nothing between
  ** malloc and free can raise (rawgeti/rawseti on a presized array do not
  ** allocate). */
  lua_createtable(L, (int)(nk > 1000000 ? 1000000 : nk), 0);
  sorted = lua_gettop(L);
  a = malloc((size_t)nk * sizeof *a);
  if (a == NULL) {  /* unsorted is still correct */
    lua_pop(L, 1);
    return nk;
  }
  for (i = 1; i <= nk; i++) {
    SortKey *k = &a[i - 1];
    int tt = lua_rawgeti(L, keys, i);
    k->i = i;
    k->kind = tt == LUA_TNUMBER ? 0 : tt == LUA_TSTRING ? 1 : 2;
    k->n = tt == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
    k->s = tt == LUA_TSTRING ? lua_tolstring(L, -1, &k->len) : NULL;
    lua_pop(L, 1);  /* the string stays anchored in `keys` */
  }
  qsort(a, (size_t)nk, sizeof *a, cmpkey);
  for (i = 1; i <= nk; i++) {
    lua_rawgeti(L, keys, a[i - 1].i);
    lua_rawseti(L, sorted, i);
  }
  free(a);
  lua_remove(L, keys);
  return nk;
}

static void render(lua_State *L, int idx, int depth, int seen);

/* The text of a key: `name`, `["odd key"]` or `[2.5]`. */
static void pushkey(lua_State *L, int k, int seen) {
  size_t l;
  const char *s;
  if (lua_type(L, k) == LUA_TSTRING) {
    s = lua_tolstring(L, k, &l);
    if (pretty_isident(s, l)) {
      lua_pushvalue(L, k);
      return;
    }
  }
  render(L, k, MAXDEPTH, seen);
  lua_pushfstring(L, "[%s]", lua_tostring(L, -1));
  lua_remove(L, -2);
}

/* A nested catalog entry: <tpu-v7 · Google>. */
static void pushcardname(lua_State *L, int t) {
  lua_pushliteral(L, "<");
  if (!(rawtext(L, t, "key") || rawtext(L, t, "name") || rawtext(L, t, "id")))
    lua_pushliteral(L, "?");
  lua_pushliteral(L, " \xc2\xb7 ");
  if (!rawtext(L, t, "vendor")) lua_pushliteral(L, "?");
  lua_pushliteral(L, ">");
  lua_concat(L, 5);
}

static void addpiece(lua_State *L, int pieces, lua_Integer n,
                     size_t *total, int *multi) {
  size_t l;
  const char *s = lua_tolstring(L, -1, &l);
  *total += l + 2;
  if (memchr(s, '\n', l)) *multi = 1;
  lua_rawseti(L, pieces, n);
}

static void addindent(luaL_Buffer *b, int depth) {
  int i;
  for (i = 0; i < 2 * depth; i++) luaL_addchar(b, ' ');
}

static void render_table(lua_State *L, int t, int depth, int seen) {
  lua_Integer len, i, nk, n = 0, more = 0;
  size_t total = 0;
  int multi = 0, pieces, keys;
  luaL_Buffer b;
  luaL_checkstack(L, 12, "table too deep to print");
  lua_newtable(L);
  pieces = lua_gettop(L);
  len = (lua_Integer)lua_rawlen(L, t);
  for (i = 1; i <= len; i++) {
    if (n >= MAXITEMS) { more += len - i + 1; break; }
    lua_rawgeti(L, t, i);
    render(L, -1, depth + 1, seen);
    lua_remove(L, -2);
    addpiece(L, pieces, ++n, &total, &multi);
  }
  nk = sortedkeys(L, t, len);
  keys = lua_gettop(L);
  for (i = 1; i <= nk; i++) {
    if (n >= MAXITEMS) { more += nk - i + 1; break; }
    lua_rawgeti(L, keys, i);             /* key */
    pushkey(L, -1, seen);                /* key, ktext */
    lua_pushvalue(L, -2);
    lua_rawget(L, t);                    /* key, ktext, value */
    render(L, -1, depth + 1, seen);      /* key, ktext, value, vtext */
    lua_remove(L, -2);
    lua_pushliteral(L, " = ");
    lua_insert(L, -2);
    lua_concat(L, 3);                    /* key, "k = v" */
    lua_remove(L, -2);
    addpiece(L, pieces, ++n, &total, &multi);
  }
  lua_pop(L, 1);  /* keys */
  if (more > 0) {
    lua_pushfstring(L, "... (%I more)", (LUAI_UACINT)more);
    addpiece(L, pieces, ++n, &total, &multi);
  }
  luaL_buffinit(L, &b);
  if (n == 0)
    luaL_addstring(&b, "{}");
  else if (!multi && total + 2 * (size_t)depth + 4 <= WIDTH) {
    luaL_addstring(&b, "{ ");
    for (i = 1; i <= n; i++) {
      if (i > 1) luaL_addstring(&b, ", ");
      lua_rawgeti(L, pieces, i);
      luaL_addvalue(&b);
    }
    luaL_addstring(&b, " }");
  }
  else {
    luaL_addstring(&b, "{\n");
    for (i = 1; i <= n; i++) {
      addindent(&b, depth + 1);
      lua_rawgeti(L, pieces, i);
      luaL_addvalue(&b);
      luaL_addstring(&b, ",\n");
    }
    addindent(&b, depth);
    luaL_addchar(&b, '}');
  }
  luaL_pushresult(&b);
  lua_remove(L, pieces);
}

/* Pushes the text of the value at idx; seen is the set of tables being
** printed (the ancestors of this one). */
static void render(lua_State *L, int idx, int depth, int seen) {
  idx = lua_absindex(L, idx);
  if (lua_type(L, idx) != LUA_TTABLE) {
    pushscalar(L, idx);
    return;
  }
  if (depth > 0 && pretty_iscard(L, idx)) {
    pushcardname(L, idx);
    return;
  }
  if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
    lua_pop(L, 1);
    luaL_tolstring(L, idx, NULL);
    return;
  }
  lua_pushvalue(L, idx);
  if (lua_rawget(L, seen) != LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushliteral(L, "<cycle>");
    return;
  }
  lua_pop(L, 1);
  if (depth >= MAXDEPTH) {
    lua_pushliteral(L, "{...}");
    return;
  }
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, seen);
  render_table(L, idx, depth, seen);
  lua_pushvalue(L, idx);  /* only ancestors are marked: a table shared by */
  lua_pushnil(L);         /* two fields prints twice, not as a cycle */
  lua_rawset(L, seen);
}

void pretty_push(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  render(L, idx, 0, lua_gettop(L));
  lua_remove(L, -2);
}

/* }====================================================== */


/* {====================================================== Top level */

static void putline(const char *prefix, const char *s, size_t l) {
  fputs(prefix, stdout);
  fwrite(s, 1, l, stdout);
  if (l == 0 || s[l - 1] != '\n') fputc('\n', stdout);
}

/* "= 10.512 TWh"; an approximate value's own "≈" takes the place of "=":
** "≈$631M" prints as "≈ $631M". */
static void putvalue(lua_State *L) {
  size_t l;
  const char *s = lua_tolstring(L, -1, &l);
  if (l >= 3 && memcmp(s, "\xe2\x89\x88", 3) == 0) {
    s += 3;
    l -= 3;
    while (l > 0 && *s == ' ') { s++; l--; }
    putline("\xe2\x89\x88 ", s, l);
  }
  else putline("= ", s, l);
  lua_pop(L, 1);
}

/* The global `hist`, if there is one, on an uncertain value: its result
** is printed if it is a string (if it prints by itself, so much the
** better). Its errors are ignored, except an interrupt. */
static void histogram(lua_State *L, int idx) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushliteral(L, "hist");
  lua_rawget(L, -2);
  lua_remove(L, -2);
  if (!lua_isfunction(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushvalue(L, idx);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (msg && strstr(msg, "interrupted!")) lua_error(L);
  }
  else if (lua_type(L, -1) == LUA_TSTRING) {
    size_t l;
    const char *s = lua_tolstring(L, -1, &l);
    putline("", s, l);
  }
  lua_pop(L, 1);
}

/* A catalog entry, short: the header, the plain fields, the tables that
** fit on a line, the first sources.
**   tpu-v7 · TPU v7 Ironwood · Google
**     bf16       2307 TFLOP/s/chip
**     sources    4
**       - Google Cloud blog (2025-11, reported)
*/
static int skipfield(const char *k) {
  static const char *const skip[] = { "key", "id", "name", "vendor", "sources",
                                       NULL };
  int i;
  for (i = 0; skip[i]; i++)
    if (strcmp(k, skip[i]) == 0) return 1;
  return 0;
}

static void print_card(lua_State *L, int t) {
  lua_Integer nk, i;
  int keys, seen, w = 0, parts = 0;
  lua_newtable(L);
  seen = lua_gettop(L);
  if (rawtext(L, t, "key") || rawtext(L, t, "id")) parts++;
  if (rawtext(L, t, "name")) {
    if (parts && strcmp(lua_tostring(L, -1), lua_tostring(L, -2)) == 0)
      lua_pop(L, 1);
    else parts++;
  }
  if (rawtext(L, t, "vendor")) parts++;
  for (i = parts; i > 1; i--) {  /* a · b · c */
    lua_pushliteral(L, " \xc2\xb7 ");
    lua_insert(L, -(int)i);
  }
  if (parts == 0) lua_pushliteral(L, "?");
  else lua_concat(L, 2 * parts - 1);
  putline("", lua_tostring(L, -1), lua_rawlen(L, -1));
  lua_pop(L, 1);
  nk = sortedkeys(L, t, 0);
  keys = lua_gettop(L);
  for (i = 1; i <= nk; i++) {   /* width of the key column */
    size_t l = 0;
    if (lua_rawgeti(L, keys, i) == LUA_TSTRING) lua_tolstring(L, -1, &l);
    if ((int)l > w && l <= 14) w = (int)l;
    lua_pop(L, 1);
  }
  for (i = 1; i <= nk; i++) {
    const char *k, *v;
    lua_rawgeti(L, keys, i);
    k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (k && skipfield(k)) {
      lua_pop(L, 1);
      continue;
    }
    pushkey(L, keys + 1, seen);             /* key, ktext */
    lua_pushvalue(L, keys + 1);
    lua_rawget(L, t);                       /* key, ktext, value */
    if (lua_type(L, keys + 3) == LUA_TTABLE) {
      lua_Integer count = 0;
      lua_pushnil(L);
      while (count <= MAXITEMS && lua_next(L, keys + 3)) {
        lua_pop(L, 1);
        count++;
      }
      lua_settop(L, keys + 3);
      if (count == 0) {  /* {}: nothing to say */
        lua_settop(L, keys);
        continue;
      }
      render(L, keys + 3, 1, seen);
      v = lua_tostring(L, -1);
      if (strchr(v, '\n') || strlen(v) > WIDTH - 4 - (size_t)w) {
        if (count > MAXITEMS) lua_pushliteral(L, "{...}");
        else lua_pushfstring(L, "{...} (%I %s)", (LUAI_UACINT)count,
                             count == 1 ? "entry" : "entries");
        v = lua_tostring(L, -1);
      }
    }
    else {
      render(L, keys + 3, 1, seen);
      v = lua_tostring(L, -1);
      if (strlen(v) > WIDTH - 4 - (size_t)w) {
        size_t cut = WIDTH - 7 - (size_t)w;
        while (cut > 0 && (v[cut] & 0xC0) == 0x80) cut--;  /* UTF-8 */
        lua_pushlstring(L, v, cut);
        lua_pushliteral(L, "...");
        lua_concat(L, 2);
        v = lua_tostring(L, -1);
      }
    }
    printf("  %-*s  %s\n", w, lua_tostring(L, keys + 2), v);
    lua_settop(L, keys);
  }
  lua_pop(L, 1);
  lua_pushliteral(L, "sources");
  if (lua_rawget(L, t) == LUA_TTABLE) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    int src = lua_gettop(L);
    printf("  %-*s  %lld\n", w, "sources", (long long)n);
    for (i = 1; i <= n && i <= NSOURCES; i++) {
      int s;
      lua_rawgeti(L, src, i);
      s = lua_gettop(L);
      if (lua_type(L, s) == LUA_TTABLE) {
        int k = 0;
        if (rawtext(L, s, "title") || rawtext(L, s, "url") || rawtext(L, s, "id")) {
          lua_pushliteral(L, " (");
          if (rawtext(L, s, "date")) k++;
          if (rawtext(L, s, "kind")) {
            if (k) { lua_pushliteral(L, ", "); lua_insert(L, -2); k++; }
            k++;
          }
          if (k) {
            lua_pushliteral(L, ")");
            lua_concat(L, k + 3);
          }
          else lua_pop(L, 1);
        }
        else render(L, s, 1, seen);
      }
      else if (lua_type(L, s) == LUA_TSTRING) lua_pushvalue(L, s);
      else render(L, s, 1, seen);
      printf("    - %s\n", lua_tostring(L, -1));
      lua_settop(L, src);
    }
    if (n > NSOURCES) printf("    ... (%lld more)\n", (long long)(n - NSOURCES));
  }
  else if (!lua_isnil(L, -1)) {
    render(L, -1, 1, seen);
    printf("  %-*s  %s\n", w, "sources", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_settop(L, seen - 1);
}

int pretty_show(lua_State *L) {
  int tty = lua_toboolean(L, 1);
  int n = lua_gettop(L), i;
  lua_getfield(L, LUA_REGISTRYINDEX, REG_SHOWN);   /* n + 1: printed already */
  if (n == 2 && lua_rawequal(L, 2, n + 1)) return 0;
  for (i = 2; i <= n; i++) {
    int istable = lua_type(L, i) == LUA_TTABLE &&
                  luaL_getmetafield(L, i, "__tostring") == LUA_TNIL;
    if (!istable && lua_type(L, i) == LUA_TTABLE) lua_pop(L, 1);
    if (!tty) {  /* like print: plain text, tab separated */
      size_t l;
      const char *s;
      if (i > 2) fputc('\t', stdout);
      if (istable) pretty_push(L, i);
      else luaL_tolstring(L, i, NULL);
      s = lua_tolstring(L, -1, &l);
      fwrite(s, 1, l, stdout);
      lua_pop(L, 1);
    }
    else if (luaL_testudata(L, i, "samples")) {
      luaL_tolstring(L, i, NULL);
      putvalue(L);
      histogram(L, i);
    }
    else if (pretty_iscard(L, i))
      print_card(L, i);
    else {
      pretty_push(L, i);
      putvalue(L);
    }
  }
  if (!tty && n >= 2) fputc('\n', stdout);
  fflush(stdout);
  return 0;
}

/* }====================================================== */
