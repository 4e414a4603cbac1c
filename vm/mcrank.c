/*
** vm/mcrank.c
** Rank correlation in O(n): ranks by one radix pass (samples scattered into
** 2^16 buckets by the high bits of their order-preserving keys, below the
** bits all samples share), then each bucket sorted in cache. Ranks are kept
** doubled (2 x the average rank of a tie group is an integer), so Spearman's
** sums are exact integers and rho does not depend on how the work was split
** between threads. Part of mcstats.h's interface.
*/
#include <math.h>
#include <string.h>

#include "mcstats.h"

/* A sample's key and, when ranking, its index; when summing against the
** other variable, that variable's doubled rank (carried along, so the final
** walk reads it in order instead of looking it up at random). */
typedef struct KI {
  uint64_t k;
  uint32_t i;
} KI;

#if defined(__SIZEOF_INT128__)
typedef unsigned __int128 Acc;
static double acc_minus(Acc a, Acc b) {    /* a - b as a double, exact until then */
  return a >= b ? (double)(a - b) : -(double)(b - a);
}
#else
typedef long double Acc;                   /* 64-bit mantissa: exact to n ~ 1e5 */
static double acc_minus(Acc a, Acc b) { return (double)(a - b); }
#endif

static uint64_t dkey(double x) {
  uint64_t u;
  x += 0.0;                                /* -0 ties with +0 */
  memcpy(&u, &x, sizeof u);
  return (u >> 63) ? ~u : (u | UINT64_C(0x8000000000000000));
}

/* {====== sorting a bucket ====== */
static void isort(KI *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    KI v = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1].k > v.k; j--) a[j] = a[j - 1];
    a[j] = v;
  }
}

/* Quicksort with three-way partitions (runs of equal keys, common in
** discrete inputs, cost one pass), median-of-three pivots, the smaller side
** first so the stack stays O(log n). */
static void qsort_ki(KI *a, size_t n) {
  while (n > 16) {
    uint64_t x = a[0].k, y = a[n / 2].k, z = a[n - 1].k;
    uint64_t piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    size_t lt = 0, i = 0, gt = n;
    while (i < gt) {
      if (a[i].k < piv) { KI t = a[lt]; a[lt++] = a[i]; a[i++] = t; }
      else if (a[i].k > piv) { KI t = a[--gt]; a[gt] = a[i]; a[i] = t; }
      else i++;
    }
    if (lt < n - gt) { qsort_ki(a, lt); a += gt; n -= gt; }
    else { qsort_ki(a + gt, n - gt); n = lt; }
  }
  isort(a, n);
}
/* A bucket: counting sort on the next few bits (as many bins as samples),
** which leaves it nearly sorted, then insertion sort, which is then linear
** and branch-predictable. Buckets are small (about four samples on average
** after the first pass); a big one (a spike of close values) is
** quicksorted. */
#define SMALL_BUCKET 4096
static void sort_bucket(KI *a, size_t m) {
  KI tmp[SMALL_BUCKET];
  uint32_t cnt[SMALL_BUCKET + 1];
  if (m <= 16) { isort(a, m); return; }
  if (m > SMALL_BUCKET) { qsort_ki(a, m); return; }
  uint64_t lo = a[0].k, hi = a[0].k;
  for (size_t i = 1; i < m; i++) { lo = a[i].k < lo ? a[i].k : lo; hi = a[i].k > hi ? a[i].k : hi; }
  if (lo == hi) return;
  int bits = 0, want = 0;
  for (uint64_t v = hi - lo; v; v >>= 1) bits++;
  while (((size_t)1 << (want + 1)) <= m) want++;
  int sh = bits > want ? bits - want : 0;
  size_t nb = (size_t)((hi - lo) >> sh) + 1;
  memset(cnt, 0, (nb + 1) * sizeof *cnt);
  for (size_t i = 0; i < m; i++) cnt[((a[i].k - lo) >> sh) + 1]++;
  for (size_t b = 1; b <= nb; b++) cnt[b] += cnt[b - 1];
  for (size_t i = 0; i < m; i++) tmp[cnt[(a[i].k - lo) >> sh]++] = a[i];
  memcpy(a, tmp, m * sizeof *a);
  isort(a, m);
}
/* }====== */

/* {====== ranking ====== */
typedef struct Ranker {
  McEngine *E;
  const double *x;
  size_t n;
  int threads, slices;
  uint64_t kmin, kmax;
  int shift;
  size_t nb;
  size_t *hist;                /* slices x nb counts, then write offsets */
  size_t *start;               /* nb + 1 bucket starts */
  KI *pairs;
  uint64_t *mm;                /* per slice: min, max */
  /* the outputs */
  uint32_t *r2;                /* 2 x rank, by sample (ranks), or */
  const uint32_t *other;       /* the other variable's (cross sums) */
  Acc *sums;                   /* per thread: sum r2 other, sum r2^2 */
} Ranker;

static void slice_of(const Ranker *R, size_t s, size_t *lo, size_t *hi) {
  *lo = R->n * s / (size_t)R->slices;
  *hi = R->n * (s + 1) / (size_t)R->slices;
}

static void do_minmax(void *ud, int tid, size_t s) {
  Ranker *R = ud;
  size_t lo, hi;
  (void)tid;
  slice_of(R, s, &lo, &hi);
  uint64_t a = UINT64_MAX, b = 0;
  for (size_t i = lo; i < hi; i++) { uint64_t k = dkey(R->x[i]); a = k < a ? k : a; b = k > b ? k : b; }
  R->mm[2 * s] = a;
  R->mm[2 * s + 1] = b;
}

static void do_hist(void *ud, int tid, size_t s) {
  Ranker *R = ud;
  size_t lo, hi, *h = R->hist + s * R->nb;
  (void)tid;
  slice_of(R, s, &lo, &hi);
  for (size_t i = lo; i < hi; i++) h[(dkey(R->x[i]) - R->kmin) >> R->shift]++;
}

static void do_scatter(void *ud, int tid, size_t s) {
  Ranker *R = ud;
  size_t lo, hi, *h = R->hist + s * R->nb;
  (void)tid;
  slice_of(R, s, &lo, &hi);
  for (size_t i = lo; i < hi; i++) {
    uint64_t k = dkey(R->x[i]);
    R->pairs[h[(k - R->kmin) >> R->shift]++] = (KI){k, R->other ? R->other[i] : (uint32_t)i};
  }
}

/* Sorts bucket b, then gives its tie groups their doubled average rank
** (positions first..last, 0-based: 2 x avg rank = first + last + 2). */
static void do_bucket(void *ud, int tid, size_t b) {
  Ranker *R = ud;
  size_t s = R->start[b], e = R->start[b + 1];
  KI *a = R->pairs;
  sort_bucket(a + s, e - s);
  Acc sxy = 0, sxx = 0;
  for (size_t i = s; i < e;) {
    size_t j = i + 1;
    while (j < e && a[j].k == a[i].k) j++;
    uint64_t r2 = (uint64_t)(i + j - 1 + 2);
    if (R->r2) for (size_t t = i; t < j; t++) R->r2[a[t].i] = (uint32_t)r2;
    else {
      uint64_t o = 0;
      for (size_t t = i; t < j; t++) o += a[t].i;
      sxy += (Acc)r2 * o;
      sxx += (Acc)(r2 * r2) * (j - i);
    }
    i = j;
  }
  if (!R->r2) { R->sums[2 * tid] += sxy; R->sums[2 * tid + 1] += sxx; }
}

/* Buckets go to the threads in groups: one handout per bucket would cost
** more than most buckets. */
#define BUCKET_GROUP 256
static void do_buckets(void *ud, int tid, size_t g) {
  Ranker *R = ud;
  size_t end = (g + 1) * BUCKET_GROUP < R->nb ? (g + 1) * BUCKET_GROUP : R->nb;
  for (size_t b = g * BUCKET_GROUP; b < end; b++) do_bucket(ud, tid, b);
}

static void ranker_free(Ranker *R) {
  McEngine *E = R->E;
  mc_free(E, R->hist, (size_t)R->slices * R->nb * sizeof(size_t));
  mc_free(E, R->start, (R->nb + 1) * sizeof(size_t));
  mc_free(E, R->pairs, R->n * sizeof(KI));
  mc_free(E, R->mm, 2 * (size_t)R->slices * sizeof(uint64_t));
  mc_free(E, R->sums, 2 * (size_t)MC_MAX_THREADS * sizeof(Acc));
  R->hist = R->start = NULL;
  R->pairs = NULL;
  R->mm = NULL;
  R->sums = NULL;
}

/* Ranks x[0..n): into r2 (doubled ranks by sample), or summed against
** other's doubled ranks into *sxy and *sxx (sum of r2 other, of r2^2). */
static int rank(McEngine *E, const double *x, size_t n, uint32_t *r2, const uint32_t *other,
                Acc *sxy, Acc *sxx) {
  Ranker R;
  int st;
  memset(&R, 0, sizeof R);
  R.E = E; R.x = x; R.n = n; R.r2 = r2; R.other = other;
  R.threads = mc_threads(E, n / 65536 + 1);
  R.slices = R.threads;
  R.mm = mc_alloc(E, 2 * (size_t)R.slices * sizeof(uint64_t));
  R.sums = mc_alloc(E, 2 * (size_t)MC_MAX_THREADS * sizeof(Acc));
  R.pairs = mc_alloc(E, n * sizeof(KI));
  if (!R.mm || !R.sums || !R.pairs) { st = DIST_ENOMEM; goto done; }
  memset(R.sums, 0, 2 * (size_t)MC_MAX_THREADS * sizeof(Acc));
  if ((st = mc_for(E, (size_t)R.slices, do_minmax, &R)) != DIST_OK) goto done;
  R.kmin = UINT64_MAX; R.kmax = 0;
  for (int s = 0; s < R.slices; s++) {
    if (R.mm[2 * s] < R.kmin) R.kmin = R.mm[2 * s];
    if (R.mm[2 * s + 1] > R.kmax) R.kmax = R.mm[2 * s + 1];
  }
  int bits = 0, want = 16;
  for (uint64_t v = R.kmax - R.kmin; v; v >>= 1) bits++;
  while (want > 1 && ((size_t)1 << want) > n / 4 + 1) want--;   /* ~4 samples a bucket */
  R.shift = bits > want ? bits - want : 0;
  R.nb = (size_t)((R.kmax - R.kmin) >> R.shift) + 1;
  R.hist = mc_alloc(E, (size_t)R.slices * R.nb * sizeof(size_t));
  R.start = mc_alloc(E, (R.nb + 1) * sizeof(size_t));
  if (!R.hist || !R.start) { st = DIST_ENOMEM; goto done; }
  memset(R.hist, 0, (size_t)R.slices * R.nb * sizeof(size_t));
  if ((st = mc_for(E, (size_t)R.slices, do_hist, &R)) != DIST_OK) goto done;
  size_t acc = 0;                           /* bucket b, slice s writes from here */
  for (size_t b = 0; b < R.nb; b++) {
    R.start[b] = acc;
    for (int s = 0; s < R.slices; s++) {
      size_t c = R.hist[(size_t)s * R.nb + b];
      R.hist[(size_t)s * R.nb + b] = acc;
      acc += c;
    }
  }
  R.start[R.nb] = acc;
  if ((st = mc_for(E, (size_t)R.slices, do_scatter, &R)) != DIST_OK) goto done;
  if ((st = mc_for(E, (R.nb + BUCKET_GROUP - 1) / BUCKET_GROUP, do_buckets, &R)) != DIST_OK) goto done;
  if (!r2) {
    *sxy = 0; *sxx = 0;
    for (int t = 0; t < MC_MAX_THREADS; t++) { *sxy += R.sums[2 * t]; *sxx += R.sums[2 * t + 1]; }
  }
done:
  ranker_free(&R);
  return st;
}

/* Doubled ranks of the first m samples of x into a new array (mc_free 4m
** bytes). */
static int ranks_of(McEngine *E, McNode *x, size_t m, uint32_t **r2) {
  double *v;
  int owned, st;
  *r2 = NULL;
  if ((st = mc_values_first(E, x, m, &v, &owned)) != DIST_OK) return st;
  if (!(*r2 = mc_alloc(E, m * sizeof(uint32_t)))) st = DIST_ENOMEM;
  else st = rank(E, v, m, *r2, NULL, NULL, NULL);
  mc_values_done_first(E, x, m, v, owned);
  if (st && *r2) { mc_free(E, *r2, m * sizeof(uint32_t)); *r2 = NULL; }
  return st;
}

/* Sum of squares of doubled ranks (ties lower it below the tie-free value). */
static Acc sum_sq(const uint32_t *r2, size_t n) {
  Acc s = 0;
  for (size_t i = 0; i < n; i++) s += (Acc)((uint64_t)r2[i] * r2[i]);
  return s;
}

/* rho of the first m samples of x against the doubled ranks r2 (sum of
** squares rr). */
static int rho_against(McEngine *E, McNode *x, size_t m, const uint32_t *r2, Acc rr, double *rho) {
  double *v;
  int owned, st;
  Acc sxy, sxx;
  if ((st = mc_values_first(E, x, m, &v, &owned)) != DIST_OK) return st;
  st = rank(E, v, m, NULL, r2, &sxy, &sxx);
  mc_values_done_first(E, x, m, v, owned);
  if (st) return st;
  Acc c = (Acc)m * (Acc)(m + 1) * (Acc)(m + 1);   /* m (mean of r2)^2 */
  double cov = acc_minus(sxy, c), vx = acc_minus(sxx, c), vy = acc_minus(rr, c);
  *rho = vx > 0 && vy > 0 ? cov / sqrt(vx * vy) : NAN;
  return DIST_OK;
}
/* }====== */

/* Spearman of a and b over their first m samples. */
static int spearman_first(McEngine *E, McNode *a, McNode *b, size_t m, double *rho) {
  uint32_t *r2;
  int st;
  if (m < 2) { *rho = NAN; return DIST_OK; }
  if ((st = ranks_of(E, a, m, &r2)) != DIST_OK) return st;
  st = rho_against(E, b, m, r2, sum_sq(r2, m), rho);
  mc_free(E, r2, m * sizeof(uint32_t));
  return st;
}

int mc_spearman(McEngine *E, McNode *a, McNode *b, double *rho) {
  return spearman_first(E, a, b, a->n, rho);
}

int mc_sensitivity(McEngine *E, McNode *out, McNode *const *in, int k, double *rho) {
  uint32_t *r2;
  int st;
  size_t m = out->n < MC_SENS_MAX ? out->n : MC_SENS_MAX;
  if (m < 2) { for (int j = 0; j < k; j++) rho[j] = NAN; return DIST_OK; }
  if ((st = ranks_of(E, out, m, &r2)) != DIST_OK) return st;
  Acc rr = sum_sq(r2, m);
  for (int j = 0; j < k && st == DIST_OK; j++) st = rho_against(E, in[j], m, r2, rr, &rho[j]);
  mc_free(E, r2, m * sizeof(uint32_t));
  return st;
}
