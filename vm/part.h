/*
** vm/part.h
** `deal --shard K/N --json`: the run's JSON document (export.c) made a part
** of a sharded run (part.c; the format is docs/scale.md's).
*/
#ifndef DEAL_PART_H
#define DEAL_PART_H
#include <cJSON.h>
#include <lua.h>

/* Sets the header of a part in the document at doc (export.c's Lua
** table, before it becomes JSON): "part" = {k, n, seed (exact, as text)}. */
void part_header(lua_State *L, int doc);
/* Adds to j, the JSON of the document at doc, and to each uncertain result, each condition and each claim on an uncertain
** condition its "part" (samples_part: summary and grid of this shard's
** samples). Returns 1, or 0 with the error message pushed (j is the
** caller's to free either way). */
int part_add(lua_State *L, int doc, cJSON *j);
/* Pushes the text that the template at tmpl (an object's text with the
** tokens of samples_defer) stands for: each token replaced by the text
** (tostring) of its value in the table at values. Raises, naming the
** record `what`, on a token that is not one of the values' (a malformed
** part). */
void part_render(lua_State *L, int tmpl, int values, const char *what);
#endif
