/*
** vm/samples.h
** Hooks through which uncertain values (samples.c) join the arithmetic of
** arith.c, so neither file needs the other's internals.
*/
#ifndef DEAL_SAMPLES_H
#define DEAL_SAMPLES_H
#include <stddef.h>
#include <lua.h>
#include "units.h"

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

/* What an exporter reads of the uncertain value at i (results.c). v: the
** n samples in base units, NaN included (nan of them); sorted: the sorted
** copy without its trailing NaNs (made once, shared with quantiles and
** printing; NULL unless asked for, and for conditions). Returns 0 when
** the value is not uncertain. May raise (memory). */
typedef struct SamplesView {
  size_t n, nan;
  const double *v, *sorted;
  Dim dim;
  int isbool;                /* an uncertain condition: 0/1 samples */
} SamplesView;
int samples_view(lua_State *L, int i, SamplesView *out, int wantsorted);
/* Pushes the num that the figure v (base units) of the uncertain value at
** i prints as: its dimension and display unit, inexact. Raises when v is
** not finite. */
void samples_pushfigure(lua_State *L, int i, double v);
#endif
