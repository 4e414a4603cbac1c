/*
** vm/mcgraph.c
** Compiling a set of graph nodes into a block program, and running it on
** one block: the interpreter whose kernels are fused over the block (each
** instruction sweeps a cache-resident block of every operand, so no
** intermediate exists at full size). See mcgraph.h.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "mcgraph.h"

#define CHUNK DEAL_RNG_CHUNK
#define SQRT1_2 0.70710678118654752440

/* {====== memory ====== */
/* Growable arrays of the compiler come from the shared budget (alloc.h).
** grow returns the new array (NULL on failure: the old one stays valid and
** *cap unchanged); GROW assigns it only on success. */
static void *grown;
#define GROW(p, cap, need) \
  ((grown = grow((p), &(cap), (need), sizeof *(p))) != NULL ? ((p) = grown, 1) : 0)
static void *grow(void *p, int *cap, int need, size_t size) {
  if (need <= *cap) return p;
  int nc = *cap ? *cap * 2 : 16;
  while (nc < need) nc *= 2;
  void *q = deal_alloc(&deal_budget, p, p ? (size_t)*cap * size : 0, (size_t)nc * size);
  if (!q) return NULL;
  *cap = nc;
  return q;
}

static void release(void *p, int cap, size_t size) {
  if (p) deal_alloc(&deal_budget, p, (size_t)cap * size, 0);
}

void mc_prog_free(McProg *P) {
  release(P->ins, P->cap, sizeof *P->ins);
  release(P->xargs, P->xcap, sizeof *P->xargs);
  release(P->arr, P->acap, sizeof *P->arr);
  release(P->abase, P->abcap, sizeof *P->abase);
  release(P->stores, P->scap, sizeof *P->stores);
  release(P->storebuf, P->bcap, sizeof *P->storebuf);
  if (P->roots) deal_alloc(&deal_budget, P->roots, (size_t)P->nroots * sizeof *P->roots, 0);
  memset(P, 0, sizeof *P);
}
/* }====== */

/* {====== compiling ====== */
static uint32_t epoch;            /* marks nodes visited by one compile */

/* The node whose samples x shows: views are free. */
static McNode *unview(McNode *x) {
  while (x && x->op == MC_VIEW) x = x->kid[0];
  return x;
}

/* Operand for node x (NULL: the constant c): an array when its values are
** kept, else the instruction that computes it (a register after
** allocation). */
static int operand(McProg *P, McNode *x, double c, McArg *a) {
  x = unview(x);
  memset(a, 0, sizeof *a);
  if (!x) { a->kind = MC_ACONST; a->c = c; return 1; }
  if (mc_kept(x, P->lo, P->hi)) {
    for (int k = 0; k < P->narr; k++)
      if (P->arr[k] == x->vals) { a->kind = MC_AARR; a->i = k; return 1; }
    if (!GROW(P->arr, P->acap, P->narr + 1) || !GROW(P->abase, P->abcap, P->narr + 1)) return 0;
    P->arr[P->narr] = x->vals;
    P->abase[P->narr] = x->vhi ? x->vlo : 0;
    a->kind = MC_AARR;
    a->i = P->narr++;
    return 1;
  }
  a->kind = MC_AREG;
  a->i = x->reg;                  /* the producing instruction, for now */
  return 1;
}

static McIns *emit(McProg *P, int op, McNode *x) {
  if (!GROW(P->ins, P->cap, P->nins + 1)) return NULL;
  McIns *in = &P->ins[P->nins++];
  memset(in, 0, sizeof *in);
  in->op = (uint8_t)op;
  in->node = x;
  in->store = in->cop = in->xarg = -1;
  return in;
}

/* The copula's instruction, emitted once per program before its first
** member; returns its slot (first row of the copula scratch), -1 on
** failure. */
static int emit_copula(McProg *P, McCopula *g) {
  if (g->mark == epoch) return g->slot;
  McIns *in = emit(P, MC_COPULA_OP, g->members[0]);
  if (!in) return -1;
  in->cop = P->copw;
  in->dst = -1;
  g->mark = epoch;
  g->slot = P->copw;
  P->copw += g->k;
  return g->slot;
}

/* Kid j of x (mixture components included), unviewed; NULL for constants. */
static McNode *kid_of(McNode *x, int j) {
  return unview(x->op == MC_MIX ? x->kids[j] : x->kid[j]);
}

/* Rough cost of drawing a sample of s (ns on the project's VM): what the
** cache weighs against the memory a value takes. */
static float source_cost(const McSource *s) {
  static const float draw[] = {4, 8, 2, 5, 40, 40, 20, 2, 5, 3};
  float c = draw[s->kind];
  if (s->cop && s->kind != MK_NORMAL && s->kind != MK_LOGNORMAL)
    c += s->kind == MK_BETA || s->kind == MK_GAMMA || s->kind == MK_PERT ? 500 : 20;
  return c;
}

/* x's cost: its own, plus its operands' unless they are kept. */
static float node_cost(const McNode *x) {
  float c = x->op == MC_SRC ? source_cost(x->src) : x->op == MC_POW ? 20 :
            x->op == MC_EXP || x->op == MC_LOG || x->op == MC_LOGB ? 5 : 1;
  for (int j = 0; j < x->nkid; j++) {
    const McNode *k = kid_of((McNode *)x, j);
    if (k && !k->vals) c += k->cost;
  }
  return c;
}

/* Emits x's instruction (its operands are emitted already). */
static int emit_node(McProg *P, McNode *x) {
  McIns *in;
  if (x->op == MC_SRC && x->src->cop) {
    int slot = emit_copula(P, x->src->cop);
    if (slot < 0) return 0;
    if (!(in = emit(P, MC_SRC, x))) return 0;
    in->cop = slot + x->src->cop_i;
  } else if (!(in = emit(P, x->op, x))) return 0;
  in->check = (uint8_t)mc_op_can_fail(x->op);
  if (x->op == MC_MIX) {
    in->xarg = P->nxargs;
    in->narg = x->nkid;
    if (!GROW(P->xargs, P->xcap, P->nxargs + x->nkid)) return 0;
    for (int j = 0; j < x->nkid; j++)
      if (!operand(P, x->kids[j], x->c_mix ? x->c_mix[j] : 0, &P->xargs[P->nxargs++])) return 0;
    P->needidx = 1;
  } else if (x->op != MC_SRC) {
    in = &P->ins[P->nins - 1];
    in->narg = x->nkid;
    for (int j = 0; j < x->nkid; j++)
      if (!operand(P, x->kid[j], x->c[j], &P->ins[P->nins - 1].a[j])) return 0;
  }
  x->mark = epoch;
  x->reg = P->nins - 1;
  x->cost = node_cost(x);
  return 1;
}

/* Depth-first, kids before parents, without recursion (graphs from long
** loops are deep). */
static int order(McProg *P, McNode *root) {
  typedef struct Frame { McNode *x; int next; } Frame;
  int cap = 0, top = 0, ok = 1;
  Frame *st = NULL;
  root = unview(root);
  if (!root || mc_kept(root, P->lo, P->hi) || root->mark == epoch) return 1;
  if (!(st = grow(st, &cap, 1, sizeof *st))) return 0;
  st[top++] = (Frame){root, 0};
  while (top > 0 && ok) {
    Frame *f = &st[top - 1];
    if (f->next < f->x->nkid) {
      McNode *k = kid_of(f->x, f->next++);
      if (k && !mc_kept(k, P->lo, P->hi) && k->mark != epoch) {
        Frame *ns = grow(st, &cap, top + 1, sizeof *st);
        if (!ns) { ok = 0; break; }
        st = ns;
        st[top++] = (Frame){k, 0};
      }
      continue;
    }
    McNode *x = f->x;
    top--;
    ok = emit_node(P, x);
  }
  release(st, cap, sizeof *st);
  return ok;
}

/* Registers: an instruction's result lives until its last reader; roots
** live to the end. Operands are freed before the result is placed, so an
** instruction may write over an operand it reads (kernels are elementwise). */
static int allocate(McProg *P) {
  int n = P->nins, cap = 0, nfree = 0, *last = NULL, *freel = NULL;
  if (n == 0) return 1;
  last = deal_alloc(&deal_budget, NULL, 0, (size_t)n * sizeof *last);
  if (!last) return 0;
  for (int i = 0; i < n; i++) last[i] = i;
  for (int i = 0; i < n; i++) {
    McIns *in = &P->ins[i];
    McArg *a = in->op == MC_MIX ? &P->xargs[in->xarg] : in->a;
    for (int j = 0; j < in->narg; j++) if (a[j].kind == MC_AREG) last[a[j].i] = i;
  }
  for (int r = 0; r < P->nroots; r++) if (P->roots[r].kind == MC_AREG) last[P->roots[r].i] = n;
  for (int i = 0; i < n && cap >= 0; i++) {
    McIns *in = &P->ins[i];
    McArg *a = in->op == MC_MIX ? &P->xargs[in->xarg] : in->a;
    for (int j = 0; j < in->narg; j++)
      if (a[j].kind == MC_AREG) {
        int prod = a[j].i;
        a[j].i = P->ins[prod].dst;
        if (last[prod] == i) {                   /* its last reader: free it */
          last[prod] = -1;
          int *nf = grow(freel, &cap, nfree + 1, sizeof *freel);
          if (!nf) { cap = -1; break; }
          freel = nf;
          freel[nfree++] = P->ins[prod].dst;
        }
      }
    if (in->op == MC_COPULA_OP) continue;
    in->dst = nfree > 0 ? freel[--nfree] : P->nregs++;
  }
  for (int r = 0; r < P->nroots; r++)
    if (P->roots[r].kind == MC_AREG) P->roots[r].i = P->ins[P->roots[r].i].dst;
  deal_alloc(&deal_budget, last, (size_t)n * sizeof *last, 0);
  release(freel, cap > 0 ? cap : 0, sizeof *freel);
  return cap >= 0;
}

int mc_compile(McProg *P, McNode *const *roots, int nroots, size_t lo, size_t hi) {
  memset(P, 0, sizeof *P);
  P->lo = lo;
  P->hi = hi;
  epoch++;
  P->roots = deal_alloc(&deal_budget, NULL, 0, (size_t)(nroots ? nroots : 1) * sizeof *P->roots);
  if (!P->roots) return DIST_ENOMEM;
  P->nroots = nroots;
  int ok = 1;
  for (int r = 0; r < nroots && ok; r++) ok = order(P, roots[r]);
  for (int r = 0; r < nroots && ok; r++) ok = operand(P, roots[r], 0, &P->roots[r]);
  if (ok) ok = allocate(P);
  if (!ok) { mc_prog_free(P); return DIST_ENOMEM; }
  return DIST_OK;
}

McNode *mc_prog_node(const McProg *P, McNode *x) {
  x = unview(x);
  return x && !mc_kept(x, P->lo, P->hi) && x->mark == epoch && x->reg >= 0 && x->reg < P->nins &&
         P->ins[x->reg].node == x && P->ins[x->reg].op != MC_COPULA_OP ? x : NULL;
}

int mc_prog_store(McProg *P, McNode *x, double *buf) {
  if (!(x = mc_prog_node(P, x)) || P->ins[x->reg].store >= 0) return 0;
  if (!GROW(P->stores, P->scap, P->nstore + 1)) return -1;
  if (!GROW(P->storebuf, P->bcap, P->nstore + 1)) return -1;
  P->stores[P->nstore] = x;
  P->storebuf[P->nstore] = buf;
  P->ins[x->reg].store = P->nstore++;
  return 1;
}

size_t mc_scratch_bytes(const McProg *P, size_t B) {
  return ((size_t)P->nregs + (size_t)P->copw) * B * sizeof(double) +
         (P->needidx ? B * sizeof(uint32_t) : 0) + sizeof(double);
}
/* }====== */

/* {====== drawing inputs ====== */
void mc_draw(const McSource *s, size_t start, size_t len, double *out) {
  for (size_t off = 0; off < len; off += CHUNK) {
    size_t m = len - off < CHUNK ? len - off : CHUNK;
    deal_rng r;
    double *o = out + off;
    const double *p = s->p;
    rng_seed_chunk(&r, s->seed, s->stream, (uint32_t)((start + off) / CHUNK));
    switch (s->kind) {   /* parameters were checked when the input was made */
      case MK_NORMAL: dist_normal(&r, p[0], p[1], o, m); break;
      case MK_LOGNORMAL: dist_lognormal(&r, p[0], p[1], o, m); break;
      case MK_UNIFORM: dist_uniform(&r, p[0], p[1], o, m); break;
      case MK_TRIANGULAR: dist_triangular(&r, p[0], p[1], p[2], o, m); break;
      case MK_PERT: dist_pert(&r, p[0], p[1], p[2], p[3], o, m); break;
      case MK_BETA: dist_beta(&r, p[0], p[1], o, m); break;
      case MK_GAMMA: dist_gamma(&r, p[0], p[1], o, m); break;
      case MK_BERNOULLI: dist_bernoulli(&r, p[0], o, m); break;
      case MK_DISCRETE: dist_alias_fill(&r, &s->alias, s->values, o, m); break;
      case MK_EMPIRICAL: dist_empirical(&r, s->values, s->nvalues, o, m); break;
    }
  }
}

int mc_source_check(const McSource *s) {
  deal_rng r;
  const double *p = s->p;
  double none = 0;
  rng_seed(&r, 0);
  switch (s->kind) {     /* a draw of no samples checks the parameters */
    case MK_NORMAL: return dist_normal(&r, p[0], p[1], &none, 0);
    case MK_LOGNORMAL: return dist_lognormal(&r, p[0], p[1], &none, 0);
    case MK_UNIFORM: return dist_uniform(&r, p[0], p[1], &none, 0);
    case MK_TRIANGULAR: return dist_triangular(&r, p[0], p[1], p[2], &none, 0);
    case MK_PERT: return dist_pert(&r, p[0], p[1], p[2], p[3], &none, 0);
    case MK_BETA: return dist_beta(&r, p[0], p[1], &none, 0);
    case MK_GAMMA: return dist_gamma(&r, p[0], p[1], &none, 0);
    case MK_BERNOULLI: return dist_bernoulli(&r, p[0], &none, 0);
    default: return DIST_OK;
  }
}

/* Pairs of (value, weight) sorted by value, for the discrete quantile. */
static int cmp_pair(const void *a, const void *b) {
  const double *x = a, *y = b;
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0;
}

/* Bytes of a source's tables, by kind: discrete values carry their
** weights, and its quantile table holds values and cumulative weights. */
static size_t values_bytes(const McSource *s) {
  return s->nvalues * sizeof(double) * (s->kind == MK_DISCRETE ? 2 : 1);
}

int mc_copula_prepare(McSource *s) {
  if (s->inv || (s->kind != MK_DISCRETE && s->kind != MK_EMPIRICAL)) return DIST_OK;
  size_t k = s->nvalues, bytes = values_bytes(s);
  double *t = alloc_any(bytes);
  if (!t) return DIST_ENOMEM;
  if (s->kind == MK_EMPIRICAL) {            /* sorted data: the inverse ECDF */
    memcpy(t, s->values, bytes);
    int st = dist_sort(t, k);
    if (st) { free_any(t, bytes); return st; }
  } else {                                  /* values ascending, cumulative P */
    for (size_t j = 0; j < k; j++) { t[2 * j] = s->values[j]; t[2 * j + 1] = s->values[k + j]; }
    qsort(t, k, 2 * sizeof(double), cmp_pair);
    double total = 0, acc = 0;
    for (size_t j = 0; j < k; j++) total += t[2 * j + 1];
    for (size_t j = 0; j < k; j++) {        /* t[j] value, t[k + j] P(X <= value) */
      acc += t[2 * j + 1];
      double v = t[2 * j];
      t[2 * j + 1] = acc / total;
      t[2 * j] = v;
    }
    double *u = alloc_any(bytes);
    if (!u) { free_any(t, bytes); return DIST_ENOMEM; }
    for (size_t j = 0; j < k; j++) { u[j] = t[2 * j]; u[k + j] = t[2 * j + 1]; }
    u[2 * k - 1] = 1.0;
    free_any(t, bytes);
    t = u;
  }
  s->inv = t;
  return DIST_OK;
}

void mc_source_free(McSource *s) {
  dist_alias_free(&s->alias);
  free_any(s->values, values_bytes(s));
  free_any(s->inv, values_bytes(s));
  s->values = s->inv = NULL;
}

/* Member j of a copula: its marginal's quantile at Phi(w). Normal and
** lognormal inputs use w directly; the others need u = Phi(w) and, for
** precision in the upper tail, q = 1 - u = Phi(-w). */
static void copula_map(const McSource *s, const double *w, double *out, size_t len) {
  const double *p = s->p;
  if (s->kind == MK_NORMAL) { for (size_t i = 0; i < len; i++) out[i] = p[0] + p[1] * w[i]; return; }
  if (s->kind == MK_LOGNORMAL) { for (size_t i = 0; i < len; i++) out[i] = exp(p[0] + p[1] * w[i]); return; }
  for (size_t i = 0; i < len; i++) {
    double u = 0.5 * erfc(-w[i] * SQRT1_2), q = 0.5 * erfc(w[i] * SQRT1_2), x = 0;
    switch (s->kind) {
      case MK_UNIFORM: x = p[0] + (p[1] - p[0]) * u; if (x >= p[1]) x = p[1]; break;
      case MK_TRIANGULAR: {
        double wd = p[2] - p[0], fc = (p[1] - p[0]) / wd;
        x = u < fc ? p[0] + sqrt(u * wd * (p[1] - p[0])) : p[2] - sqrt(q * wd * (p[2] - p[1]));
        x = x < p[0] ? p[0] : x > p[2] ? p[2] : x;
        break;
      }
      case MK_PERT: {
        double wd = p[2] - p[0];
        double al = 1 + p[3] * (p[1] - p[0]) / wd, be = 1 + p[3] * (p[2] - p[1]) / wd;
        x = p[0] + wd * dist_beta_inv(al, be, u, q);
        if (x > p[2]) x = p[2];
        break;
      }
      case MK_BETA: x = dist_beta_inv(p[0], p[1], u, q); break;
      case MK_GAMMA: x = p[1] * dist_gamma_inv(p[0], u, q); break;
      case MK_BERNOULLI: x = q < p[0] ? 1.0 : 0.0; break;
      case MK_DISCRETE: {                   /* first value whose P(X <= v) > u */
        size_t k = s->nvalues, lo = 0, hi = k - 1;
        const double *cum = s->inv + k;
        while (lo < hi) { size_t mid = (lo + hi) / 2; if (cum[mid] > u) hi = mid; else lo = mid + 1; }
        x = s->inv[lo];
        break;
      }
      case MK_EMPIRICAL: {
        size_t j = (size_t)(u * (double)s->nvalues);
        x = s->inv[j < s->nvalues ? j : s->nvalues - 1];
        break;
      }
      default: break;
    }
    out[i] = x;
  }
}

#define COP_TILE 256
/* The copula's w for members 0..k-1 in rows slot..slot+k-1: z_l from
** member l's stream (the very normals a normal input would draw), then
** w = L z in place, last row first (row j reads rows 0..j). */
static void copula_draw(const McCopula *g, double *rows, size_t B, size_t start, size_t len) {
  int k = g->k;
  for (size_t off = 0; off < len; off += CHUNK) {
    size_t m = len - off < CHUNK ? len - off : CHUNK;
    for (int l = 0; l < k; l++) {
      const McSource *s = g->members[l]->src;
      deal_rng r;
      rng_seed_chunk(&r, s->seed, s->stream, (uint32_t)((start + off) / CHUNK));
      dist_normal(&r, 0.0, 1.0, rows + (size_t)l * B + off, m);
    }
  }
  for (int j = k - 1; j >= 0; j--) {     /* tiles, so the sums vectorise: */
    double *wj = rows + (size_t)j * B;   /* each sample's in the same order */
    const double *Lj = g->L + (size_t)j * (size_t)k;
    for (size_t i0 = 0; i0 < len; i0 += COP_TILE) {
      size_t m = len - i0 < COP_TILE ? len - i0 : COP_TILE;
      double acc[COP_TILE];
      for (size_t u = 0; u < m; u++) acc[u] = 0;
      for (int l = 0; l <= j; l++) {
        const double *zl = rows + (size_t)l * B + i0;
        double c = Lj[l];
        for (size_t u = 0; u < m; u++) acc[u] += c * zl[u];
      }
      memcpy(wj + i0, acc, m * sizeof(double));
    }
  }
}
/* }====== */

/* {====== running a block ====== */
int mc_op_can_fail(int op) {
  return !(op >= MC_EQ && op <= MC_NOT);
}

/* {------ ranges ------ */
/* Operand j's range: its node's, or the constant's. */
static void arg_range(const McNode *x, int j, double *lo, double *hi) {
  const McNode *k = x->op == MC_MIX ? x->kids[j] : x->kid[j];
  double c = x->op == MC_MIX ? (x->c_mix ? x->c_mix[j] : 0) : x->c[j];
  while (k && k->op == MC_VIEW) k = k->kid[0];
  if (k) { *lo = k->lo; *hi = k->hi; }
  else *lo = *hi = c;
}

static double min4(double a, double b, double c, double d) {
  double m = a < b ? a : b, n = c < d ? c : d;
  return m < n ? m : n;
}
static double max4(double a, double b, double c, double d) {
  double m = a > b ? a : b, n = c > d ? c : d;
  return m > n ? m : n;
}

/* The range of a source's samples: its support, cut at 10 sd (or the
** quantile 1e-23 of a gamma) for unbounded ones. */
static void source_range(const McSource *s, double *lo, double *hi) {
  const double *p = s->p;
  switch (s->kind) {
    case MK_NORMAL: *lo = p[0] - 10 * p[1]; *hi = p[0] + 10 * p[1]; break;
    case MK_LOGNORMAL: *lo = exp(p[0] - 10 * p[1]); *hi = exp(p[0] + 10 * p[1]); break;
    case MK_UNIFORM: *lo = p[0]; *hi = p[1]; break;
    case MK_TRIANGULAR: case MK_PERT: *lo = p[0]; *hi = p[2]; break;
    case MK_BETA: case MK_BERNOULLI: *lo = 0; *hi = 1; break;
    case MK_GAMMA: *lo = 0; *hi = p[1] * (p[0] + 12 * sqrt(p[0]) + 60); break;
    case MK_DISCRETE: case MK_EMPIRICAL: {
      *lo = *hi = s->values[0];
      for (size_t j = 1; j < s->nvalues; j++) {
        if (s->values[j] < *lo) *lo = s->values[j];
        if (s->values[j] > *hi) *hi = s->values[j];
      }
      break;
    }
  }
}

/* Interval arithmetic for op over [a1, a2] and [b1, b2]; 1 when the result
** may leave the finite numbers. bz: the divisor may be exactly zero (else a
** range through zero only makes the quotient unbounded). */
static int op_range(int op, double a1, double a2, double b1, double b2, int bz, double *lo, double *hi) {
  int bzero = b1 <= 0 && b2 >= 0;
  switch (op) {
    case MC_ADD: *lo = a1 + b1; *hi = a2 + b2; break;
    case MC_SUB: *lo = a1 - b2; *hi = a2 - b1; break;
    case MC_MUL:
      *lo = min4(a1 * b1, a1 * b2, a2 * b1, a2 * b2); *hi = max4(a1 * b1, a1 * b2, a2 * b1, a2 * b2);
      break;
    case MC_DIV: case MC_IDIV:
      if (bzero && bz) return 1;
      if (bzero) { *lo = -DBL_MAX; *hi = DBL_MAX; break; }
      *lo = min4(a1 / b1, a1 / b2, a2 / b1, a2 / b2); *hi = max4(a1 / b1, a1 / b2, a2 / b1, a2 / b2);
      if (op == MC_IDIV) { *lo = floor(*lo); *hi = floor(*hi); }
      break;
    case MC_MOD: {
      if (bzero && bz) return 1;
      double m = fabs(b1) > fabs(b2) ? fabs(b1) : fabs(b2);
      *lo = -m; *hi = m;
      break;
    }
    case MC_POW: {
      if (b1 == b2 && b1 == floor(b1) && fabs(b1) < 1e9) {        /* a whole exponent */
        if (b1 < 0 && a1 <= 0 && a2 >= 0) return 1;
        double x = pow(a1, b1), y = pow(a2, b1);
        *lo = x < y ? x : y; *hi = x > y ? x : y;
        if (a1 < 0 && a2 > 0 && fmod(b1, 2) == 0) *lo = 0;
        if (a1 < 0 && a2 > 0 && b1 > 0 && fmod(b1, 2) != 0) { *lo = x; *hi = y; }
        break;
      }
      if (a1 < 0 || (a1 == 0 && b1 <= 0)) return 1;              /* NaN, or 0 ^ -e */
      *lo = min4(pow(a1, b1), pow(a1, b2), pow(a2, b1), pow(a2, b2));
      *hi = max4(pow(a1, b1), pow(a1, b2), pow(a2, b1), pow(a2, b2));
      if (a1 < 1 && a2 > 1) { *lo = *lo < 1 ? *lo : 1; *hi = *hi > 1 ? *hi : 1; }
      break;
    }
    case MC_MIN: *lo = a1 < b1 ? a1 : b1; *hi = a2 < b2 ? a2 : b2; break;
    case MC_MAX: *lo = a1 > b1 ? a1 : b1; *hi = a2 > b2 ? a2 : b2; break;
    case MC_LOGB:
      if (!(a1 > 0) || b1 == 0 || !isfinite(b1)) return 1;
      *lo = log(a1) / b1; *hi = log(a2) / b1;
      if (*lo > *hi) { double t = *lo; *lo = *hi; *hi = t; }
      break;
    case MC_UNM: *lo = -a2; *hi = -a1; break;
    case MC_ABS:
      *hi = fabs(a1) > fabs(a2) ? fabs(a1) : fabs(a2);
      *lo = a1 <= 0 && a2 >= 0 ? 0 : (fabs(a1) < fabs(a2) ? fabs(a1) : fabs(a2));
      break;
    case MC_SQRT: if (a1 < 0) return 1; *lo = sqrt(a1); *hi = sqrt(a2); break;
    case MC_EXP: *lo = exp(a1); *hi = exp(a2); break;
    case MC_LOG: if (!(a1 > 0)) return 1; *lo = log(a1); *hi = log(a2); break;
    default: *lo = 0; *hi = 1; return 0;                          /* conditions */
  }
  return 0;
}

/* Operand j's MC_ATOMS and MC_ZERO: a constant is an atom. */
static unsigned arg_flags(const McNode *x, int j) {
  const McNode *k = x->op == MC_MIX ? x->kids[j] : x->kid[j];
  double c = x->op == MC_MIX ? (x->c_mix ? x->c_mix[j] : 0) : x->c[j];
  while (k && k->op == MC_VIEW) k = k->kid[0];
  return k ? k->flags & (MC_ATOMS | MC_ZERO) : MC_ATOMS | (c == 0 ? MC_ZERO : 0);
}

/* Whether a source's values come with positive probability (and 0 among
** them): discrete ones, data; continuous distributions have no atoms. */
static unsigned source_flags(const McSource *s) {
  if (s->kind == MK_BERNOULLI) return MC_ATOMS | (s->p[0] < 1 ? MC_ZERO : 0);
  if (s->kind != MK_DISCRETE && s->kind != MK_EMPIRICAL) return 0;
  for (size_t j = 0; j < s->nvalues; j++) if (s->values[j] == 0) return MC_ATOMS | MC_ZERO;
  return MC_ATOMS;
}

/* x's operand j seen through views (which hold the same samples). */
static const McNode *unviewed(const McNode *x, int j) {
  const McNode *k = x->kid[j];
  while (k && k->op == MC_VIEW) k = k->kid[0];
  return k;
}

/* x's atoms from its operands': a sum of an atom-free value and anything
** else is atom-free, unless both are the same value (x - x is 0); a product
** is zero when a factor is, or when it may underflow (its range ends at 0
** though its operands are atom-free); min, max and where keep their
** operands' atoms. */
static unsigned op_flags(const McNode *x, double lo, double hi) {
  unsigned a = arg_flags(x, 0), b = x->nkid > 1 ? arg_flags(x, 1) : 0, f = 0;
  int same = x->nkid > 1 && x->op != MC_MIX && unviewed(x, 0) && unviewed(x, 0) == unviewed(x, 1);
  int span0 = lo <= 0 && hi >= 0, ends0 = lo == 0 || hi == 0;
  switch (x->op) {
    case MC_ADD: case MC_SUB:
      f = ((a & b & MC_ATOMS) || same) ? MC_ATOMS : 0;
      if (f && span0) f |= MC_ZERO;
      break;
    case MC_MUL: f = ((a | b) & MC_ATOMS) | ((a | b) & MC_ZERO) | (ends0 ? MC_ATOMS | MC_ZERO : 0); break;
    case MC_DIV: case MC_POW:
      f = ((a | b) & MC_ATOMS) | (a & MC_ZERO) | (same ? MC_ATOMS : 0) | (ends0 ? MC_ATOMS | MC_ZERO : 0);
      break;
    case MC_MOD: case MC_IDIV: f = MC_ATOMS | (span0 ? MC_ZERO : 0); break;
    case MC_UNM: case MC_ABS: case MC_SQRT: f = a; break;
    case MC_EXP: f = (a & MC_ATOMS) | (lo <= 0 ? MC_ZERO : 0); break;
    case MC_LOG: case MC_LOGB: f = a & MC_ATOMS ? MC_ATOMS | (span0 ? MC_ZERO : 0) : 0; break;
    case MC_MIN: case MC_MAX: f = a | b; break;
    case MC_WHERE: f = arg_flags(x, 1) | arg_flags(x, 2); break;
    case MC_MIX: for (int j = 0; j < x->nkid; j++) f |= arg_flags(x, j); break;
    default: f = MC_ATOMS | MC_ZERO; break;                       /* conditions */
  }
  return f;
}

int mc_bound(McNode *x) {
  double a1 = 0, a2 = 0, b1 = 0, b2 = 0, lo = -INFINITY, hi = INFINITY;
  int risky = 0;
  unsigned f = 0;
  switch (x->op) {
    case MC_SRC: source_range(x->src, &lo, &hi); f = source_flags(x->src); break;
    case MC_DATA:
      lo = hi = x->vals[0];
      f = MC_ATOMS;
      for (size_t i = 0; i < x->n; i++) {
        lo = x->vals[i] < lo ? x->vals[i] : lo;
        hi = x->vals[i] > hi ? x->vals[i] : hi;
        if (x->vals[i] == 0) f |= MC_ZERO;
      }
      break;
    case MC_VIEW: lo = x->kid[0]->lo; hi = x->kid[0]->hi; f = x->kid[0]->flags; break;
    case MC_MIX: case MC_WHERE:
      for (int j = x->op == MC_WHERE; j < x->nkid; j++) {
        arg_range(x, j, &a1, &a2);
        if (j == (x->op == MC_WHERE) || a1 < lo) lo = a1;
        if (j == (x->op == MC_WHERE) || a2 > hi) hi = a2;
      }
      f = op_flags(x, lo, hi);
      break;
    default:
      arg_range(x, 0, &a1, &a2);
      if (x->nkid > 1) arg_range(x, 1, &b1, &b2);
      risky = op_range(x->op, a1, a2, b1, b2, x->nkid > 1 && (arg_flags(x, 1) & MC_ZERO), &lo, &hi);
      f = op_flags(x, lo, hi);
      break;
  }
  x->flags = (uint8_t)((x->flags & MC_BOOL) | (f & (MC_ATOMS | MC_ZERO)));
  if (!mc_op_can_fail(x->op)) { x->lo = 0; x->hi = 1; return 0; }
  if (risky || !isfinite(lo) || !isfinite(hi)) { x->lo = -INFINITY; x->hi = INFINITY; return 1; }
  x->lo = lo;
  x->hi = hi;
  return 0;
}
/* }------ */

static double lmod(double x, double y) {
  double m = fmod(x, y);
  if (m != 0 && (m > 0) != (y > 0)) m += y;   /* Lua's rule: the sign of y */
  return m;
}

static int truth(double x) { return x != 0 && x == x; }

/* Pointer to an operand's block (NULL for a constant). */
static const double *blockof(const McProg *P, const McArg *a, double *regs, size_t B, size_t start) {
  switch (a->kind) {
    case MC_AREG: return regs + (size_t)a->i * B;
    case MC_AARR: return P->arr[a->i] + (start - P->abase[a->i]);
    default: return NULL;
  }
}

/* r = EXPR(x, y) over the block, x and y from arrays or constants. */
#define LOOP2(EXPR) do {     if (pa && pb) for (size_t i = 0; i < len; i++) { double x = pa[i], y = pb[i]; r[i] = (EXPR); }     else if (pa) for (size_t i = 0; i < len; i++) { double x = pa[i], y = cb; r[i] = (EXPR); }     else if (pb) for (size_t i = 0; i < len; i++) { double x = ca, y = pb[i]; r[i] = (EXPR); }     else { double x = ca, y = cb, v = (EXPR); for (size_t i = 0; i < len; i++) r[i] = v; }   } while (0)
#define LOOP1(EXPR) do {     if (pa) for (size_t i = 0; i < len; i++) { double x = pa[i]; r[i] = (EXPR); }     else { double x = ca, v = (EXPR); for (size_t i = 0; i < len; i++) r[i] = v; }   } while (0)

static void binary(int op, const double *pa, double ca, const double *pb, double cb,
                   double *r, size_t len) {
  switch (op) {
    case MC_ADD: LOOP2(x + y); break;
    case MC_SUB: LOOP2(x - y); break;
    case MC_MUL: LOOP2(x * y); break;
    case MC_DIV: LOOP2(x / y); break;
    case MC_MOD: LOOP2(lmod(x, y)); break;
    case MC_IDIV: LOOP2(floor(x / y)); break;
    case MC_POW:
      if (!pb && cb == 2) LOOP1(x * x);
      else if (!pb && cb == 0.5) LOOP1(sqrt(x));
      else LOOP2(pow(x, y));
      break;
    case MC_EQ: LOOP2((double)(x == y)); break;
    case MC_LT: LOOP2((double)(x < y)); break;
    case MC_LE: LOOP2((double)(x <= y)); break;
    case MC_AND: LOOP2((double)(truth(x) && truth(y))); break;
    case MC_OR: LOOP2((double)(truth(x) || truth(y))); break;
    case MC_MIN: LOOP2(y < x ? y : x); break;
    case MC_MAX: LOOP2(y > x ? y : x); break;
    case MC_LOGB: LOOP2(log(x) / y); break;
  }
}

static void unary(int op, const double *pa, double ca, double *r, size_t len) {
  switch (op) {
    case MC_UNM: LOOP1(-x); break;
    case MC_NOT: LOOP1((double)!truth(x)); break;
    case MC_SQRT: LOOP1(sqrt(x)); break;
    case MC_EXP: LOOP1(exp(x)); break;
    case MC_LOG: LOOP1(log(x)); break;
    case MC_ABS: LOOP1(fabs(x)); break;
  }
}

/* Mixture: per chunk, the component of each sample from the mixture's own
** stream, then the chosen operand's value. */
static void mixture(const McProg *P, const McIns *in, double *regs, uint32_t *idx, size_t B,
                    size_t start, size_t len, double *r) {
  const McSource *s = in->node->src;
  for (size_t off = 0; off < len; off += CHUNK) {
    size_t m = len - off < CHUNK ? len - off : CHUNK;
    deal_rng g;
    rng_seed_chunk(&g, s->seed, s->stream, (uint32_t)((start + off) / CHUNK));
    dist_alias_index(&g, &s->alias, idx + off, m);
  }
  for (size_t i = 0; i < len; i++) {
    const McArg *a = &P->xargs[in->xarg + (int)idx[i]];
    const double *p = blockof(P, a, regs, B, start);
    r[i] = p ? p[i] : a->c;
  }
}

/* NaN and infinite results of one instruction: a vectorised test first
** (blocks are nearly always clean), the count only when it fails. */
static void count_bad(const double *r, size_t len, uint64_t *bad) {
  if (dist_allfinite(r, len)) return;
  uint64_t nan = 0, all = 0;
  for (size_t i = 0; i < len; i++) {
    double v = r[i], d = v - v;            /* d is NaN exactly when v is NaN or inf */
    nan += v != v;
    all += d != d;
  }
  bad[0] += nan;
  bad[1] += all - nan;
}

void mc_exec(const McProg *P, void *scratch, size_t B, size_t start, size_t len,
             uint64_t *bad, const double **rootp) {
  double *regs = scratch, *copw = regs + (size_t)P->nregs * B;
  uint32_t *idx = (uint32_t *)(void *)(copw + (size_t)P->copw * B);
  for (int k = 0; k < P->nins; k++) {
    const McIns *in = &P->ins[k];
    if (in->op == MC_COPULA_OP) {
      copula_draw(in->node->src->cop, copw + (size_t)in->cop * B, B, start, len);
      continue;
    }
    double *r = regs + (size_t)in->dst * B;
    const double *pa = in->narg > 0 ? blockof(P, &in->a[0], regs, B, start) : NULL;
    const double *pb = in->narg > 1 ? blockof(P, &in->a[1], regs, B, start) : NULL;
    double ca = in->a[0].c, cb = in->a[1].c;
    switch (in->op) {
      case MC_SRC:
        if (in->cop >= 0) copula_map(in->node->src, copw + (size_t)in->cop * B, r, len);
        else mc_draw(in->node->src, start, len, r);
        break;
      case MC_UNM: case MC_NOT: case MC_SQRT: case MC_EXP: case MC_LOG: case MC_ABS:
        unary(in->op, pa, ca, r, len);
        break;
      case MC_WHERE: {
        const double *pc = blockof(P, &in->a[2], regs, B, start);
        double cc = in->a[2].c;
        for (size_t i = 0; i < len; i++)
          r[i] = truth(pa ? pa[i] : ca) ? (pb ? pb[i] : cb) : (pc ? pc[i] : cc);
        break;
      }
      case MC_MIX: mixture(P, in, regs, idx, B, start, len, r); break;
      default: binary(in->op, pa, ca, pb, cb, r, len); break;
    }
    if (in->check) count_bad(r, len, bad + 2 * k);
    if (in->store >= 0) memcpy(P->storebuf[in->store] + (start - P->lo), r, len * sizeof(double));
  }
  for (int j = 0; j < P->nroots; j++) rootp[j] = blockof(P, &P->roots[j], regs, B, start);
}
/* }====== */
