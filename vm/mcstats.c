/*
** vm/mcstats.c
** Statistics as passes over blocks, and the value cache (see mcstats.h).
** A pass compiles the nodes it needs, runs the program over all blocks
** with a visitor that folds each block into per-thread partial results,
** and merges them: counts add, sums are exact (xsum.h), min and max are
** order-free. So a statistic is the same bits whatever the block size, the
** thread count, or whether a value came from the cache.
*/
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "mcshard.h"
#include "mcstats.h"

#define CHUNK DEAL_RNG_CHUNK
#define CACHE_MAX ((size_t)512 << 20)

/* {====== memory and the cache ====== */
static McNode *unview(McNode *x) {
  while (x->op == MC_VIEW) x = x->kid[0];
  return x;
}

/* The bytes x's kept values take: all n, or a shard's window. */
static size_t vbytes(const McNode *x) { return (x->vhi ? x->vhi - x->vlo : x->n) * sizeof(double); }

size_t mc_bytes_needed(size_t n) {
  return n * sizeof(double) + (n < MC_SENS_MAX ? n : MC_SENS_MAX) * MC_RANK_BYTES;
}

void mc_cache_setup(McEngine *E, size_t max_memory) {
  const char *env = getenv("DEAL_MC_CACHE");
  size_t cap = max_memory ? max_memory / 4 : CACHE_MAX;
  E->cache_cap = cap < CACHE_MAX ? cap : CACHE_MAX;
  if (env && *env) {
    char *e;
    unsigned long long v = strtoull(env, &e, 10);
    if (!*e) E->cache_cap = (size_t)v;
  }
}

static void lru_unlink(McEngine *E, McNode *x) {
  if (x->lru_prev) x->lru_prev->lru_next = x->lru_next; else if (E->lru_head == x) E->lru_head = x->lru_next;
  if (x->lru_next) x->lru_next->lru_prev = x->lru_prev; else if (E->lru_tail == x) E->lru_tail = x->lru_prev;
  x->lru_prev = x->lru_next = NULL;
}

static void lru_front(McEngine *E, McNode *x) {
  if (E->lru_head == x) return;
  lru_unlink(E, x);
  x->lru_next = E->lru_head;
  if (E->lru_head) E->lru_head->lru_prev = x;
  E->lru_head = x;
  if (!E->lru_tail) E->lru_tail = x;
}

/* Whether x's values are in use: held by a caller, or read by the program
** of the pass under way. */
static int busy(const McEngine *E, const McNode *x) {
  const McProg *P = E->busy;
  if (x->pins) return 1;
  if (!P) return 0;
  for (int k = 0; k < P->narr; k++) if (P->arr[k] == x->vals) return 1;
  return 0;
}

static void drop_values(McEngine *E, McNode *x) {
  if (!x->vals || x->op == MC_DATA) return;
  double *v = x->vals;
  size_t b = vbytes(x);
  E->cache_used -= b;
  x->vals = NULL;
  x->vlo = x->vhi = 0;
  lru_unlink(E, x);
  mc_free(E, v, b);                         /* kept as a spare, to be filled again */
}

/* Evicts the least recently used value not in use; 0 if none. */
static int evict_one(McEngine *E) {
  for (McNode *x = E->lru_tail; x; x = x->lru_prev)
    if (!busy(E, x)) { drop_values(E, x); return 1; }
  return 0;
}

/* Makes room for a value that costs `cost` a sample to compute: evicts the
** kept value cheapest to compute again (the least recently used of those),
** if it is cheaper; 0 if none is. */
static int evict_cheaper(McEngine *E, float cost) {
  McNode *best = NULL;
  for (McNode *x = E->lru_tail; x; x = x->lru_prev)
    if (!busy(E, x) && x->cost < cost && (!best || x->cost < best->cost)) best = x;
  if (!best) return 0;
  drop_values(E, best);
  return 1;
}

/* Buffers of 1 MB and more are whole huge-page mappings (alloc_pages),
** and freed ones are kept for the next request of the same size, up to the
** cache's size: a pass that needs the same scratch as the last one finds
** its pages already there. */
#define BIG ((size_t)1 << 20)

static void *spare_take(McEngine *E, size_t size) {
  for (int i = 0; i < E->nspare; i++)
    if (E->spare_size[i] == size) {
      void *p = E->spare[i];
      E->spared -= size;
      E->spare[i] = E->spare[--E->nspare];
      E->spare_size[i] = E->spare_size[E->nspare];
      return p;
    }
  return NULL;
}

/* Gives one pooled buffer back to the system; 0 if there was none. */
static int spare_drop(McEngine *E) {
  if (E->nspare == 0) return 0;
  E->nspare--;
  free_pages(E->spare[E->nspare], E->spare_size[E->nspare]);
  E->spared -= E->spare_size[E->nspare];
  return 1;
}

void *mc_alloc(McEngine *E, size_t bytes) {
  void *p;
  if (bytes < BIG) {
    while (!(p = alloc_any(bytes)))
      if (!spare_drop(E) && !evict_one(E)) return NULL;
    return p;
  }
  size_t size = alloc_pages_size(bytes);
  if (size && (p = spare_take(E, size))) return p;
  while (E->nspare > 0 && E->cache_used + E->spared + size > E->cache_cap) spare_drop(E);
  while (!(p = alloc_pages(bytes)))
    if (!size || (!spare_drop(E) && !evict_one(E))) return NULL;
  return p;
}

void mc_free(McEngine *E, void *p, size_t bytes) {
  if (!p) return;
  if (bytes < BIG) { free_any(p, bytes); return; }
  size_t size = alloc_pages_size(bytes);
  if (E->nspare < 32 && E->cache_used + E->spared + size <= E->cache_cap) {   /* one cap for both */
    E->spare[E->nspare] = p;
    E->spare_size[E->nspare++] = size;
    E->spared += size;
  } else free_pages(p, bytes);
}

void mc_cache_close(McEngine *E) {
  while (E->lru_tail) drop_values(E, E->lru_tail);
  mc_free(E, E->memo_vals, CHUNK * sizeof(double));
  E->memo_vals = NULL;
  E->memo = NULL;
  while (spare_drop(E)) {}
}

void mc_forget(McEngine *E, McNode *x) {
  drop_values(E, x);
  if (E->memo == x) E->memo = NULL;
  if (x->sum) { deal_alloc(&deal_budget, x->sum, sizeof *x->sum, 0); x->sum = NULL; }
}

/* Keeps buf, x's samples [lo, hi) (a shard keeps its window only). */
static void cache_commit(McEngine *E, McNode *x, double *buf, size_t lo, size_t hi) {
  x->vals = buf;
  if (lo > 0 || hi < x->n) { x->vlo = lo; x->vhi = hi; }
  E->cache_used += vbytes(x);
  lru_front(E, x);
}
/* }====== */

/* {====== passes ====== */
/* The failing operation of a run: of the instructions with NaN or infinite
** results, the one made first (its operands were finite: anything they
** came from was made before it and is clean). */
static int find_fail(McEngine *E, const McProg *P, const uint64_t *bad) {
  int best = -1;
  for (int k = 0; k < P->nins; k++)
    if ((bad[2 * k] || bad[2 * k + 1]) && (best < 0 || P->ins[k].node->seq < P->ins[best].node->seq))
      best = k;
  if (best < 0) return DIST_OK;
  E->fail.node = P->ins[best].node;
  E->fail.nan = bad[2 * best];
  E->fail.inf = bad[2 * best + 1];
  return MC_ENONFINITE;
}

/* The nodes a pass over roots keeps: each root, or for a condition its
** operands (P(x > 5) then mean(x) is the usual order), evicting older
** values if need be; then inputs while the cache has free room (they cost
** the most to draw again). *reserved counts the bytes taken. */
/* Inputs are kept when small, or when their samples cost much more to draw
** than to keep: a fresh page costs about as much to zero as drawing a
** normal's samples again (measured: ~1.3 ns a byte, 10 ns a sample, on the
** project's VM), while a PERT, beta or gamma sample costs 25-60 ns and one
** through the copula's inverse CDF up to a microsecond. */
#define LEAF_KEEP_MAX ((size_t)1 << 18)
static int costly(const McSource *s) {
  if (s->cop) return 1;
  return s->kind == MK_PERT || s->kind == MK_BETA || s->kind == MK_GAMMA;
}

typedef struct Keep {
  McNode *x[32];
  double *buf[32];
  int n;
  size_t reserved;
} Keep;

static void keep_one(McEngine *E, McProg *P, McNode *x, Keep *K, int may_evict) {
  size_t b = (P->hi - P->lo) * sizeof(double);
  if (K->n == 32 || x->vals || !mc_prog_node(P, x) || b > E->cache_cap) return;
  while (E->cache_used + K->reserved + b > E->cache_cap)
    if (!may_evict || !evict_cheaper(E, x->cost)) return;
  double *buf = mc_alloc(E, b);
  if (!buf) return;
  if (mc_prog_store(P, x, buf) != 1) { mc_free(E, buf, b); return; }
  K->x[K->n] = x;
  K->buf[K->n++] = buf;
  K->reserved += b;
}

/* A value computed once before and again now is shared by several: worth
** keeping when it is not cheap to compute again. */
#define AGAIN_COST 20.0f
#define ROOT_KEEP_COST 4.0f
#define AGAIN_MAX 4

static void choose_stores(McEngine *E, McProg *P, McNode *const *roots, int nroots, Keep *K) {
  for (int r = 0; r < nroots; r++) {
    McNode *x = unview(roots[r]);
    if ((x->flags & MC_BOOL) && x->op >= MC_EQ && x->op <= MC_LE) {
      for (int c = 0; c < 2; c++)
        if (x->kid[c] && mc_prog_node(P, x->kid[c]) && unview(x->kid[c])->cost >= ROOT_KEEP_COST) keep_one(E, P, unview(x->kid[c]), K, 1);
    } else if (x->cost >= ROOT_KEEP_COST) keep_one(E, P, x, K, 1);
  }
  for (int k = P->nins - 1, again = 0; k >= 0 && again < AGAIN_MAX; k--) {   /* the biggest first */
    McNode *x = P->ins[k].node;
    if (P->ins[k].op == MC_COPULA_OP || P->ins[k].store >= 0 || x->evals == 0 || (x->cost < AGAIN_COST && P->ins[k].op != MC_SRC)) continue;
    int before = K->n;
    keep_one(E, P, x, K, 1);
    again += K->n > before;
  }
  for (int k = 0; k < P->nins; k++)
    if (P->ins[k].op == MC_SRC && (P->ins[k].node->n <= LEAF_KEEP_MAX || costly(P->ins[k].node->src)))
      keep_one(E, P, P->ins[k].node, K, 0);
}

/* A copula's draw makes the normals of all its members: in a pass that
** keeps values, the members that neither this program computes nor the
** cache holds come along as extra roots (to be kept) when the cache has
** free room for them, so that the copula is drawn once rather than once
** per member. Returns how many were added to more[0..max). */
static int copula_siblings(McEngine *E, const McProg *P, McNode **more, int max) {
  int m = 0;
  size_t room = E->cache_cap > E->cache_used ? E->cache_cap - E->cache_used : 0;
  for (int k = 0; k < P->nins; k++) {
    if (P->ins[k].op != MC_COPULA_OP) continue;
    const McCopula *g = P->ins[k].node->src->cop;
    for (int j = 0; j < g->k && m < max; j++) {
      McNode *x = g->members[j];
      size_t b = (P->hi - P->lo) * sizeof(double);
      if (!x || x->vals || mc_prog_node(P, x) || b > room) continue;
      room -= b;
      more[m++] = x;
    }
  }
  return m;
}

/* The samples of x that statistics cover: all of them, or in a shard
** (McEngine.shard_n) the shard's. */
static void span(const McEngine *E, const McNode *x, size_t *lo, size_t *hi) {
  if (E->shard_n && x->n == E->shard_n) { *lo = E->shard_lo; *hi = E->shard_hi; }
  else { *lo = 0; *hi = x->n; }
}

/* Whether [lo, hi) is all the samples statistics of x cover (its span):
** only such passes keep values and count as evaluations. */
static int whole(const McEngine *E, const McNode *x, size_t lo, size_t hi) {
  size_t a, b;
  span(E, unview((McNode *)x), &a, &b);
  return lo == a && hi == b;
}

/* One pass over samples [lo, hi) of roots, visiting every block. With
** keep (and the whole span), values worth keeping go to the cache. */
#define MAX_SIBLINGS 16
static int pass(McEngine *E, McNode *const *roots, int nroots, int keep, size_t lo, size_t hi,
                McVisit visit, void *ud) {
  McProg P;
  Keep K;
  int st;
  McNode *all[64];
  int full = whole(E, roots[0], lo, hi);
  if ((st = mc_compile(&P, roots, nroots, lo, hi)) != DIST_OK) return st;
  if (keep && full && nroots + MAX_SIBLINGS <= 64) {
    int m = copula_siblings(E, &P, all + nroots, MAX_SIBLINGS);
    if (m > 0) {
      memcpy(all, roots, (size_t)nroots * sizeof *all);
      mc_prog_free(&P);
      if ((st = mc_compile(&P, all, nroots + m, lo, hi)) != DIST_OK) return st;
    }
  }
  E->busy = &P;
  K.n = 0;
  K.reserved = 0;
  if (keep && full) choose_stores(E, &P, roots, nroots, &K);
  uint64_t *bad = P.nins ? mc_alloc(E, 2 * (size_t)P.nins * sizeof *bad) : NULL;
  if (P.nins && !bad) st = DIST_ENOMEM;
  else {
    McTask t = {&P, lo, hi, visit, ud, bad};
    st = mc_run(E, &t);
    if (st == DIST_OK) st = find_fail(E, &P, bad);
  }
  E->busy = NULL;
  if (st == DIST_OK && full)
    for (int k = 0; k < P.nins; k++)
      if (P.ins[k].op != MC_COPULA_OP && P.ins[k].node->evals < UINT16_MAX) P.ins[k].node->evals++;
  for (int k = 0; k < K.n; k++) {
    if (st == DIST_OK) cache_commit(E, K.x[k], K.buf[k], lo, hi);
    else mc_free(E, K.buf[k], (hi - lo) * sizeof(double));
  }
  for (int r = 0; r < nroots; r++) {
    McNode *x = unview(roots[r]);
    if (x->vals && x->op != MC_DATA) lru_front(E, x);
  }
  if (bad) mc_free(E, bad, 2 * (size_t)P.nins * sizeof *bad);
  mc_prog_free(&P);
  if (st == MC_ENONFINITE && (lo > 0 || hi < unview(roots[0])->n))   /* count them all */
    st = pass(E, roots, nroots, 0, 0, unview(roots[0])->n, NULL, NULL);
  return st;
}

/* Per-thread partial results: one slot of `size` bytes per thread. */
static void *per_thread(McEngine *E, size_t units, size_t size, int *threads) {
  *threads = mc_threads(E, units);
  void *p = mc_alloc(E, (size_t)*threads * size);
  if (p) memset(p, 0, (size_t)*threads * size);
  return p;
}

static size_t blocks_of(const McEngine *E, size_t n) { return (n + E->block - 1) / E->block; }

/* }====== */

/* {====== samples and values ====== */
/* A sample alone costs its chunk: the chunk is kept (one per engine), so
** reading samples in order costs one chunk in 1024. */
typedef struct Pick { double *out; size_t lo; } Pick;

static void visit_pick(void *ud, int tid, size_t start, size_t len, const double *const *roots) {
  Pick *p = ud;
  (void)tid;
  memcpy(p->out + (start - p->lo), roots[0], len * sizeof(double));
}

int mc_sample(McEngine *E, McNode *x, size_t i, double *v) {
  x = unview(x);
  if (mc_kept(x, i, i + 1)) { *v = x->vals[i - x->vlo]; return DIST_OK; }
  size_t lo = i / CHUNK * CHUNK, hi = lo + CHUNK < x->n ? lo + CHUNK : x->n;
  if (E->memo != x || E->memo_chunk != lo) {
    if (!E->memo_vals && !(E->memo_vals = mc_alloc(E, CHUNK * sizeof(double)))) return DIST_ENOMEM;
    E->memo = NULL;
    Pick p = {E->memo_vals, lo};
    int st = pass(E, &x, 1, 0, lo, hi, visit_pick, &p);
    if (st) return st;
    E->memo = x;
    E->memo_chunk = lo;
  }
  *v = E->memo_vals[i - lo];
  return DIST_OK;
}

typedef struct Copy { double *out; } Copy;

static void visit_copy(void *ud, int tid, size_t start, size_t len, const double *const *roots) {
  (void)tid;
  memcpy(((Copy *)ud)->out + start, roots[0], len * sizeof(double));
}

int mc_values_first(McEngine *E, McNode *x, size_t m, double **vals, int *owned) {
  x = unview(x);
  *owned = 0;
  if (x->vals && x->vhi == 0) { *vals = x->vals; x->pins++; return DIST_OK; }
  Copy c = {mc_alloc(E, m * sizeof(double))};
  if (!c.out) return DIST_ENOMEM;
  int st = pass(E, &x, 1, 0, 0, m, visit_copy, &c);
  if (st) { mc_free(E, c.out, m * sizeof(double)); return st; }
  *vals = c.out;
  *owned = 1;
  return DIST_OK;
}

void mc_values_done_first(McEngine *E, McNode *x, size_t m, double *vals, int owned) {
  x = unview(x);
  if (owned) mc_free(E, vals, m * sizeof(double));
  else if (x->pins) x->pins--;
}

int mc_values(McEngine *E, McNode *x, double **vals, int *owned) {
  return mc_values_first(E, x, unview(x)->n, vals, owned);
}

void mc_values_done(McEngine *E, McNode *x, double *vals, int owned) {
  mc_values_done_first(E, x, unview(x)->n, vals, owned);
}

int mc_keep(McEngine *E, McNode *x) {
  size_t lo, hi;
  x = unview(x);
  if (x->vals) { lru_front(E, x); return DIST_OK; }
  span(E, x, &lo, &hi);                      /* a shard keeps its samples only */
  return pass(E, &x, 1, 1, lo, hi, NULL, NULL);
}
/* }====== */

/* {====== summary ====== */
typedef struct Moments {
  XSum sum, d1, d2;
  double min, max;
  size_t nonzero;
  int seen, overflow;          /* overflow: a square beyond DBL_MAX (sd infinite) */
} Moments;

typedef struct SumPass {
  Moments *m;                  /* per thread */
  double shift;
  uint32_t *coarse;            /* NULL, or per thread: COARSE counters */
  const McGrid *grid;          /* NULL, or the grid whose buckets */
  uint32_t *gcount;            /* these count, per thread (grid->nb each), */
  double *glo, *ghi;           /* with the least and greatest sample in each */
  int nop;                     /* a condition's operands summarised too: */
  Moments *op;                 /* per thread, nop each, */
  double opshift[2];           /* about their sample 0 */
} SumPass;

/* A summary pass can also count samples by the top 16 bits of their keys
** (sign, exponent, 4 bits of mantissa: a sixteenth of an octave): the
** first narrowing of a quantile then costs no pass of its own. */
#define COARSE ((size_t)1 << 16)
static uint64_t dkey(double x);

/* Adds x[0..len) to the exact sums, chunk by chunk: a chunk's partial sums
** are fixed by its samples alone (four lanes, one order), whatever block
** it came in; a chunk that overflows a double is added sample by sample.
** The four lanes are two vectors of two (GCC/Clang vector types: SSE2 or
** NEON), each lane adding its samples in the order the scalar loop would;
** min and max are kept per lane and combined after, which can only differ
** from a scalar scan in the sign of a zero: when the chunk holds a -0 and
** its min or max is a zero, it is scanned again. */
typedef double v2d __attribute__((vector_size(16)));
typedef long long v2i __attribute__((vector_size(16)));

/* v < lo ? v : lo and v > hi ? v : hi, lane by lane (SSE2's minpd and
** maxpd are exactly these). */
#ifdef __SSE2__
#include <emmintrin.h>
static v2d vmin(v2d v, v2d lo) { return (v2d)_mm_min_pd((__m128d)v, (__m128d)lo); }
static v2d vmax(v2d v, v2d hi) { return (v2d)_mm_max_pd((__m128d)v, (__m128d)hi); }
#else
static v2d vsel(v2i m, v2d a, v2d b) {     /* m ? a : b, lane by lane */
  v2i ai, bi;
  memcpy(&ai, &a, sizeof ai);
  memcpy(&bi, &b, sizeof bi);
  ai = (ai & m) | (bi & ~m);
  memcpy(&a, &ai, sizeof a);
  return a;
}
static v2d vmin(v2d v, v2d lo) { return vsel(v < lo, v, lo); }
static v2d vmax(v2d v, v2d hi) { return vsel(v > hi, v, hi); }
#endif

/* Whether x[0..len) holds a -0 (only then can lanes change min or max). */
static int has_neg_zero(const double *x, size_t len) {
  uint64_t any = 0;
  for (size_t i = 0; i < len; i++) {
    uint64_t u;
    memcpy(&u, x + i, sizeof u);
    any |= u == UINT64_C(0x8000000000000000);
  }
  return any != 0;
}

static void minmax_scan(const double *x, size_t len, double *lo, double *hi) {
  for (size_t i = 0; i < len; i++) {
    *lo = x[i] < *lo ? x[i] : *lo;
    *hi = x[i] > *hi ? x[i] : *hi;
  }
}

static void add_chunk(Moments *m, const double *x, size_t len, double c) {
  double lo0 = m->seen ? m->min : x[0], hi0 = m->seen ? m->max : x[0];
  v2d s0 = {0, 0}, s1 = s0, d0 = s0, d1 = s0, q0 = s0, q1 = s0, zero = s0;
  v2d cv = {c, c}, lo_a = {lo0, lo0}, lo_b = lo_a, hi_a = {hi0, hi0}, hi_b = hi_a;
  v2i nz_a = {0, 0}, nz_b = nz_a;
  size_t i = 0;
  for (; i + 4 <= len; i += 4) {
    v2d va, vb;
    memcpy(&va, x + i, sizeof va);
    memcpy(&vb, x + i + 2, sizeof vb);
    v2d ea = va - cv, eb = vb - cv;
    s0 += va; s1 += vb; d0 += ea; d1 += eb; q0 += ea * ea; q1 += eb * eb;
    lo_a = vmin(va, lo_a); lo_b = vmin(vb, lo_b);
    hi_a = vmax(va, hi_a); hi_b = vmax(vb, hi_b);
    nz_a -= (va != zero); nz_b -= (vb != zero);
  }
  double s[4] = {s0[0], s0[1], s1[0], s1[1]}, d[4] = {d0[0], d0[1], d1[0], d1[1]};
  double q[4] = {q0[0], q0[1], q1[0], q1[1]};
  double lo = lo0, hi = hi0;
  size_t nz = (size_t)(nz_a[0] + nz_a[1] + nz_b[0] + nz_b[1]);
  double lanes_lo[4] = {lo_a[0], lo_a[1], lo_b[0], lo_b[1]}, lanes_hi[4] = {hi_a[0], hi_a[1], hi_b[0], hi_b[1]};
  for (int l = 0; l < 4; l++) {
    lo = lanes_lo[l] < lo ? lanes_lo[l] : lo;
    hi = lanes_hi[l] > hi ? lanes_hi[l] : hi;
  }
  if ((lo == 0 || hi == 0) && has_neg_zero(x, i)) {   /* which zero came first */
    lo = lo0; hi = hi0;
    minmax_scan(x, i, &lo, &hi);
  }
  for (; i < len; i++) {
    double v = x[i], e = v - c;
    s[0] += v; d[0] += e; q[0] += e * e;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
    nz += v != 0;
  }
  double S = (s[0] + s[1]) + (s[2] + s[3]), D = (d[0] + d[1]) + (d[2] + d[3]);
  double Q = (q[0] + q[1]) + (q[2] + q[3]);
  if (isfinite(S) && isfinite(D) && isfinite(Q)) {
    xsum_add(&m->sum, S); xsum_add(&m->d1, D); xsum_add(&m->d2, Q);
  } else {
    for (i = 0; i < len; i++) {
      double e = x[i] - c;
      xsum_add(&m->sum, x[i]);
      if (isfinite(e)) xsum_add(&m->d1, e);
      if (isfinite(e * e)) xsum_add(&m->d2, e * e); else m->overflow = 1;
    }
  }
  m->min = lo;
  m->max = hi;
  m->nonzero += nz;
  m->seen = 1;
}

static void visit_moments(void *ud, int tid, size_t start, size_t len, const double *const *roots) {
  SumPass *sp = ud;
  (void)start;
  for (size_t off = 0; off < len; off += CHUNK) {
    size_t m = len - off < CHUNK ? len - off : CHUNK;
    add_chunk(&sp->m[tid], roots[0] + off, m, sp->shift);
    for (int j = 0; j < sp->nop; j++) add_chunk(&sp->op[tid * sp->nop + j], roots[1 + j] + off, m, sp->opshift[j]);
  }
  if (sp->coarse) {
    uint32_t *c = sp->coarse + (size_t)tid * COARSE;
    for (size_t i = 0; i < len; i++) c[dkey(roots[0][i]) >> 48]++;
  }
  if (sp->grid) {
    size_t off = (size_t)tid * sp->grid->nb;
    uint32_t *c = sp->gcount + off;
    double *lo = sp->glo + off, *hi = sp->ghi + off;
    for (size_t i = 0; i < len; i++) {
      double v = roots[0][i];
      size_t b = mc_grid_bucket(sp->grid, v);
      if (c[b]++ == 0) lo[b] = hi[b] = v;
      else { lo[b] = v < lo[b] ? v : lo[b]; hi[b] = v > hi[b] ? v : hi[b]; }
    }
  }
}

/* Mean from the exact sum; variance from sums about sample 0, so there is
** no cancellation when the mean is large against the spread. */
static void finish_summary(McSummary *s, int overflow) {
  s->overflow = overflow;
  double n = (double)s->n;
  s->mean = xsum_mean(&s->sum, n);
  if (s->n < 2) { s->sd = 0; return; }
  if (overflow) { s->sd = INFINITY; return; }
  double d1 = xsum_round(&s->d1, 0), d2 = xsum_round(&s->d2, 0);
  double var = (d2 - d1 * (d1 / n)) / (n - 1);
  s->sd = var > 0 ? sqrt(var) : 0;
  if (s->min == s->max) s->sd = 0;
}

/* The grid's per-thread counters (into sp): 1, 0 out of memory. */
static int grid_scratch(McEngine *E, SumPass *sp, size_t units, int *threads) {
  size_t nb = sp->grid->nb;
  sp->gcount = per_thread(E, units, nb * sizeof(uint32_t), threads);
  sp->glo = per_thread(E, units, nb * sizeof(double), threads);
  sp->ghi = per_thread(E, units, nb * sizeof(double), threads);
  return sp->gcount && sp->glo && sp->ghi;
}

static void grid_scratch_free(McEngine *E, SumPass *sp, int threads) {
  size_t nb = sp->grid ? sp->grid->nb : 0;
  if (sp->gcount) mc_free(E, sp->gcount, (size_t)threads * nb * sizeof(uint32_t));
  if (sp->glo) mc_free(E, sp->glo, (size_t)threads * nb * sizeof(double));
  if (sp->ghi) mc_free(E, sp->ghi, (size_t)threads * nb * sizeof(double));
}

/* The sums, min, max and counts of samples [lo, hi) of x about c (sample
** 0 of the run) into s, not finished; with coarse (COARSE counters) and
** grid (an empty grid) the samples are counted in them too, all threads
** merged. An empty range gives n = 0. */
/* s (empty, about c) gets the threads' partial moments m[0], m[stride],
** ...: sums merge exactly, min and max commute. */
static void summary_init(McSummary *s, double c) {
  memset(s, 0, sizeof *s);
  s->shift = c;
  xsum_init(&s->sum); xsum_init(&s->d1); xsum_init(&s->d2);
}

static void merge_moments(McSummary *s, const Moments *ms, int threads, int stride) {
  int seen = 0;
  for (int t = 0; t < threads; t++) {
    const Moments *m = &ms[t * stride];
    if (!m->seen) continue;
    s->overflow |= m->overflow;
    xsum_merge(&s->sum, &m->sum); xsum_merge(&s->d1, &m->d1); xsum_merge(&s->d2, &m->d2);
    if (!seen || m->min < s->min) s->min = m->min;
    if (!seen || m->max > s->max) s->max = m->max;
    seen = 1;
    s->nonzero += m->nonzero;
  }
}

/* With nop operands (ops[j] about its sample 0, opsum[j].shift), their
** sums go to opsum[j] from the same pass. */
static int range_summary(McEngine *E, McNode *x, size_t lo, size_t hi, double c, McSummary *s,
                         uint32_t *coarse, McGrid *grid, McNode *const *ops, int nop, McSummary *opsum) {
  int threads, st;
  size_t units = blocks_of(E, hi - lo);
  summary_init(s, c);
  if (lo >= hi) return DIST_OK;
  SumPass sp = {per_thread(E, units, sizeof(Moments), &threads), c, NULL, grid, NULL, NULL, NULL, 0, NULL, {0, 0}};
  if (!sp.m) return DIST_ENOMEM;
  for (int t = 0; t < threads; t++) {
    xsum_init(&sp.m[t].sum); xsum_init(&sp.m[t].d1); xsum_init(&sp.m[t].d2);
  }
  st = DIST_OK;
  McNode *roots[3] = {x, NULL, NULL};
  if (nop > 0 && (sp.op = per_thread(E, units, (size_t)nop * sizeof(Moments), &threads))) {
    sp.nop = nop;
    for (int j = 0; j < nop; j++) { roots[1 + j] = ops[j]; sp.opshift[j] = opsum[j].shift; }
    for (int t = 0; t < threads * nop; t++) {
      xsum_init(&sp.op[t].sum); xsum_init(&sp.op[t].d1); xsum_init(&sp.op[t].d2);
    }
  }
  if (coarse && !(sp.coarse = per_thread(E, units, COARSE * sizeof(uint32_t), &threads))) st = DIST_ENOMEM;
  if (st == DIST_OK && grid && !grid_scratch(E, &sp, units, &threads)) st = DIST_ENOMEM;
  if (st == DIST_OK) st = pass(E, roots, 1 + sp.nop, 1, lo, hi, visit_moments, &sp);
  if (st == DIST_OK) {
    s->n = hi - lo;
    merge_moments(s, sp.m, threads, 1);
    for (int j = 0; j < sp.nop; j++) {
      opsum[j].n = hi - lo;
      merge_moments(&opsum[j], sp.op + j, threads, sp.nop);
    }
    if (coarse) {
      memcpy(coarse, sp.coarse, COARSE * sizeof(uint32_t));
      for (int t = 1; t < threads; t++)
        for (size_t b = 0; b < COARSE; b++) coarse[b] += sp.coarse[(size_t)t * COARSE + b];
    }
    for (int t = 0; grid && t < threads; t++) {
      size_t off = (size_t)t * grid->nb;
      for (size_t b = 0; b < grid->nb; b++)
        if (sp.gcount[off + b]) mc_grid_add(grid, b, sp.gcount[off + b], sp.glo[off + b], sp.ghi[off + b]);
    }
  }
  mc_free(E, sp.m, (size_t)threads * sizeof(Moments));
  if (sp.op) mc_free(E, sp.op, (size_t)threads * (size_t)nop * sizeof(Moments));
  if (sp.coarse) mc_free(E, sp.coarse, (size_t)threads * COARSE * sizeof(uint32_t));
  grid_scratch_free(E, &sp, threads);
  return st;
}

/* The operands of a comparison (P(x > 5) is most often followed by
** mean(x) or the printing of x) that have no summary yet, into ops: their
** summaries cost a few instructions a sample in the pass that computes
** them anyway, against a pass of their own later. */
static int summary_operands(McEngine *E, McNode *x, McNode **ops, McSummary *opsum) {
  int nop = 0;
  if (!((x->flags & MC_BOOL) && x->op >= MC_EQ && x->op <= MC_LE)) return 0;
  for (int j = 0; j < 2; j++) {
    McNode *k = x->kid[j] ? unview(x->kid[j]) : NULL;
    double c;
    if (!k || k->sum || k->n != x->n || (nop == 1 && ops[0] == k)) continue;
    if (mc_sample(E, k, 0, &c) != DIST_OK) continue;
    summary_init(&opsum[nop], c);
    ops[nop++] = k;
  }
  return nop;
}

/* The summary of x (of a shard's samples in a shard), and with coarse
** (COARSE counters) its samples counted by the top bits of their keys, all
** threads merged; a comparison's operands get theirs in the same pass. */
static int summary_pass(McEngine *E, McNode *x, const McSummary **out, uint32_t *coarse) {
  double c;
  size_t lo, hi;
  int st = mc_sample(E, x, 0, &c);
  if (st) return st;
  McNode *ops[2];
  McSummary opsum[2];
  int nop = summary_operands(E, x, ops, opsum);
  McSummary *s = mc_alloc(E, sizeof *s);
  if (!s) return DIST_ENOMEM;
  span(E, x, &lo, &hi);
  if ((st = range_summary(E, x, lo, hi, c, s, coarse, NULL, ops, nop, opsum)) != DIST_OK) {
    mc_free(E, s, sizeof *s);
    return st;
  }
  finish_summary(s, s->overflow);
  x->sum = s;
  *out = s;
  for (int j = 0; j < nop; j++) {
    if (opsum[j].n != s->n || ops[j]->sum) continue;   /* not summed (out of memory) */
    McSummary *t = mc_alloc(E, sizeof *t);
    if (!t) continue;
    *t = opsum[j];
    finish_summary(t, t->overflow);
    ops[j]->sum = t;
  }
  return DIST_OK;
}

int mc_summary_range(McEngine *E, McNode *x, size_t lo, size_t hi, McSummary *s, McGrid *grid) {
  return mc_summary_range_top(E, x, lo, hi, s, grid, 0);
}

int mc_summary_range_top(McEngine *E, McNode *x, size_t lo, size_t hi, McSummary *s, McGrid *grid, double top) {
  double c;
  x = unview(x);
  if (hi > x->n || lo > hi) return DIST_EBOUNDS;
  int st = mc_sample(E, x, 0, &c);
  if (st) return st;
  if (grid && !mc_grid_init(grid, top > 0 ? top : mc_grid_top(x, c))) return DIST_ENOMEM;
  st = range_summary(E, x, lo, hi, c, s, NULL, grid, NULL, 0, NULL);
  if (st != DIST_OK && grid) mc_grid_free(grid);
  return st;
}

int mc_summary_merge(McSummary *s, const McSummary *t) {
  if (s->shift != t->shift && !(isnan(s->shift) && isnan(t->shift))) return 0;
  if (t->n == 0) return 1;
  if (s->n == 0 || t->min < s->min) s->min = t->min;
  if (s->n == 0 || t->max > s->max) s->max = t->max;
  s->n += t->n;
  xsum_merge(&s->sum, &t->sum); xsum_merge(&s->d1, &t->d1); xsum_merge(&s->d2, &t->d2);
  s->nonzero += t->nonzero;
  s->overflow |= t->overflow;
  return 1;
}

void mc_summary_finish(McSummary *s) {
  if (s->n > 0) finish_summary(s, s->overflow);
}

int mc_summary(McEngine *E, McNode *x, const McSummary **out) {
  x = unview(x);
  if (x->sum) { *out = x->sum; return DIST_OK; }
  return summary_pass(E, x, out, NULL);
}
/* {====== quantiles by radix selection ====== */
/* Keys that order like the doubles (-0 as +0, so equal values tie). */
static uint64_t dkey(double x) {
  uint64_t u;
  x += 0.0;
  memcpy(&u, &x, sizeof u);
  return (u >> 63) ? ~u : (u | UINT64_C(0x8000000000000000));
}

static double keyd(uint64_t k) {
  uint64_t u = (k >> 63) ? (k & ~UINT64_C(0x8000000000000000)) : ~k;
  double x;
  memcpy(&x, &u, sizeof x);
  return x;
}

#define MAXRANGES 32          /* 16 quantiles at a time: two ranks each */
#define QGROUP 16
#define COLLECT_MAX ((size_t)1 << 20)   /* samples gathered from one range, at most (8 MB) */
#define SMALL_N ((size_t)1 << 16)       /* fewer samples are gathered and sorted at once */

/* A key range being narrowed down, split into nb buckets of 2^shift keys. */
typedef struct Range {
  uint64_t lo, hi;             /* keys in [lo, hi] */
  size_t below;                /* samples with keys < lo */
  int shift;
  size_t nb;
  uint32_t *count;             /* per thread: nb counters each */
  double *got;                 /* collected samples (collect pass) */
  size_t ngot;                 /* samples in the range */
  atomic_size_t fill;
} Range;

typedef struct Select {
  Range r[MAXRANGES];
  int nr, threads, collect;
  uint8_t *tab;                /* COARSE entries: 0, the one range + 1, or 255 */
} Select;

/* Ranges are disjoint. A sample's key is first looked up by its top 16
** bits in a table of the ranges that reach there (mark_ranges), which is
** cheap and nearly always says none. Collected samples go through a small
** buffer per range, so that threads take room in the shared array a batch
** at a time. */
#define GOT_BATCH 32
static void mark_ranges(Select *S) {
  memset(S->tab, 0, COARSE);
  for (int j = 0; j < S->nr; j++)
    for (uint64_t b = S->r[j].lo >> 48; b <= S->r[j].hi >> 48; b++)
      S->tab[b] = S->tab[b] ? 255 : (uint8_t)(j + 1);
}

static void flush_got(Range *R, const double *buf, size_t n) {
  if (n) memcpy(R->got + atomic_fetch_add(&R->fill, n), buf, n * sizeof(double));
}

static void visit_select(void *ud, int tid, size_t start, size_t len, const double *const *roots) {
  Select *S = ud;
  const double *x = roots[0];
  const uint8_t *tab = S->tab;
  double buf[MAXRANGES][GOT_BATCH];
  size_t nbuf[MAXRANGES] = {0};
  int nr = S->nr;
  (void)start;
  for (size_t i = 0; i < len; i++) {
    uint64_t k = dkey(x[i]);
    int m = tab[k >> 48];
    if (!m) continue;
    for (int j = m == 255 ? 0 : m - 1; j < (m == 255 ? nr : m); j++) {
      Range *R = &S->r[j];
      if (k < R->lo || k > R->hi) continue;
      if (!S->collect) R->count[(size_t)tid * R->nb + ((k - R->lo) >> R->shift)]++;
      else {
        buf[j][nbuf[j]++] = x[i];
        if (nbuf[j] == GOT_BATCH) { flush_got(R, buf[j], GOT_BATCH); nbuf[j] = 0; }
      }
      break;
    }
  }
  if (S->collect) for (int j = 0; j < nr; j++) flush_got(&S->r[j], buf[j], nbuf[j]);
}

static int bitlen(uint64_t v) { int b = 0; while (v) { b++; v >>= 1; } return b; }

/* Target ranks (0-based order statistics) and what is known of each. */
typedef struct Target {
  size_t rank;
  int range;                   /* index in Select, or -1 when settled */
  double value;
} Target;

static void free_ranges(McEngine *E, Select *S) {
  for (int j = 0; j < S->nr; j++) {
    Range *R = &S->r[j];
    if (R->count) mc_free(E, R->count, (size_t)S->threads * R->nb * sizeof(uint32_t));
    if (R->got) mc_free(E, R->got, (R->ngot ? R->ngot : 1) * sizeof(double));
    R->count = NULL; R->got = NULL;
  }
}

/* Adds a target's new range to next (one range per bucket). */
static int into_range(Select *next, uint64_t lo, uint64_t hi, size_t below, size_t cnt) {
  int j;
  for (j = 0; j < next->nr; j++) if (next->r[j].lo == lo) return j;
  if (j == MAXRANGES) return -1;
  memset(&next->r[j], 0, sizeof next->r[j]);
  next->r[j].lo = lo; next->r[j].hi = hi; next->r[j].below = below; next->r[j].ngot = cnt;
  next->nr++;
  return j;
}

/* One narrowing round: histogram every open range (2^16 buckets, fewer when
** many ranges are open), then move each target into its bucket (a single
** key settles it; otherwise the bucket is the next round's range). */
static int narrow(McEngine *E, McNode *x, Select *S, Target *T, size_t nt) {
  int st, bits = S->nr <= 4 ? 16 : 12;
  S->collect = 0;
  mark_ranges(S);
  size_t lo, hi;
  span(E, x, &lo, &hi);
  S->threads = mc_threads(E, blocks_of(E, hi - lo));
  for (int j = 0; j < S->nr; j++) {
    Range *R = &S->r[j];
    int b = bitlen(R->hi - R->lo);
    R->shift = b > bits ? b - bits : 0;
    R->nb = (size_t)((R->hi - R->lo) >> R->shift) + 1;
    R->count = mc_alloc(E, (size_t)S->threads * R->nb * sizeof(uint32_t));
    if (!R->count) return DIST_ENOMEM;
    memset(R->count, 0, (size_t)S->threads * R->nb * sizeof(uint32_t));
  }
  if ((st = pass(E, &x, 1, 0, lo, hi, visit_select, S)) != DIST_OK) return st;
  for (int j = 0; j < S->nr; j++) {           /* threads' counts into row 0 */
    Range *R = &S->r[j];
    for (int th = 1; th < S->threads; th++)
      for (size_t b = 0; b < R->nb; b++) R->count[b] += R->count[(size_t)th * R->nb + b];
  }
  Select next;
  next.nr = 0;
  for (size_t t = 0; t < nt; t++) {
    if (T[t].range < 0) continue;
    Range *R = &S->r[T[t].range];
    size_t acc = R->below, b;
    for (b = 0; b + 1 < R->nb && acc + R->count[b] <= T[t].rank; b++) acc += R->count[b];
    uint64_t lo = R->lo + ((uint64_t)b << R->shift), hi = lo + (((uint64_t)1 << R->shift) - 1);
    if (hi > R->hi || hi < lo) hi = R->hi;
    if (lo == hi) { T[t].value = keyd(lo); T[t].range = -1; continue; }
    if ((T[t].range = into_range(&next, lo, hi, acc, R->count[b])) < 0) return DIST_ESIZE;
  }
  free_ranges(E, S);
  next.threads = S->threads;
  next.tab = S->tab;
  next.collect = 0;
  *S = next;
  return DIST_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Selection among collected samples, by the keys dist_sort orders them by
** (-0 before +0), so that a rank gives the very sample a sort would: the
** doubles' bits are turned into keys in place, and quickselect (median of
** three, three-way partitions for runs of equal keys) finds each rank in
** linear time. */
static double sel_tokey(double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  u = (u >> 63) ? ~u : (u | UINT64_C(0x8000000000000000));
  memcpy(&x, &u, sizeof x);
  return x;
}

static double sel_fromkey(uint64_t k) { return keyd(k); }

static uint64_t kat(const double *a, size_t i) { uint64_t k; memcpy(&k, a + i, sizeof k); return k; }

static uint64_t select_rank(double *a, size_t n, size_t r) {
  size_t lo = 0, hi = n;                       /* r is in [lo, hi) */
  while (hi - lo > 16) {
    uint64_t x = kat(a, lo), y = kat(a, lo + (hi - lo) / 2), z = kat(a, hi - 1);
    uint64_t piv = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    size_t lt = lo, i = lo, gt = hi;
    while (i < gt) {
      uint64_t k = kat(a, i);
      if (k < piv) { double t = a[lt]; a[lt++] = a[i]; a[i++] = t; }
      else if (k > piv) { double t = a[--gt]; a[gt] = a[i]; a[i] = t; }
      else i++;
    }
    if (r < lt) hi = lt;
    else if (r >= gt) lo = gt;
    else return piv;
  }
  for (size_t i = lo + 1; i < hi; i++) {       /* a few left: insertion sort */
    double v = a[i];
    size_t j = i;
    for (; j > lo && kat(a, j - 1) > kat(&v, 0); j--) a[j] = a[j - 1];
    a[j] = v;
  }
  return kat(a, r);
}

/* Collects every open range (all small now) in one pass and picks the
** wanted order statistics from each. */
static int collect(McEngine *E, McNode *x, Select *S, Target *T, size_t nt) {
  int st;
  for (int j = 0; j < S->nr; j++) {
    Range *R = &S->r[j];
    if (!(R->got = mc_alloc(E, (R->ngot ? R->ngot : 1) * sizeof(double)))) return DIST_ENOMEM;
    atomic_init(&R->fill, 0);
  }
  size_t lo, hi;
  span(E, x, &lo, &hi);
  S->collect = 1;
  mark_ranges(S);
  if ((st = pass(E, &x, 1, 0, lo, hi, visit_select, S)) != DIST_OK) return st;
  for (int j = 0; j < S->nr; j++) {
    Range *R = &S->r[j];
    if (R->ngot > 64) {                       /* the wanted ranks only */
      for (size_t i = 0; i < R->ngot; i++) R->got[i] = sel_tokey(R->got[i]);
      for (size_t t = 0; t < nt; t++)
        if (T[t].range == j) T[t].value = sel_fromkey(select_rank(R->got, R->ngot, T[t].rank - R->below));
    } else {
      qsort(R->got, R->ngot, sizeof(double), cmp_double);
      for (size_t t = 0; t < nt; t++) if (T[t].range == j) T[t].value = R->got[T[t].rank - R->below];
    }
  }
  return DIST_OK;
}

/* Whether every open range is small enough to collect: a few buckets'
** worth, or everything when there are few samples. */
static int small_enough(const Select *S, size_t n) {
  for (int j = 0; j < S->nr; j++)
    if (S->r[j].ngot > (n <= SMALL_N ? SMALL_N : COLLECT_MAX) || (n > SMALL_N && S->r[j].ngot == n)) return 0;
  return 1;
}

/* Up to QGROUP quantiles: their order statistics by narrowing rounds, then
** one collecting pass, then type-7 interpolation (as dist_quantile_sorted). */
/* The first narrowing from the summary pass's coarse counts: each target
** goes to its coarse bucket, cut to [min, max]. */
static int from_coarse(Select *S, Target *T, size_t nt, const uint32_t *coarse, uint64_t kmin,
                       uint64_t kmax) {
  size_t acc = 0, b = 0;                       /* coarse[0..b) holds acc samples */
  S->nr = 0;
  for (size_t t = 0; t < nt; t++) {
    if (t > 0 && T[t].rank < T[t - 1].rank) acc = b = 0;   /* ascending ranks: one scan */
    while (b + 1 < COARSE && acc + coarse[b] <= T[t].rank) acc += coarse[b++];
    uint64_t lo = (uint64_t)b << 48, hi = lo + ((UINT64_C(1) << 48) - 1);
    if (lo < kmin) lo = kmin;
    if (hi > kmax) hi = kmax;
    if (lo == hi) { T[t].value = keyd(lo); T[t].range = -1; continue; }
    if ((T[t].range = into_range(S, lo, hi, acc, coarse[b])) < 0) return DIST_ESIZE;
  }
  return DIST_OK;
}

static int quantile_group(McEngine *E, McNode *x, const McSummary *sm, const uint32_t *coarse,
                          const double *p, size_t k, double *q, Select *S) {
  size_t n = sm->n, nt = 2 * k;
  Target T[2 * QGROUP];
  int st = DIST_OK;
  uint8_t *tab = S->tab;
  memset(S, 0, sizeof *S);
  S->tab = tab;
  S->r[0].lo = dkey(sm->min); S->r[0].hi = dkey(sm->max); S->r[0].ngot = n;
  S->nr = 1;
  for (size_t j = 0; j < k; j++) {
    size_t lo = (size_t)((double)(n - 1) * p[j]);
    if (lo > n - 1) lo = n - 1;
    T[2 * j] = (Target){lo, 0, 0};
    T[2 * j + 1] = (Target){lo + 1 < n ? lo + 1 : lo, 0, 0};
  }
  if (coarse) st = from_coarse(S, T, nt, coarse, dkey(sm->min), dkey(sm->max));
  for (int round = 0; st == DIST_OK && S->nr > 0 && !small_enough(S, n) && round < 8; round++)
    st = narrow(E, x, S, T, nt);
  if (st == DIST_OK && S->nr > 0) st = collect(E, x, S, T, nt);
  for (size_t j = 0; st == DIST_OK && j < k; j++) {
    double h = (double)(n - 1) * p[j], f = h - (double)T[2 * j].rank;
    double a = T[2 * j].value, b = T[2 * j + 1].value;
    q[j] = (f == 0 || a == b) ? a : a + f * (b - a);
  }
  free_ranges(E, S);
  return st;
}

/* The coarse counts alone (a summary made without them): a pass that
** only counts keys' top 16 bits costs a third of a narrowing round over
** [min, max], which tests every sample against the range first. */
static void visit_coarse(void *ud, int tid, size_t start, size_t len, const double *const *roots) {
  uint32_t *c = (uint32_t *)ud + (size_t)tid * COARSE;
  (void)start;
  for (size_t i = 0; i < len; i++) c[dkey(roots[0][i]) >> 48]++;
}

static int coarse_pass(McEngine *E, McNode *x, uint32_t *coarse) {
  int threads;
  size_t lo, hi;
  span(E, x, &lo, &hi);
  uint32_t *c = per_thread(E, blocks_of(E, hi - lo), COARSE * sizeof(uint32_t), &threads);
  if (!c) return DIST_ENOMEM;
  int st = pass(E, &x, 1, 0, lo, hi, visit_coarse, c);
  if (st == DIST_OK) {
    memcpy(coarse, c, COARSE * sizeof(uint32_t));
    for (int t = 1; t < threads; t++)
      for (size_t b = 0; b < COARSE; b++) coarse[b] += c[(size_t)t * COARSE + b];
  }
  mc_free(E, c, (size_t)threads * COARSE * sizeof(uint32_t));
  return st;
}

/* Without a summary yet, its pass also makes the coarse counts, which the
** first group of quantiles starts from (printing a value: two passes).
** With one (mean(x) first), a counting pass makes them when every coarse
** bucket can then be collected at once (up to COLLECT_MAX samples) and
** min and max do not share their top 16 bits; otherwise the first
** narrowing round, over [min, max], splits finer. */
int mc_quantiles(McEngine *E, McNode *x, const double *p, size_t k, double *q) {
  const McSummary *sm;
  uint32_t *coarse = NULL;
  int st;
  x = unview(x);
  for (size_t j = 0; j < k; j++) if (!(p[j] >= 0 && p[j] <= 1)) return DIST_EPROB;
  if (!x->sum && x->n > SMALL_N && !(coarse = mc_alloc(E, COARSE * sizeof *coarse))) return DIST_ENOMEM;
  if ((st = x->sum ? mc_summary(E, x, &sm) : summary_pass(E, x, &sm, coarse)) != DIST_OK) {
    mc_free(E, coarse, COARSE * sizeof *coarse);
    return st;
  }
  if (!coarse && sm->n > SMALL_N && sm->n <= COLLECT_MAX && sm->min != sm->max && dkey(sm->min) >> 48 != dkey(sm->max) >> 48) {
    if (!(coarse = mc_alloc(E, COARSE * sizeof *coarse))) return DIST_ENOMEM;
    if ((st = coarse_pass(E, x, coarse)) != DIST_OK) {
      mc_free(E, coarse, COARSE * sizeof *coarse);
      return st;
    }
  }
  Select *S = NULL;
  if (sm->min == sm->max || sm->n == 1) for (size_t j = 0; j < k; j++) q[j] = sm->min;
  else if (!(S = mc_alloc(E, sizeof *S)) || !(S->tab = mc_alloc(E, COARSE))) st = DIST_ENOMEM;
  for (size_t j = 0; S && st == DIST_OK && j < k; j += QGROUP)
    st = quantile_group(E, x, sm, j == 0 ? coarse : NULL, p + j, k - j < QGROUP ? k - j : QGROUP, q + j, S);
  if (S) mc_free(E, S->tab, COARSE);
  mc_free(E, S, sizeof *S);
  mc_free(E, coarse, COARSE * sizeof *coarse);
  return st;
}
/* }====== */

/* {====== counts below edges ====== */
typedef struct Counts {
  const double *edges;
  size_t k;
  size_t *c;                   /* per thread: k + 1 bins */
} Counts;

/* Bin j of v: the number of edges below v (so v <= edges[j] is bins 0..j). */
static void visit_counts(void *ud, int tid, size_t start, size_t len, const double *const *roots) {
  Counts *C = ud;
  size_t *c = C->c + (size_t)tid * (C->k + 1);
  (void)start;
  for (size_t i = 0; i < len; i++) {
    double v = roots[0][i];
    size_t lo = 0, hi = C->k;
    while (lo < hi) { size_t mid = (lo + hi) / 2; if (C->edges[mid] < v) lo = mid + 1; else hi = mid; }
    c[lo]++;
  }
}

int mc_counts(McEngine *E, McNode *x, const double *edges, size_t k, size_t *le) {
  int threads;
  size_t lo, hi;
  x = unview(x);
  span(E, x, &lo, &hi);
  Counts C = {edges, k, per_thread(E, blocks_of(E, hi - lo), (k + 1) * sizeof(size_t), &threads)};
  if (!C.c) return DIST_ENOMEM;
  int st = pass(E, &x, 1, 0, lo, hi, visit_counts, &C);
  size_t acc = 0;
  for (size_t j = 0; j < k; j++) {
    for (int t = 0; t < threads; t++) acc += C.c[(size_t)t * (k + 1) + j];
    le[j] = acc;
  }
  mc_free(E, C.c, (size_t)threads * (k + 1) * sizeof(size_t));
  return st;
}
/* }====== */
