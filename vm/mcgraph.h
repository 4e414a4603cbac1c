/*
** vm/mcgraph.h
** The Monte Carlo engine's expression graph: what an uncertain value is
** (a node: an input drawn from a distribution, data, or an operation on
** other nodes), and how a set of nodes is compiled into a program that
** computes any block of their samples (mcexec.h runs programs over blocks
** and threads; mcstats.h asks for what statistics need). No Lua here:
** samples.c binds nodes to Lua values. Design: docs/architecture.md,
** "Monte Carlo engine".
*/
#ifndef DEAL_MCGRAPH_H
#define DEAL_MCGRAPH_H
#include <stddef.h>
#include <stdint.h>

#include "dist.h"
#include "rng.h"

/* Operations. Binary and ternary operands are nodes or constants. */
typedef enum McOp {
  MC_SRC,            /* an input drawn from a distribution (McSource) */
  MC_DATA,           /* values given in order, kept (vals) */
  MC_ADD, MC_SUB, MC_MUL, MC_DIV, MC_MOD, MC_IDIV, MC_POW, MC_UNM,
  MC_EQ, MC_LT, MC_LE, MC_AND, MC_OR, MC_NOT,
  MC_SQRT, MC_EXP, MC_LOG, MC_LOGB, MC_ABS,   /* MC_LOGB: log(x) / c[1] */
  MC_MIN, MC_MAX,
  MC_WHERE,          /* kid 0 ? kid 1 : kid 2 (truth as in Lua: not 0, not NaN) */
  MC_MIX,            /* per sample, one of kids[] chosen by weight */
  MC_VIEW            /* the same samples as kid 0 (another display unit) */
} McOp;

/* Distributions of inputs; parameters in McSource.p as for dist.h. */
typedef enum McKind {
  MK_NORMAL,         /* mu, sd */
  MK_LOGNORMAL,      /* mu, sigma of log x */
  MK_UNIFORM,        /* a, b */
  MK_TRIANGULAR,     /* a, mode, b */
  MK_PERT,           /* a, mode, b, lambda */
  MK_BETA,           /* alpha, beta */
  MK_GAMMA,          /* shape, scale */
  MK_BERNOULLI,      /* p: 1.0 or 0.0 */
  MK_DISCRETE,       /* values[k] by weights (alias table) */
  MK_EMPIRICAL       /* resampled from data[m] */
} McKind;

struct McCopula;

/* An input: a distribution and the random stream it draws from. Sample i
** is drawn from chunk i / DEAL_RNG_CHUNK of stream `stream` under `seed`
** (rng_seed_chunk), so it can be drawn again anywhere, alone. */
typedef struct McSource {
  McKind kind;
  double p[4];
  uint64_t seed;
  uint32_t stream;
  DistAlias alias;          /* MK_DISCRETE, and MC_MIX's weights */
  double *values;           /* MK_DISCRETE: k values then k weights;
                               MK_EMPIRICAL: the data */
  double *inv;              /* the copula's quantile table (mc_copula_prepare) */
  size_t nvalues;           /* k, or the data's length */
  struct McCopula *cop;     /* correlated with others, or NULL */
  int cop_i;                /* its index in cop */
} McSource;

/* Correlated inputs: a Gaussian copula. Member j's sample is its marginal's
** quantile at Phi(w_j), w = L z, z independent normals drawn from the
** members' own streams; L is the Cholesky factor of the normal correlation
** that gives the asked-for rank correlation. */
typedef struct McCopula {
  int k;
  double *L;                /* k x k, lower, row-major */
  struct McNode **members;
  int refs;                 /* members alive */
  uint32_t mark;            /* compile scratch: emitted in this program, */
  int slot;                 /* at this slot */
} McCopula;

#define MC_BOOL 1u          /* values are 0/1 (a condition) */
#define MC_ATOMS 2u         /* some values may come with positive probability */
#define MC_ZERO 4u          /* 0 may (exactly, with positive probability) */

typedef struct McSummary McSummary;

typedef struct McNode {
  uint8_t op;               /* McOp */
  uint8_t flags;
  uint8_t pins;             /* holders of vals: not evicted meanwhile */
  uint16_t nkid;            /* kids used (MC_MIX: up to 1000) */
  uint32_t seq;             /* creation order: kids come before parents */
  size_t n;                 /* samples */
  struct McNode *kid[3];    /* operands; NULL: the constant c[i] */
  double c[3];
  struct McNode **kids;     /* MC_MIX components (NULL entry: c_mix[j]) */
  double *c_mix;
  McSource *src;            /* MC_SRC, and MC_MIX's weights and stream */
  double *vals;             /* all n values: MC_DATA, or materialised */
  size_t vlo, vhi;          /* vhi > 0: vals holds samples [vlo, vhi) only (a
                               shard's window, mcshard.h), vals[i - vlo] */
  McSummary *sum;           /* memoised statistics, or NULL */
  const char *where;        /* "file:line:" of the operation (errors) */
  const char *what;         /* its name there: "'/'", "sqrt", "a to b" */
  double lo, hi;            /* a range its samples lie in (mc_bound) */
  struct McNode *lru_prev, *lru_next;   /* the cache's order (mcstats.c) */
  float cost;               /* ns a sample to compute it from kept values
                               (set when compiled; mcstats.c's cache uses it) */
  uint16_t evals;           /* passes over all samples that computed it */
  int32_t reg;              /* compile scratch */
  uint32_t mark;
} McNode;

/* {====== programs ====== */
/* Where an operand's block is: a register, an array (a materialised node,
** indexed by the block's start), or a constant. */
enum { MC_AREG, MC_AARR, MC_ACONST };
typedef struct McArg {
  uint8_t kind;
  int32_t i;
  double c;
} McArg;

typedef struct McIns {
  uint8_t op;               /* McOp, or MC_COPULA_OP */
  uint8_t check;            /* count results that are not finite */
  uint16_t narg;
  int32_t dst;              /* register */
  int32_t xarg;             /* MC_MIX: first of narg operands in xargs */
  int32_t store;            /* index in stores, or -1 */
  int32_t cop;              /* copula slot (first row of copw), or -1 */
  McArg a[3];
  McNode *node;
} McIns;

#define MC_COPULA_OP 255    /* draws a copula's w into its slot */

typedef struct McProg {
  McIns *ins;
  int nins, cap;
  McArg *xargs;
  int nxargs, xcap;
  double **arr;             /* arrays read (indexed by McArg.i) */
  int narr, acap;
  McNode **stores;          /* nodes whose values this run keeps */
  double **storebuf;
  int nstore, scap, bcap;
  int nregs;                /* registers of B doubles each */
  int copw;                 /* rows of copula scratch */
  int needidx;              /* a mixture: index scratch */
  McArg *roots;
  int nroots;
  size_t lo, hi;            /* the samples the pass covers: kept values are
                               read only when they hold all of them */
  size_t *abase;            /* arr[k] holds samples from abase[k] on */
  int abcap;
} McProg;

/* Whether x's values are kept for all of samples [lo, hi). */
static inline int mc_kept(const McNode *x, size_t lo, size_t hi) {
  return x->vals && (x->vhi == 0 || (lo >= x->vlo && hi <= x->vhi));
}

/* Compiles the values of roots[0..nroots) (all with the same n) over
** samples [lo, hi) into P:
** every node not materialised is computed, in an order where kids come
** first, with registers reused once their last reader has run. DIST_OK or
** DIST_ENOMEM. */
int mc_compile(McProg *P, McNode *const *roots, int nroots, size_t lo, size_t hi);
/* x (unviewed) if P computes it, else NULL (materialised, or not used). */
McNode *mc_prog_node(const McProg *P, McNode *x);
/* Makes P also copy x's blocks into buf (hi - lo doubles: sample i at
** buf[i - P->lo]):
** 1, 0 when P does not compute x or copies it already, -1 out of memory. */
int mc_prog_store(McProg *P, McNode *x, double *buf);
void mc_prog_free(McProg *P);

/* Thread scratch for running P with blocks of B samples. */
size_t mc_scratch_bytes(const McProg *P, size_t B);

/* Runs P on samples [start, start + len) (start a multiple of
** DEAL_RNG_CHUNK, len <= B) with the thread's scratch; bad[2 i] and
** bad[2 i + 1] count the NaN and infinite results of instruction i.
** rootp[r] receives where root r's block is. */
void mc_exec(const McProg *P, void *scratch, size_t B, size_t start, size_t len,
             uint64_t *bad, const double **rootp);
/* }====== */

/* {====== nodes ====== */
/* DIST_OK, or what is wrong with a source's parameters (checked when the
** input is made: nothing is drawn then). */
int mc_source_check(const McSource *s);
/* Draws a source's samples [start, start + len) (chunk-aligned start). */
void mc_draw(const McSource *s, size_t start, size_t len, double *out);
/* Prepares a source for the copula (its inverse CDF needs tables for
** discrete and data inputs). DIST_OK, DIST_ENOMEM. */
int mc_copula_prepare(McSource *s);
/* Frees what a source owns (not the source itself). */
void mc_source_free(McSource *s);
/* Whether the engine counts op's NaN and infinite results (everything but
** conditions, which are 0 or 1). */
int mc_op_can_fail(int op);
/* Sets x->lo, x->hi from its source or its operands' ranges (interval
** arithmetic; a normal's range is its mean +- 10 sd, past which a sample
** comes once in 10^23). Returns 1 when, within them, x may be NaN or
** infinite: a square root or log of what may be negative, a division by
** what may be zero, an overflow, a non-finite constant. */
int mc_bound(McNode *x);
/* }====== */
#endif
