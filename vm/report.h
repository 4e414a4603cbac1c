/*
** vm/report.h
** `deal report MODEL -o FILE.html`: a run's results, claims, charts and
** the sources of its catalog figures as one self-contained HTML page
** (report.c; the page itself is stdlib/_report.lua's). docs/results.md.
*/
#ifndef DEAL_REPORT_H
#define DEAL_REPORT_H
#include <stdio.h>
#include <lua.h>

/* Writes the page for the export document at index doc (what --json
** writes, results with their raw values) to out, named outname in errors;
** model is the model's path ("-": standard input), whose leading comment
** titles the page. Raises on error (run it protected). */
void report_write(lua_State *L, int doc, FILE *out, const char *outname, const char *model);
#endif
