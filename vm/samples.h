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

/* Whether n samples fit the memory limit (0: none), the Monte Carlo
** engine's largest need being to rank them for sensitivity; if not, why,
** naming the limit and the most that fit (for --samples and
** deal.samples). */
int samples_fit(long n, size_t max_memory, char *why, size_t size);

/* What an exporter reads of the uncertain value at i (results.c): the
** engine's summary and quantiles (mcstats.h), the value being forced on
** first use as for printing, so the figures are those tostring shows.
** nan: samples left out as not a number; always 0, since an operation
** that makes NaN samples raises where it happens (samples.c). Returns 0
** when the value is not uncertain. Raises what the engine raises (the
** failing operation, memory, the time limit). */
typedef struct SamplesStats {
  size_t n, nan;
  Dim dim;
  int isbool;                /* an uncertain condition: 0/1 samples */
  double p;                  /* a condition: the share of true samples */
  double mean, sd, p5, p50, p95;     /* the others */
} SamplesStats;
int samples_stats(lua_State *L, int i, SamplesStats *out);
/* Pushes the n samples of the uncertain value at i, materialised in full
** (base units; 0/1 for a condition), as a GC-owned userdata, and returns
** them (for --samples-out). NULL, nothing pushed, when the value is not
** uncertain. Raises as samples_stats does. */
const double *samples_pushvalues(lua_State *L, int i, size_t *n);
/* Pushes the num that the figure v (base units) of the uncertain value at
** i prints as: its dimension and display unit, inexact. Raises when v is
** not finite. */
void samples_pushfigure(lua_State *L, int i, double v);
#endif
