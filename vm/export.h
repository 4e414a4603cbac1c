/*
** vm/export.h
** `deal --json`, `deal --csv`, `-o FILE` and `--samples-out FILE`: a run's
** results and claims written for other programs (export.c). The formats
** are docs/results.md's; the JSON Schema is docs/results.schema.json.
*/
#ifndef DEAL_EXPORT_H
#define DEAL_EXPORT_H
#include <stdio.h>
#include <lua.h>
#include "cli.h"

typedef struct Export {
  int json, csv;             /* the format of `out` (at most one) */
  FILE *out;                 /* -o FILE, or the real stdout */
  FILE *samples;             /* --samples-out */
  const char *outname, *samplesname;
  const char *model;         /* the model as named; "-" is standard input */
  unsigned char sha256[32];  /* of the model's text, once loaded */
  int hassha;
  int written;               /* the JSON document has started out */
} Export;

/* Does the command line ask for an export? */
int export_wanted(const CliArgs *a);
/* A usage error of the export options ("--json and --csv together"), or
** NULL when they are fine. */
const char *export_misuse(const CliArgs *a, int hasmodel);

/* Before the run: opens -o and --samples-out, so that an unwritable path
** fails before any work (the message printed; returns 0), and under
** --json/--csv sends what the model prints to stderr, so that stdout
** carries the export alone. */
int export_open(Export *e, const CliArgs *a, const char *model);

/* After the run, whose status is st (the error message on the stack top
** when not LUA_OK, left there): writes the results and claims reached,
** and the error. Returns 0 (after printing why) when it could not write. */
int export_write(lua_State *L, Export *e, int st);

/* Closes what export_open opened (for an early exit). */
void export_close(Export *e);

/* The order of the keys in every JSON object written (json_fromlua). */
extern const char *const export_json_order[];
/* export_claim_lines(FILE *): writes each claim of the run as a line
** "J\t<JSON object>", the objects of --json's "claims" (what `deal check`
** children send their parent). A lua_CFunction; may raise. */
int export_claim_lines(lua_State *L);
#endif
