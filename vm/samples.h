/*
** vm/samples.h
** Hooks through which uncertain values (samples.c) join the arithmetic of
** arith.c, so neither file needs the other's internals.
*/
#ifndef DEAL_SAMPLES_H
#define DEAL_SAMPLES_H
#include <lua.h>

#define SAMPLES_MT "samples"

/* Operation codes beyond LUA_OP*: comparisons and logic, lifted per sample. */
enum { SOP_EQ = 100, SOP_NE, SOP_LT, SOP_LE, SOP_NOT, SOP_AND, SOP_OR };

typedef struct SamplesHooks {
  /* Arithmetic or comparison on the values at 1 and 2 (2 is a copy of 1 for
  ** unary ops); at least one is a samples userdata. Pushes the result. */
  int (*arith)(lua_State *L, int op);
  /* The range a to b at 1, 2 (pushes an uncertain value). */
  int (*range)(lua_State *L);
  /* Probability that the uncertain boolean at index i is true. */
  double (*prob)(lua_State *L, int i);
} SamplesHooks;

/* Defined in arith.c, filled by luaopen_samples: uncertain values exist
** only once it has run, so arith.c calls the hooks without testing them. */
extern SamplesHooks samples_hooks;

/* Raises "uncertain condition (P ≈ 0.97) used as true/false: use P(...) or
** where(...)" for the uncertain boolean at i (arith.c). */
int uncertain_condition(lua_State *L, int i);
/* The same for the comparison sop (SOP_LT...) of the values at 1 and 2: what
** a native `<` on uncertain values means (a condition, or plain Lua). */
int uncertain_compare(lua_State *L, int sop);
int luaopen_samples(lua_State *L);

/* Whether n samples fit the memory limit (0: none), the Monte Carlo
** engine's largest need being to rank them for sensitivity; if not, why,
** naming the limit and the most that fit (for --samples and
** deal.samples). */
#include <stddef.h>
int samples_fit(long n, size_t max_memory, char *why, size_t size);
#endif
