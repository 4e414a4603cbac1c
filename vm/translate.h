/*
** vm/translate.h
** The .deal -> Lua translator (see docs/language.md for the dialect).
*/
#ifndef DEAL_TRANSLATE_H
#define DEAL_TRANSLATE_H
#include <stddef.h>
#include <lua.h>

/* Translates src[0..len) to Lua source text. Memory comes from allocf/ud
** (the counting allocator of the state, so limits and fault injection apply).
** On success returns 0 and sets *out and *outlen (a NUL-terminated block the
** caller frees with allocf(ud, *out, *outlen + 1, 0)).
** On failure returns -1 and writes into err (size errsz) a message of the form
**   "chunk:LINE:COL: message\n<source line>\n<spaces>^"
** where chunk is chunkname without a leading '@' or '='. Out of memory gives
** the message "not enough memory". Never aborts, never reads past len. */
int deal_translate(lua_Alloc allocf, void *ud, const char *src, size_t len,
                   const char *chunkname, char **out, size_t *outlen,
                   char *err, size_t errsz);

/* Flags of deal_translatex. TRANSLATE_RESULTS: the chunk is a model whose
** top-level bindings are its results: after the prologue, emit
**   local __bind=__deal.bind;
** and after each top-level statement that declares a local or first
** assigns a global (outside functions), on the statement's last line,
**   ;__bind(LINE,"name",function() return name end)
** (docs/results.md). */
#define TRANSLATE_RESULTS 1u
/* deal_translate with flags (deal_translate is flags 0). */
int deal_translatex(lua_Alloc allocf, void *ud, const char *src, size_t len,
                    const char *chunkname, char **out, size_t *outlen,
                    char *err, size_t errsz, unsigned flags);
#endif
