/*
** vm/pretty.h
** How the REPL shows values: quantities via tostring, tables with
** indentation and cycle marks, catalog entries as cards, uncertain values
** with a histogram. Tables are walked with raw access only.
*/
#ifndef DEAL_PRETTY_H
#define DEAL_PRETTY_H
#include <stddef.h>
#include <lua.h>

/* Pushes the display text of the value at idx, as it appears inside a
** table (strings quoted). Tables are walked with lua_next/lua_rawget; the
** only metamethod ever called is __tostring (through luaL_tolstring), for
** userdata and for tables that define it. May raise (memory, __tostring). */
void pretty_push(lua_State *L, int idx);

/* A lua_CFunction: pretty_show(tty, v1, ..., vn). Prints the values on
** stdout. On a terminal each value goes on its own line as "= text" (or
** "≈ ..." for uncertain values, followed by a small histogram from the
** global `hist`), catalog entries as a card. Otherwise the values are
** printed like `print` does, separated by tabs, tables pretty-printed. */
int pretty_show(lua_State *L);

/* Lua's reserved words (NULL-terminated), and whether s[0..len) is a name
** that is not one of them. */
extern const char *const pretty_keywords[];
int pretty_isident(const char *s, size_t len);

/* True if the value at idx is a catalog entry (a table with raw fields
** `vendor` and `sources`). */
int pretty_iscard(lua_State *L, int idx);
#endif
