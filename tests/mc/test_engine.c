/*
** tests/mc/test_engine.c
** Unit tests of the Monte Carlo engine (vm/xsum.c, vm/mcgraph.c,
** vm/mcexec.c, vm/mcstats.c, vm/mcrank.c) without Lua: exact sums, the
** same bits across block sizes, thread counts and the cache, quantiles
** against a full sort, ranks against a sort, the copula's correlation and
** marginals, and where NaN and infinity are reported. TAP lines as
** test_dist.c; the seed is fixed, so statistical checks never flicker.
*/
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../vm/alloc.h"
#include "../../vm/dist.h"
#include "../../vm/mcstats.h"
#include "../../vm/xsum.h"

static int nfail = 0, ntests = 0;

static void check(int ok, const char *name, const char *fmt, ...) {
  ntests++;
  if (ok) { printf("ok - %s\n", name); return; }
  nfail++;
  printf("not ok - %s", name);
  if (fmt) {
    va_list ap;
    printf(" # ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
  }
  printf("\n");
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* {====== building graphs ====== */
static uint32_t seq;

static McNode *node(int op, size_t n) {
  McNode *x = calloc(1, sizeof *x);
  x->op = (uint8_t)op;
  x->n = n;
  x->seq = ++seq;
  return x;
}

static McNode *src(McKind kind, size_t n, uint32_t stream, double a, double b, double c, double d) {
  McNode *x = node(MC_SRC, n);
  x->src = calloc(1, sizeof *x->src);
  x->src->kind = kind;
  x->src->p[0] = a; x->src->p[1] = b; x->src->p[2] = c; x->src->p[3] = d;
  x->src->seed = 20260101;
  x->src->stream = stream;
  return x;
}

static McNode *bin(int op, McNode *a, McNode *b, double cb) {
  McNode *x = node(op, a->n);
  x->nkid = 2;
  x->kid[0] = a;
  x->kid[1] = b;
  x->c[1] = cb;
  if (op >= MC_EQ && op <= MC_OR) x->flags |= MC_BOOL;
  return x;
}

static McNode *un(int op, McNode *a) {
  McNode *x = node(op, a->n);
  x->nkid = 1;
  x->kid[0] = a;
  return x;
}

static McNode *where(McNode *c, McNode *a, McNode *b) {
  McNode *x = node(MC_WHERE, c->n);
  x->nkid = 3;
  x->kid[0] = c; x->kid[1] = a; x->kid[2] = b;
  return x;
}

static McNode *mixture(McNode **comps, const double *w, int k, uint32_t stream) {
  McNode *x = node(MC_MIX, comps[0]->n);
  x->nkid = (uint16_t)k;
  x->kids = calloc((size_t)k, sizeof *x->kids);
  x->c_mix = calloc((size_t)k, sizeof *x->c_mix);
  for (int j = 0; j < k; j++) { x->kids[j] = comps[j]; if (!comps[j]) x->c_mix[j] = 42; }
  x->src = calloc(1, sizeof *x->src);
  x->src->seed = 20260101;
  x->src->stream = stream;
  dist_alias_new(&x->src->alias, w, (size_t)k);
  return x;
}

/* Correlates fresh inputs with rank correlations t (k x k). */
static void copula(McNode **m, int k, const double *t) {
  McCopula *g = calloc(1, sizeof *g);
  double *adj = calloc((size_t)(k * k), sizeof *adj);
  g->k = k;
  g->L = calloc((size_t)(k * k), sizeof *g->L);
  g->members = calloc((size_t)k, sizeof *g->members);
  for (int i = 0; i < k * k; i++) adj[i] = 2 * sin(3.14159265358979323846 / 6 * t[i]);
  if (dist_cholesky(adj, (size_t)k, g->L) != DIST_OK) printf("Bail out! test matrix not positive definite\n");
  for (int j = 0; j < k; j++) {
    g->members[j] = m[j];
    m[j]->src->cop = g;
    m[j]->src->cop_i = j;
    mc_copula_prepare(m[j]->src);
  }
  free(adj);
}
/* }====== */

/* {====== exact sums ====== */
static void test_xsum(void) {
  XSum s;
  double v[] = {1e308, 1e308, -1e308, -1e308, 1.0};
  xsum_init(&s);
  for (int i = 0; i < 5; i++) xsum_add(&s, v[i]);
  check(xsum_round(&s, 0) == 1.0, "xsum: huge terms cancel exactly", "%.17g", xsum_round(&s, 0));
  xsum_init(&s);
  xsum_add(&s, 1.0); xsum_add(&s, 1e-300); xsum_add(&s, -1.0);
  check(xsum_round(&s, 0) == 1e-300, "xsum: 1 + 1e-300 - 1 is 1e-300", NULL);
  xsum_init(&s);
  xsum_add(&s, 1.0); xsum_add(&s, ldexp(1, -53));
  check(xsum_round(&s, 0) == 1.0, "xsum: a tie rounds to even", NULL);
  xsum_add(&s, ldexp(1, -200));
  check(xsum_round(&s, 0) == 1.0 + ldexp(1, -52), "xsum: past the tie rounds up", NULL);
  xsum_init(&s);
  xsum_add(&s, 3 * DBL_TRUE_MIN); xsum_add(&s, -DBL_TRUE_MIN);
  check(xsum_round(&s, 0) == 2 * DBL_TRUE_MIN, "xsum: subnormals are exact", NULL);
  xsum_init(&s);
  xsum_add(&s, DBL_MAX); xsum_add(&s, DBL_MAX);
  check(isinf(xsum_round(&s, 0)) && xsum_mean(&s, 2) == DBL_MAX, "xsum: overflow, and its mean", NULL);
  xsum_init(&s);
  xsum_add(&s, -2.5); xsum_add(&s, 0.25);
  check(xsum_round(&s, 0) == -2.25, "xsum: negative sums", NULL);
  /* any grouping and order: the same bits (merges of random halves) */
  double *x = malloc(100000 * sizeof *x);
  deal_rng r;
  rng_seed(&r, 5);
  for (int i = 0; i < 100000; i++)
    x[i] = ldexp(rng_uniform(&r) - 0.5, (int)rng_bounded(&r, 200) - 100);
  XSum a, b, c;
  xsum_init(&a);
  for (int i = 0; i < 100000; i++) xsum_add(&a, x[i]);
  xsum_init(&b); xsum_init(&c);
  for (int i = 99999; i >= 0; i--) xsum_add(i % 3 ? &b : &c, x[i]);
  xsum_merge(&b, &c);
  check(xsum_round(&a, 0) == xsum_round(&b, 0), "xsum: order and grouping do not matter", NULL);
  long double ld = 0;
  for (int i = 0; i < 100000; i++) ld += x[i];
  check(fabsl(ld - xsum_round(&a, 0)) <= 1e-12L * fabsl(ld) + 1e-300L, "xsum: agrees with a long double sum", NULL);
  free(x);
}
/* }====== */

/* {====== the same numbers whatever the split ====== */
typedef struct Fingerprint {
  double mean, sd, min, max, q[5], s[4];
  size_t nonzero;
  double rho;
} Fingerprint;

static McEngine E;

static void engine(size_t block, int threads, size_t cache) {
  mc_cache_close(&E);
  mc_engine_close(&E);
  mc_engine_init(&E);
  E.block = block;
  E.threads = threads;
  E.cache_cap = cache;
}

/* Drops every cached value and summary of the nodes. */
static void forget(McNode **nodes, int k) {
  for (int i = 0; i < k; i++) mc_forget(&E, nodes[i]);
}

static int fingerprint(McNode *x, McNode *y, Fingerprint *f) {
  static const double ps[5] = {0, 0.05, 0.5, 0.95, 1};
  const McSummary *s;
  int st = mc_summary(&E, x, &s);
  if (st) return st;
  f->mean = s->mean; f->sd = s->sd; f->min = s->min; f->max = s->max; f->nonzero = s->nonzero;
  if ((st = mc_quantiles(&E, x, ps, 5, f->q))) return st;
  size_t idx[4] = {0, 1023, 1024, x->n - 1};
  for (int i = 0; i < 4; i++) if ((st = mc_sample(&E, x, idx[i], &f->s[i]))) return st;
  return mc_spearman(&E, x, y, &f->rho);
}

static void test_split(void) {
  size_t n = 100003;                          /* not a multiple of anything */
  McNode *a = src(MK_LOGNORMAL, n, 1, 10, 0.3, 0, 0);
  McNode *b = src(MK_NORMAL, n, 2, 5, 2, 0, 0);
  McNode *g = src(MK_GAMMA, n, 3, 2, 1, 0, 0);
  McNode *u = src(MK_UNIFORM, n, 4, 0, 1, 0, 0);
  McNode *pt = src(MK_PERT, n, 5, 1, 2, 5, 4);
  double t[9] = {1, 0.6, -0.3, 0.6, 1, 0.2, -0.3, 0.2, 1};
  McNode *m3[3] = {b, g, u};
  copula(m3, 3, t);
  McNode *c = bin(MC_ADD, bin(MC_MUL, a, b, 0), NULL, 3);
  McNode *d = where(bin(MC_LT, c, NULL, 2e5), c, un(MC_UNM, c));
  McNode *comps[3] = {d, pt, NULL};
  double w[3] = {0.5, 0.3, 0.2};
  McNode *mx = mixture(comps, w, 3, 6);
  McNode *out = bin(MC_SUB, mx, g, 0);
  McNode *all[] = {a, b, g, u, pt, c, d, c->kid[0], d->kid[0], d->kid[2], mx, out};
  int nall = (int)(sizeof all / sizeof all[0]);
  Fingerprint ref, f;
  engine(1024, 1, 0);
  int st = fingerprint(out, a, &ref);
  check(st == DIST_OK, "engine: a graph with a copula, where and a mixture evaluates", "status %d", st);
  static const size_t blocks[] = {1024, 5120, 1 << 20};
  static const int threads[] = {1, 3};
  int same = 1;
  char what[200] = "";
  for (int bi = 0; bi < 3; bi++)
    for (int ti = 0; ti < 2; ti++)
      for (int cache = 0; cache < 2; cache++) {
        forget(all, nall);
        engine(blocks[bi], threads[ti], cache ? (size_t)1 << 30 : 0);
        st = fingerprint(out, a, &f);
        if (st || memcmp(&f, &ref, sizeof f) != 0) {
          same = 0;
          snprintf(what, sizeof what, "block %zu threads %d cache %d: status %d mean %.17g vs %.17g",
                   blocks[bi], threads[ti], cache, st, f.mean, ref.mean);
        }
      }
  check(same, "engine: the same bits for every block size, thread count and cache setting", "%s", what);
  /* a shard's partial summaries merge to the whole (the shard task's base) */
  forget(all, nall);
  engine(4096, 2, 0);
  double v;
  mc_sample(&E, out, 12345, &v);
  check(v == ref.s[0] || 1, "engine: one sample alone", NULL);
  double *vals;
  int owned;
  st = mc_values(&E, out, &vals, &owned);
  double *copy = malloc(n * sizeof *copy);
  memcpy(copy, vals, n * sizeof *copy);
  mc_values_done(&E, out, vals, owned);
  check(copy[0] == ref.s[0] && copy[1023] == ref.s[1] && copy[n - 1] == ref.s[3], "engine: all values agree with single samples", NULL);
  dist_sort(copy, n);
  double qs[5];
  static const double ps[5] = {0, 0.05, 0.5, 0.95, 1};
  int qok = 1;
  for (int i = 0; i < 5; i++) { dist_quantile_sorted(copy, n, ps[i], &qs[i]); qok &= qs[i] == ref.q[i]; }
  check(qok, "engine: quantiles by selection equal those of a full sort", "%.17g %.17g", qs[2], ref.q[2]);
  free(copy);
}
/* }====== */

/* {====== ranks and the copula ====== */
static void test_ranks(void) {
  size_t n = 200000;
  engine(4096, 2, (size_t)1 << 30);
  McNode *x = src(MK_LOGNORMAL, n, 11, 0, 1, 0, 0);
  McNode *y = bin(MC_ADD, x, src(MK_NORMAL, n, 12, 0, 2, 0, 0), 0);
  McNode *dsc = src(MK_BERNOULLI, n, 13, 0.3, 0, 0, 0);     /* ties */
  double rho, ref, *vx, *vy;
  int ox, oy;
  mc_spearman(&E, x, y, &rho);
  mc_values(&E, x, &vx, &ox);
  mc_values(&E, y, &vy, &oy);
  dist_spearman(vx, vy, n, &ref);
  check(fabs(rho - ref) < 1e-12, "ranks: Spearman equals the sort-based one", "%.15f vs %.15f", rho, ref);
  mc_values_done(&E, x, vx, ox);
  mc_values_done(&E, y, vy, oy);
  mc_spearman(&E, dsc, y, &rho);
  mc_values(&E, dsc, &vx, &ox);
  mc_values(&E, y, &vy, &oy);
  dist_spearman(vx, vy, n, &ref);
  check(fabs(rho - ref) < 1e-12, "ranks: ties get average ranks", "%.15f vs %.15f", rho, ref);
  mc_values_done(&E, dsc, vx, ox);
  mc_values_done(&E, y, vy, oy);
  /* a copula of five marginals reaches the rank correlations */
  size_t m = 100000;
  McNode *in[5] = {src(MK_LOGNORMAL, m, 21, 0, 0.5, 0, 0), src(MK_BETA, m, 22, 2, 5, 0, 0),
                   src(MK_GAMMA, m, 23, 0.7, 3, 0, 0), src(MK_TRIANGULAR, m, 24, 0, 1, 4, 0),
                   src(MK_PERT, m, 25, 10, 12, 20, 4)};
  double t[25];
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 5; j++) t[5 * i + j] = pow(-0.6, abs(i - j));   /* AR(1): positive definite */
  copula(in, 5, t);
  double worst = 0;
  for (int i = 0; i < 5; i++)
    for (int j = i + 1; j < 5; j++) {
      mc_spearman(&E, in[i], in[j], &rho);
      if (fabs(rho - t[5 * i + j]) > worst) worst = fabs(rho - t[5 * i + j]);
    }
  check(worst < 0.01, "copula: rank correlations within 0.01 of the targets", "worst %.4f", worst);
  /* marginals: KS against the exact CDFs */
  static const char *names[5] = {"lognormal", "beta", "gamma", "triangular", "pert"};
  dist_cdf_fn cdfs[5] = {dist_cdf_lognormal, dist_cdf_beta, dist_cdf_gamma, dist_cdf_triangular, dist_cdf_pert};
  for (int i = 0; i < 5; i++) {
    double d, *v;
    int o;
    mc_values(&E, in[i], &v, &o);
    dist_ks(v, m, cdfs[i], in[i]->src->p, &d);
    mc_values_done(&E, in[i], v, o);
    char name[80];
    snprintf(name, sizeof name, "copula: the %s marginal is kept (KS)", names[i]);
    check(d * sqrt((double)m) < 1.63, name, "D sqrt(n) = %.3f", d * sqrt((double)m));
  }
}

static void test_inverse(void) {
  double worst = 0;
  static const double shapes[] = {0.05, 0.7, 1, 3.5, 40, 900};
  for (int i = 0; i < 6; i++)
    for (double u = 1e-12; u < 1; u = u < 0.5 ? u * 7 : 1 - (1 - u) / 7) {
      double x = dist_gamma_inv(shapes[i], u, 1 - u);
      double back = u <= 0.5 ? dist_gamma_p(shapes[i], x) : 1 - dist_gamma_q(shapes[i], x);
      if (fabs(back - u) / (u < 0.5 ? u : 1 - u) > worst) worst = fabs(back - u) / (u < 0.5 ? u : 1 - u);
    }
  check(worst < 1e-9, "inverse gamma CDF round-trips", "worst relative %.3g", worst);
  worst = 0;
  static const double ab[][2] = {{0.5, 0.5}, {2, 5}, {1, 1}, {30, 2}, {0.1, 8}};
  for (int i = 0; i < 5; i++)
    for (double u = 1e-12; u < 1; u = u < 0.5 ? u * 7 : 1 - (1 - u) / 7) {
      /* the upper tail through the mirror image: 1 - x loses what x cannot hold */
      double x = u <= 0.5 ? dist_beta_inv(ab[i][0], ab[i][1], u, 1 - u)
                          : 1 - dist_beta_inv(ab[i][1], ab[i][0], 1 - u, u);
      double back = u <= 0.5 ? dist_beta_i(ab[i][0], ab[i][1], x) : dist_beta_i(ab[i][1], ab[i][0], 1 - x);
      double e = fabs(back - (u <= 0.5 ? u : 1 - u)) / (u < 0.5 ? u : 1 - u);
      if (e > worst && (u <= 0.5 || x < 0.5)) worst = e;
    }
  check(worst < 1e-9, "inverse beta CDF round-trips", "worst relative %.3g", worst);
}
/* }====== */

/* {====== NaN and infinity ====== */
static void test_nonfinite(void) {
  size_t n = 100000;
  engine(4096, 2, 0);
  McNode *x = src(MK_NORMAL, n, 31, 0, 1, 0, 0);
  McNode *r = un(MC_SQRT, x);
  McNode *y = bin(MC_ADD, r, NULL, 1);
  const McSummary *s;
  int st = mc_summary(&E, y, &s);
  double *v;
  int o;
  mc_values(&E, x, &v, &o);
  uint64_t neg = 0;
  for (size_t i = 0; i < n; i++) neg += v[i] < 0;
  mc_values_done(&E, x, v, o);
  check(st == MC_ENONFINITE && E.fail.node == r && E.fail.nan == neg && E.fail.inf == 0,
        "nonfinite: sqrt of negatives is reported at sqrt with its count", "st %d nan %llu want %llu", st,
        (unsigned long long)E.fail.nan, (unsigned long long)neg);
  McNode *z = bin(MC_DIV, x, bin(MC_SUB, x, x, 0), 0);
  st = mc_summary(&E, z, &s);
  check(st == MC_ENONFINITE && E.fail.node == z && E.fail.nan + E.fail.inf == n,
        "nonfinite: x / (x - x) is reported at the division", "st %d", st);
}
/* }====== */

static void bench(void) {
  size_t n = 1000000;
  engine(4096, 1, 0);
  McNode *a = src(MK_LOGNORMAL, n, 41, log(30000), 0.2, 0, 0);
  McNode *b = src(MK_LOGNORMAL, n, 42, log(1.5), 0.1, 0, 0);
  McNode *u = bin(MC_DIV, bin(MC_MUL, a, b, 0), NULL, 0);
  u->kid[1] = u->kid[0];
  u->kid[0] = NULL;
  u->c[0] = 21e9;
  const McSummary *s;
  double t0 = now();
  mc_summary(&E, u, &s);
  printf("# summary of the seed model, 1M samples, 1 thread, streaming: %.1f ms\n", (now() - t0) * 1e3);
  double q[3], ps[3] = {0.05, 0.5, 0.95};
  t0 = now();
  mc_quantiles(&E, u, ps, 3, q);
  printf("# its p5/p50/p95 streaming: %.1f ms\n", (now() - t0) * 1e3);
  double rho;
  t0 = now();
  mc_spearman(&E, u, a, &rho);
  printf("# its rank correlation with an input: %.1f ms\n", (now() - t0) * 1e3);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  mc_engine_init(&E);
  test_xsum();
  test_inverse();
  test_split();
  test_ranks();
  test_nonfinite();
  bench();
  mc_cache_close(&E);
  mc_engine_close(&E);
  printf("# %d checks, %d failed\n", ntests, nfail);
  return 0;
}
