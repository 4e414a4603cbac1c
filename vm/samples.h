/*
** vm/samples.h
** Hooks through which uncertain values (samples.c) join the arithmetic of
** arith.c, so neither file needs the other's internals.
*/
#ifndef DEAL_SAMPLES_H
#define DEAL_SAMPLES_H
#include <stddef.h>
#include <lua.h>
#include <cJSON.h>
#include "mcshard.h"
#include "mcstats.h"
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
/* Pins input `id` (the id-th constructor call of the run) to `value`, in base
** units, for the rest of the run: `deal check --explain` reruns a model with
** one input held at one value (samples.c applies it as the input is made). */
void samples_pin(lua_State *L, unsigned id, double value);

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

/* Shards (docs/scale.md). The part of shard k of N of the uncertain value
** at i: mcpart.h's object (summary and grid of the shard's samples) plus
** what its text needs, "dim" (exponents), "display" (its display unit,
** when it has one) and "auto" (whether the unit was chosen for it). NULL
** when the value is not uncertain. Raises as samples_stats does. */
cJSON *samples_part(lua_State *L, int i, unsigned long k, unsigned long N);
/* Whether the value at i is an uncertain condition (true/false samples). */
int samples_iscondition(lua_State *L, int i);
/* How many statistics (summaries, quantiles) of uncertain values the state
** has asked for: a text that asks for one while it is made shows, in a
** shard, statistics of the shard's samples (part.c). */
unsigned long samples_asked(lua_State *L);
/* Deferred texts (part.c, docs/scale.md): from samples_defer(L, 1) on,
** the plain text of an uncertain value (tostring, `..`, "%s") is a token,
** SAMPLES_TOKEN_OPEN, its number (1, 2, ...) and SAMPLES_TOKEN_CLOSE
** (control characters no text of ours holds), and the value is recorded
** instead of asking its statistics (other statistics count as asked, as
** ever). samples_defer(L, 0) ends it and pushes the table of the values
** recorded, in the tokens' order (nil when it was not on); it never
** raises. */
#define SAMPLES_TOKEN_OPEN "\x1e"
#define SAMPLES_TOKEN_CLOSE "\x1f"
void samples_defer(lua_State *L, int on);
/* Pushes the value that merged parts make (deal merge): summary sm and
** grid g (taken over: g is emptied) of all the run's samples, with the
** shape of a part as above, a condition when isbool. Its statistics and
** text come from these through the code every value prints by; it has no
** samples to compute (arithmetic on it is not supported). Returns 1, or 0
** with why (nothing pushed) when the shape is malformed. Raises when out
** of memory. */
int samples_pushmerged(lua_State *L, const cJSON *shape, int isbool, const McSummary *sm, McGrid *g,
                       char *why, size_t n);
#endif
