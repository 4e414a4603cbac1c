/*
** bench/mc_peer.c
** The "hand-written C program" peer for the Monte Carlo benchmarks: the
** reference deal model computed directly with the vm/ kernels, no Lua.
**
**   chip_price = lognormal with 90% CI [20000, 40000]
**   overhead   = lognormal with 90% CI [1.3, 1.8]
**   units      = 21e9 / (chip_price * overhead)
**
** Prints P(units >= 1e6) with its MC standard error, the mean and
** p5/p50/p95, and the elapsed wall time (sampling + statistics, excluding
** process start-up). Exact answers: P = 0.00094979, mean = 498,691,
** p5/p50/p95 = 330,970 / 485,363 / 711,777.
**
** The work of the deal run (bench/50_mc.sh), written the way a competent
** engineer would with the project's kernels: two lognormal arrays drawn,
** units computed in place while counting units >= 1e6 (P and its standard
** error from the count), the mean (dist_mean), and the three quantiles by
** radix selection (dist_quantiles_select: two passes and a sort of the
** few buckets that hold them, exact type-7 as deal's), not a full sort.
** The arrays are huge-page mappings (alloc_pages, as deal's engine uses):
** a plain malloc's fresh 4 KB pages cost a fault each, which on the
** project's virtual machine is a good part of the run.
**
** Build and run:
**   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L bench/mc_peer.c vm/rng.c \
**      vm/dist.c vm/alloc.c -lgmp -lm -o build/mc_peer
**   build/mc_peer 1000000 [seed]
*/

#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <time.h>

#include "../vm/alloc.h"
#include "../vm/dist.h"
#include "../vm/rng.h"


static double now (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}


static int fail (const char *what, int st) {
  fprintf(stderr, "mc_peer: %s: %s\n", what, dist_strerror(st));
  return 1;
}


int main (int argc, char **argv) {
  size_t n = 1000000, i, hits = 0;
  unsigned long long seed = DEAL_DEFAULT_SEED;
  double *chip, *ovh, mu1, s1, mu2, s2, p, se, mean, q[3], t0, t1;
  static const double ps[3] = {0.05, 0.5, 0.95};
  deal_rng r;
  int st;
  if (argc > 1) {
    char *end;
    double v = strtod(argv[1], &end);  /* accepts 1e6 as well as 1000000 */
    if (*end || !(v >= 1) || v > 1e10) {
      fprintf(stderr, "usage: %s [samples] [seed]\n", argv[0]);
      return 2;
    }
    n = (size_t)v;
  }
  if (argc > 2) seed = strtoull(argv[2], NULL, 10);
  chip = alloc_pages(n * sizeof(double));
  ovh = alloc_pages(n * sizeof(double));
  if (!chip || !ovh) return fail("allocating samples", DIST_ENOMEM);
  t0 = now();
  rng_seed(&r, seed);
  if ((st = dist_lognormal_from_ci90(20000, 40000, &mu1, &s1)) ||
      (st = dist_lognormal_from_ci90(1.3, 1.8, &mu2, &s2)))
    return fail("parameters", st);
  dist_lognormal(&r, mu1, s1, chip, n);
  dist_lognormal(&r, mu2, s2, ovh, n);
  for (i = 0; i < n; i++) {
    chip[i] = 21e9 / (chip[i] * ovh[i]);                       /* units */
    hits += chip[i] >= 1e6;
  }
  p = (double)hits / (double)n;
  se = sqrt(p * (1 - p) / (double)n);
  dist_mean(chip, n, &mean);
  if ((st = dist_quantiles_select(chip, n, ps, 3, q))) return fail("quantiles", st);
  t1 = now();
  printf("samples %zu seed %llu\n", n, seed);
  printf("P(units >= 1e6) = %.8f (se %.8f)\n", p, se);
  printf("mean = %.1f\n", mean);
  printf("p5 / p50 / p95 = %.0f / %.0f / %.0f\n", q[0], q[1], q[2]);
  printf("elapsed %.1f ms (%.1f ns/sample)\n", (t1 - t0) * 1e3,
         (t1 - t0) * 1e9 / (double)n);
  free_pages(chip, n * sizeof(double));
  free_pages(ovh, n * sizeof(double));
  return 0;
}
