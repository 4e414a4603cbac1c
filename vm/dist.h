/*
** vm/dist.h
** Monte Carlo kernels in plain C (no Lua): filling sample arrays from
** distributions, summary statistics, sorting, rank correlation, Iman-Conover
** correlation induction, the Kolmogorov-Smirnov statistic and the CDFs the
** tests need.
**
** Conventions
** * Every function returns an int status: DIST_OK (0) or a negative DIST_E*
**   code; dist_strerror(code) gives a message for the user. Nothing aborts,
**   nothing prints. Outputs are written only on success (fills may have
**   written part of out before failing with DIST_ENOMEM; parameters are
**   always checked before any sample is drawn, so a parameter error leaves
**   out and the generator untouched).
** * Scratch memory comes from the budget Lua and GMP share (alloc.h), so
**   --max-memory counts it; when the budget refuses, the status is
**   DIST_ENOMEM and nothing leaks.
** * Sample arrays are (double *out, size_t n). n == 0 is allowed for fills
**   (nothing happens); statistics need n >= 1 (sd needs n >= 2).
** * Parameters must be finite (no NaN or inf) unless stated otherwise.
** * Determinism: the same seed and the same sequence of calls give the same
**   samples (see rng.h for the libm caveat on log/exp/sqrt).
** * NaN policy for data: dist_sort puts every NaN after +inf (they compare
**   as the largest value, all equal); quantiles therefore see NaN as the
**   largest values. mean/sd/min/max propagate NaN (min/max return NaN if any
**   element is NaN). Callers that want NaN rejected should test first with
**   dist_count_nan.
*/
#ifndef DEAL_DIST_H
#define DEAL_DIST_H

#include <stddef.h>
#include <stdint.h>
#include "rng.h"

/* Status codes (negative) and the z value of a 90% central interval. */
enum {
  DIST_OK = 0,
  DIST_ENONFINITE = -1,   /* a parameter is NaN or infinite */
  DIST_ESD = -2,          /* sd (or sigma, scale) must be positive */
  DIST_EBOUNDS = -3,      /* lower bound must be less than upper bound */
  DIST_EMODE = -4,        /* mode must lie within [a, b] */
  DIST_EPROB = -5,        /* probability must be in [0, 1] */
  DIST_ESHAPE = -6,       /* shape parameters must be positive */
  DIST_EWEIGHTS = -7,     /* weights must be non-negative and not all zero */
  DIST_EEMPTY = -8,       /* need at least one value / sample */
  DIST_ENOTPD = -9,       /* correlation matrix is not positive definite */
  DIST_ECORR = -10,       /* bad correlation matrix (not symmetric, diag != 1,
                             entries outside [-1,1]) */
  DIST_ENOMEM = -11,      /* out of memory */
  DIST_EPOSITIVE = -12,   /* lognormal bounds/mean must be positive */
  DIST_ETOOFEW = -13,     /* need at least two samples */
  DIST_ENULL = -14,       /* a required pointer is NULL */
  DIST_ELAMBDA = -15,     /* PERT lambda must be positive */
  DIST_EBINS = -16,       /* number of bins must be at least 1 */
  DIST_ESIZE = -17        /* size too large */
};

#define DIST_Z90 1.6448536269514722   /* Phi^-1(0.95) */

/* Message for a status code ("sd must be positive", ...); never NULL. */
const char *dist_strerror(int code);


/*
** {======================================================
** Parameter helpers
** =======================================================
*/

/* Normal (mu, sd) whose 5th and 95th percentiles are a and b (a < b):
** mu = (a+b)/2, sd = (b-a)/(2 z90). Squiggle's normal({p5, p95}). */
int dist_normal_from_ci90(double a, double b, double *mu, double *sd);

/* Lognormal (mu, sigma) of log(X) whose 5th and 95th percentiles are a and b
** (0 < a < b): Squiggle's `a to b`. mu = (ln a + ln b)/2,
** sigma = (ln b - ln a)/(2 z90). */
int dist_lognormal_from_ci90(double a, double b, double *mu, double *sigma);

/* Lognormal (mu, sigma) with the given mean and sd of X itself (mean > 0,
** sd > 0): sigma^2 = log1p((sd/mean)^2), mu = ln(mean) - sigma^2/2. */
int dist_lognormal_from_meansd(double mean, double sd, double *mu,
                               double *sigma);

/* }====================================================== */


/*
** {======================================================
** Fills: draw n samples into out[0..n-1] using generator r
** =======================================================
*/

/* Normal(mu, sd), sd > 0: mu + sd z with z from rng_normal, in order (so
** two fills of n1 and n2 equal one fill of n1+n2 from the same state). */
int dist_normal(deal_rng *r, double mu, double sd, double *out, size_t n);

/* Lognormal: exp(Normal(mu, sigma)), sigma > 0. mu/sigma are the parameters
** of log X (use the helpers above for 90% intervals or mean/sd). */
int dist_lognormal(deal_rng *r, double mu, double sigma, double *out,
                   size_t n);

/* Uniform on (a, b), a < b. */
int dist_uniform(deal_rng *r, double a, double b, double *out, size_t n);

/* Triangular(a, mode, b), a < b, a <= mode <= b, by inverting the CDF. */
int dist_triangular(deal_rng *r, double a, double mode, double b,
                    double *out, size_t n);

/* PERT(a, mode, b, lambda): a + (b-a) Beta(1 + lambda (mode-a)/(b-a),
** 1 + lambda (b-mode)/(b-a)). lambda = 4 is the classic PERT; it must be
** positive. */
int dist_pert(deal_rng *r, double a, double mode, double b, double lambda,
              double *out, size_t n);

/* Beta(alpha, beta), alpha > 0, beta > 0, as G1/(G1+G2) with two gammas
** (computed in log space when a shape is < 1 so tiny shapes do not give
** 0/0). */
int dist_beta(deal_rng *r, double alpha, double beta, double *out, size_t n);

/* Gamma(shape, scale) (mean shape*scale), both > 0, by Marsaglia-Tsang
** (2000); for shape < 1 it draws Gamma(shape+1) and multiplies by
** U^(1/shape). Very small shapes can give exact zeros (underflow). */
int dist_gamma(deal_rng *r, double shape, double scale, double *out,
               size_t n);

/* Bernoulli(p): 1.0 with probability p else 0.0, p in [0, 1]. */
int dist_bernoulli(deal_rng *r, double p, double *out, size_t n);

/* Discrete: values[j] with probability weights[j]/sum(weights), j < k.
** Weights finite, non-negative, not all zero; values may be anything.
** Walker/Vose alias method: O(k) setup (allocates), O(1) per sample. */
int dist_discrete(deal_rng *r, const double *weights, const double *values,
                  size_t k, double *out, size_t n);

/* The alias table of dist_discrete and dist_mixture, built once for many
** fills (the Monte Carlo engine fills chunk by chunk): weights as above;
** DIST_ENOMEM or a weight error leaves nothing to free. A fill from a table
** gives the same draws as dist_discrete/dist_mixture with those weights. */
typedef struct DistAlias {
  double *prob;
  size_t *alias;
  size_t k;
} DistAlias;
int dist_alias_new(DistAlias *t, const double *weights, size_t k);
void dist_alias_free(DistAlias *t);
void dist_alias_fill(deal_rng *r, const DistAlias *t, const double *values,
                     double *out, size_t n);
void dist_alias_mix(deal_rng *r, const DistAlias *t,
                    const double *const *comps, double *out, size_t n);
/* The chosen columns alone (k < 2^32), with the same draws. */
void dist_alias_index(deal_rng *r, const DistAlias *t, uint32_t *idx, size_t n);

/* Mixture: out[i] = comps[j][i] where component j is chosen per sample with
** probability weights[j]/sum(weights). comps holds k arrays of n samples
** each (already drawn, index-aligned). out may be one of comps (each index
** is read before it is written). */
int dist_mixture(deal_rng *r, const double *const *comps,
                 const double *weights, size_t k, double *out, size_t n);

/* Empirical resampling (bootstrap): out[i] = data[uniform index < m], m >= 1.
** Data values are copied as they are (NaN included). */
int dist_empirical(deal_rng *r, const double *data, size_t m, double *out,
                   size_t n);

/* }====================================================== */


/*
** {======================================================
** Statistics
** =======================================================
*/

/* Arithmetic mean (blocked pairwise summation: error O(log n) ulps). */
int dist_mean(const double *x, size_t n, double *mean);

/* Sample standard deviation (divisor n-1), two-pass; n >= 2. */
int dist_sd(const double *x, size_t n, double *sd);

/* Minimum and maximum (either pointer may be NULL). NaN if any x is NaN. */
int dist_minmax(const double *x, size_t n, double *min, double *max);

/* 1 when every element is a finite number (no NaN, no infinity): one
** cheap pass, for checking each new array of samples. */
int dist_allfinite(const double *x, size_t n);

/* Number of NaN elements (for callers that reject NaN before statistics). */
size_t dist_count_nan(const double *x, size_t n);

/* Sorts x ascending in place: LSD radix sort on the IEEE-754 bit pattern
** (O(n), allocates n doubles of scratch; insertion sort up to 64 elements).
** -0.0 sorts before +0.0; NaNs go last. DIST_ENOMEM if scratch fails (x is
** then unchanged). */
int dist_sort(double *x, size_t n);

/* Quantile p in [0,1] of an ascending sorted array, linear interpolation
** between order statistics (Hyndman-Fan type 7, R's default, numpy's
** 'linear'): h = (n-1)p, q = x[floor h] + (h - floor h)(x[floor h + 1] -
** x[floor h]). Sort once, then call this for as many p as needed. */
/* Type-7 quantiles of NaN-free x[0..n) for k <= 8 probabilities without a
** full sort (radix select: two passes, then only the buckets holding the
** wanted order statistics are sorted). Used when a value's sorted copy is
** not cached yet. */
int dist_quantiles_select(const double *x, size_t n, const double *p, size_t k, double *out);

int dist_quantile_sorted(const double *sorted, size_t n, double p,
                         double *q);

/* k quantiles ps[0..k-1] of unsorted x into qs: sorts one copy (x is not
** modified). */
int dist_quantiles(const double *x, size_t n, const double *ps, size_t k,
                   double *qs);

/* Probability estimate of a 0/1 array (fraction of x that are non-zero and
** not NaN) and its Monte Carlo standard error sqrt(p(1-p)/n). se may be
** NULL. */
int dist_prob(const double *x, size_t n, double *p, double *se);

/* Histogram: k >= 1 equal-width bins spanning [min(x), max(x)]; counts[j]
** gets the number of x in [lo + j w, lo + (j+1) w), the last bin closed
** (contains max). lo/hi receive min and max (may be NULL). If all x are
** equal everything goes in bin 0. NaN in x: DIST_ENONFINITE (bins would be
** meaningless); infinities likewise. */
int dist_histogram(const double *x, size_t n, size_t k, size_t *counts,
                   double *lo, double *hi);

/* Ranks 1..n of x into ranks (average rank for ties, as in Spearman). */
int dist_ranks(const double *x, size_t n, double *ranks);

/* Spearman rank correlation of x and y (Pearson correlation of the average
** ranks, so ties are handled exactly); n >= 2. NaN if a variable is
** constant. */
int dist_spearman(const double *x, const double *y, size_t n, double *rho);

/* Pearson correlation of x and y; n >= 2. NaN if a variable is constant. */
int dist_pearson(const double *x, const double *y, size_t n, double *r);

/* }====================================================== */


/*
** {======================================================
** Correlation induction (Iman & Conover, 1982)
** =======================================================
*/

/* Reorders cols[0..k-1] (each an array of n samples) in place so that their
** Spearman rank correlation approaches target (k x k, row-major, symmetric,
** unit diagonal, positive definite), while every column keeps exactly its
** values (a permutation, so marginals are unchanged). Uses van der Waerden
** scores Phi^-1(i/(n+1)), randomly permuted per column with r, corrected for
** their sample correlation and mapped through the Cholesky factor of the
** Pearson matrix 2 sin(pi rho/6) that gives the requested rank correlation
** for normal scores (falls back to target itself if that matrix is not PD).
** Errors: DIST_ECORR, DIST_ENOTPD, DIST_ENOMEM (columns untouched). Needs
** n >= 2 and k >= 1 (k == 1 does nothing). Memory: about (k+7) n words
** of 8 bytes, freed before returning; ~12 ms for k = 3, n = 100k. */
int dist_iman_conover(deal_rng *r, double *const *cols, size_t k, size_t n,
                      const double *target);

/* The two-variable case: reorders y (x is kept as it is) so that the rank
** correlation of (x, y) approaches rho in (-1, 1). */
int dist_iman_conover2(deal_rng *r, const double *x, double *y, size_t n,
                       double rho);

/* The Gaussian copula's factor for rank correlations target (k x k,
** checked as for Iman-Conover): the Cholesky factor L of the normal
** correlation 2 sin(pi rho / 6), which gives Spearman rho exactly for
** normal scores (the target itself when that is not positive definite).
** DIST_ECORR, DIST_ENONFINITE, DIST_ENOTPD, DIST_ENOMEM. */
int dist_copula_factor(const double *target, size_t k, double *l);

/* Cholesky factor L (lower, row-major k x k) of symmetric a = L L^T.
** DIST_ENOTPD if a pivot is not positive. */
int dist_cholesky(const double *a, size_t k, double *l);

/* }====================================================== */


/*
** {======================================================
** Special functions, CDFs and goodness of fit
** =======================================================
*/

/* Inverse standard normal CDF for p in (0,1): Acklam's rational
** approximation refined by one Halley step with erfc (~1e-15 relative).
** Returns -inf/+inf for p = 0/1 and NaN outside [0,1]. */
double dist_norm_inv(double p);

/* Standard normal CDF, accurate in both tails (via erfc). */
double dist_norm_cdf(double x);

/* Regularized lower incomplete gamma P(a, x), a > 0, x >= 0 (series for
** x < a+1, Lentz continued fraction otherwise; ~1e-14). NaN if invalid. */
double dist_gamma_p(double a, double x);
/* Its complement Q(a, x) = 1 - P(a, x), accurate in the upper tail. */
double dist_gamma_q(double a, double x);

/* Regularized incomplete beta I_x(a, b), a, b > 0, 0 <= x <= 1 (continued
** fraction with the symmetry switch; ~1e-14). NaN if invalid. */
double dist_beta_i(double a, double b, double x);

/* Inverse CDFs (quantile functions) of Gamma(shape, 1) and Beta(a, b) at
** probability u, given also q = 1 - u computed without cancellation, so
** both tails keep their precision. Newton steps inside a bracket (relative
** error ~1e-14); each costs an incomplete gamma or beta, so these are for
** the Gaussian copula of correlate, not for plain sampling. */
double dist_gamma_inv(double shape, double u, double q);
double dist_beta_inv(double a, double b, double u, double q);

#ifdef DEAL_TEST_HOOKS  /* only the tests use these: deal-test, tests/mc */

/* A CDF with its parameters, for dist_ks. */
typedef double (*dist_cdf_fn)(double x, const double *params);

/* CDFs in the dist_cdf_fn shape; params as listed. */
double dist_cdf_normal(double x, const double *p);     /* mu, sd */
double dist_cdf_lognormal(double x, const double *p);  /* mu, sigma */
double dist_cdf_uniform(double x, const double *p);    /* a, b */
double dist_cdf_gamma(double x, const double *p);      /* shape, scale */
double dist_cdf_beta(double x, const double *p);       /* alpha, beta */
double dist_cdf_triangular(double x, const double *p); /* a, mode, b */
/* PERT(a, mode, b, lambda) through the beta CDF. */
double dist_cdf_pert(double x, const double *p);

/* Kolmogorov-Smirnov statistic D = sup |F_n(x) - F(x)| of sample x against
** cdf(., params) (sorts a copy). D sqrt(n) above ~1.36 (1.63) rejects at
** 5% (1%). */
int dist_ks(const double *x, size_t n, dist_cdf_fn cdf, const double *params,
            double *d);
#endif

/* }====================================================== */

#endif
