/*
** vm/complete.h
** Tab completion for the REPL, resolved without running user code.
*/
#ifndef DEAL_COMPLETE_H
#define DEAL_COMPLETE_H
#include <lua.h>

/* Installs the readline completion hooks for state L (rl_readline_name is
** set to "deal" so ~/.inputrc can have `$if deal` blocks).
**
** What completes, by context of the word under the cursor:
**   :he           REPL commands; after `:load ` file names
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

/* The same logic for other front ends (the language server, lsp.c). */
enum { COMPLETE_IDENT, COMPLETE_UNIT, COMPLETE_CHIP, COMPLETE_CMD, COMPLETE_FILE };
/* What the word starting at line[start] is (the table above): quote is the
** quote character of the string the word is in, or 0. */
int complete_kind(const char *line, int start, int quote);
/* complete_names(kind, text): a table name -> Lua type (an integer) of the
** names that complete text; for COMPLETE_IDENT, text may be a path such as
** "chips.g" (the names are then whole paths). Units and catalog keys come
** from the names cached in the registry's REG_REPL table (fields `units`
** and `chips`, as stdlib/repl.lua's R.names returns them). A
** lua_CFunction; raises only when out of memory. */
int complete_names(lua_State *L);
#endif
