/*
** tests/mc/test_engine.c
** Unit tests of the Monte Carlo engine (vm/xsum.c, vm/mcgraph.c,
** vm/mcexec.c, vm/mcstats.c, vm/mcrank.c) without Lua: exact sums, the
** same bits across block sizes, thread counts and the cache, quantiles
** against a full sort, ranks against a sort, the copula's correlation and
** marginals, where NaN and infinity are reported, and shards (parts of a
** run merged into it). TAP lines as
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
#include "../../vm/mcpart.h"
#include "../../vm/mcshard.h"
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
  /* as text (a shard's part file) and back: the same sum, merging alike */
  char text[XSUM_TEXT_MAX], text2[XSUM_TEXT_MAX];
  XSum back, neg, z;
  size_t len = xsum_text(&b, text, sizeof text);
  int ok = len < sizeof text && xsum_read(&back, text) && xsum_round(&back, 0) == xsum_round(&a, 0);
  xsum_merge(&back, &c);
  xsum_merge(&b, &c);
  ok &= xsum_round(&back, 0) == xsum_round(&b, 0);
  xsum_init(&neg);
  xsum_add(&neg, -1e300); xsum_add(&neg, -DBL_TRUE_MIN);
  xsum_text(&neg, text, sizeof text);
  ok &= xsum_read(&back, text) && xsum_round(&back, 0) == -1e300 && xsum_text(&back, text2, sizeof text2) &&
        strcmp(text, text2) == 0;
  xsum_init(&z);
  xsum_text(&z, text, sizeof text);
  ok &= strcmp(text, "0") == 0 && xsum_read(&back, text) && xsum_round(&back, 0) == 0;
  check(ok, "xsum: text reads back as the same sum (positive, negative, empty)", "%s", text);
  static const char *const bad[] = {"", "1,", ",1", "1,,2", "100000000", "-1,2", "g", "1 ", "12345678901234567",
                                     "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
                                     "0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"};
  ok = 1;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    if (xsum_read(&back, bad[i])) { ok = 0; snprintf(text, sizeof text, "%.60s", bad[i]); }
  check(ok, "xsum: text that is not a sum is refused (empty, stray commas, a limb out of range, too many)", "%s", text);
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

/* {====== shards: parts of a run merge into the run ====== */
static int same_summary(const McSummary *a, const McSummary *b) {
  return a->n == b->n && a->mean == b->mean && a->sd == b->sd && a->min == b->min &&
         a->max == b->max && a->nonzero == b->nonzero;
}

/* Every n and N: shards are whole chunks, in order, covering the run once. */
static void test_shard_ranges(void) {
  static const size_t ns[] = {1, 1023, 1024, 1025, 100003, 3000000};
  static const unsigned long Ns[] = {1, 2, 3, 7, 64, 1000};
  int ok = 1;
  char what[160] = "";
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    for (size_t j = 0; j < sizeof Ns / sizeof Ns[0]; j++) {
      size_t at = 0, most = 0, least = (size_t)-1;
      for (unsigned long k = 1; k <= Ns[j]; k++) {
        size_t lo, hi;
        mc_shard_range(ns[i], k, Ns[j], &lo, &hi);
        if (lo != at || hi < lo || (lo % DEAL_RNG_CHUNK != 0 && lo != ns[i]) || (hi % DEAL_RNG_CHUNK != 0 && hi != ns[i])) {
          ok = 0;
          snprintf(what, sizeof what, "n %zu shard %lu/%lu: [%zu, %zu) after %zu", ns[i], k, Ns[j], lo, hi, at);
        }
        size_t chunks = (hi - lo + DEAL_RNG_CHUNK - 1) / DEAL_RNG_CHUNK;   /* the last may be short */
        if (chunks > most) most = chunks;
        if (chunks < least) least = chunks;
        at = hi;
      }
      if (at != ns[i] || most - least > 1) {
        ok = 0;
        snprintf(what, sizeof what, "n %zu over %lu shards: ends at %zu, %zu to %zu chunks", ns[i], Ns[j], at, least, most);
      }
    }
  check(ok, "shards: whole chunks, in order, the run covered once, sizes within a chunk", "%s", what);
}

/* Parts of x for N shards computed under block and threads, merged
** last-first: the merged summary and grid. */
static int shard_parts(McNode *x, unsigned long N, size_t block, int threads, McSummary *s, McGrid *g) {
  engine(block, threads, 0);
  memset(s, 0, sizeof *s);
  memset(g, 0, sizeof *g);
  for (unsigned long k = N; k >= 1; k--) {
    size_t lo, hi;
    McSummary part;
    McGrid pg;
    mc_shard_range(x->n, k, N, &lo, &hi);
    int st = mc_summary_range(&E, x, lo, hi, &part, &pg);
    if (st) return st;
    if (k == N) { *s = part; *g = pg; continue; }
    int ok = mc_summary_merge(s, &part) && mc_grid_merge(g, &pg);
    mc_grid_free(&pg);
    if (!ok) return -1;
  }
  mc_summary_finish(s);
  return DIST_OK;
}

static void test_shards(void) {
  size_t n = 100003;
  McNode *a = src(MK_LOGNORMAL, n, 1, 10, 0.3, 0, 0);
  McNode *b = src(MK_NORMAL, n, 2, 5, 2, 0, 0);
  McNode *u = src(MK_UNIFORM, n, 3, 0, 1, 0, 0);
  McNode *out = bin(MC_SUB, bin(MC_MUL, a, b, 0), u, 0);
  McNode *cond = bin(MC_LT, out, NULL, 1e5);
  McNode *all[] = {a, b, u, out->kid[0], out, cond};
  static const double ps[] = {0, 0.05, 0.25, 0.5, 0.95, 1};
  enum { NP = sizeof ps / sizeof ps[0] };
  const McSummary *rs;
  McSummary ref, refc;
  double rq[NP], rqc[NP];
  engine(4096, 1, 0);
  mc_bound(a); mc_bound(b); mc_bound(u); mc_bound(out->kid[0]); mc_bound(out); mc_bound(cond);
  int st = mc_summary(&E, out, &rs);
  if (!st) { ref = *rs; st = mc_quantiles(&E, out, ps, NP, rq); }
  if (!st && !(st = mc_summary(&E, cond, &rs))) { refc = *rs; st = mc_quantiles(&E, cond, ps, NP, rqc); }
  check(st == DIST_OK, "shards: the single run", "status %d", st);
  static const unsigned long Ns[] = {1, 2, 3, 7, 98, 200};   /* 98 chunks: 200 leaves shards empty */
  static const size_t blocks[] = {1024, 65536};
  int same = 1, sameq = 1, boundq = 1, exact = 1;
  char what[240] = "", whatq[240] = "";
  for (size_t i = 0; i < sizeof Ns / sizeof Ns[0]; i++) {
    McSummary s, sc;
    McGrid g, gc;
    forget(all, (int)(sizeof all / sizeof all[0]));
    st = shard_parts(out, Ns[i], blocks[i % 2], 1 + (int)(i % 3), &s, &g);
    if (!st) st = shard_parts(cond, Ns[i], blocks[(i + 1) % 2], 1 + (int)((i + 1) % 3), &sc, &gc);
    if (st || !same_summary(&s, &ref) || !same_summary(&sc, &refc)) {
      same = 0;
      snprintf(what, sizeof what, "%lu shards: status %d, mean %.17g vs %.17g, sd %.17g vs %.17g, P %zu vs %zu",
               Ns[i], st, s.mean, ref.mean, s.sd, ref.sd, sc.nonzero, refc.nonzero);
    }
    for (int j = 0; !st && j < NP; j++) {
      double q, err, qc, errc;
      mc_grid_quantile(&g, n, ps[j], &q, &err);
      mc_grid_quantile(&gc, n, ps[j], &qc, &errc);
      if (q != rq[j]) sameq = 0;
      if (!(fabs(q - rq[j]) <= err && err <= ldexp(fabs(q), -MC_GRID_BITS + 1))) {
        boundq = 0;
        snprintf(whatq, sizeof whatq, "%lu shards, p %g: %.17g vs %.17g, bound %g", Ns[i], ps[j], q, rq[j], err);
      }
      if ((ps[j] == 0 || ps[j] == 1) && q != rq[j]) exact = 0;   /* min and max */
      if (qc != rqc[j] || errc != 0) exact = 0;                  /* two values, one a bucket */
    }
    if (!st) { mc_grid_free(&g); mc_grid_free(&gc); }
  }
  check(same, "shards: merged parts give the run's count, mean, sd, min, max and P, bit for bit, "
        "for 1 to 200 shards under any block size and thread count", "%s", what);
  check(boundq, "shards: merged quantiles are within their bound of the run's, the bound below 2^-11 of the value",
        "%s", whatq);
  check(exact, "shards: quantiles at 0 and 1, and of a condition (values 0 and 1), are exact", NULL);
  printf("# shards: quantiles %s the run's at every p tried\n", sameq ? "equal" : "are within their bound of");
  /* parts through JSON text (a part file) merge as they do in memory */
  {
    McSummary m, back;
    McGrid mg, bg, g3;
    char why[160] = "";
    int ok = 1, bad = 1;
    memset(&m, 0, sizeof m); memset(&mg, 0, sizeof mg);
    engine(4096, 2, 0);
    forget(all, (int)(sizeof all / sizeof all[0]));
    for (unsigned long k = 1; ok && k <= 3; k++) {
      size_t plo, phi;
      McSummary ps3;
      mc_shard_range(n, k, 3, &plo, &phi);
      int have = mc_summary_range(&E, out, plo, phi, &ps3, &g3) == DIST_OK;
      ok = have;
      cJSON *j = ok ? mc_part_json(&ps3, &g3) : NULL;
      char *text = j ? cJSON_PrintUnformatted(j) : NULL;
      cJSON *again = text ? cJSON_Parse(text) : NULL;
      ok = again && mc_part_read(again, &back, &bg, why, sizeof why);
      if (ok && k == 1) { m = back; mg = bg; }
      else if (ok) { ok = mc_summary_merge(&m, &back) && mc_grid_merge(&mg, &bg); mc_grid_free(&bg); }
      if (k == 2 && again) {   /* the same part, tampered with, is refused */
        static const char *const keys[] = {"n", "sum", "min", "nonzero", "overflow"};
        for (int t = 0; t < 5; t++) {
          cJSON *c = cJSON_Duplicate(again, 1);
          McSummary ts;
          McGrid tg;
          if (t == 1) cJSON_ReplaceItemInObject(c, keys[t], cJSON_CreateString("1,,2"));
          else if (t == 2) cJSON_ReplaceItemInObject(c, keys[t], cJSON_CreateNumber(1e300));
          else if (t == 4) cJSON_ReplaceItemInObject(c, keys[t], cJSON_CreateNumber(1));
          else cJSON_ReplaceItemInObject(c, keys[t], cJSON_CreateNumber((double)(phi - plo) + 1));
          if (mc_part_read(c, &ts, &tg, why, sizeof why)) { bad = 0; mc_grid_free(&tg); }
          cJSON_Delete(c);
        }
        cJSON *c = cJSON_Duplicate(again, 1);   /* two buckets swapped */
        cJSON *rows = cJSON_GetObjectItem(cJSON_GetObjectItem(c, "grid"), "buckets");
        cJSON *first = cJSON_DetachItemFromArray(rows, 0);
        cJSON_AddItemToArray(rows, first);
        McSummary ts;
        McGrid tg;
        if (mc_part_read(c, &ts, &tg, why, sizeof why)) { bad = 0; mc_grid_free(&tg); }
        cJSON_Delete(c);
      }
      cJSON_Delete(j); cJSON_Delete(again); free(text);
      if (have) mc_grid_free(&g3);
    }
    if (ok) mc_summary_finish(&m);
    int qok = 1;
    for (int j = 0; ok && j < NP; j++) {
      double q1, e1;
      mc_grid_quantile(&mg, n, ps[j], &q1, &e1);
      qok &= fabs(q1 - rq[j]) <= e1;
    }
    check(ok && same_summary(&m, &ref) && qok,
          "shards: parts written as JSON text and read back merge to the run's summary, quantiles within bound",
          "%s", why);
    check(bad, "shards: a part with a wrong count, a bad sum, min past max, a bad flag or buckets out of order is refused",
          NULL);
    if (ok) mc_grid_free(&mg);
  }
  /* in a shard the engine's own statistics cover the shard's samples */
  size_t lo, hi;
  const McSummary *sh;
  McSummary part;
  double q[NP], *vals;
  int owned, qsame = 1;
  forget(all, (int)(sizeof all / sizeof all[0]));
  engine(4096, 2, 0);
  mc_shard_range(n, 2, 3, &lo, &hi);
  st = mc_values(&E, out, &vals, &owned);
  double *mine = malloc((hi - lo) * sizeof *mine);
  if (!st) { memcpy(mine, vals + lo, (hi - lo) * sizeof *mine); mc_values_done(&E, out, vals, owned); }
  forget(all, (int)(sizeof all / sizeof all[0]));
  E.shard_n = n; E.shard_lo = lo; E.shard_hi = hi;
  if (!st) st = mc_summary(&E, out, &sh);
  if (!st) st = mc_quantiles(&E, out, ps, NP, q);
  if (!st) st = mc_summary_range(&E, out, lo, hi, &part, NULL);
  if (!st) mc_summary_finish(&part);
  dist_sort(mine, hi - lo);
  for (int j = 0; !st && j < NP; j++) {
    double want;
    dist_quantile_sorted(mine, hi - lo, ps[j], &want);
    qsame &= q[j] == want;
  }
  check(!st && sh->n == hi - lo && same_summary(sh, &part) && qsame,
        "shards: in shard 2/3 the engine's summary and quantiles are those of the shard's samples",
        "status %d, n %zu, quantiles %s", st, st ? (size_t)0 : sh->n, qsame ? "equal" : "differ");
  free(mine);
  forget(all, (int)(sizeof all / sizeof all[0]));
  E.shard_n = 0;
  /* parts of different values (another sample 0) do not merge */
  McSummary p1, p2;
  McGrid g1, g2;
  engine(4096, 1, 0);
  st = mc_summary_range(&E, out, 0, 1024, &p1, &g1);
  if (!st) st = mc_summary_range(&E, a, 1024, 2048, &p2, &g2);
  check(!st && !mc_summary_merge(&p1, &p2), "shards: parts of different values refuse to merge", NULL);
  check(!st && mc_summary_range(&E, out, 0, n + 1, &p2, NULL) != DIST_OK, "shards: a range past the run is refused", NULL);
  if (!st) { mc_grid_free(&g1); mc_grid_free(&g2); }
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

/* Grids of different tops (each shard's own: mc_grid_top_of) merge, in
** either order, into the grid of all the samples under the greater top. */
static void test_grid_tops(void) {
  McGrid small, big, all, a, b;
  double v[2000];
  int ok = 1;
  for (int i = 0; i < 2000; i++) v[i] = i < 1000 ? (i + 1) / 137.0 : -(i * 3.7) - 1e-9 * i;
  ok = mc_grid_init(&small, mc_grid_top_of(v[0], v[999])) && mc_grid_init(&big, mc_grid_top_of(v[1999], v[1000])) &&
       mc_grid_init(&all, mc_grid_top_of(v[1999], v[999])) && mc_grid_init(&a, small.top) && mc_grid_init(&b, big.top);
  check(ok && small.top == 8 && big.top == 8192 && all.top == 8192, "grids: a top just above the samples",
        "tops %g %g %g", small.top, big.top, all.top);
  if (!ok) return;
  for (int i = 0; i < 2000; i++) {
    McGrid *g = i < 1000 ? &small : &big, *h = i < 1000 ? &a : &b;
    mc_grid_add(g, mc_grid_bucket(g, v[i]), 1, v[i], v[i]);
    mc_grid_add(h, mc_grid_bucket(h, v[i]), 1, v[i], v[i]);
    mc_grid_add(&all, mc_grid_bucket(&all, v[i]), 1, v[i], v[i]);
  }
  ok = mc_grid_merge(&small, &big) && mc_grid_merge(&b, &a);   /* the greater top into the lesser, and back */
  for (size_t k = 0; ok && k < all.nb; k++)
    ok = small.count[k] == all.count[k] && b.count[k] == all.count[k] &&
         (!all.count[k] || (small.lo[k] == all.lo[k] && small.hi[k] == all.hi[k] && b.lo[k] == all.lo[k] && b.hi[k] == all.hi[k]));
  check(ok && small.top == all.top, "grids of different tops merge into the grid of all the samples", NULL);
  mc_grid_free(&small); mc_grid_free(&big); mc_grid_free(&all); mc_grid_free(&a); mc_grid_free(&b);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  mc_engine_init(&E);
  test_xsum();
  test_inverse();
  test_split();
  test_shard_ranges();
  test_shards();
  test_grid_tops();
  test_ranks();
  test_nonfinite();
  bench();
  mc_cache_close(&E);
  mc_engine_close(&E);
  printf("# %d checks, %d failed\n", ntests, nfail);
  return 0;
}
