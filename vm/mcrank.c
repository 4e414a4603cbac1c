/*
** vm/mcrank.c
** Rank correlation in O(n): each sample becomes a 64-bit word, the top 32
** bits of its order-preserving key (below the bits all samples share)
** over its index; an LSD radix sort of those prefixes (three passes of 11
** bits, threads over slices, 8-byte moves) orders them, and the rare runs
** of equal prefixes are sorted by the rest of their keys. Ranks are kept
** doubled (2 x the average rank of a tie group is an integer), so
** Spearman's sums are exact integers and rho does not depend on how the
** work was split between threads. Part of mcstats.h's interface.
*/
#include <math.h>
#include <string.h>

#include "mcstats.h"

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

/* {====== sorting ====== */
/* Samples are sorted as 64-bit words, a 32-bit sort key above the sample's
** index: first the top 32 bits of (key - least key) (an LSD radix sort of
** 11-bit digits, 8-byte moves, stable), then each run of equal prefixes,
** rare for continuous values, by the key's remaining bits put in its place.
** Equal keys end up adjacent, which is all ranks need. */
#define DIGIT 11
#define RADIX ((size_t)1 << DIGIT)
#define SMALL_RUN 32

static void isort64(uint64_t *a, size_t n) {
  for (size_t i = 1; i < n; i++) {
    uint64_t v = a[i];
    size_t j = i;
    for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
    a[j] = v;
  }
}

/* Sorts a[0..n) by their top 32 bits (LSD, stable), tmp as scratch; the
** sorted words end in a. */
static void radix_top32(uint64_t *a, uint64_t *tmp, size_t n) {
  size_t cnt[3][RADIX];
  memset(cnt, 0, sizeof cnt);
  for (size_t i = 0; i < n; i++)
    for (int d = 0; d < 3; d++) cnt[d][(a[i] >> (32 + DIGIT * d)) & (RADIX - 1)]++;
  uint64_t *src = a, *dst = tmp;
  for (int d = 0; d < 3; d++) {
    int sh = 32 + DIGIT * d;
    if (cnt[d][(src[0] >> sh) & (RADIX - 1)] == n) continue;   /* one digit for all */
    size_t acc = 0;
    for (size_t b = 0; b < RADIX; b++) { size_t c = cnt[d][b]; cnt[d][b] = acc; acc += c; }
    for (size_t i = 0; i < n; i++) dst[cnt[d][(src[i] >> sh) & (RADIX - 1)]++] = src[i];
    uint64_t *t = src; src = dst; dst = t;
  }
  if (src != a) memcpy(a, src, n * sizeof *a);
}
/* }====== */

/* {====== ranking ====== */
typedef struct Ranker {
  McEngine *E;
  const double *x;
  size_t n;
  int slices;
  uint64_t kmin;
  int shift;                   /* prefix = (key - kmin) >> shift: 32 bits */
  int sh;                      /* the digit of the pass under way */
  uint64_t *a, *b;             /* prefix << 32 | index; scratch */
  size_t *hist;                /* slices x RADIX counts, then write offsets */
  double *mm;                  /* per slice: min, max */
  size_t starts[MC_MAX_THREADS + 1];   /* slices of the sorted words (do_assign) */
  uint32_t *r2;                /* 2 x rank, by sample */
  const uint32_t *other;       /* cross sums: the other variable's */
  Acc *sums;                   /* per slice: sum r2 other, sum r2^2 */
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
  const double *x = R->x;
  double a = x[lo], b = a;
  for (size_t i = lo; i < hi; i++) { double v = x[i]; a = v < a ? v : a; b = v > b ? v : b; }
  R->mm[2 * s] = a;
  R->mm[2 * s + 1] = b;
}

/* The words of a slice, and the counts of their first digit. */
static void do_pack(void *ud, int tid, size_t s) {
  Ranker *R = ud;
  size_t lo, hi, *h = R->hist + s * RADIX;
  (void)tid;
  slice_of(R, s, &lo, &hi);
  const double *x = R->x;
  uint64_t *a = R->a, kmin = R->kmin;
  int shift = R->shift;
  memset(h, 0, RADIX * sizeof *h);
  for (size_t i = lo; i < hi; i++) {
    uint64_t w = ((dkey(x[i]) - kmin) >> shift) << 32 | (uint64_t)i;
    a[i] = w;
    h[(w >> 32) & (RADIX - 1)]++;
  }
}

static void do_count(void *ud, int tid, size_t s) {
  Ranker *R = ud;
  size_t lo, hi, *h = R->hist + s * RADIX;
  (void)tid;
  slice_of(R, s, &lo, &hi);
  const uint64_t *a = R->a;
  int sh = R->sh;
  memset(h, 0, RADIX * sizeof *h);
  for (size_t i = lo; i < hi; i++) h[(a[i] >> sh) & (RADIX - 1)]++;
}

static void do_scatter(void *ud, int tid, size_t s) {
  Ranker *R = ud;
  size_t lo, hi, *h = R->hist + s * RADIX;
  (void)tid;
  slice_of(R, s, &lo, &hi);
  const uint64_t *a = R->a;
  uint64_t *b = R->b;
  int sh = R->sh;
  for (size_t i = lo; i < hi; i++) {
    uint64_t w = a[i];
    b[h[(w >> sh) & (RADIX - 1)]++] = w;
  }
}

/* Offsets from the slices' counts (bucket by bucket, slice by slice, so
** the pass is stable); 0 when one bucket holds everything. */
static int offsets(Ranker *R) {
  size_t acc = 0;
  for (size_t b = 0; b < RADIX; b++) {
    size_t tot = 0;
    for (int s = 0; s < R->slices; s++) tot += R->hist[(size_t)s * RADIX + b];
    if (tot == R->n) return 0;
    for (int s = 0; s < R->slices; s++) {
      size_t c = R->hist[(size_t)s * RADIX + b];
      R->hist[(size_t)s * RADIX + b] = acc;
      acc += c;
    }
  }
  return 1;
}

/* The run a[s..e) shares its prefix: the key's remaining bits replace it,
** the run is sorted by them, and tie groups (equal keys) get their doubled
** average rank (positions first..last, 0-based: first + last + 2). */
static void rank_run(Ranker *R, size_t s, size_t e) {
  uint64_t *a = R->a + s, mask = R->shift >= 64 ? UINT64_MAX : ((uint64_t)1 << R->shift) - 1;
  size_t m = e - s;
  if (m > 1) {
    for (size_t t = 0; t < m; t++) {
      uint32_t i = (uint32_t)a[t];
      a[t] = ((dkey(R->x[i]) - R->kmin) & mask) << 32 | i;
    }
    if (m <= SMALL_RUN) isort64(a, m);
    else radix_top32(a, R->b + s, m);
  }
  for (size_t t = 0; t < m;) {
    size_t u = t + 1;
    while (u < m && (a[u] >> 32) == (a[t] >> 32)) u++;
    uint32_t r2 = (uint32_t)(2 * s + t + u - 1 + 2);
    for (size_t v = t; v < u; v++) R->r2[(uint32_t)a[v]] = r2;
    t = u;
  }
}

/* The start of slice s of the sorted words, moved forward to the start of
** a run of equal prefixes (a run is ranked by one thread). Found for all
** slices before any thread starts: ranking a run rewrites its words. */
static size_t run_start(const Ranker *R, size_t s) {
  size_t i = R->n * s / (size_t)R->slices;
  while (i > 0 && i < R->n && (R->a[i] >> 32) == (R->a[i - 1] >> 32)) i++;
  return i;
}

static void find_starts(Ranker *R) {
  for (int s = 0; s <= R->slices; s++) R->starts[s] = run_start(R, (size_t)s);
}

/* Walks slice s of the sorted words: a lone prefix is its own rank, runs
** are sorted further. */
static void do_assign(void *ud, int tid, size_t sl) {
  Ranker *R = ud;
  const uint64_t *a = R->a;
  uint32_t *r2 = R->r2;
  size_t end = R->starts[sl + 1];
  (void)tid;
  for (size_t s = R->starts[sl]; s < end;) {
    uint64_t p = a[s] >> 32;
    if (s + 1 == end || (a[s + 1] >> 32) != p) {   /* nearly always */
      r2[(uint32_t)a[s]] = (uint32_t)(2 * s + 2);
      s++;
      continue;
    }
    size_t e = s + 2;
    while (e < end && (a[e] >> 32) == p) e++;   /* not past end: rewritten there */
    rank_run(R, s, e);
    s = e;
  }
}

/* Sums of r2 x other and r2^2 over a slice: exact integers, in 64 bits a
** chunk at a time while they cannot overflow. */
static void do_sums(void *ud, int tid, size_t s) {
  Ranker *R = ud;
  size_t lo, hi;
  (void)tid;
  slice_of(R, s, &lo, &hi);
  Acc sxy = 0, sxx = 0;
  size_t step = R->n <= ((size_t)1 << 24) ? 4096 : 1;   /* r2 <= 2^25: 4096 terms < 2^63 */
  for (size_t c = lo; c < hi; c += step) {
    size_t end = c + step < hi ? c + step : hi;
    uint64_t xy = 0, xx = 0;
    const uint32_t *r2 = R->r2, *o = R->other;
    for (size_t i = c; i < end; i++) {
      uint64_t r = r2[i];
      xy += r * o[i];
      xx += r * r;
    }
    sxy += xy;
    sxx += xx;
  }
  R->sums[2 * s] = sxy;
  R->sums[2 * s + 1] = sxx;
}

static void ranker_free(Ranker *R, int own_r2) {
  McEngine *E = R->E;
  mc_free(E, R->hist, (size_t)R->slices * RADIX * sizeof(size_t));
  mc_free(E, R->a, R->n * sizeof(uint64_t));
  mc_free(E, R->b, R->n * sizeof(uint64_t));
  mc_free(E, R->mm, 2 * (size_t)R->slices * sizeof(double));
  mc_free(E, R->sums, 2 * (size_t)R->slices * sizeof(Acc));
  if (own_r2) mc_free(E, R->r2, R->n * sizeof(uint32_t));
}

/* Ranks x[0..n): into r2 (doubled ranks by sample), or summed against
** other's doubled ranks into *sxy and *sxx (sum of r2 other, of r2^2). */
static int rank(McEngine *E, const double *x, size_t n, uint32_t *r2, const uint32_t *other,
                Acc *sxy, Acc *sxx) {
  Ranker R;
  int st = DIST_OK, own_r2 = r2 == NULL;
  memset(&R, 0, sizeof R);
  R.E = E; R.x = x; R.n = n; R.other = other;
  R.slices = mc_threads(E, n / 65536 + 1);
  R.mm = mc_alloc(E, 2 * (size_t)R.slices * sizeof(double));
  R.sums = mc_alloc(E, 2 * (size_t)R.slices * sizeof(Acc));
  R.hist = mc_alloc(E, (size_t)R.slices * RADIX * sizeof(size_t));
  R.a = mc_alloc(E, n * sizeof(uint64_t));
  R.b = mc_alloc(E, n * sizeof(uint64_t));
  R.r2 = own_r2 ? mc_alloc(E, n * sizeof(uint32_t)) : r2;
  if (!R.mm || !R.sums || !R.hist || !R.a || !R.b || !R.r2) { st = DIST_ENOMEM; goto done; }
  if ((st = mc_for(E, (size_t)R.slices, do_minmax, &R)) != DIST_OK) goto done;
  double lo = R.mm[0], hi = R.mm[1];
  for (int s = 1; s < R.slices; s++) {
    lo = R.mm[2 * s] < lo ? R.mm[2 * s] : lo;
    hi = R.mm[2 * s + 1] > hi ? R.mm[2 * s + 1] : hi;
  }
  R.kmin = dkey(lo);
  int bits = 0;
  for (uint64_t v = dkey(hi) - R.kmin; v; v >>= 1) bits++;
  R.shift = bits > 32 ? bits - 32 : 0;
  if ((st = mc_for(E, (size_t)R.slices, do_pack, &R)) != DIST_OK) goto done;
  int pb = bits < 32 ? bits : 32, ndig = (pb + DIGIT - 1) / DIGIT;
  for (int d = 0; d < ndig; d++) {
    R.sh = 32 + DIGIT * d;
    if (d > 0 && (st = mc_for(E, (size_t)R.slices, do_count, &R)) != DIST_OK) goto done;
    if (!offsets(&R)) continue;
    if ((st = mc_for(E, (size_t)R.slices, do_scatter, &R)) != DIST_OK) goto done;
    uint64_t *t = R.a; R.a = R.b; R.b = t;
  }
  find_starts(&R);
  if ((st = mc_for(E, (size_t)R.slices, do_assign, &R)) != DIST_OK) goto done;
  if (!own_r2) goto done;
  if ((st = mc_for(E, (size_t)R.slices, do_sums, &R)) != DIST_OK) goto done;
  *sxy = 0; *sxx = 0;
  for (int s = 0; s < R.slices; s++) { *sxy += R.sums[2 * s]; *sxx += R.sums[2 * s + 1]; }
done:
  ranker_free(&R, own_r2);
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
