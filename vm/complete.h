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
#endif
