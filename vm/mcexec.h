/*
** vm/mcexec.h
** Running block programs (mcgraph.h) over a range of samples: blocks handed
** to threads as they come free, each thread with its own registers and its
** own partial results, merged after the last block in an order-free way
** (integer counts, exact sums), so a result never depends on the block size
** or the number of threads. The engine state (thread pool, scratch, the
** value cache of mcstats.c) lives in McEngine, one per Lua state.
*/
#ifndef DEAL_MCEXEC_H
#define DEAL_MCEXEC_H
#include <stddef.h>
#include <stdint.h>

#include "mcgraph.h"

#define MC_MAX_THREADS 16

/* Statuses beyond dist.h's DIST_*: a time limit or Ctrl-C stopped the run;
** samples came out NaN or infinite (McEngine.fail says where). */
enum { MC_ECANCEL = -100, MC_ENONFINITE = -101 };

struct McPool;

/* Where samples went bad: the first operation (by creation) that made NaN
** or infinite results from finite operands, and how many of each. */
typedef struct McFail {
  McNode *node;
  uint64_t nan, inf;
} McFail;

typedef struct McEngine {
  size_t block;                 /* samples per block: a multiple of DEAL_RNG_CHUNK */
  int threads;                  /* threads a run may use (1..MC_MAX_THREADS) */
  struct McPool *pool;          /* started on the first run that needs it */
  void *scratch[MC_MAX_THREADS];
  size_t scratch_bytes;         /* each */
  int (*due)(void);             /* a time limit or Ctrl-C: stop between blocks */
  /* the cache of materialised values (mcstats.c) */
  size_t cache_cap, cache_used;
  McNode *lru_head, *lru_tail;  /* most recently used first */
  void *spare[32];              /* big buffers kept for reuse (pages already */
  size_t spare_size[32];        /* touched), by their mapped size */
  int nspare;
  size_t spared;
  McNode *memo;                 /* the chunk of one node last asked for */
  size_t memo_chunk;            /* sample by sample (x:sample(i) in a loop) */
  double *memo_vals;
  const McProg *busy;           /* the program of the pass under way: its
                                   arrays may not be evicted */
  McFail fail;
  uint32_t seq;                 /* creation counter of nodes */
} McEngine;

/* Called for each block of a run with the roots' values (root r's block
** is roots[r][0..len)). tid in [0, threads) names the calling thread's
** partial results; blocks of one thread come in no particular order. */
typedef void (*McVisit)(void *ud, int tid, size_t start, size_t len, const double *const *roots);

typedef struct McTask {
  const McProg *prog;
  size_t lo, hi;                /* samples [lo, hi); lo a multiple of DEAL_RNG_CHUNK */
  McVisit visit;                /* may be NULL */
  void *ud;
  uint64_t *bad;                /* out: 2 per instruction (NaN, inf), all threads */
} McTask;

/* Settings from the environment for tests and benchmarks: DEAL_MC_THREADS
** (default: the online CPUs, at most MC_MAX_THREADS) and DEAL_MC_BLOCK
** (samples, rounded to a multiple of DEAL_RNG_CHUNK; default 4096). */
void mc_engine_init(McEngine *E);
/* Stops the threads and frees the scratch (the cache is mcstats.c's). */
void mc_engine_close(McEngine *E);
/* Threads the engine would use: the watchdog's CPU limit scales with it. */
int mc_default_threads(void);

/* Runs t: DIST_OK, DIST_ENOMEM (scratch), MC_ECANCEL (E->due said stop).
** The caller owns t->bad (2 * prog->nins counters). */
int mc_run(McEngine *E, McTask *t);
/* Threads a job of `units` independent pieces will use (tids 0..t-1). */
int mc_threads(const McEngine *E, size_t units);
/* f(ud, tid, i) for every i in [0, count), spread over the threads. */
int mc_for(McEngine *E, size_t count, void (*f)(void *ud, int tid, size_t i), void *ud);
#endif
