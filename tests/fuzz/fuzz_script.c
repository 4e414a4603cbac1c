/*
** tests/fuzz/fuzz_script.c
** libFuzzer harness for whole scripts through the host: each input is a
** .deal model run in a fresh state from host_newstate (the production
** sandbox, a 2 s time limit, 64 MiB of memory, 200 samples), translated,
** loaded and run under an instruction budget. Anything may fail with a Lua
** error; nothing may crash, abort, leak or hang. stdout goes to /dev/null.
** The host's watchdog (one C call running past the limit plus grace) would
** _exit the process; here it aborts instead, so libFuzzer saves the input.
** Built and run by tests/fuzz/run.sh.
*/
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include "host.h"
#include "runlimits.h"

#define BUDGET 2000000L       /* VM instructions per input */

static long steps;
static void budget_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  steps += 1000;
  limits_check(L);
  if (steps > BUDGET) {
    lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1);        /* sticky, like the host's */
    luaL_error(L, "instruction budget exhausted");
  }
}

static void watchdog_abort(int sig) {
  static const char m[] = "fuzz_script: the host's watchdog fired (a C call ran past the time limit)\n";
  (void)sig;
  if (write(2, m, sizeof m - 1) < 0) { /* aborting anyway */ }
  abort();
}

static char emptydir[] = "/tmp/deal-fuzz-XXXXXX";

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc; (void)argv;
  int fd = open("/dev/null", O_WRONLY);
  if (fd >= 0) { dup2(fd, 1); close(fd); }
  if (!mkdtemp(emptydir)) abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  HostOptions opt;
  host_defaults(&opt);
  opt.max_memory = 64u << 20;
  opt.timeout = 2;
  opt.samples = 200;
  opt.seed = 1;
  lua_State *L = host_newstate(&opt);
  if (!L) return 0;                      /* only on out of memory */
  host_setmodeldir(L, emptydir);
  signal(SIGALRM, watchdog_abort);       /* host_close restores libFuzzer's */
  signal(SIGXCPU, watchdog_abort);
  steps = 0;
  lua_sethook(L, budget_hook, LUA_MASKCOUNT, 1000);
  int st = host_loadbuffer(L, (const char *)data, size, "=fuzz.deal", DIALECT_DEAL);
  if (st == LUA_OK) st = host_docall(L, 0, 0);
  if (st != LUA_OK) lua_pop(L, 1);       /* any error is fine; crashes are not */
  host_close(L);
  return 0;
}
