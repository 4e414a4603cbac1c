/*
** vm/mcshard.h
** Runs split over machines (`deal --shard K/N`): which samples shard K of
** N computes, and what of a value's samples a shard keeps so that parts
** merge into what one run computes.
**
** A shard takes whole chunks of the run (DEAL_RNG_CHUNK samples), so its
** samples are bit for bit those a single run draws for them (the streams
** are keyed by sample index). Its partial summary (mcstats.h's
** mc_summary_range) merges exactly: count, exact sums about sample 0 of the
** run (every shard computes that one sample), min, max, non-zero count; so
** the mean, sd and P of the merged parts are the single run's bits.
**
** Quantiles need order statistics, which no fixed-size summary holds
** exactly. A shard also keeps a grid: the samples counted in buckets of
** 1/4096 of an octave (the top 12 bits of the mantissa), over 24 octaves
** below a top (a power of two above the shard's samples, or the engine's
** interval bound), values nearer 0 in one bucket, each bucket with the least and
** greatest sample in it. Grids add up. A merged quantile is exact when
** its order statistics are the least or greatest of their bucket (in
** particular when a bucket holds one value only: discrete values, data);
** otherwise it is interpolated within the bucket, and its error is at most
** the bucket's spread (hi - lo), below 2^-12 of the value: mc_grid_quantile
** returns that bound.
*/
#ifndef DEAL_MCSHARD_H
#define DEAL_MCSHARD_H
#include <stddef.h>
#include <stdint.h>

#include "mcgraph.h"

#define MC_GRID_BITS 12          /* mantissa bits of a bucket: 4096 an octave */
#define MC_GRID_OCTAVES 24       /* octaves below the top; nearer 0 is one bucket */
#define MC_GRID_HALF ((size_t)MC_GRID_OCTAVES << MC_GRID_BITS)
#define MC_GRID_BUCKETS (2 * MC_GRID_HALF + 1)   /* negative, near 0, positive */

#define MC_SHARD_MAX 1000000L     /* shards of one run, at most */

/* Samples [*lo, *hi) of a run of n for shard k of N (1 <= k <= N <=
** MC_SHARD_MAX): whole
** chunks, as evenly as they go; a shard may be empty when N exceeds the
** chunks. */
void mc_shard_range(size_t n, unsigned long k, unsigned long N, size_t *lo, size_t *hi);

/* A value's samples counted on the grid: nb buckets (MC_GRID_BUCKETS when
** allocated), each with its count and its least and greatest sample. */
typedef struct McGrid {
  double top;                  /* a power of two above the value's range */
  double floor;                /* top / 2^MC_GRID_OCTAVES: |x| below is bucket HALF */
  size_t nb;
  uint64_t *count;
  double *lo, *hi;
} McGrid;

/* The grid's top for x: from its interval bound (x->lo, x->hi), the same in
** every shard; shift (sample 0 of the run) when the bound is not finite. */
double mc_grid_top(const McNode *x, double shift);
/* The least power of two above |min| and |max| (1 for 0; at most 2^1023):
** a shard's grid counts its own samples under this top, so no sample is
** beyond it and the buckets are as fine as they go (samples_part). */
double mc_grid_top_of(double min, double max);
/* Allocates an empty grid under top: 1, 0 out of memory. */
int mc_grid_init(McGrid *g, double top);
void mc_grid_free(McGrid *g);
/* The bucket of a finite x. */
size_t mc_grid_bucket(const McGrid *g, double x);
/* Adds count c of bucket b with its least and greatest sample. */
void mc_grid_add(McGrid *g, size_t b, uint64_t c, double lo, double hi);
/* g += t: under the greater of their tops (buckets below its floor join
** the one near 0). 1, 0 out of memory. */
int mc_grid_merge(McGrid *g, const McGrid *t);
/* The type-7 quantile at p of the n samples counted (n >= 1), and a bound
** on its error (0: exact). */
void mc_grid_quantile(const McGrid *g, size_t n, double p, double *q, double *err);
#endif
