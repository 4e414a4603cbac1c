/*
** vm/mcstats.h
** What statistics ask of the Monte Carlo engine, in plain C: a summary
** (mean, sd, min, max, P), exact quantiles, counts below edges, single
** samples, all values, rank correlations; and the cache of materialised
** values they share. Each forces the graph (mcgraph.h) in passes over
** blocks (mcexec.h); a value is kept at full size only when the cache has
** room, otherwise blocks are computed again. Every result is the same
** either way, whatever the block size and thread count.
**
** In a shard (McEngine.shard_n, mcshard.h) the summary, quantiles and
** counts of a value of the run cover the shard's samples; single samples,
** all values, ranks and sensitivity still cover the whole run (sensitivity
** ranks the run's first MC_SENS_MAX samples: the same in every shard).
**
** Functions return DIST_OK or a status: DIST_ENOMEM, MC_ECANCEL (time
** limit, Ctrl-C), MC_ENONFINITE (E->fail names the operation).
*/
#ifndef DEAL_MCSTATS_H
#define DEAL_MCSTATS_H
#include <stddef.h>
#include <stdint.h>

#include "mcexec.h"
#include "xsum.h"

/* A node's summary, computed once. The exact sums are kept as they are so
** that partial summaries of disjoint sample ranges merge exactly (shards). */
struct McSummary {
  size_t n;
  double mean, sd, min, max;
  size_t nonzero;            /* samples other than 0 (P of a condition) */
  int overflow;              /* a square beyond DBL_MAX: sd is infinite */
  double shift;              /* sample 0: the origin of d1 and d2 */
  XSum sum, d1, d2;          /* sums of x, x - shift, (x - shift)^2 */
};

/* The cache may hold values of this many bytes: a quarter of max_memory
** (0: unlimited), at most 512 MB; DEAL_MC_CACHE (bytes) overrides it, and
** 0 there keeps nothing (everything streams: the tests compare). */
void mc_cache_setup(McEngine *E, size_t max_memory);
/* Memory from the shared budget, making room by evicting cached values
** when the budget refuses; buffers of 1 MB or more are huge-page mappings
** reused from pass to pass (alloc_pages). */
void *mc_alloc(McEngine *E, size_t bytes);
void mc_free(McEngine *E, void *p, size_t bytes);
/* Frees every cached value and kept buffer (before mc_engine_close). */
void mc_cache_close(McEngine *E);
/* Drops x's cached values and summary (it changed, or is going away). */
void mc_forget(McEngine *E, McNode *x);
/* The least memory the engine must be able to get for a run of n samples:
** values are streamed in blocks, but one may have to be held in full (data
** given in order, an export), and sensitivity ranks up to MC_SENS_MAX
** samples at once (8 + 4 + 16 bytes each: values, ranks, keys). */
#define MC_SENS_MAX ((size_t)1 << 20)
#define MC_RANK_BYTES 28
size_t mc_bytes_needed(size_t n);

int mc_summary(McEngine *E, McNode *x, const McSummary **s);
/* A shard's partial summary of samples [lo, hi) of x (mcshard.h) into s:
** count, exact sums about sample 0 of the whole run, min, max, non-zero
** count, not finished; with grid, the samples are also counted on a grid
** (allocated here: mc_grid_free). Not kept with the node. */
struct McGrid;
int mc_summary_range(McEngine *E, McNode *x, size_t lo, size_t hi, McSummary *s, struct McGrid *grid);
/* The same with the grid under top (a power of two above every |sample| of
** the range: mc_grid_top_of(its min and max)); 0: mc_grid_top's. */
int mc_summary_range_top(McEngine *E, McNode *x, size_t lo, size_t hi, McSummary *s, struct McGrid *grid,
                         double top);
/* s += t, parts of disjoint ranges of one run: 1, 0 when they are not of
** one run (their sample 0 differs). Merged in any order and grouping, the
** parts give the single run's bits. */
int mc_summary_merge(McSummary *s, const McSummary *t);
/* Mean and sd from the merged sums (as mc_summary's). */
void mc_summary_finish(McSummary *s);
/* Type-7 quantiles p[0..k) of x into q (interpolated between order
** statistics found by radix selection over passes: no sort, no full copy
** unless x is cached). */
int mc_quantiles(McEngine *E, McNode *x, const double *p, size_t k, double *q);
/* le[j] = number of samples <= edges[j], for ascending edges[0..k). */
int mc_counts(McEngine *E, McNode *x, const double *edges, size_t k, size_t *le);
/* Sample i (0-based). */
int mc_sample(McEngine *E, McNode *x, size_t i, double *v);
/* All n values: *vals points to them, in the cache (held there until
** mc_values_done) or in memory of the caller's (*owned set). */
int mc_values(McEngine *E, McNode *x, double **vals, int *owned);
void mc_values_done(McEngine *E, McNode *x, double *vals, int owned);
/* The same for the first m samples only. */
int mc_values_first(McEngine *E, McNode *x, size_t m, double **vals, int *owned);
void mc_values_done_first(McEngine *E, McNode *x, size_t m, double *vals, int owned);
/* Keeps x's values in the cache if there is room (after a summary, say). */
int mc_keep(McEngine *E, McNode *x);

/* Spearman rank correlation of a and b (same n), from exact integer
** ranks with ties averaged. */
int mc_spearman(McEngine *E, McNode *a, McNode *b, double *rho);
/* Spearman of out with each of in[0..k) into rho[0..k): out ranked once,
** over the first MC_SENS_MAX samples (all when there are fewer). Their
** Monte Carlo error is then below 0.001, far below the two decimals a
** tornado shows, while ranking 100M samples 13 times would cost minutes
** and gigabytes for no visible difference. Part of the reproducibility
** contract, like the chunk size. */
int mc_sensitivity(McEngine *E, McNode *out, McNode *const *in, int k, double *rho);
#endif
