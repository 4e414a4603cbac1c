/*
** vm/claimtab.c
** The claims table, laid out once for `deal FILE` (stdlib/prelude_claims.lua
** through __deal.claims_render) and `deal check` (check.c): the same claims
** print the same table in both. Widths count UTF-8 characters (claims hold
** ≥, …, €).
*/
#include <string.h>

#include <lauxlib.h>
#include "claimtab.h"

#define TEXT_MIN 40     /* the claims column is at least this wide */
#define TEXT_MAX 60     /* ... and at most this: longer claims wrap */
#define P_WIDTH 8
#define INDENT 2        /* continuation lines of a wrapped claim */

/* Where the table goes: counted only (s NULL), or written into s. */
typedef struct Buf { char *s; size_t n; } Buf;

static void put(Buf *b, const char *s, size_t n) {
  if (b->s) memcpy(b->s + b->n, s, n);
  b->n += n;
}

static void spaces(Buf *b, int k) {
  for (; k > 0; k--) put(b, " ", 1);
}

/* Characters in s[0..n) (UTF-8 continuation bytes do not count). */
static int width(const char *s, size_t n) {
  int w = 0;
  for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
  return w;
}

/* The first line of s that fits in w characters: up to its last space
** that fits (a word longer than w is cut between characters), or up to a
** line break. Sets *len to the bytes to print; returns the bytes used
** (the space or line break at the cut included). */
static size_t next_line(const char *s, int w, size_t *len) {
  size_t i = 0, lastsp = 0;
  int cols = 0, sp = 0;
  while (s[i] && s[i] != '\n') {
    size_t j = i + 1;
    while (((unsigned char)s[j] & 0xC0) == 0x80) j++;
    if (cols == w) {                         /* full: cut at the last space */
      if (s[i] == ' ') { *len = i; return i + 1; }
      if (sp) { *len = lastsp; return lastsp + 1; }
      *len = i;
      return i;
    }
    if (s[i] == ' ') { lastsp = i; sp = 1; }
    cols++;
    i = j;
  }
  *len = i;
  return s[i] == '\n' ? i + 1 : i;
}

size_t claimtab_render(const ClaimRow *rows, size_t n, char *out) {
  Buf b = {out, 0};
  int w = TEXT_MIN;
  for (size_t i = 0; i < n; i++) {
    int k = width(rows[i].text, strlen(rows[i].text)) + 1;
    if (k > w) w = k > TEXT_MAX ? TEXT_MAX : k;
  }
  put(&b, "claims", 6); spaces(&b, w - 6);
  put(&b, " P", 2); spaces(&b, P_WIDTH - 1);
  put(&b, " verdict", 8);
  for (size_t i = 0; i < n; i++) {
    const char *t = rows[i].text;
    size_t len, used = next_line(t, w - 1, &len);
    put(&b, "\n", 1);
    put(&b, t, len); spaces(&b, w - width(t, len));
    put(&b, " ", 1);
    put(&b, rows[i].p, strlen(rows[i].p)); spaces(&b, P_WIDTH - width(rows[i].p, strlen(rows[i].p)));
    put(&b, " ", 1);
    put(&b, rows[i].verdict, strlen(rows[i].verdict));
    for (t += used; *t; t += used) {         /* the rest, indented */
      while (*t == ' ') t++;
      if (!*t) break;
      used = next_line(t, w - 1 - INDENT, &len);
      put(&b, "\n", 1);
      spaces(&b, INDENT);
      put(&b, t, len);
    }
  }
  if (out) out[b.n] = '\0';
  return b.n;
}

int claimtab_lua(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_Integer n = luaL_len(L, 1);
  if (n < 0 || n > 1000000) return luaL_argerror(L, 1, "too many claims");
  lua_settop(L, 1);
  ClaimRow *rows = lua_newuserdatauv(L, (size_t)(n ? n : 1) * sizeof *rows, 0);   /* 2 */
  lua_createtable(L, (int)(3 * n), 0);       /* 3: keeps the cells' strings alive */
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_geti(L, 1, i) != LUA_TTABLE) return luaL_error(L, "claims_render: row %d is not a table", (int)i);
    const char **cell[] = {&rows[i - 1].text, &rows[i - 1].p, &rows[i - 1].verdict};
    for (int k = 0; k < 3; k++) {
      lua_geti(L, 4, k + 1);
      *cell[k] = luaL_tolstring(L, -1, NULL);
      lua_rawseti(L, 3, 3 * (i - 1) + k + 1);   /* anchored in the table */
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  size_t len = claimtab_render(rows, (size_t)n, NULL);
  char *s = lua_newuserdatauv(L, len + 1, 0);   /* GC-owned: nothing leaks */
  claimtab_render(rows, (size_t)n, s);
  lua_pushlstring(L, s, len);
  return 1;
}
