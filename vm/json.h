/*
** vm/json.h
** JSON through Debian's cJSON (libcjson-dev), for the exports (export.c,
** `deal check --json`) and the language server: numbers written so they
** read back as the same double, strings made valid UTF-8, Lua values to
** JSON with a chosen key order, JSON to Lua values, and parsing with a
** line:column error. cJSON does the syntax; this file the policies.
*/
#ifndef DEAL_JSON_H
#define DEAL_JSON_H
#include <stddef.h>
#include <stdio.h>
#include <cJSON.h>
#include <lua.h>

/* The shortest of %.15g, %.16g, %.17g that strtod reads back as x (cJSON's
** own printer accepts a near miss); "" and 0 when x is NaN or infinite.
** buf needs 32 bytes. CSV writes numbers with it too. */
int json_fmtnum(double x, char *buf, size_t n);

/* A number item (a raw cJSON number with json_fmtnum's text), or null for
** NaN and infinities. NULL when out of memory. */
cJSON *json_num(double x);
/* A string item from s[0..len): invalid UTF-8 and NUL bytes become U+FFFD,
** so the document is always valid JSON. s[len] must be readable (as in Lua
** and C strings). NULL when out of memory. */
cJSON *json_str(const char *s, size_t len);
/* s[0..len) as valid UTF-8 (malloc'd, NUL-terminated; NULL when out of
** memory): each invalid byte and NUL becomes U+FFFD (EF BF BD). */
char *json_utf8(const char *s, size_t len);

/* The Lua value at idx as JSON: nil -> null, booleans, numbers (json_num),
** strings (json_str), a table with a sequence 1..n and nothing else ->
** array, another table -> object whose string keys come in the order of
** `order` (a NULL-terminated list; may be NULL; "-key" leaves key out) and
** then bytewise (number keys become strings). Other values (functions, userdata) are written as
** their tostring text by luaL_tolstring, which may call a __tostring: run
** it in protected mode. Raises on cycles, on nesting deeper than 100 and
** when out of memory. The caller owns the item (cJSON_Delete). */
cJSON *json_fromlua(lua_State *L, int idx, const char *const *order);

/* Pushes the Lua value of a JSON item: null -> nil (inside a table: the key
** is absent; arrays keep their holes), booleans, numbers (an integral
** value within +-2^53 as a Lua integer), strings, arrays as sequences,
** objects as tables. Raises when out of memory. */
void json_push(lua_State *L, const cJSON *item);

/* Parses text[0..len) as one JSON value (nothing but blanks after it).
** Returns the item, or NULL with "line L, column C: <reason>" in err. */
cJSON *json_parse(const char *text, size_t len, char *err, size_t errsz);

/* Writes item to f (formatted when pretty, one line otherwise) and a
** newline. Returns 0 and sets errno when it cannot (memory, disk full). */
int json_write(FILE *f, const cJSON *item, int pretty);
#endif
