/*
** vm/complete.h
** Tab completion for the REPL, resolved without running user code.
*/
#ifndef DEAL_COMPLETE_H
#define DEAL_COMPLETE_H
#include <stdio.h>
#include <lua.h>

/* Installs the readline completion hooks for state L (rl_readline_name is
** set to "deal" so ~/.inputrc can have `$if deal` blocks).
**
** What completes, by context of the word under the cursor:
**   :he           REPL commands
**   :load exa     file names, folder part kept (examples/b lists examples/)
**   chips.g       fields of tables and modules (raw access, then the raw
**                 __index table of the metatable, a few levels deep)
**   x:t           methods: functions among those fields; for userdata
**                 and strings, the raw __index table of the metatable
**   1.2 G         unit names after a number (or after `/` in 1 $/kW)
**   "tpu-         catalog names in the string argument of chips.get;
**                 other strings complete file names
**   pri           globals, loaded modules, stdlib modules and keywords
** Nothing is called, no metamethod runs: a prefix such as f().x does not
** complete. The work runs under lua_pcall, so a memory error just gives
** no completion. */
void complete_init(lua_State *L);

/* :complete LINE, for editors whose REPL buffer has no readline: prints
** to out the byte offset in LINE where the word to replace starts, then
** the candidates in full, one per line, sorted, then an empty line. The
** cursor is at the end of LINE. Runs no session code. */
int complete_print(lua_State *L, const char *line, FILE *out);

/* The same for the language server (lsp.c): complete_line(line), the
** cursor at the end of line, returns a table name -> Lua type (an integer;
** -1 for keywords and commands) of the candidates in full ("chips.get" for
** "chips.g"), the byte offset (0-based) where the word they replace starts,
** and its kind, one of these. A lua_CFunction; raises only when out of
** memory. */
enum { COMPLETE_IDENT, COMPLETE_UNIT, COMPLETE_CHIP, COMPLETE_CMD, COMPLETE_FILE };
int complete_line(lua_State *L);
#endif
