/*
** tests/fuzz/fuzz_translate.c
** libFuzzer harness for deal_translate (vm/translate.c + vm/lex.c).
** Build (from the repository root):
**   clang -g -O1 -fsanitize=fuzzer,address,undefined -iquote vm \
**     -I/usr/include/lua5.4 vm/lex.c vm/translate.c \
**     tests/translate/units_stub.c tests/fuzz/fuzz_translate.c \
**     -llua5.4 -o build/fuzz_translate
**   build/fuzz_translate tests/fuzz/corpus/translate
** Checks beyond the sanitizers:
**  - the allocator sees correct old sizes and nothing leaks (only the output
**    block, of exactly outlen + 1 bytes, survives a success);
**  - the output is NUL-terminated, has no NUL inside, and has exactly as many
**    lines as the input (every token stays on its line);
**  - the output is syntactically valid Lua: loading it may only fail with
**    Lua's semantic or limit errors, never a syntax error;
**  - error messages start with the chunk name and a line and column.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "translate.h"

typedef struct Acct { size_t live_bytes, live_blocks; } Acct;

/* Each block carries its size in a header so that osize can be checked. */
static void *alloc(void *ud, void *p, size_t osize, size_t nsize) {
  Acct *a = ud;
  size_t *h = p ? (size_t *)p - 2 : NULL;
  if (h != NULL && h[0] != osize) abort();           /* wrong osize */
  if (nsize == 0) {
    if (h != NULL) {
      a->live_bytes -= osize;
      a->live_blocks--;
      free(h);
    }
    return NULL;
  }
  h = realloc(h, nsize + 2 * sizeof(size_t));
  if (h == NULL) return NULL;
  if (p == NULL) a->live_blocks++;
  a->live_bytes += nsize - (p ? osize : 0);
  h[0] = nsize;
  return h + 2;
}

static size_t lua_lines(const char *s, size_t n) {
  size_t i = 0, lines = 1;
  while (i < n) {
    char c = s[i++];
    if (c == '\n' || c == '\r') {
      if (i < n && (s[i] == '\n' || s[i] == '\r') && s[i] != c) i++;
      lines++;
    }
  }
  return lines;
}

/* Lua's syntax errors say "near ..."; its semantic errors (unknown
** attribute, goto without label, const assignment) do not, and limit
** errors (too many locals, C levels) are allowed: the prologue and the
** operator calls nest and add locals. */
static int is_syntax_bug(const char *msg) {
  return strstr(msg, " near ") != NULL && !strstr(msg, "too many") &&
         !strstr(msg, "overflow") && !strstr(msg, "limit") &&
         !strstr(msg, "C levels");
}

static void check_output(const uint8_t *data, size_t size, const char *out,
                         size_t outlen) {
  static lua_State *L;
  if (out[outlen] != '\0' || memchr(out, '\0', outlen) != NULL) abort();
  if (lua_lines(out, outlen) != lua_lines((const char *)data, size)) {
    fprintf(stderr, "line count differs\n");
    abort();
  }
  if (L == NULL) L = luaL_newstate();
  if (luaL_loadbufferx(L, out, outlen, "=out", "t") != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    if (is_syntax_bug(msg)) {
      fprintf(stderr, "translated code does not load: %s\n---\n%s\n", msg,
              out);
      abort();
    }
  }
  lua_settop(L, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Acct a = {0, 0};
  char *out = NULL, err[512];
  size_t outlen = 0;
  int rc = deal_translate(alloc, &a, (const char *)data, size, "@f.deal",
                          &out, &outlen, err, sizeof err);
  if (rc == 0) {
    if (a.live_blocks != 1 || a.live_bytes != outlen + 1) abort();
    check_output(data, size, out, outlen);
    alloc(&a, out, outlen + 1, 0);
  } else {
    if (a.live_blocks != 0 || a.live_bytes != 0) abort();
    if (strncmp(err, "f.deal:", 7) != 0 &&
        strcmp(err, "not enough memory") != 0)
      abort();
  }
  return 0;
}
