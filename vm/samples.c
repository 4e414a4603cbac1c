/*
** vm/samples.c
** Uncertain values: N samples in C, combined element by element.
** (Binding to the kernels of dist.c; see docs/uncertainty.md.)
*/
#include <lauxlib.h>
#include "samples.h"

int luaopen_samples(lua_State *L) {
  luaL_newmetatable(L, SAMPLES_MT);
  lua_pop(L, 1);
  lua_newtable(L);
  return 1;
}
