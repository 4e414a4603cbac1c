/*
** vm/mcshard.c
** Shard ranges and the quantile grid of partial results (mcshard.h).
*/
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mcshard.h"

/* ceil(c k / N) without overflow (k <= N <= MC_SHARD_MAX). */
static size_t ceil_part(size_t c, unsigned long k, unsigned long N) {
  return (c / N) * k + ((c % N) * k + N - 1) / N;
}

void mc_shard_range(size_t n, unsigned long k, unsigned long N, size_t *lo, size_t *hi) {
  size_t chunks = (n + DEAL_RNG_CHUNK - 1) / DEAL_RNG_CHUNK;
  /* shard k: chunks [ceil(chunks (k-1) / N), ceil(chunks k / N)):
  ** contiguous, sizes differing by one chunk at most */
  size_t c0 = ceil_part(chunks, k - 1, N), c1 = ceil_part(chunks, k, N);
  *lo = c0 * DEAL_RNG_CHUNK < n ? c0 * DEAL_RNG_CHUNK : n;
  *hi = c1 * DEAL_RNG_CHUNK < n ? c1 * DEAL_RNG_CHUNK : n;
}

/* {====== the grid ====== */
double mc_grid_top(const McNode *x, double shift) {
  double a = fabs(x->lo) > fabs(x->hi) ? fabs(x->lo) : fabs(x->hi);
  if (!isfinite(a)) a = fabs(shift) * 4096;   /* no bound: a guess; the grid stays correct */
  return mc_grid_top_of(-a, a);
}

double mc_grid_top_of(double min, double max) {
  double a = fabs(min) > fabs(max) ? fabs(min) : fabs(max);
  if (!(a > 0) || !isfinite(a)) a = 1;
  int e;
  frexp(a, &e);                               /* a < 2^e; 2^1024 is no double */
  return ldexp(1, e >= DBL_MAX_EXP ? DBL_MAX_EXP - 1 : e);
}

int mc_grid_init(McGrid *g, double top) {
  g->top = top;
  g->floor = ldexp(top, -MC_GRID_OCTAVES);
  g->nb = MC_GRID_BUCKETS;
  g->count = calloc(g->nb, sizeof *g->count);
  g->lo = malloc(g->nb * sizeof *g->lo);
  g->hi = malloc(g->nb * sizeof *g->hi);
  if (!g->count || !g->lo || !g->hi) { mc_grid_free(g); return 0; }
  return 1;
}

void mc_grid_free(McGrid *g) {
  free(g->count); free(g->lo); free(g->hi);
  g->count = NULL; g->lo = g->hi = NULL;
  g->nb = 0;
}

/* Bits of a non-negative double: they order as the values do. */
static uint64_t bits(double a) {
  uint64_t u;
  memcpy(&u, &a, sizeof u);
  return u;
}

size_t mc_grid_bucket(const McGrid *g, double x) {
  double a = fabs(x);
  if (!(a >= g->floor)) return MC_GRID_HALF;
  uint64_t m = (bits(a) >> (52 - MC_GRID_BITS)) - (bits(g->floor) >> (52 - MC_GRID_BITS));
  if (m >= MC_GRID_HALF) m = MC_GRID_HALF - 1;   /* beyond the top: the last bucket */
  return x > 0 ? MC_GRID_HALF + 1 + (size_t)m : MC_GRID_HALF - 1 - (size_t)m;
}

void mc_grid_add(McGrid *g, size_t b, uint64_t c, double lo, double hi) {
  if (c == 0) return;
  if (g->count[b] == 0) { g->lo[b] = lo; g->hi[b] = hi; }
  else {
    if (lo < g->lo[b]) g->lo[b] = lo;
    if (hi > g->hi[b]) g->hi[b] = hi;
  }
  g->count[b] += c;
}

/* g's samples under a greater top: buckets are the same slices of an
** octave under any top (both powers of two), so each moves whole; those
** now below the floor join the bucket near 0. 1, 0 out of memory. */
static int regrid(McGrid *g, double top) {
  McGrid n;
  if (!mc_grid_init(&n, top)) return 0;
  for (size_t b = 0; b < g->nb; b++)
    if (g->count[b]) mc_grid_add(&n, mc_grid_bucket(&n, g->lo[b]), g->count[b], g->lo[b], g->hi[b]);
  mc_grid_free(g);
  *g = n;
  return 1;
}

int mc_grid_merge(McGrid *g, const McGrid *t) {
  if (g->nb != MC_GRID_BUCKETS || t->nb != MC_GRID_BUCKETS) return 0;
  if (t->top > g->top && !regrid(g, t->top)) return 0;
  if (t->top < g->top) {                      /* t's buckets moved into g's */
    for (size_t b = 0; b < t->nb; b++)
      if (t->count[b]) mc_grid_add(g, mc_grid_bucket(g, t->lo[b]), t->count[b], t->lo[b], t->hi[b]);
    return 1;
  }
  for (size_t b = 0; b < g->nb; b++) mc_grid_add(g, b, t->count[b], t->lo[b], t->hi[b]);
  return 1;
}

/* Order statistic r (0-based) and its error bound: the bucket's least or
** greatest sample when r is its first or last, else interpolated. */
static double order_stat(const McGrid *g, size_t r, double *err) {
  uint64_t before = 0;
  size_t b = 0;
  for (; b < g->nb; b++) {
    if (r < before + g->count[b]) break;
    before += g->count[b];
  }
  if (b == g->nb) { *err = 0; return NAN; }   /* r beyond the samples: a caller's bug */
  uint64_t j = r - before, c = g->count[b];
  *err = 0;
  if (j == 0) return g->lo[b];
  if (j == c - 1) return g->hi[b];
  *err = g->hi[b] - g->lo[b];
  return g->lo[b] + (g->hi[b] - g->lo[b]) * ((double)j / (double)(c - 1));
}

void mc_grid_quantile(const McGrid *g, size_t n, double p, double *q, double *err) {
  size_t lo = (size_t)((double)(n - 1) * p);   /* as mc_quantiles (mcstats.c) */
  if (lo > n - 1) lo = n - 1;
  size_t hi = lo + 1 < n ? lo + 1 : lo;
  double ea, eb, a = order_stat(g, lo, &ea), b = order_stat(g, hi, &eb);
  double h = (double)(n - 1) * p, f = h - (double)lo;
  *q = (f == 0 || a == b) ? a : a + f * (b - a);
  *err = f == 0 ? ea : ea > eb ? ea : eb;
}
/* }====== */
