/*
** tests/mc/test_dist.c
** Unit tests of vm/rng.c and vm/dist.c. One TAP line per check
** ("ok - name" / "not ok - name # detail"); timings as "# " comments.
** Statistical checks use the fixed seed, so they are deterministic: a
** tolerance of 4 standard errors (or D sqrt(n) < 1.63, the 1% KS level)
** was chosen once and the outcome never changes from run to run.
*/

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../vm/dist.h"
#include "../../vm/rng.h"

#define N 100000   /* samples per distribution check */

static int nfail = 0, ntests = 0;


static void check (int ok, const char *name, const char *fmt, ...) {
  ntests++;
  if (ok) printf("ok - %s\n", name);
  else {
    va_list ap;
    nfail++;
    printf("not ok - %s", name);
    if (fmt) {
      printf(" # ");
      va_start(ap, fmt);
      vprintf(fmt, ap);
      va_end(ap);
    }
    printf("\n");
  }
}


static double now (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}


static double *xmalloc (size_t n) {
  double *p = malloc(n * sizeof(double));
  if (!p) {
    printf("Bail out! out of memory\n");
    exit(0);
  }
  return p;
}


/* Central fourth moment (for the standard error of the sample sd). */
static double m4 (const double *x, size_t n, double m) {
  double s = 0;
  size_t i;
  for (i = 0; i < n; i++) {
    double d = (x[i] - m) * (x[i] - m);
    s += d * d;
  }
  return s / (double)n;
}


/*
** Moments, three quantiles and KS for one continuous distribution:
** x holds N samples; mean/sd are the exact values; cdf/params the exact CDF.
*/
static void check_continuous (const char *name, double *x, double mean,
                              double sd, dist_cdf_fn cdf, const double *par) {
  char buf[128];
  double m, s, k4, se_sd, d, *c;
  static const double ps[3] = {0.05, 0.5, 0.95};
  int i;
  size_t n = N;
  dist_mean(x, n, &m);
  dist_sd(x, n, &s);
  snprintf(buf, sizeof buf, "%s mean", name);
  check(fabs(m - mean) < 4 * sd / sqrt((double)n), buf,
        "got %.6g want %.6g (se %.3g)", m, mean, sd / sqrt((double)n));
  k4 = m4(x, n, m);
  se_sd = sqrt((k4 - s * s * s * s) / (double)n) / (2 * s);
  snprintf(buf, sizeof buf, "%s sd", name);
  check(fabs(s - sd) < 4 * se_sd, buf, "got %.6g want %.6g (se %.3g)", s, sd,
        se_sd);
  c = xmalloc(n);
  memcpy(c, x, n * sizeof(double));
  dist_sort(c, n);
  for (i = 0; i < 3; i++) {
    double q, f, se = sqrt(ps[i] * (1 - ps[i]) / (double)n);
    dist_quantile_sorted(c, n, ps[i], &q);
    f = cdf(q, par);
    snprintf(buf, sizeof buf, "%s p%g", name, ps[i] * 100);
    check(fabs(f - ps[i]) < 4 * se + 1.0 / (double)n, buf,
          "F(q)=%.6g want %.6g (se %.3g)", f, ps[i], se);
  }
  free(c);
  dist_ks(x, n, cdf, par, &d);
  snprintf(buf, sizeof buf, "%s KS", name);
  check(d * sqrt((double)n) < 1.63, buf, "D sqrt(n) = %.4f", d * sqrt((double)n));
}


/* ---------- generator ---------- */

static void test_rng (void) {
  deal_rng r, r2;
  uint64_t a[3];
  double u[2], z[3], f1[7], f2[7];
  int i, okr = 1, ok;
  /* algorithm check against the published definitions */
  r.s[0] = 1; r.s[1] = 2; r.s[2] = 3; r.s[3] = 4;
  a[0] = rng_next(&r);
  a[1] = rng_next(&r);
  a[2] = rng_next(&r);
  check(a[0] == 11520u && a[1] == 0 && a[2] == 1509978240u &&
        rng_next(&r) == UINT64_C(1215971899390074240),
        "rng xoshiro256** reference outputs", NULL);
  rng_seed(&r, 0);
  check(r.s[0] == UINT64_C(0xe220a8397b1dcdaf), "rng splitmix64 seeding",
        "s0 = %016llx", (unsigned long long)r.s[0]);
  /* golden numbers for DEAL_DEFAULT_SEED: they must never change (checked
  ** against an independent Python transcription; z[2] takes the ziggurat's
  ** wedge path, which calls exp) */
  rng_seed(&r, DEAL_DEFAULT_SEED);
  for (i = 0; i < 3; i++) a[i] = rng_next(&r);
  check(a[0] == UINT64_C(0x57e28e0407eb6ade) &&
        a[1] == UINT64_C(0xae12aadc7d2056a3) &&
        a[2] == UINT64_C(0x007b518906d1df4f), "rng golden rng_next",
        "%016llx %016llx %016llx", (unsigned long long)a[0],
        (unsigned long long)a[1], (unsigned long long)a[2]);
  rng_seed(&r, DEAL_DEFAULT_SEED);
  u[0] = rng_uniform(&r);
  u[1] = rng_uniform(&r);
  check(u[0] == 0x1.5f8a38101fadap-2 && u[1] == 0x1.5c2555b8fa40ap-1,
        "rng golden uniform", "%a %a", u[0], u[1]);
  rng_seed(&r, DEAL_DEFAULT_SEED);
  for (i = 0; i < 3; i++) z[i] = rng_normal(&r);
  check(z[0] == -0x1.68086dd816d66p-2 && z[1] == 0x1.6b12d9dd57501p-1 &&
        z[2] == 0x1.5aa0fd3e8ac04p+1, "rng golden normal", "%a %a %a",
        z[0], z[1], z[2]);
  /* same seed, same stream; different seed, different stream */
  rng_seed(&r, 42);
  rng_seed(&r2, 42);
  for (i = 0; i < 1000; i++) okr &= (rng_next(&r) == rng_next(&r2));
  check(okr, "rng same seed same stream", NULL);
  rng_seed(&r2, 43);
  check(rng_next(&r) != rng_next(&r2), "rng different seed differs", NULL);
  /* jump: a copy jumped ahead shares no prefix */
  rng_seed(&r, 7);
  r2 = r;
  rng_jump(&r2);
  ok = 1;
  for (i = 0; i < 1000; i++) ok &= (rng_next(&r) != rng_next(&r2));
  check(ok, "rng jump gives a different stream", NULL);
  rng_seed(&r, 7);
  r2 = r;
  rng_jump(&r);
  rng_jump(&r2);
  check(rng_next(&r) == rng_next(&r2), "rng jump deterministic", NULL);
  rng_long_jump(&r2);
  check(rng_next(&r) != rng_next(&r2), "rng long jump", NULL);
  /* uniform bounds: never 0 or 1 (and 2^-53 granularity) */
  rng_seed(&r, 1);
  ok = 1;
  for (i = 0; i < 1000000; i++) {
    double v = rng_uniform(&r);
    ok &= (v > 0 && v < 1 && v * 0x1p53 == floor(v * 0x1p53));
  }
  check(ok, "rng uniform in (0,1) on the 2^-53 grid", NULL);
  /* bounded: range and rough uniformity over 7 cells */
  {
    size_t cnt[7] = {0};
    double chi = 0;
    rng_seed(&r, 3);
    for (i = 0; i < 700000; i++) cnt[rng_bounded(&r, 7)]++;
    for (i = 0; i < 7; i++)
      chi += (cnt[i] - 1e5) * (cnt[i] - 1e5) / 1e5;
    check(chi < 22.46, "rng bounded uniform (chi2, 6 df, 0.1%)",
          "chi2 = %.2f", chi);
    check(rng_bounded(&r, 1) == 0 && rng_bounded(&r, 0) == 0,
          "rng bounded n=1 and n=0", NULL);
  }
  /* normal stream does not depend on how fills are split */
  rng_seed(&r, 9);
  rng_seed(&r2, 9);
  dist_normal(&r, 0, 1, f1, 3);
  dist_normal(&r, 0, 1, f1 + 3, 4);
  dist_normal(&r2, 0, 1, f2, 7);
  check(memcmp(f1, f2, sizeof f1) == 0, "normal fill split invariant", NULL);
  rng_seed(&r, 9);
  ok = 1;
  for (i = 0; i < 7; i++) ok &= (rng_normal(&r) == f2[i]);
  check(ok, "normal fill equals rng_normal stream", NULL);
  /* ziggurat: the wedges and the tail beyond R = 3.4426 (rare paths) */
  {
    size_t n = 10000000, i2, c3 = 0, cr = 0, c4 = 0, neg = 0;
    double *x = malloc(n * sizeof(double)), d, m4s = 0;
    double pr = 2 * dist_norm_cdf(-3.442619855899), p4 = 2 * dist_norm_cdf(-4);
    double p3 = 2 * dist_norm_cdf(-3);
    if (!x) return;
    rng_seed(&r, 11);
    dist_normal(&r, 0, 1, x, n);
    for (i2 = 0; i2 < n; i2++) {
      double a2 = fabs(x[i2]);
      c3 += a2 > 3;
      cr += a2 > 3.442619855899;
      c4 += a2 > 4;
      neg += x[i2] < -3.442619855899;
      m4s += x[i2] * x[i2] * x[i2] * x[i2];
    }
    check(fabs((double)c3 / n - p3) < 4 * sqrt(p3 / n), "normal P(|z|>3)",
          "%g vs %g", (double)c3 / n, p3);
    check(fabs((double)cr / n - pr) < 4 * sqrt(pr / n),
          "normal P(|z|>R) ziggurat tail", "%g vs %g", (double)cr / n, pr);
    check(fabs((double)c4 / n - p4) < 4 * sqrt(p4 / n), "normal P(|z|>4)",
          "%g vs %g", (double)c4 / n, p4);
    check(fabs((double)neg - cr / 2.0) < 4 * sqrt(cr / 4.0),
          "normal tail symmetric", "%zu of %zu", neg, cr);
    check(fabs(m4s / n - 3) < 4 * sqrt(96.0 / n), "normal fourth moment 3",
          "%g", m4s / n);
    dist_ks(x, n, dist_cdf_normal, (const double[]){0, 1}, &d);
    check(d * sqrt((double)n) < 1.63, "normal KS at 10M",
          "D sqrt(n) = %.4f", d * sqrt((double)n));
    free(x);
  }
}


/* ---------- distributions ---------- */

static void test_dists (void) {
  deal_rng r;
  double *x = xmalloc(N), par[4], mu, sd, sig;
  rng_seed(&r, DEAL_DEFAULT_SEED);

  dist_normal(&r, 3, 2, x, N);
  par[0] = 3; par[1] = 2;
  check_continuous("normal", x, 3, 2, dist_cdf_normal, par);

  dist_normal_from_ci90(10, 20, &mu, &sd);
  check(fabs(mu - 15) < 1e-12 && fabs(sd - 5 / DIST_Z90) < 1e-12,
        "normal from ci90", NULL);
  check(fabs(dist_norm_cdf((20 - mu) / sd) - 0.95) < 1e-12,
        "normal from ci90 p95", NULL);

  dist_lognormal_from_ci90(20000, 40000, &mu, &sig);
  check(fabs(exp(mu + DIST_Z90 * sig) - 40000) < 1e-6 &&
        fabs(exp(mu - DIST_Z90 * sig) - 20000) < 1e-6,
        "lognormal from ci90", NULL);
  dist_lognormal(&r, mu, sig, x, N);
  par[0] = mu; par[1] = sig;
  check_continuous("lognormal", x, exp(mu + sig * sig / 2),
                   exp(mu + sig * sig / 2) * sqrt(expm1(sig * sig)),
                   dist_cdf_lognormal, par);

  dist_lognormal_from_meansd(100, 30, &mu, &sig);
  check(fabs(exp(mu + sig * sig / 2) - 100) < 1e-9 &&
        fabs(100 * sqrt(expm1(sig * sig)) - 30) < 1e-9,
        "lognormal from mean/sd", NULL);
  dist_lognormal(&r, mu, sig, x, N);
  par[0] = mu; par[1] = sig;
  check_continuous("lognormal(mean 100, sd 30)", x, 100, 30,
                   dist_cdf_lognormal, par);

  dist_uniform(&r, -1, 3, x, N);
  par[0] = -1; par[1] = 3;
  check_continuous("uniform", x, 1, 4 / sqrt(12.0), dist_cdf_uniform, par);

  dist_triangular(&r, 0, 2, 10, x, N);
  par[0] = 0; par[1] = 2; par[2] = 10;
  check_continuous("triangular", x, 4, sqrt((0 + 100 + 4 - 0 - 0 - 20) / 18.0),
                   dist_cdf_triangular, par);

  {
    double a = 1 + 4 * 2 / 10.0, b = 1 + 4 * 8 / 10.0;
    dist_pert(&r, 0, 2, 10, 4, x, N);
    par[0] = 0; par[1] = 2; par[2] = 10; par[3] = 4;
    check_continuous("pert", x, (0 + 8 + 10) / 6.0,
                     10 * sqrt(a * b / ((a + b) * (a + b) * (a + b + 1))),
                     dist_cdf_pert, par);
  }

  dist_beta(&r, 2, 5, x, N);
  par[0] = 2; par[1] = 5;
  check_continuous("beta(2,5)", x, 2 / 7.0, sqrt(10 / (49.0 * 8)),
                   dist_cdf_beta, par);

  dist_beta(&r, 0.5, 0.5, x, N);
  par[0] = 0.5; par[1] = 0.5;
  check_continuous("beta(0.5,0.5)", x, 0.5, sqrt(0.25 / 2), dist_cdf_beta,
                   par);

  dist_gamma(&r, 2.5, 3, x, N);
  par[0] = 2.5; par[1] = 3;
  check_continuous("gamma(2.5,3)", x, 7.5, sqrt(2.5) * 3, dist_cdf_gamma, par);

  dist_gamma(&r, 0.3, 2, x, N);
  par[0] = 0.3; par[1] = 2;
  check_continuous("gamma(0.3,2)", x, 0.6, sqrt(0.3) * 2, dist_cdf_gamma, par);

  {  /* tiny beta shapes: no NaN, values in [0,1] */
    size_t i;
    int ok = 1;
    dist_beta(&r, 0.01, 0.02, x, 1000);
    for (i = 0; i < 1000; i++) ok &= (x[i] >= 0 && x[i] <= 1);
    check(ok, "beta tiny shapes in [0,1], no NaN", NULL);
  }

  {  /* bernoulli */
    double p, se, m;
    dist_bernoulli(&r, 0.3, x, N);
    dist_prob(x, N, &p, &se);
    check(fabs(p - 0.3) < 4 * sqrt(0.21 / N), "bernoulli p", "p = %g", p);
    check(fabs(se - sqrt(p * (1 - p) / N)) < 1e-15, "prob standard error",
          NULL);
    dist_mean(x, N, &m);
    check(m == p, "bernoulli values are 0/1", NULL);
    dist_bernoulli(&r, 0, x, 1000);
    dist_prob(x, 1000, &p, NULL);
    dist_bernoulli(&r, 1, x + 1000, 1000);
    dist_prob(x + 1000, 1000, &m, NULL);
    check(p == 0 && m == 1, "bernoulli p=0 and p=1 exact", NULL);
  }

  {  /* discrete */
    double w[3] = {1, 2, 7}, v[3] = {10, 20, 30}, m;
    size_t i, c[3] = {0, 0, 0};
    int ok = 1;
    dist_discrete(&r, w, v, 3, x, N);
    for (i = 0; i < N; i++) c[(size_t)(x[i] / 10) - 1]++;
    for (i = 0; i < 3; i++) {
      double p = w[i] / 10, ph = (double)c[i] / N;
      ok &= fabs(ph - p) < 4 * sqrt(p * (1 - p) / N);
    }
    check(ok, "discrete frequencies", "%zu %zu %zu", c[0], c[1], c[2]);
    dist_mean(x, N, &m);
    check(fabs(m - 26) < 4 * sqrt(0.1 * 256 + 0.2 * 36 + 0.7 * 16) / sqrt(N),
          "discrete mean", "m = %g", m);
  }

  {  /* mixture of N(0,1) and N(10,1) with weights 1:3 */
    double *a = xmalloc(N), *b = xmalloc(N), w[2] = {1, 3}, m, s;
    const double *cs[2];
    size_t i;
    int ok = 1;
    dist_normal(&r, 0, 1, a, N);
    dist_normal(&r, 10, 1, b, N);
    cs[0] = a; cs[1] = b;
    dist_mixture(&r, cs, w, 2, x, N);
    for (i = 0; i < N; i++) ok &= (x[i] == a[i] || x[i] == b[i]);
    check(ok, "mixture takes component sample at same index", NULL);
    dist_mean(x, N, &m);
    dist_sd(x, N, &s);
    check(fabs(m - 7.5) < 4 * sqrt(19.75 / N), "mixture mean", "m = %g", m);
    check(fabs(s - sqrt(19.75)) < 0.05, "mixture sd", "s = %g", s);
    dist_mixture(&r, cs, w, 2, a, N);  /* out aliases a component */
    ok = 1;
    for (i = 0; i < N; i++) ok &= (a[i] == b[i] || fabs(a[i]) < 10);
    check(ok, "mixture output may alias a component", NULL);
    free(a);
    free(b);
  }

  {  /* empirical */
    double data[5] = {1, 2, 3, 4, 100}, m;
    size_t i, c100 = 0;
    int ok = 1;
    dist_empirical(&r, data, 5, x, N);
    for (i = 0; i < N; i++) {
      ok &= (x[i] == 1 || x[i] == 2 || x[i] == 3 || x[i] == 4 ||
             x[i] == 100);
      c100 += (x[i] == 100);
    }
    check(ok, "empirical draws only data values", NULL);
    check(fabs((double)c100 / N - 0.2) < 4 * sqrt(0.16 / N),
          "empirical frequencies", NULL);
    dist_mean(x, N, &m);
    check(fabs(m - 22) < 4 * sqrt((441 + 400 + 361 + 324 + 78 * 78) / 5.0 / N),
          "empirical mean", "m = %g", m);
  }
  free(x);
}


/* ---------- statistics ---------- */

static int cmpd (const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}


static void test_stats (void) {
  double v[4] = {1, 2, 3, 4}, q, m, s, lo, hi;
  double ps[3] = {0, 0.25, 1}, qs[3];
  size_t cnt[4];
  deal_rng r;
  dist_quantile_sorted(v, 4, 0.5, &q);
  check(q == 2.5, "quantile type 7 median", "q = %g", q);
  dist_quantile_sorted(v, 4, 0.25, &q);
  check(q == 1.75, "quantile type 7 p25", "q = %g", q);
  {
    double u[4] = {4, 1, 3, 2};
    dist_quantiles(u, 4, ps, 3, qs);
    check(qs[0] == 1 && qs[1] == 1.75 && qs[2] == 4 && u[0] == 4,
          "quantiles of unsorted copy", NULL);
  }
  dist_mean(v, 4, &m);
  dist_sd(v, 4, &s);
  check(m == 2.5 && fabs(s - sqrt(5 / 3.0)) < 1e-15, "mean and sample sd",
        NULL);
  dist_minmax(v, 4, &lo, &hi);
  check(lo == 1 && hi == 4, "min max", NULL);
  {
    double h[6] = {0, 1, 2, 3, 3.5, 4};
    dist_histogram(h, 6, 4, cnt, &lo, &hi);
    check(cnt[0] == 1 && cnt[1] == 1 && cnt[2] == 1 && cnt[3] == 3 &&
          lo == 0 && hi == 4, "histogram", "%zu %zu %zu %zu", cnt[0], cnt[1],
          cnt[2], cnt[3]);
  }
  {  /* ranks with ties, spearman */
    double a[4] = {10, 20, 20, 30}, rk[4], b[5] = {1, 2, 3, 4, 5};
    double c[5] = {5, 6, 7, 8, 7}, rho;
    dist_ranks(a, 4, rk);
    check(rk[0] == 1 && rk[1] == 2.5 && rk[2] == 2.5 && rk[3] == 4,
          "ranks average ties", NULL);
    dist_spearman(b, c, 5, &rho);
    /* ranks of c: 1 2 3.5 5 3.5; Pearson with 1..5 */
    check(fabs(rho - 0.8207826816681233) < 1e-12, "spearman with ties",
          "rho = %.16g", rho);
  }
  {  /* sort: NaN last, -0 before +0, agrees with qsort */
    double t[8] = {3, NAN, -0.0, 0.0, -INFINITY, INFINITY, -2, 1e-310};
    int ok;
    dist_sort(t, 8);
    ok = t[0] == -INFINITY && t[1] == -2 && signbit(t[2]) && t[3] == 0 &&
         !signbit(t[3]) && t[4] == 1e-310 && t[5] == 3 && t[6] == INFINITY &&
         isnan(t[7]);
    check(ok, "sort special values (NaN last)", NULL);
  }
  {
    size_t n = 1000000, i;
    double *a = xmalloc(n), *b = xmalloc(n);
    rng_seed(&r, 5);
    dist_normal(&r, 0, 1e6, a, n);
    for (i = 0; i < n; i += 10) a[i] = floor(a[i]);  /* some ties */
    memcpy(b, a, n * sizeof(double));
    dist_sort(a, n);
    qsort(b, n, sizeof(double), cmpd);
    check(memcmp(a, b, n * sizeof(double)) == 0, "radix sort equals qsort 1M",
          NULL);
    free(a);
    free(b);
  }
  {  /* special functions */
    check(fabs(dist_norm_inv(0.975) - 1.959963984540054) < 1e-14,
          "norm_inv(0.975)", "%.17g", dist_norm_inv(0.975));
    check(fabs(dist_norm_inv(1e-10) / -6.361340902404056 - 1) < 1e-14,
          "norm_inv(1e-10)", "%.17g", dist_norm_inv(1e-10));
    check(dist_norm_inv(0.25) == -dist_norm_inv(0.75), "norm_inv symmetric",
          NULL);
    check(fabs(dist_norm_inv(0.95) - DIST_Z90) < 1e-15, "norm_inv(0.95)=z90",
          NULL);
    check(fabs(dist_gamma_p(1, 2) - (1 - exp(-2))) < 1e-14 &&
          fabs(dist_gamma_p(3, 10) - (1 - exp(-10) * (1 + 10 + 50))) < 1e-14,
          "incomplete gamma", NULL);
    check(fabs(dist_beta_i(2, 3, 0.4) - 0.5248) < 1e-14 &&
          fabs(dist_beta_i(1, 1, 0.3) - 0.3) < 1e-14 &&
          fabs(dist_beta_i(3, 2, 0.6) - (1 - 0.5248)) < 1e-14,
          "incomplete beta", NULL);
  }
}


/* ---------- correlation ---------- */

static int same_sorted (const double *a, const double *b, size_t n) {
  double *x = xmalloc(n), *y = xmalloc(n);
  int ok;
  memcpy(x, a, n * sizeof(double));
  memcpy(y, b, n * sizeof(double));
  dist_sort(x, n);
  dist_sort(y, n);
  ok = memcmp(x, y, n * sizeof(double)) == 0;
  free(x);
  free(y);
  return ok;
}


static void test_corr (void) {
  deal_rng r;
  size_t n = N;
  double *x = xmalloc(n), *y = xmalloc(n), *z = xmalloc(n);
  double *x0 = xmalloc(n), *y0 = xmalloc(n), *z0 = xmalloc(n), rho, mu, sg;
  double *cols[3];
  double c3[9] = {1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1};
  double bad[9] = {1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1};
  double asym[4] = {1, 0.5, 0.4, 1};
  int st;
  rng_seed(&r, DEAL_DEFAULT_SEED);
  dist_lognormal_from_ci90(1, 10, &mu, &sg);
  dist_lognormal(&r, mu, sg, x, n);
  dist_gamma(&r, 2, 1, y, n);
  memcpy(x0, x, n * sizeof(double));
  memcpy(y0, y, n * sizeof(double));
  dist_spearman(x, y, n, &rho);
  check(fabs(rho) < 0.02, "independent samples have rho ~ 0", "%g", rho);
  st = dist_iman_conover2(&r, x, y, n, 0.7);
  dist_spearman(x, y, n, &rho);
  check(st == 0 && fabs(rho - 0.7) < 0.02, "iman-conover 2 vars rho 0.7",
        "rho = %.4f", rho);
  printf("# iman-conover 2 vars: target 0.7 got %.4f\n", rho);
  check(memcmp(x, x0, n * sizeof(double)) == 0, "iman-conover x untouched",
        NULL);
  check(same_sorted(y, y0, n), "iman-conover y marginal unchanged", NULL);
  st = dist_iman_conover2(&r, x, y, n, -0.5);
  dist_spearman(x, y, n, &rho);
  check(st == 0 && fabs(rho + 0.5) < 0.02, "iman-conover 2 vars rho -0.5",
        "rho = %.4f", rho);

  dist_beta(&r, 2, 3, z, n);
  memcpy(z0, z, n * sizeof(double));
  cols[0] = x; cols[1] = y; cols[2] = z;
  st = dist_iman_conover(&r, cols, 3, n, c3);
  check(st == 0, "iman-conover 3 vars status", "%s", dist_strerror(st));
  {
    double rxy, rxz, ryz;
    dist_spearman(x, y, n, &rxy);
    dist_spearman(x, z, n, &rxz);
    dist_spearman(y, z, n, &ryz);
    check(fabs(rxy - 0.6) < 0.02 && fabs(rxz + 0.3) < 0.02 &&
          fabs(ryz - 0.2) < 0.02, "iman-conover 3 vars targets",
          "%.4f %.4f %.4f", rxy, rxz, ryz);
    printf("# iman-conover 3 vars: targets 0.6 -0.3 0.2 got %.4f %.4f %.4f\n",
           rxy, rxz, ryz);
  }
  check(same_sorted(x, x0, n) && same_sorted(y, y0, n) &&
        same_sorted(z, z0, n), "iman-conover 3 vars marginals unchanged",
        NULL);
  memcpy(y0, y, n * sizeof(double));
  st = dist_iman_conover(&r, cols, 3, n, bad);
  check(st == DIST_ENOTPD &&
        strcmp(dist_strerror(st),
               "correlation matrix is not positive definite") == 0,
        "iman-conover not PD error", "st = %d", st);
  check(memcmp(y, y0, n * sizeof(double)) == 0,
        "iman-conover error leaves columns", NULL);
  check(dist_iman_conover(&r, cols, 2, n, asym) == DIST_ECORR,
        "iman-conover asymmetric error", NULL);
  {
    double t0 = now();
    dist_iman_conover(&r, cols, 3, n, c3);
    printf("# iman-conover 3 x 100k: %.1f ms\n", (now() - t0) * 1e3);
  }
  free(x); free(y); free(z); free(x0); free(y0); free(z0);
}


/* ---------- errors ---------- */

static void test_errors (void) {
  deal_rng r, r0;
  double out[4] = {7, 7, 7, 7}, mu, sd, w[2] = {-1, 2}, w0[2] = {0, 0};
  double v[2] = {1, 2}, c1[1] = {1};
  double *cols[1];
  rng_seed(&r, 1);
  r0 = r;
  check(dist_normal(&r, 0, -1, out, 4) == DIST_ESD &&
        strcmp(dist_strerror(DIST_ESD), "sd must be positive") == 0,
        "error normal negative sd", NULL);
  check(dist_normal(&r, 0, 0, out, 4) == DIST_ESD, "error normal sd 0", NULL);
  check(dist_normal(&r, NAN, 1, out, 4) == DIST_ENONFINITE,
        "error normal NaN mu", NULL);
  check(dist_lognormal(&r, 0, INFINITY, out, 4) == DIST_ENONFINITE,
        "error lognormal inf sigma", NULL);
  check(memcmp(&r, &r0, sizeof r) == 0 && out[0] == 7,
        "errors leave rng and output untouched", NULL);
  check(dist_uniform(&r, 2, 1, out, 4) == DIST_EBOUNDS, "error uniform a>b",
        NULL);
  check(dist_triangular(&r, 0, 5, 1, out, 4) == DIST_EMODE,
        "error triangular mode outside", NULL);
  check(dist_pert(&r, 0, 0.5, 1, 0, out, 4) == DIST_ELAMBDA,
        "error pert lambda", NULL);
  check(dist_bernoulli(&r, 1.5, out, 4) == DIST_EPROB &&
        dist_bernoulli(&r, -0.1, out, 4) == DIST_EPROB,
        "error bernoulli p outside [0,1]", NULL);
  check(dist_beta(&r, 0, 1, out, 4) == DIST_ESHAPE, "error beta shape", NULL);
  check(dist_gamma(&r, -1, 1, out, 4) == DIST_ESHAPE &&
        dist_gamma(&r, 1, 0, out, 4) == DIST_ESD, "error gamma params", NULL);
  check(dist_discrete(&r, w, v, 2, out, 4) == DIST_EWEIGHTS &&
        dist_discrete(&r, w0, v, 2, out, 4) == DIST_EWEIGHTS &&
        strcmp(dist_strerror(DIST_EWEIGHTS),
               "weights must be non-negative and not all zero") == 0,
        "error discrete weights", NULL);
  check(dist_empirical(&r, v, 0, out, 4) == DIST_EEMPTY,
        "error empirical empty", NULL);
  check(dist_lognormal_from_ci90(-1, 2, &mu, &sd) == DIST_EPOSITIVE &&
        dist_lognormal_from_ci90(3, 2, &mu, &sd) == DIST_EBOUNDS,
        "error lognormal ci90", NULL);
  check(dist_normal_from_ci90(3, 3, &mu, &sd) == DIST_EBOUNDS,
        "error normal ci90", NULL);
  check(dist_quantile_sorted(v, 2, 1.5, &mu) == DIST_EPROB &&
        dist_quantile_sorted(v, 0, 0.5, &mu) == DIST_EEMPTY,
        "error quantile", NULL);
  check(dist_sd(v, 1, &sd) == DIST_ETOOFEW, "error sd of one sample", NULL);
  check(dist_histogram(v, 2, 0, NULL, NULL, NULL) == DIST_ENULL,
        "error histogram", NULL);
  cols[0] = out;
  check(dist_iman_conover(&r, cols, 1, 4, c1) == DIST_OK &&
        dist_iman_conover2(&r, v, out, 2, 1.0) == DIST_ENOTPD,
        "iman-conover k=1 ok, rho=1 not PD", NULL);
  check(strcmp(dist_strerror(-999), "unknown distribution error") == 0 &&
        dist_strerror(DIST_OK) != NULL, "strerror total", NULL);
}


/* ---------- reference model and speed ---------- */

static void test_reference (void) {
  size_t n = 1000000, i;
  double *chip = xmalloc(n), *ovh = xmalloc(n), *units, *ind = ovh;
  double mu1, s1, mu2, s2, p, se, mean, q[3], ps[3] = {0.05, 0.5, 0.95};
  double t0, t1, sdu, mu, su;
  static const double want_q[3] = {330970, 485363, 711777};
  deal_rng r;
  int i3;
  t0 = now();
  rng_seed(&r, DEAL_DEFAULT_SEED);
  dist_lognormal_from_ci90(20000, 40000, &mu1, &s1);
  dist_lognormal_from_ci90(1.3, 1.8, &mu2, &s2);
  dist_lognormal(&r, mu1, s1, chip, n);
  dist_lognormal(&r, mu2, s2, ovh, n);
  units = chip;
  for (i = 0; i < n; i++) units[i] = 21e9 / (chip[i] * ovh[i]);
  for (i = 0; i < n; i++) ind[i] = units[i] >= 1e6 ? 1.0 : 0.0;
  dist_prob(ind, n, &p, &se);
  dist_mean(units, n, &mean);
  dist_sd(units, n, &sdu);
  dist_quantiles(units, n, ps, 3, q);
  t1 = now();
  printf("# reference model 1M: %.1f ms (P=%.6f+-%.6f mean=%.1f p5=%.0f "
         "p50=%.0f p95=%.0f)\n", (t1 - t0) * 1e3, p, se, mean, q[0], q[1],
         q[2]);
  check(fabs(p - 0.00094979) < 4 * sqrt(0.00094979 * (1 - 0.00094979) / n),
        "reference P(units >= 1e6)", "p = %.6f", p);
  check(fabs(mean - 498691) < 4 * sdu / sqrt((double)n), "reference mean",
        "mean = %.1f", mean);
  /* units is exactly lognormal: log units ~ N(mu, su) */
  mu = log(21e9) - mu1 - mu2;
  su = sqrt(s1 * s1 + s2 * s2);
  for (i3 = 0; i3 < 3; i3++) {
    double x = want_q[i3];
    double f = exp(-0.5 * pow((log(x) - mu) / su, 2)) /
               (x * su * sqrt(2 * 3.141592653589793));
    double seq = sqrt(ps[i3] * (1 - ps[i3]) / n) / f;
    char name[64];
    snprintf(name, sizeof name, "reference p%g", ps[i3] * 100);
    check(fabs(q[i3] - x) < 4 * seq + 0.5, name, "got %.1f want %.0f (se %.1f)",
          q[i3], x, seq);
  }
  free(chip);
  free(ovh);
}


static void bench (void) {
  deal_rng r;
  size_t n = 1000000;
  double *x = xmalloc(10 * n), t0;
  rng_seed(&r, 1);
  t0 = now();
  dist_lognormal(&r, 10, 0.5, x, n);
  printf("# lognormal fill: %.1f ns/sample (1M)\n", (now() - t0) * 1e9 / n);
  t0 = now();
  dist_normal(&r, 10, 0.5, x, n);
  printf("# normal fill: %.1f ns/sample (1M)\n", (now() - t0) * 1e9 / n);
  t0 = now();
  dist_uniform(&r, 0, 1, x, n);
  printf("# uniform fill: %.1f ns/sample (1M)\n", (now() - t0) * 1e9 / n);
  t0 = now();
  dist_gamma(&r, 2.5, 1, x, n);
  printf("# gamma fill: %.1f ns/sample (1M)\n", (now() - t0) * 1e9 / n);
  t0 = now();
  dist_beta(&r, 2, 5, x, n);
  printf("# beta fill: %.1f ns/sample (1M)\n", (now() - t0) * 1e9 / n);
  dist_lognormal(&r, 10, 2, x, 10 * n);
  t0 = now();
  {
    int st = dist_sort(x, 10 * n), ok = (st == 0);
    size_t i;
    double t = now() - t0;
    printf("# sort 10M lognormal doubles: %.0f ms\n", t * 1e3);
    for (i = 1; i < 10 * n; i++) ok &= (x[i - 1] <= x[i]);
    check(ok, "sort 10M sorted", NULL);
  }
  free(x);
}


int main (void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  test_rng();
  test_dists();
  test_stats();
  test_corr();
  test_errors();
  test_reference();
  bench();
  printf("# %d checks, %d failed\n", ntests, nfail);
  return 0;
}
