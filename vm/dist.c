/*
** vm/dist.c
** Monte Carlo kernels: distribution fills, statistics, radix sort, ranks,
** Iman-Conover, special functions and the KS statistic. See dist.h.
*/

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "dist.h"
#include "rng.h"

#define PI_ 3.14159265358979323846


/* Scratch arrays come from the budget that Lua and GMP share (alloc.h), so
** --max-memory sees them and the OOM sweep can refuse them; a refusal is
** DIST_ENOMEM like any other. The budget counts bytes, so a release names
** the size that was asked for. */
static void *scratch_new (size_t n, size_t size) {
  size_t bytes = n * size;
  if (size != 0 && n > SIZE_MAX / size) return NULL;
  return deal_alloc(&deal_budget, NULL, 0, bytes ? bytes : 1);
}


static void scratch_free (void *p, size_t n, size_t size) {
  size_t bytes = n * size;
  if (p) deal_alloc(&deal_budget, p, bytes ? bytes : 1, 0);
}


const char *dist_strerror (int code) {
  switch (code) {
    case DIST_OK: return "ok";
    case DIST_ENONFINITE: return "parameters must be finite numbers";
    case DIST_ESD: return "sd must be positive";
    case DIST_EBOUNDS: return "lower bound must be less than upper bound";
    case DIST_EMODE: return "mode must lie between the lower and upper bounds";
    case DIST_EPROB: return "probability must be between 0 and 1";
    case DIST_ESHAPE: return "shape parameters must be positive";
    case DIST_EWEIGHTS:
      return "weights must be non-negative and not all zero";
    case DIST_EEMPTY: return "need at least one value";
    case DIST_ENOTPD: return "correlation matrix is not positive definite";
    case DIST_ECORR:
      return "correlation matrix must be symmetric with unit diagonal and "
             "entries in [-1, 1]";
    case DIST_ENOMEM: return "not enough memory";
    case DIST_EPOSITIVE: return "lognormal bounds and mean must be positive";
    case DIST_ETOOFEW: return "need at least two samples";
    case DIST_ENULL: return "missing array";
    case DIST_ELAMBDA: return "PERT lambda must be positive";
    case DIST_EBINS: return "number of bins must be at least 1";
    case DIST_ESIZE: return "size too large";
    default: return "unknown distribution error";
  }
}


static int fin (double x) {
  return isfinite(x);
}


/*
** {======================================================
** Parameter helpers
** =======================================================
*/

int dist_normal_from_ci90 (double a, double b, double *mu, double *sd) {
  if (!fin(a) || !fin(b)) return DIST_ENONFINITE;
  if (!(a < b)) return DIST_EBOUNDS;
  if (!mu || !sd) return DIST_ENULL;
  *mu = a / 2 + b / 2;  /* halves first: no overflow near DBL_MAX */
  *sd = (b / 2 - a / 2) / DIST_Z90;
  if (!(*sd > 0) || !fin(*sd)) return DIST_ESD;
  return DIST_OK;
}


int dist_lognormal_from_ci90 (double a, double b, double *mu, double *sigma) {
  double la, lb;
  if (!fin(a) || !fin(b)) return DIST_ENONFINITE;
  if (!(a > 0) || !(b > 0)) return DIST_EPOSITIVE;
  if (!(a < b)) return DIST_EBOUNDS;
  if (!mu || !sigma) return DIST_ENULL;
  la = log(a);
  lb = log(b);
  *mu = (la + lb) / 2;
  *sigma = (lb - la) / (2 * DIST_Z90);
  if (!(*sigma > 0)) return DIST_EBOUNDS;  /* a, b adjacent doubles */
  return DIST_OK;
}


int dist_lognormal_from_meansd (double mean, double sd, double *mu,
                                double *sigma) {
  double cv, s2;
  if (!fin(mean) || !fin(sd)) return DIST_ENONFINITE;
  if (!(mean > 0)) return DIST_EPOSITIVE;
  if (!(sd > 0)) return DIST_ESD;
  if (!mu || !sigma) return DIST_ENULL;
  cv = sd / mean;
  s2 = log1p(cv * cv);
  if (!fin(s2) || !(s2 > 0)) return DIST_ESD;
  *sigma = sqrt(s2);
  *mu = log(mean) - s2 / 2;
  return DIST_OK;
}

/* }====================================================== */


/*
** {======================================================
** Fills
** =======================================================
*/

/* Normal or lognormal fill, specialised by the constant `expo` after
** inlining; the same values as n calls of rng_normal. */
static inline void fill_normal (deal_rng *r, double mu, double sd,
                                double *out, size_t n, int expo) {
  size_t i;
  if (expo)
    for (i = 0; i < n; i++) out[i] = exp(mu + sd * rng_normal_inl(r));
  else
    for (i = 0; i < n; i++) out[i] = mu + sd * rng_normal_inl(r);
}


int dist_normal (deal_rng *r, double mu, double sd, double *out, size_t n) {
  if (!fin(mu) || !fin(sd)) return DIST_ENONFINITE;
  if (!(sd > 0)) return DIST_ESD;
  if (!r || (!out && n)) return DIST_ENULL;
  fill_normal(r, mu, sd, out, n, 0);
  return DIST_OK;
}


int dist_lognormal (deal_rng *r, double mu, double sigma, double *out,
                    size_t n) {
  if (!fin(mu) || !fin(sigma)) return DIST_ENONFINITE;
  if (!(sigma > 0)) return DIST_ESD;
  if (!r || (!out && n)) return DIST_ENULL;
  fill_normal(r, mu, sigma, out, n, 1);
  return DIST_OK;
}


int dist_uniform (deal_rng *r, double a, double b, double *out, size_t n) {
  size_t i;
  double w;
  if (!fin(a) || !fin(b)) return DIST_ENONFINITE;
  if (!(a < b)) return DIST_EBOUNDS;
  if (!r || (!out && n)) return DIST_ENULL;
  w = b - a;
  if (!fin(w)) {  /* e.g. -DBL_MAX..DBL_MAX: work in halves */
    for (i = 0; i < n; i++) {
      double u = rng_uniform_inl(r);
      out[i] = 2 * (a / 2 + u * (b / 2 - a / 2));
    }
    return DIST_OK;
  }
  for (i = 0; i < n; i++) {
    double x = a + w * rng_uniform_inl(r);
    out[i] = x < b ? x : b;  /* rounding can reach b; keep the support */
  }
  return DIST_OK;
}


static int check_abm (double a, double m, double b) {
  if (!fin(a) || !fin(m) || !fin(b)) return DIST_ENONFINITE;
  if (!(a < b)) return DIST_EBOUNDS;
  if (!fin(b - a)) return DIST_ESIZE;
  if (m < a || m > b) return DIST_EMODE;
  return DIST_OK;
}


int dist_triangular (deal_rng *r, double a, double mode, double b,
                     double *out, size_t n) {
  size_t i;
  double w, fc, wl, wr;
  int st = check_abm(a, mode, b);
  if (st) return st;
  if (!r || (!out && n)) return DIST_ENULL;
  w = b - a;
  fc = (mode - a) / w;
  wl = w * (mode - a);
  wr = w * (b - mode);
  for (i = 0; i < n; i++) {
    double u = rng_uniform_inl(r), x;
    if (u < fc) x = a + sqrt(u * wl);
    else x = b - sqrt((1.0 - u) * wr);
    out[i] = x < a ? a : (x > b ? b : x);
  }
  return DIST_OK;
}


/* One Gamma(d + 1/3, 1) draw by Marsaglia-Tsang with d = shape - 1/3 >= 2/3
** and c = 1/sqrt(9d). The squeeze accepts ~98% without a log. */
static inline double gamma_mt (deal_rng *r, double d, double c) {
  for (;;) {
    double x, v, u, x2;
    do {
      x = rng_normal_inl(r);
      v = 1.0 + c * x;
    } while (v <= 0.0);
    v = v * v * v;
    u = rng_uniform_inl(r);
    x2 = x * x;
    if (u < 1.0 - 0.0331 * x2 * x2) return d * v;
    if (log(u) < 0.5 * x2 + d * (1.0 - v + log(v))) return d * v;
  }
}


/* Precomputed constants for Gamma(shape, 1) draws. */
typedef struct GammaK {
  double d, c, inv;  /* inv = 1/shape when boosting (shape < 1), else 0 */
} GammaK;


static GammaK gamma_setup (double shape) {
  GammaK g;
  double s = shape < 1.0 ? shape + 1.0 : shape;
  g.d = s - 1.0 / 3.0;
  g.c = 1.0 / sqrt(9.0 * g.d);
  g.inv = shape < 1.0 ? 1.0 / shape : 0.0;
  return g;
}


/* log of a Gamma(shape, 1) draw: finite even when the draw underflows. */
static inline double log_gamma_draw (deal_rng *r, const GammaK *g) {
  double lg = log(gamma_mt(r, g->d, g->c));
  if (g->inv != 0.0) lg += log(rng_uniform_inl(r)) * g->inv;
  return lg;
}


int dist_gamma (deal_rng *r, double shape, double scale, double *out,
                size_t n) {
  size_t i;
  GammaK g;
  if (!fin(shape) || !fin(scale)) return DIST_ENONFINITE;
  if (!(shape > 0)) return DIST_ESHAPE;
  if (!(scale > 0)) return DIST_ESD;
  if (!r || (!out && n)) return DIST_ENULL;
  g = gamma_setup(shape);
  if (g.inv == 0.0) {
    for (i = 0; i < n; i++)
      out[i] = scale * gamma_mt(r, g.d, g.c);
  }
  else {  /* boost: Gamma(a) = Gamma(a+1) U^(1/a) */
    for (i = 0; i < n; i++) {
      double x = gamma_mt(r, g.d, g.c);
      out[i] = scale * (x * pow(rng_uniform_inl(r), g.inv));
    }
  }
  return DIST_OK;
}


/* Beta(alpha, beta) into out: direct ratio when both shapes >= 1 (gamma
** draws are then >= ~1e-2 in practice and never 0), log space otherwise. */
static void fill_beta (deal_rng *r, double alpha, double beta, double *out,
                       size_t n) {
  size_t i;
  GammaK ga = gamma_setup(alpha), gb = gamma_setup(beta);
  if (ga.inv == 0.0 && gb.inv == 0.0) {
    for (i = 0; i < n; i++) {
      double x = gamma_mt(r, ga.d, ga.c);
      double y = gamma_mt(r, gb.d, gb.c);
      out[i] = x / (x + y);
    }
  }
  else {
    for (i = 0; i < n; i++) {
      double lx = log_gamma_draw(r, &ga);
      double ly = log_gamma_draw(r, &gb);
      out[i] = 1.0 / (1.0 + exp(ly - lx));
    }
  }
}


int dist_beta (deal_rng *r, double alpha, double beta, double *out,
               size_t n) {
  if (!fin(alpha) || !fin(beta)) return DIST_ENONFINITE;
  if (!(alpha > 0) || !(beta > 0)) return DIST_ESHAPE;
  if (!r || (!out && n)) return DIST_ENULL;
  fill_beta(r, alpha, beta, out, n);
  return DIST_OK;
}


int dist_pert (deal_rng *r, double a, double mode, double b, double lambda,
               double *out, size_t n) {
  size_t i;
  double w, al, be;
  int st = check_abm(a, mode, b);
  if (st) return st;
  if (!fin(lambda)) return DIST_ENONFINITE;
  if (!(lambda > 0)) return DIST_ELAMBDA;
  if (!r || (!out && n)) return DIST_ENULL;
  w = b - a;
  al = 1.0 + lambda * (mode - a) / w;
  be = 1.0 + lambda * (b - mode) / w;
  fill_beta(r, al, be, out, n);
  for (i = 0; i < n; i++) {
    double x = a + w * out[i];
    out[i] = x > b ? b : x;
  }
  return DIST_OK;
}


int dist_bernoulli (deal_rng *r, double p, double *out, size_t n) {
  size_t i;
  if (!fin(p)) return DIST_ENONFINITE;
  if (p < 0 || p > 1) return DIST_EPROB;
  if (!r || (!out && n)) return DIST_ENULL;
  for (i = 0; i < n; i++)
    out[i] = rng_uniform_inl(r) < p ? 1.0 : 0.0;
  return DIST_OK;
}


/* Walker alias table (Vose's stable construction). */
void dist_alias_free (DistAlias *t) {
  scratch_free(t->prob, t->k, sizeof(double));
  scratch_free(t->alias, t->k, sizeof(size_t));
  t->prob = NULL;
  t->alias = NULL;
}


int dist_alias_new (DistAlias *t, const double *w, size_t k) {
  size_t j, *small, *large, ns = 0, nl = 0;
  double wmax = 0, sum = 0;
  t->prob = NULL;
  t->alias = NULL;
  t->k = k;
  if (!w) return DIST_ENULL;
  if (k == 0) return DIST_EEMPTY;
  for (j = 0; j < k; j++) {
    if (!fin(w[j]) || w[j] < 0) return DIST_EWEIGHTS;
    if (w[j] > wmax) wmax = w[j];
  }
  if (!(wmax > 0)) return DIST_EWEIGHTS;
  if (k > SIZE_MAX / (2 * sizeof(size_t))) return DIST_ESIZE;
  for (j = 0; j < k; j++) sum += w[j] / wmax;  /* scaled: cannot overflow */
  t->prob = scratch_new(k, sizeof(double));
  t->alias = scratch_new(k, sizeof(size_t));
  small = scratch_new(2 * k, sizeof(size_t));
  if (!t->prob || !t->alias || !small) {
    scratch_free(small, 2 * k, sizeof(size_t));
    dist_alias_free(t);
    return DIST_ENOMEM;
  }
  large = small + k;
  for (j = 0; j < k; j++) {
    t->prob[j] = (w[j] / wmax) * (double)k / sum;
    t->alias[j] = j;
    if (t->prob[j] < 1.0) small[ns++] = j;
    else large[nl++] = j;
  }
  while (ns > 0 && nl > 0) {
    size_t s = small[--ns], l = large[nl - 1];
    t->alias[s] = l;
    t->prob[l] = (t->prob[l] + t->prob[s]) - 1.0;
    if (t->prob[l] < 1.0) {
      nl--;
      small[ns++] = l;
    }
  }
  while (nl > 0) t->prob[large[--nl]] = 1.0;  /* rounding leftovers */
  while (ns > 0) t->prob[small[--ns]] = 1.0;
  scratch_free(small, 2 * k, sizeof(size_t));
  return DIST_OK;
}


/* Column chosen by the alias table for one sample. */
static inline size_t alias_draw (deal_rng *r, const DistAlias *t) {
  size_t j = (size_t)rng_bounded(r, t->k);
  return rng_uniform_inl(r) < t->prob[j] ? j : t->alias[j];
}


void dist_alias_fill (deal_rng *r, const DistAlias *t, const double *values,
                      double *out, size_t n) {
  for (size_t i = 0; i < n; i++)
    out[i] = values[alias_draw(r, t)];
}


void dist_alias_index (deal_rng *r, const DistAlias *t, uint32_t *idx, size_t n) {
  for (size_t i = 0; i < n; i++)
    idx[i] = (uint32_t)alias_draw(r, t);
}


void dist_alias_mix (deal_rng *r, const DistAlias *t,
                     const double *const *comps, double *out, size_t n) {
  for (size_t i = 0; i < n; i++)
    out[i] = comps[alias_draw(r, t)][i];
}


int dist_discrete (deal_rng *r, const double *weights, const double *values,
                   size_t k, double *out, size_t n) {
  DistAlias t;
  int st;
  if (!r || !values || (!out && n)) return DIST_ENULL;
  st = dist_alias_new(&t, weights, k);
  if (st) return st;
  dist_alias_fill(r, &t, values, out, n);
  dist_alias_free(&t);
  return DIST_OK;
}


int dist_mixture (deal_rng *r, const double *const *comps,
                  const double *weights, size_t k, double *out, size_t n) {
  DistAlias t;
  size_t j;
  int st;
  if (!r || !comps || (!out && n)) return DIST_ENULL;
  for (j = 0; j < k; j++)
    if (!comps[j] && n) return DIST_ENULL;
  st = dist_alias_new(&t, weights, k);
  if (st) return st;
  dist_alias_mix(r, &t, comps, out, n);
  dist_alias_free(&t);
  return DIST_OK;
}


int dist_empirical (deal_rng *r, const double *data, size_t m, double *out,
                    size_t n) {
  size_t i;
  if (!r || !data || (!out && n)) return DIST_ENULL;
  if (m == 0) return DIST_EEMPTY;
  for (i = 0; i < n; i++)
    out[i] = data[rng_bounded(r, m)];
  return DIST_OK;
}

/* }====================================================== */


/*
** {======================================================
** Statistics
** =======================================================
*/

#define SUM_BLOCK 512

/* Sum of (x[i] - c)^p for p = 1 or 2: four accumulators in blocks of
** SUM_BLOCK, blocks combined pairwise (error grows like log n). */
static double psum (const double *x, size_t n, double c, int sq) {
  if (n <= SUM_BLOCK) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    size_t i = 0;
    if (sq) {
      for (; i + 4 <= n; i += 4) {
        double d0 = x[i] - c, d1 = x[i + 1] - c;
        double d2 = x[i + 2] - c, d3 = x[i + 3] - c;
        s0 += d0 * d0; s1 += d1 * d1; s2 += d2 * d2; s3 += d3 * d3;
      }
      for (; i < n; i++) s0 += (x[i] - c) * (x[i] - c);
    }
    else {
      for (; i + 4 <= n; i += 4) {
        s0 += x[i]; s1 += x[i + 1]; s2 += x[i + 2]; s3 += x[i + 3];
      }
      for (; i < n; i++) s0 += x[i];
    }
    return (s0 + s1) + (s2 + s3);
  }
  else {
    size_t h = (n / 2 + SUM_BLOCK - 1) / SUM_BLOCK * SUM_BLOCK;
    return psum(x, h, c, sq) + psum(x + h, n - h, c, sq);
  }
}


int dist_mean (const double *x, size_t n, double *mean) {
  double s;
  if (!x || !mean) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  s = psum(x, n, 0.0, 0);
  if (!fin(s)) {  /* overflowed (or inf/NaN data): retry scaled */
    size_t i;
    int bad = 0;
    for (i = 0; i < n && !bad; i++) bad = !fin(x[i]);
    if (!bad) {
      double t = 0;
      for (i = 0; i < n; i++) t += x[i] / (double)n;
      *mean = t;
      return DIST_OK;
    }
  }
  *mean = s / (double)n;
  return DIST_OK;
}


int dist_sd (const double *x, size_t n, double *sd) {
  double m;
  if (!x || !sd) return DIST_ENULL;
  if (n < 2) return DIST_ETOOFEW;
  dist_mean(x, n, &m);
  *sd = sqrt(psum(x, n, m, 1) / (double)(n - 1));
  return DIST_OK;
}


int dist_minmax (const double *x, size_t n, double *min, double *max) {
  size_t i;
  double lo, hi;
  int nan = 0;
  if (!x) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  lo = hi = x[0];
  for (i = 0; i < n; i++) {
    double v = x[i];
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    nan |= (v != v);
  }
  if (nan) lo = hi = NAN;
  if (min) *min = lo;
  if (max) *max = hi;
  return DIST_OK;
}


/* x - x is 0 for a finite x and NaN for inf or NaN, and NaN survives any
** sum: one subtraction and one addition per element, two lanes at a time
** in two chains (GCC/Clang vector types: SSE2 or NEON; no -ffast-math
** needed, since the lanes are summed in an order we chose). */
typedef double dist_v2d __attribute__((vector_size(16)));
int dist_allfinite (const double *x, size_t n) {
  dist_v2d a0 = {0, 0}, a1 = {0, 0}, v0, v1;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    memcpy(&v0, x + i, sizeof v0);
    memcpy(&v1, x + i + 2, sizeof v1);
    a0 += v0 - v0;
    a1 += v1 - v1;
  }
  a0 += a1;
  double s = a0[0] + a0[1];
  for (; i < n; i++) s += x[i] - x[i];
  return s == 0;
}


size_t dist_count_nan (const double *x, size_t n) {
  size_t i, c = 0;
  if (!x) return 0;
  for (i = 0; i < n; i++) c += (x[i] != x[i]);
  return c;
}


/*
** Radix sort. Doubles are mapped to unsigned keys that order like the
** numbers: positive -> set the sign bit, negative -> flip all bits, any NaN
** -> UINT64_MAX (after +inf). Eight LSD passes of 8 bits (256 buckets keep
** the scatter in L1; measured faster than 11 or 16 bits); a pass whose
** digit is the same for all keys is skipped. Bits move between arrays only by
** memcpy (no aliasing tricks).
*/
#ifndef RBITS
#define RBITS 8
#endif
#define RSIZE (1u << RBITS)
#define RMASK (RSIZE - 1u)
#define RPASSES ((64 + RBITS - 1) / RBITS)
#define SMALL_SORT 64
#define TOPBIT UINT64_C(0x8000000000000000)

static inline uint64_t ld64 (const void *p, size_t i) {
  uint64_t k;
  memcpy(&k, (const char *)p + 8 * i, 8);
  return k;
}

static inline void st64 (void *p, size_t i, uint64_t k) {
  memcpy((char *)p + 8 * i, &k, 8);
}

static inline uint64_t dkey (double x) {
  uint64_t u;
  memcpy(&u, &x, 8);
  if ((u & ~TOPBIT) > UINT64_C(0x7ff0000000000000)) return UINT64_MAX;
  return (u & TOPBIT) ? ~u : (u | TOPBIT);
}

static inline double keyd (uint64_t k) {
  double x;
  uint64_t u = (k & TOPBIT) ? (k & ~TOPBIT) : ~k;
  memcpy(&x, &u, 8);
  return x;
}


/* Insertion sort of keys (small arrays). */
static void isort_keys (uint64_t *k, size_t n) {
  size_t i, j;
  for (i = 1; i < n; i++) {
    uint64_t v = k[i];
    for (j = i; j > 0 && k[j - 1] > v; j--) k[j] = k[j - 1];
    k[j] = v;
  }
}


/* Sorts x with scratch tmp (n words) and cnt (RPASSES*RSIZE counters). */
static void radix_sort_with (double *x, size_t n, uint64_t *tmp,
                             size_t *cnt) {
  void *src = x, *dst = tmp;
  size_t i;
  int p;
  memset(cnt, 0, sizeof(size_t) * RPASSES * RSIZE);
  for (i = 0; i < n; i++) {
    uint64_t k = dkey(x[i]);
    st64(x, i, k);
    for (p = 0; p < RPASSES; p++)
      cnt[p * RSIZE + ((k >> (p * RBITS)) & RMASK)]++;
  }
  for (p = 0; p < RPASSES; p++) {
    size_t *c = cnt + p * RSIZE, sum = 0, d;
    int sh = p * RBITS;
    void *t;
    if (c[(ld64(src, 0) >> sh) & RMASK] == n) continue;  /* trivial pass */
    for (d = 0; d < RSIZE; d++) {
      size_t v = c[d];
      c[d] = sum;
      sum += v;
    }
    for (i = 0; i < n; i++) {
      uint64_t k = ld64(src, i);
      st64(dst, c[(k >> sh) & RMASK]++, k);
    }
    t = src; src = dst; dst = t;
  }
  if (src != (void *)x) memcpy(x, src, n * 8);
  for (i = 0; i < n; i++) x[i] = keyd(ld64(x, i));
}


int dist_sort (double *x, size_t n) {
  uint64_t *tmp;
  size_t *cnt;
  if (!x && n) return DIST_ENULL;
  if (n < 2) return DIST_OK;
  if (n <= SMALL_SORT) {
    uint64_t k[SMALL_SORT];
    size_t i;
    for (i = 0; i < n; i++) k[i] = dkey(x[i]);
    isort_keys(k, n);
    for (i = 0; i < n; i++) x[i] = keyd(k[i]);
    return DIST_OK;
  }
  if (n > SIZE_MAX / 8) return DIST_ESIZE;
  tmp = scratch_new(n, 8);
  cnt = scratch_new(RPASSES * RSIZE, sizeof(size_t));
  if (tmp && cnt) radix_sort_with(x, n, tmp, cnt);
  scratch_free(tmp, n, 8);
  scratch_free(cnt, RPASSES * RSIZE, sizeof(size_t));
  if (!tmp || !cnt) return DIST_ENOMEM;
  return DIST_OK;
}


/* Key and original index, for argsort. */
typedef struct KV {
  uint64_t k;
  size_t i;
} KV;


/* Stable argsort: order[r] = index of the r-th smallest x (ties keep index
** order, NaNs last). a and b are n-element scratch, cnt as above. */
static void argsort_with (const double *x, size_t n, size_t *order, KV *a,
                          KV *b, size_t *cnt) {
  size_t i;
  int p;
  for (i = 0; i < n; i++) {
    a[i].k = dkey(x[i]);
    a[i].i = i;
  }
  if (n <= SMALL_SORT) {
    size_t j;
    for (i = 1; i < n; i++) {
      KV v = a[i];
      for (j = i; j > 0 && a[j - 1].k > v.k; j--) a[j] = a[j - 1];
      a[j] = v;
    }
  }
  else {
    memset(cnt, 0, sizeof(size_t) * RPASSES * RSIZE);
    for (i = 0; i < n; i++)
      for (p = 0; p < RPASSES; p++)
        cnt[p * RSIZE + ((a[i].k >> (p * RBITS)) & RMASK)]++;
    for (p = 0; p < RPASSES; p++) {
      size_t *c = cnt + p * RSIZE, sum = 0, d;
      int sh = p * RBITS;
      KV *t;
      if (c[(a[0].k >> sh) & RMASK] == n) continue;
      for (d = 0; d < RSIZE; d++) {
        size_t v = c[d];
        c[d] = sum;
        sum += v;
      }
      for (i = 0; i < n; i++) b[c[(a[i].k >> sh) & RMASK]++] = a[i];
      t = a; a = b; b = t;
    }
  }
  for (i = 0; i < n; i++) order[i] = a[i].i;
}


/* Scratch for argsort: order, two KV arrays and counters in one place. */
typedef struct ArgScratch {
  size_t *order;
  KV *a, *b;
  size_t *cnt;
  size_t n;
} ArgScratch;


/* Safe to call twice: a failed argscratch_new has already freed. */
static void argscratch_free (ArgScratch *s) {
  scratch_free(s->order, s->n, sizeof(size_t));
  scratch_free(s->a, s->n, sizeof(KV));
  scratch_free(s->b, s->n, sizeof(KV));
  scratch_free(s->cnt, RPASSES * RSIZE, sizeof(size_t));
  s->order = NULL; s->a = s->b = NULL; s->cnt = NULL;
}


static int argscratch_new (ArgScratch *s, size_t n) {
  s->order = NULL; s->a = s->b = NULL; s->cnt = NULL;
  s->n = n;
  if (n > SIZE_MAX / sizeof(KV)) return DIST_ESIZE;
  s->order = scratch_new(n, sizeof(size_t));
  s->a = scratch_new(n, sizeof(KV));
  s->b = scratch_new(n, sizeof(KV));
  s->cnt = scratch_new(RPASSES * RSIZE, sizeof(size_t));
  if (!s->order || !s->a || !s->b || !s->cnt) {
    argscratch_free(s);
    return DIST_ENOMEM;
  }
  return DIST_OK;
}


int dist_quantile_sorted (const double *sorted, size_t n, double p,
                          double *q) {
  double h, f, lo, hi;
  size_t j;
  if (!sorted || !q) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  if (!(p >= 0 && p <= 1)) return DIST_EPROB;
  h = (double)(n - 1) * p;
  j = (size_t)h;
  if (j >= n - 1) {
    *q = sorted[n - 1];
    return DIST_OK;
  }
  f = h - (double)j;
  lo = sorted[j];
  hi = sorted[j + 1];
  *q = (f == 0 || lo == hi) ? lo : lo + f * (hi - lo);
  return DIST_OK;
}


int dist_quantiles (const double *x, size_t n, const double *ps, size_t k,
                    double *qs) {
  double *c;
  size_t j;
  int st;
  if (!x || (k && (!ps || !qs))) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  for (j = 0; j < k; j++)
    if (!(ps[j] >= 0 && ps[j] <= 1)) return DIST_EPROB;
  if (n > SIZE_MAX / sizeof(double)) return DIST_ESIZE;
  c = scratch_new(n, sizeof(double));
  if (!c) return DIST_ENOMEM;
  memcpy(c, x, n * sizeof(double));
  st = dist_sort(c, n);
  for (j = 0; st == DIST_OK && j < k; j++)
    st = dist_quantile_sorted(c, n, ps[j], &qs[j]);
  scratch_free(c, n, sizeof(double));
  return st;
}


int dist_prob (const double *x, size_t n, double *p, double *se) {
  size_t i, c = 0;
  double pp;
  if (!x || !p) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  for (i = 0; i < n; i++) c += (x[i] != 0.0 && x[i] == x[i]);
  pp = (double)c / (double)n;
  *p = pp;
  if (se) *se = sqrt(pp * (1.0 - pp) / (double)n);
  return DIST_OK;
}


int dist_histogram (const double *x, size_t n, size_t k, size_t *counts,
                    double *lo, double *hi) {
  double mn, mx, scale;
  size_t i;
  if (!x || !counts) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  if (k == 0) return DIST_EBINS;
  dist_minmax(x, n, &mn, &mx);
  if (!fin(mn) || !fin(mx)) return DIST_ENONFINITE;
  memset(counts, 0, k * sizeof(size_t));
  if (lo) *lo = mn;
  if (hi) *hi = mx;
  if (mn == mx) {
    counts[0] = n;
    return DIST_OK;
  }
  /* halves: mx - mn may overflow, mx/2 - mn/2 cannot */
  scale = (double)k / (mx / 2 - mn / 2);
  for (i = 0; i < n; i++) {
    double b = (x[i] / 2 - mn / 2) * scale;
    size_t j = b >= (double)k ? k - 1 : (size_t)b;
    counts[j]++;
  }
  return DIST_OK;
}


/* Average ranks of x given its stable argsort order. */
static void ranks_from_order (const double *x, size_t n, const size_t *order,
                              double *ranks) {
  size_t s = 0;
  while (s < n) {
    size_t e = s + 1, t;
    uint64_t ks = dkey(x[order[s]]);
    double avg;
    while (e < n && dkey(x[order[e]]) == ks) e++;
    avg = ((double)(s + 1) + (double)e) / 2;  /* mean of s+1 .. e */
    for (t = s; t < e; t++) ranks[order[t]] = avg;
    s = e;
  }
}


int dist_ranks (const double *x, size_t n, double *ranks) {
  ArgScratch s;
  int st;
  if (!x || !ranks) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  st = argscratch_new(&s, n);
  if (st) return st;
  argsort_with(x, n, s.order, s.a, s.b, s.cnt);
  ranks_from_order(x, n, s.order, ranks);
  argscratch_free(&s);
  return DIST_OK;
}


int dist_pearson (const double *x, const double *y, size_t n, double *r) {
  double mx, my, sxy = 0, sxx = 0, syy = 0;
  size_t i;
  if (!x || !y || !r) return DIST_ENULL;
  if (n < 2) return DIST_ETOOFEW;
  dist_mean(x, n, &mx);
  dist_mean(y, n, &my);
  for (i = 0; i < n; i++) {
    double dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  *r = (sxx > 0 && syy > 0) ? sxy / sqrt(sxx * syy) : (double)NAN;
  return DIST_OK;
}


int dist_spearman (const double *x, const double *y, size_t n, double *rho) {
  double *rx, *ry;
  int st;
  if (!x || !y || !rho) return DIST_ENULL;
  if (n < 2) return DIST_ETOOFEW;
  if (n > SIZE_MAX / sizeof(KV)) return DIST_ESIZE;
  rx = scratch_new(n, sizeof(double));
  ry = scratch_new(n, sizeof(double));
  st = rx && ry ? dist_ranks(x, n, rx) : DIST_ENOMEM;
  if (st == DIST_OK) st = dist_ranks(y, n, ry);
  if (st == DIST_OK) st = dist_pearson(rx, ry, n, rho);
  scratch_free(rx, n, sizeof(double));
  scratch_free(ry, n, sizeof(double));
  return st;
}

/* }====================================================== */


/*
** {======================================================
** Iman-Conover
** =======================================================
*/

int dist_cholesky (const double *a, size_t k, double *l) {
  size_t i, j, m;
  if (!a || !l) return DIST_ENULL;
  for (i = 0; i < k * k; i++) l[i] = 0;
  for (j = 0; j < k; j++) {
    double d = a[j * k + j];
    for (m = 0; m < j; m++) d -= l[j * k + m] * l[j * k + m];
    if (!(d > 1e-12)) return DIST_ENOTPD;  /* also catches NaN */
    d = sqrt(d);
    l[j * k + j] = d;
    for (i = j + 1; i < k; i++) {
      double s = a[i * k + j];
      for (m = 0; m < j; m++) s -= l[i * k + m] * l[j * k + m];
      l[i * k + j] = s / d;
    }
  }
  return DIST_OK;
}


/* Checks the target: finite, symmetric, unit diagonal, |entries| <= 1. */
static int check_corr (const double *c, size_t k) {
  size_t i, j;
  for (i = 0; i < k; i++)
    for (j = 0; j < k; j++) {
      double v = c[i * k + j];
      if (!fin(v)) return DIST_ENONFINITE;
      if (v < -1 || v > 1) return DIST_ECORR;
      if (i == j && fabs(v - 1) > 1e-12) return DIST_ECORR;
      if (fabs(v - c[j * k + i]) > 1e-12) return DIST_ECORR;
    }
  return DIST_OK;
}


int dist_copula_factor (const double *target, size_t k, double *l) {
  double *adj;
  size_t i;
  int st;
  if (!target || !l) return DIST_ENULL;
  if (k == 0) return DIST_EEMPTY;
  if (k > 4096) return DIST_ESIZE;
  if ((st = check_corr(target, k)) != DIST_OK) return st;
  if (!(adj = scratch_new(k * k, sizeof(double)))) return DIST_ENOMEM;
  for (i = 0; i < k * k; i++) adj[i] = 2 * sin(PI_ / 6 * target[i]);
  for (i = 0; i < k; i++) adj[i * k + i] = 1.0;
  st = dist_cholesky(adj, k, l);
  if (st != DIST_OK) st = dist_cholesky(target, k, l);   /* rare: the target itself */
  scratch_free(adj, k * k, sizeof(double));
  return st;
}


int dist_iman_conover (deal_rng *r, double *const *cols, size_t k, size_t n,
                       const double *target) {
  double *P = NULL, *adj = NULL, *Q = NULL, *Qi = NULL, *M = NULL;
  double *S = NULL, *base = NULL, *buf = NULL, *sort_tmp;
  ArgScratch as = {NULL, NULL, NULL, NULL, 0};
  size_t i, j, l;
  double mean, ss;
  int st;
  if (!r || !cols || !target) return DIST_ENULL;
  if (k == 0) return DIST_EEMPTY;
  for (j = 0; j < k; j++)
    if (!cols[j]) return DIST_ENULL;
  st = check_corr(target, k);
  if (st) return st;
  if (k > 4096) return DIST_ESIZE;
  P = scratch_new(5 * k * k, sizeof(double));
  if (!P) return DIST_ENOMEM;
  adj = P + k * k; Q = adj + k * k; Qi = Q + k * k; M = Qi + k * k;
  st = dist_cholesky(target, k, P);
  if (st) goto done;
  if (k == 1) goto done;
  if (n < 2) { st = DIST_ETOOFEW; goto done; }
  /* Pearson matrix of normal scores that yields Spearman = target. */
  for (i = 0; i < k * k; i++) adj[i] = 2 * sin(PI_ / 6 * target[i]);
  for (i = 0; i < k; i++) adj[i * k + i] = 1.0;
  if (dist_cholesky(adj, k, P) != DIST_OK)
    dist_cholesky(target, k, P);  /* rare: fall back to the target itself */
  /* scratch, all before touching the columns */
  if (n > SIZE_MAX / sizeof(KV) / (k + 2)) { st = DIST_ESIZE; goto done; }
  base = scratch_new(n, sizeof(double));
  buf = scratch_new(n, sizeof(double));
  S = scratch_new(k * n, sizeof(double));
  st = argscratch_new(&as, n);
  if (st == DIST_OK && (!base || !buf || !S)) st = DIST_ENOMEM;
  if (st) goto done;
  sort_tmp = (double *)(void *)as.b;  /* n KVs >= n doubles of scratch */
  /* van der Waerden scores, centred (their mean is 0 up to rounding) */
  for (i = 0; i < n; i++)
    base[i] = dist_norm_inv((double)(i + 1) / (double)(n + 1));
  dist_mean(base, n, &mean);
  for (i = 0; i < n; i++) base[i] -= mean;
  ss = psum(base, n, 0.0, 1);
  /* column 0 keeps its order: scores follow its current ranks */
  argsort_with(cols[0], n, as.order, as.a, as.b, as.cnt);
  for (i = 0; i < n; i++) S[as.order[i]] = base[i];
  /* the others: independent random permutations (Fisher-Yates) */
  for (j = 1; j < k; j++) {
    double *s = S + j * n;
    memcpy(s, base, n * sizeof(double));
    for (i = n - 1; i > 0; i--) {
      size_t t = (size_t)rng_bounded(r, (uint64_t)i + 1);
      double v = s[i];
      s[i] = s[t];
      s[t] = v;
    }
  }
  /* their actual correlation E = Q Q^T, to be undone exactly */
  for (i = 0; i < k; i++)
    for (j = 0; j <= i; j++) {
      const double *a = S + i * n, *b = S + j * n;
      double d = 0;
      size_t t;
      if (i == j) d = ss;
      else for (t = 0; t < n; t++) d += a[t] * b[t];
      adj[i * k + j] = adj[j * k + i] = d / ss;
    }
  if (dist_cholesky(adj, k, Q) != DIST_OK) {  /* n tiny: skip correction */
    for (i = 0; i < k * k; i++) Q[i] = 0;
    for (i = 0; i < k; i++) Q[i * k + i] = 1;
  }
  /* Qi = Q^-1 (lower), column by column by forward substitution */
  for (l = 0; l < k; l++)
    for (i = 0; i < k; i++) {
      double s = (i == l) ? 1.0 : 0.0;
      for (j = 0; j < i; j++) s -= Q[i * k + j] * Qi[j * k + l];
      Qi[i * k + l] = s / Q[i * k + i];
    }
  /* M = P Qi (lower triangular) */
  for (i = 0; i < k; i++)
    for (l = 0; l < k; l++) {
      double s = 0;
      for (j = 0; j < k; j++) s += P[i * k + j] * Qi[j * k + l];
      M[i * k + l] = s;
    }
  /* rows: t = M s, in place from the last column down (t_j needs s_0..s_j).
  ** Column 0 is only scaled by M[0][0] > 0: its ranks do not change. */
  for (i = 0; i < n; i++)
    for (j = k - 1; j >= 1; j--) {
      double s = 0;
      for (l = 0; l <= j; l++) s += M[j * k + l] * S[l * n + i];
      S[j * n + i] = s;
    }
  /* reorder columns 1.. so their ranks follow the transformed scores */
  for (j = 1; j < k; j++) {
    double *x = cols[j];
    argsort_with(S + j * n, n, as.order, as.a, as.b, as.cnt);
    memcpy(buf, x, n * sizeof(double));
    if (n <= SMALL_SORT) dist_sort(buf, n);
    else radix_sort_with(buf, n, (uint64_t *)(void *)sort_tmp, as.cnt);
    for (i = 0; i < n; i++) x[as.order[i]] = buf[i];
  }
  st = DIST_OK;
done:
  scratch_free(P, 5 * k * k, sizeof(double));
  scratch_free(base, n, sizeof(double));
  scratch_free(buf, n, sizeof(double));
  scratch_free(S, k * n, sizeof(double));
  argscratch_free(&as);
  return st;
}


int dist_iman_conover2 (deal_rng *r, const double *x, double *y, size_t n,
                        double rho) {
  double c[4];
  double *cols[2];
  if (!x || !y) return DIST_ENULL;
  if (!fin(rho)) return DIST_ENONFINITE;
  if (!(rho > -1 && rho < 1)) return DIST_ENOTPD;
  c[0] = c[3] = 1;
  c[1] = c[2] = rho;
  cols[0] = (double *)(uintptr_t)x;  /* column 0 is never written */
  cols[1] = y;
  return dist_iman_conover(r, cols, 2, n, c);
}

/* }====================================================== */


/*
** {======================================================
** Special functions, CDFs, KS
** =======================================================
*/

/* Acklam's rational approximation of the lower half (p <= 0.5). */
static double acklam_lower (double p) {
  static const double a[6] = {
    -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
    1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00 };
  static const double b[5] = {
    -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
    6.680131188771972e+01, -1.328068155288572e+01 };
  static const double c[6] = {
    -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
    -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00 };
  static const double d[4] = {
    7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
    3.754408661907416e+00 };
  double q, t, x, e, u;
  if (p < 0.02425) {
    q = sqrt(-2 * log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  else {
    q = p - 0.5;
    t = q * q;
    x = (((((a[0] * t + a[1]) * t + a[2]) * t + a[3]) * t + a[4]) * t + a[5]) *
        q / (((((b[0] * t + b[1]) * t + b[2]) * t + b[3]) * t + b[4]) * t + 1);
  }
  /* one Halley step on Phi(x) - p, Phi via erfc (accurate for x < 0) */
  e = 0.5 * erfc(-x / sqrt(2.0)) - p;
  u = e * sqrt(2 * PI_) * exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}


double dist_norm_inv (double p) {
  if (!(p >= 0 && p <= 1)) return NAN;
  if (p == 0) return -INFINITY;
  if (p == 1) return INFINITY;
  if (p > 0.5) return -acklam_lower(1.0 - p);  /* 1-p exact here */
  return acklam_lower(p);
}


double dist_norm_cdf (double x) {
  return 0.5 * erfc(-x / sqrt(2.0));
}


/* Modified Lentz's continued fraction for the upper incomplete gamma
** Q(a,x) (x >= a+1), Numerical Recipes gcf. */
static double gamma_q_cf (double a, double x) {
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  int i;
  for (i = 1; i < 10000; i++) {
    double an = -i * (i - a), del;
    b += 2;
    d = an * d + b;
    if (fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1 / d;
    del = d * c;
    h *= del;
    if (fabs(del - 1) < 1e-15) break;
  }
  return exp(-x + a * log(x) - lgamma(a)) * h;
}


double dist_gamma_p (double a, double x) {
  if (!(a > 0) || !(x >= 0) || isnan(x) || !fin(a)) return NAN;
  if (x == 0) return 0;
  if (isinf(x)) return 1;
  if (x < a + 1) {  /* series */
    double ap = a, sum = 1 / a, del = sum;
    int i;
    for (i = 0; i < 100000; i++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (fabs(del) < fabs(sum) * 1e-16) break;
    }
    return sum * exp(-x + a * log(x) - lgamma(a));
  }
  return 1 - gamma_q_cf(a, x);
}


/* Continued fraction for I_x(a,b) (Numerical Recipes betacf). */
static double beta_cf (double a, double b, double x) {
  const double tiny = 1e-300;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap, h;
  int m;
  if (fabs(d) < tiny) d = tiny;
  d = 1 / d;
  h = d;
  for (m = 1; m < 10000; m++) {
    int m2 = 2 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2)), del;
    d = 1 + aa * d;
    if (fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (fabs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (fabs(c) < tiny) c = tiny;
    d = 1 / d;
    del = d * c;
    h *= del;
    if (fabs(del - 1) < 1e-15) break;
  }
  return h;
}


double dist_beta_i (double a, double b, double x) {
  double lbt;
  if (!(a > 0) || !(b > 0) || !fin(a) || !fin(b) || !(x >= 0 && x <= 1))
    return NAN;
  if (x == 0) return 0;
  if (x == 1) return 1;
  lbt = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
  if (x < (a + 1) / (a + b + 2))
    return exp(lbt) * beta_cf(a, b, x) / a;
  return 1 - exp(lbt) * beta_cf(b, a, 1 - x) / b;
}


/* {------ inverse CDFs for the Gaussian copula ------ */

/* Upper regularized incomplete gamma Q(a, x) = 1 - P(a, x), accurate when
** it is small (the continued fraction beyond the mean). */
double dist_gamma_q (double a, double x) {
  if (!(a > 0) || !(x >= 0) || isnan(x) || !fin(a)) return NAN;
  if (x == 0) return 1;
  if (isinf(x)) return 0;
  if (x < a + 1) return 1 - dist_gamma_p(a, x);
  return gamma_q_cf(a, x);
}


/* Root of the increasing g(x) = target between lo and hi by Halley steps
** (deriv(x) > 0 is g's slope, curv(x) the slope's log-derivative) kept
** inside a shrinking bracket: a step that leaves it becomes a bisection (in
** log scale while the bracket is unbounded above). From the usual starting
** points two or three steps reach a relative step of 1e-14, about g's own
** accuracy. */
typedef double (*InvFn)(double x, const double *k);
static double solve_increasing (InvFn g, InvFn deriv, InvFn curv, const double *k,
                                double target, double x, double lo, double hi) {
  for (int it = 0; it < 100; it++) {
    double f = g(x, k) - target;
    if (f == 0) return x;
    if (f < 0) lo = x; else hi = x;
    double d = deriv(x, k), step = f / d, nx;
    if (d > 0 && isfinite(step)) {
      double h = 1 - 0.5 * step * curv(x, k);
      if (h > 0.5 && h < 2) step /= h;              /* Halley, when it is tame */
    }
    nx = x - step;
    if (d > 0 && fabs(step) <= 1e-14 * fabs(x)) return nx < lo ? lo : nx > hi ? hi : nx;
    if (!(d > 0) || !(nx > lo && nx < hi))
      nx = isinf(hi) ? (x > 0 ? 2 * x : 1) : (lo + hi) / 2;
    if (nx == lo || nx == hi) return nx;
    x = nx;
  }
  return x;
}


/* k = {shape, lgamma(shape)}: P, -Q, the density and its log-derivative. */
static double gam_p (double x, const double *k) { return dist_gamma_p(k[0], x); }
static double gam_mq (double x, const double *k) { return -dist_gamma_q(k[0], x); }
static double gam_pdf (double x, const double *k) {
  return x > 0 ? exp((k[0] - 1) * log(x) - x - k[1]) : 0;
}
static double gam_curv (double x, const double *k) { return (k[0] - 1) / x - 1; }


double dist_gamma_inv (double shape, double u, double q) {
  double k[2], z, x;
  if (!(shape > 0) || !fin(shape) || !(u >= 0 && q >= 0)) return NAN;
  if (u == 0) return 0;
  if (q == 0) return INFINITY;
  k[0] = shape;
  k[1] = lgamma(shape);
  /* start: Wilson-Hilferty, or the small-x series for a low tail */
  z = u < q ? dist_norm_inv(u) : -dist_norm_inv(q);
  x = shape * pow(1 - 1 / (9 * shape) + z / (3 * sqrt(shape)), 3);
  if (!(x > 0) || shape < 1) {
    double xs = exp((log(u) + lgamma(shape + 1)) / shape);
    if (!(x > 0) || xs < x) x = xs;
  }
  if (u <= q) return solve_increasing(gam_p, gam_pdf, gam_curv, k, u, x, 0, INFINITY);
  return solve_increasing(gam_mq, gam_pdf, gam_curv, k, -q, x, 0, INFINITY);
}


/* k = {a, b, log B(a, b)}: I_x(a, b) and its density. */
static double bet_i (double x, const double *k) { return dist_beta_i(k[0], k[1], x); }
static double bet_pdf (double x, const double *k) {
  return x > 0 && x < 1 ? exp((k[0] - 1) * log(x) + (k[1] - 1) * log1p(-x) - k[2]) : 0;
}
static double bet_curv (double x, const double *k) { return (k[0] - 1) / x - (k[1] - 1) / (1 - x); }


/* x with I_x(a, b) = u for u <= 1/2: start from the small-x series
** x = (u a B(a,b))^(1/a), or the middle, whichever is lower. */
static double beta_lower_inv (double a, double b, double u) {
  double k[3];
  k[0] = a; k[1] = b;
  k[2] = lgamma(a) + lgamma(b) - lgamma(a + b);
  double x = exp((log(u) + log(a) + k[2]) / a);
  double mid = a / (a + b);
  if (!(x > 0 && x < mid)) x = mid;
  return solve_increasing(bet_i, bet_pdf, bet_curv, k, u, x, 0, 1);
}


double dist_beta_inv (double a, double b, double u, double q) {
  if (!(a > 0) || !(b > 0) || !fin(a) || !fin(b) || !(u >= 0 && q >= 0)) return NAN;
  if (u == 0) return 0;
  if (q == 0) return 1;
  if (u <= q) return beta_lower_inv(a, b, u);
  return 1 - beta_lower_inv(b, a, q);                 /* I_x(a,b) = 1 - I_{1-x}(b,a) */
}

/* }------ */


#ifdef DEAL_TEST_HOOKS  /* CDFs and KS: only the tests use them (deal-test, tests/mc) */
double dist_cdf_normal (double x, const double *p) {
  return dist_norm_cdf((x - p[0]) / p[1]);
}


double dist_cdf_lognormal (double x, const double *p) {
  if (!(x > 0)) return x != x ? (double)NAN : 0.0;
  return dist_norm_cdf((log(x) - p[0]) / p[1]);
}


double dist_cdf_uniform (double x, const double *p) {
  if (x <= p[0]) return 0;
  if (x >= p[1]) return 1;
  return (x - p[0]) / (p[1] - p[0]);
}


double dist_cdf_gamma (double x, const double *p) {
  if (!(x > 0)) return x != x ? (double)NAN : 0.0;
  return dist_gamma_p(p[0], x / p[1]);
}


double dist_cdf_beta (double x, const double *p) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  return dist_beta_i(p[0], p[1], x);
}


double dist_cdf_triangular (double x, const double *p) {
  double a = p[0], m = p[1], b = p[2];
  if (x <= a) return 0;
  if (x >= b) return 1;
  if (x <= m) return (x - a) * (x - a) / ((b - a) * (m - a));
  return 1 - (b - x) * (b - x) / ((b - a) * (b - m));
}


double dist_cdf_pert (double x, const double *p) {
  double a = p[0], m = p[1], b = p[2], lam = p[3], w = b - a;
  double q[2];
  q[0] = 1 + lam * (m - a) / w;
  q[1] = 1 + lam * (b - m) / w;
  return dist_cdf_beta((x - a) / w, q);
}


int dist_ks (const double *x, size_t n, dist_cdf_fn cdf, const double *params,
             double *d) {
  double *c, dmax = 0;
  size_t i;
  int st;
  if (!x || !cdf || !d) return DIST_ENULL;
  if (n == 0) return DIST_EEMPTY;
  if (n > SIZE_MAX / sizeof(double)) return DIST_ESIZE;
  c = scratch_new(n, sizeof(double));
  if (!c) return DIST_ENOMEM;
  memcpy(c, x, n * sizeof(double));
  st = dist_sort(c, n);
  if (st) {
    scratch_free(c, n, sizeof(double));
    return st;
  }
  for (i = 0; i < n; i++) {
    double f = cdf(c[i], params);
    double lo = f - (double)i / (double)n, hi = (double)(i + 1) / (double)n - f;
    if (lo > dmax) dmax = lo;
    if (hi > dmax) dmax = hi;
    if (f != f) dmax = NAN;
  }
  scratch_free(c, n, sizeof(double));
  *d = dmax;
  return DIST_OK;
}
#endif

/* }====================================================== */

/* {====== quantiles by selection ====== */
/* Order-preserving integer key of a double (as the radix sort uses). */
static uint64_t sel_key(double d) {
  uint64_t u;
  memcpy(&u, &d, sizeof u);
  return (u >> 63) ? ~u : (u | 0x8000000000000000ULL);
}

/* Type-7 quantiles of the NaN-free x[0..n) for k <= 8 probabilities
** without sorting everything (radix select): one pass counts the top 16
** bits of each key, a second gathers only the buckets that hold the wanted
** order statistics, and those buckets alone are sorted. Two branch-light
** passes instead of an eight-pass radix sort. */
int dist_quantiles_select(const double *x, size_t n, const double *p, size_t k, double *out) {
  size_t rank[16], bin[16], nr = 0;
  if (n == 0) return DIST_EEMPTY;
  if (k > 8) return DIST_ESIZE;
  for (size_t j = 0; j < k; j++) {
    if (!(p[j] >= 0 && p[j] <= 1)) return DIST_EPROB;
    size_t lo = (size_t)((double)(n - 1) * p[j]);
    if (lo > n - 1) lo = n - 1;
    rank[nr++] = lo;
    rank[nr++] = lo + 1 < n ? lo + 1 : lo;
  }
  uint32_t *count = scratch_new(65536, sizeof *count);
  unsigned char *slot = scratch_new(65536, 1);      /* bucket -> 1 + its buffer */
  if (!count || !slot) {
    scratch_free(count, 65536, sizeof *count);
    scratch_free(slot, 65536, 1);
    return DIST_ENOMEM;
  }
  memset(count, 0, 65536 * sizeof *count);
  memset(slot, 0, 65536);
  for (size_t i = 0; i < n; i++) count[sel_key(x[i]) >> 48]++;
  size_t start[16], nb = 0, bcount[16];
  size_t acc = 0, at = 0;                          /* count[0..at) sums to acc */
  for (size_t r = 0; r < nr; r++) {                /* the bucket of each rank */
    if (r > 0 && rank[r] < rank[r - 1]) acc = at = 0;   /* ascending p: one scan */
    while (acc + count[at] <= rank[r]) acc += count[at++];
    if (!slot[at]) { slot[at] = (unsigned char)(++nb); bcount[nb - 1] = count[at]; }
    bin[r] = slot[at] - 1u;
    start[r] = acc;
  }
  double *buf[16] = {0};
  size_t fill[16] = {0};
  int err = DIST_OK;
  for (size_t b = 0; b < nb; b++)
    if (!(buf[b] = scratch_new(bcount[b], sizeof(double)))) err = DIST_ENOMEM;
  if (!err) {
    for (size_t i = 0; i < n; i++) {
      unsigned s = slot[sel_key(x[i]) >> 48];
      if (s) buf[s - 1][fill[s - 1]++] = x[i];
    }
    for (size_t b = 0; b < nb && !err; b++) err = dist_sort(buf[b], bcount[b]);
  }
  if (!err)
    for (size_t j = 0; j < k; j++) {
      double h = (double)(n - 1) * p[j];
      size_t r0 = 2 * j, r1 = 2 * j + 1;
      double xl = buf[bin[r0]][rank[r0] - start[r0]];
      double xh = buf[bin[r1]][rank[r1] - start[r1]];
      out[j] = xl + (h - (double)rank[r0]) * (xh - xl);
    }
  for (size_t b = 0; b < nb; b++) scratch_free(buf[b], bcount[b], sizeof(double));
  scratch_free(count, 65536, sizeof *count);
  scratch_free(slot, 65536, 1);
  return err;
}
/* }====== */
