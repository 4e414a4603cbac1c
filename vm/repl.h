/*
** vm/repl.h
** The interactive prompt (`deal` with no script, or -i).
*/
#ifndef DEAL_REPL_H
#define DEAL_REPL_H
#include <lua.h>

/* Reads .deal statements from stdin and runs them in L until end of input
** or :quit; returns 0. Call it from protected code (main.c's pmain): the
** REPL itself runs every evaluation in host_docall and reports errors with
** host_report, so an error in user code never leaves this function.
**
** On a terminal: GNU readline with prompts "> " and ">> " (or the globals
** _PROMPT and _PROMPT2), Tab completion (complete.h), a history file
** ($DEAL_HISTORY, else ~/.deal_history) appended after each entry, Ctrl-C
** clearing the line, Ctrl-D leaving. Results print as "= value".
** Otherwise: no prompts, no escape codes, no history; lines are read with
** getline and results printed bare, tab separated, as `print` would. */
int repl_run(lua_State *L);
#endif
