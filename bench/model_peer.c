/*
** bench/model_peer.c
** The hand-written C version of bench/model.deal, for bench/70_model.sh: a
** 500k-accelerator campus leased out as compute for ten years, written the
** straightforward way a competent engineer would, with the project's
** kernels (vm/dist.c) and allocator (vm/alloc.c), and doing the work a
** `deal --samples N bench/model.deal` run does, no more and no less:
**
**   - draws the twelve inputs, N samples each (chip price, power price and
**     delay correlated by the same Gaussian copula: normals z, w = L z with
**     L the Cholesky factor of 2 sin(pi rho / 6), each marginal's quantile
**     at Phi(w));
**   - computes the twenty derived figures in one fused loop, keeping the
**     fourteen that are printed (one array each);
**   - for each printed figure, its mean and its 90% interval (exact type-7
**     p5 and p95 by radix selection: dist_quantiles_select);
**   - P(NPV > 0) and the four claims' probabilities (one counting loop);
**   - the tornado: the Spearman rank correlation of NPV with each input,
**     over the first min(N, 2^20) samples as deal's sensitivity does
**     (MC_SENS_MAX): NPV ranked once, each input ranked once (radix
**     argsort, dist_ranks), then a Pearson correlation of the ranks.
**
** Every array is one huge-page mapping (alloc_pages, as deal's engine
** uses): the fresh 4 KB pages of a plain malloc cost a fault each, which on
** the project's virtual machine is most of a second for these 200 MB.
** Prints the figures and the elapsed time (sampling and statistics, not
** process start-up).
**
**   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L bench/model_peer.c vm/rng.c \
**      vm/dist.c vm/alloc.c -lgmp -lm -o build/bench/model_peer
**   build/bench/model_peer 1000000 [seed]
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../vm/alloc.h"
#include "../vm/dist.h"
#include "../vm/rng.h"

enum { CHIPS, CHIP_PRICE, OVERHEAD, CHIP_POWER, PUE, POWER_PRICE, UTILISATION, RATE, OTHER_OPEX,
       DELAY, DISCOUNT, FAILURES, NIN };
static const char *const in_names[NIN] = {
  "chips", "chip_price", "overhead", "chip_power", "pue", "power_price", "utilisation", "rate",
  "other_opex", "delay", "discount", "failures"};

enum { CAPEX, SITE_POWER, ENERGY, POWER_COST, REVENUE, OPEX, MARGIN, NPV, PAYBACK, COST_PER_H,
       POWER_SHARE, MARGIN_RATE, YIELD, CAPEX_PER_W, NOUT };
static const char *const out_names[NOUT] = {
  "capex", "site power", "energy a year", "power bill a year", "revenue a year", "opex a year",
  "margin a year", "NPV", "payback (years)", "cost per chip-hour", "power share of opex",
  "margin on revenue", "yield on capex", "capex per W"};

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#define SENS_MAX ((size_t)1 << 20)   /* deal's MC_SENS_MAX */

static double *xmalloc(size_t n) {
  double *p = alloc_pages(n * sizeof *p);
  if (!p) { fprintf(stderr, "model_peer: out of memory\n"); exit(1); }
  return p;
}

/* lognormal input with 90% interval [a, b] */
static void range(deal_rng *r, double a, double b, double *out, size_t n) {
  double mu, s;
  dist_lognormal_from_ci90(a, b, &mu, &s);
  dist_lognormal(r, mu, s, out, n);
}

/* The copula of chip price, power price and delay: normals z from r,
** w = L z with L the Cholesky factor of 2 sin(pi rho / 6), then each
** marginal's quantile at Phi(w). */
static void correlated(deal_rng *r, double *price, double *power, double *delay, size_t n) {
  static const double rho[9] = {1, 0.5, 0.3, 0.5, 1, 0.2, 0.3, 0.2, 1};
  double L[9], m1, s1, m2, s2;
  dist_copula_factor(rho, 3, L);
  dist_lognormal_from_ci90(25000, 40000, &m1, &s1);
  dist_lognormal_from_ci90(45.0 / 3.6e9, 90.0 / 3.6e9, &m2, &s2);   /* $/MWh in $/J */
  dist_normal(r, 0, 1, price, n);
  dist_normal(r, 0, 1, power, n);
  dist_normal(r, 0, 1, delay, n);
  for (size_t i = 0; i < n; i++) {
    double z0 = price[i], z1 = power[i], z2 = delay[i];
    double w1 = L[3] * z0 + L[4] * z1, w2 = L[6] * z0 + L[7] * z1 + L[8] * z2;
    price[i] = exp(m1 + s1 * z0);
    power[i] = exp(m2 + s2 * w1);
    double u = 0.5 * erfc(-w2 / sqrt(2.0)), q = 0.5 * erfc(w2 / sqrt(2.0));
    delay[i] = u < 0.25 ? sqrt(u * 12 * 3) : 12 - sqrt(q * 12 * 9);   /* triangular(0, 3, 12) */
  }
}

int main(int argc, char **argv) {
  size_t n = argc > 1 ? (size_t)strtod(argv[1], NULL) : 1000000;
  unsigned long long seed = argc > 2 ? strtoull(argv[2], NULL, 10) : DEAL_DEFAULT_SEED;
  size_t m = n < SENS_MAX ? n : SENS_MAX;
  double *in[NIN], *out[NOUT], *rin = xmalloc(m), *rnpv = xmalloc(m);
  for (int j = 0; j < NIN; j++) in[j] = xmalloc(n);
  for (int j = 0; j < NOUT; j++) out[j] = xmalloc(n);
  double t0 = now();
  deal_rng r;
  rng_seed(&r, seed);
  /* inputs, in base units: chips, $/chip, W/chip, $/J, $/chip/s */
  range(&r, 400e3, 600e3, in[CHIPS], n);
  range(&r, 1.3, 1.8, in[OVERHEAD], n);
  range(&r, 900, 1400, in[CHIP_POWER], n);
  dist_pert(&r, 1.08, 1.15, 1.35, 4, in[PUE], n);
  dist_pert(&r, 0.55, 0.75, 0.92, 4, in[UTILISATION], n);
  range(&r, 1.6 / 3600, 2.8 / 3600, in[RATE], n);
  range(&r, 0.04, 0.07, in[OTHER_OPEX], n);
  range(&r, 0.08, 0.12, in[DISCOUNT], n);
  dist_beta(&r, 2, 40, in[FAILURES], n);
  correlated(&r, in[CHIP_PRICE], in[POWER_PRICE], in[DELAY], n);
  const double year = 8760 * 3600.0;
  for (size_t i = 0; i < n; i++) {                     /* the derived figures */
    double chips = in[CHIPS][i], capex = chips * in[CHIP_PRICE][i] * in[OVERHEAD][i];
    double site = chips * in[CHIP_POWER][i] * in[PUE][i], energy = site * year;
    double power_cost = energy * in[POWER_PRICE][i];
    double live = chips * (1 - in[FAILURES][i] / 2);
    double revenue = live * in[UTILISATION][i] * year * in[RATE][i];
    double opex = power_cost + capex * in[OTHER_OPEX][i], margin = revenue - opex;
    double years = 10 - in[DELAY][i] / 12, d = in[DISCOUNT][i];
    double annuity = (1 - pow(1 + d, -years)) / d;
    out[CAPEX][i] = capex;
    out[SITE_POWER][i] = site;
    out[ENERGY][i] = energy;
    out[POWER_COST][i] = power_cost;
    out[REVENUE][i] = revenue;
    out[OPEX][i] = opex;
    out[MARGIN][i] = margin;
    out[NPV][i] = margin * annuity - capex;
    out[PAYBACK][i] = capex / margin;
    out[COST_PER_H][i] = (capex / (10 * year) + opex / year) / live;
    out[POWER_SHARE][i] = power_cost / opex;
    out[MARGIN_RATE][i] = margin / revenue;
    out[YIELD][i] = margin / capex;
    out[CAPEX_PER_W][i] = capex / site;
  }
  static const double ps[2] = {0.05, 0.95};
  double mean[NOUT], q[NOUT][2], rho[NIN], claims[5];
  for (int j = 0; j < NOUT; j++) {
    dist_mean(out[j], n, &mean[j]);
    dist_quantiles_select(out[j], n, ps, 2, q[j]);
  }
  size_t c[4] = {0, 0, 0, 0};            /* P(NPV > 0) is also the first claim's */
  for (size_t i = 0; i < n; i++) {
    c[0] += out[NPV][i] > 0;
    c[1] += out[PAYBACK][i] < 5;
    c[2] += out[POWER_SHARE][i] < 1.0 / 3;
    c[3] += out[COST_PER_H][i] < 1.5 / 3600;
  }
  claims[0] = (double)c[0] / (double)n;
  for (int k = 1; k < 5; k++) claims[k] = (double)c[k - 1] / (double)n;
  dist_ranks(out[NPV], m, rnpv);                       /* the tornado */
  for (int j = 0; j < NIN; j++) {
    dist_ranks(in[j], m, rin);
    dist_pearson(rin, rnpv, m, &rho[j]);
  }
  double t1 = now();
  for (int j = 0; j < NOUT; j++)
    printf("%-20s %.4g (90%% CI %.4g ... %.4g)\n", out_names[j], mean[j], q[j][0], q[j][1]);
  printf("P(NPV > 0) %.4f; claims %.4f %.4f %.4f %.4f\n", claims[0], claims[1], claims[2], claims[3], claims[4]);
  for (int j = 0; j < NIN; j++) printf("  %-12s %+.2f\n", in_names[j], rho[j]);
  printf("samples %zu elapsed %.1f ms\n", n, (t1 - t0) * 1e3);
  for (int j = 0; j < NIN; j++) free_pages(in[j], n * sizeof(double));
  for (int j = 0; j < NOUT; j++) free_pages(out[j], n * sizeof(double));
  free_pages(rin, m * sizeof(double));
  free_pages(rnpv, m * sizeof(double));
  return 0;
}
