/*
** vm/results.h
** A model's results: its top-level bindings, by name, in source order
** (results.c). What `deal -i` and the REPL's :load keep, what :results
** lists, what the exports write (export.c) and the report draws. The
** records are described in docs/results.md.
*/
#ifndef DEAL_RESULTS_H
#define DEAL_RESULTS_H
#include <lua.h>

/* Sets __deal.bind, the call the translator adds after each top-level
** binding of a model chunk (TRANSLATE_RESULTS, loaded with LOAD_MODEL).
** A lua_CFunction: state.c opens it after the __deal runtime. */
int luaopen_results(lua_State *L);

/* The lua_CFunctions below may raise (memory, a model's __tostring): run
** them in protected mode, or call them from code that already is. */

/* Starts a new set of results: the bindings of the model chunks run from
** now on go there; the previous set is forgotten. Returns 0. */
int results_begin(lua_State *L);

/* Pushes the results table of the current set: one record per result in
** source order (a table's fields after it, sorted by key), each a table
**   name, line, kind, text             always (text: as tostring prints)
**   unit, dimension, exact, value      "number" (value: a float in unit;
**   fraction                           exact ones: the exact value in unit)
**   unit, dimension, mean, sd, p5,     "uncertain" (floats in unit; nan:
**   p50, p95, samples, nan             samples that are NaN, left out)
**   p, samples                         "condition" (an uncertain boolean)
**   value                              "boolean"
**   (text only)                        "text" (a string), "object" (a table
**                                      with __tostring: a contract, a chip)
**   error                              "error": describing it raised
**   raw                                the Lua value itself
** Functions, modules, nil and other values are not results. Returns 1. */
int results_push(lua_State *L);

/* (value, name, line) -> the records of that one value, as results_push
** makes them (a table's fields each a record); what `deal merge` makes the
** records of merged values with. Returns 1. */
int results_describe(lua_State *L);

/* Pushes the run's claims as records: text, file, line, holds, and p and
** threshold (uncertain conditions) or value (true/false conditions).
** Returns 1. */
int results_push_claims(lua_State *L);

/* Pushes the error message at idx as a record: message (first line, no
** traceback), file and line when the message starts with them. */
void results_push_error(lua_State *L, int idx);

/* Makes every binding of the current set a global of that name (`deal -i`,
** the REPL's :load and its input lines), functions included, nil values
** left out. Returns 0. */
int results_publish(lua_State *L);
#endif
