/*
** vm/mcexec.c
** The thread pool and block scheduling of the Monte Carlo engine (see
** mcexec.h). Workers never allocate and never touch Lua: the main thread
** sizes every buffer before a run, so the shared memory budget (alloc.h)
** stays single-threaded. Workers block every signal; Ctrl-C and the time
** limit reach the main thread, which stops the run between blocks.
*/
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "mcexec.h"

#define DEFAULT_BLOCK 4096
#define WORKER_STACK ((size_t)512 << 10)   /* mcrank.c sorts buckets on the stack */

typedef struct McPool {
  pthread_t th[MC_MAX_THREADS];
  int n;                          /* workers: threads - 1 */
  pthread_mutex_t mu;
  pthread_cond_t go, done;
  unsigned long gen;              /* one per job */
  int running;                    /* workers not yet done with the job */
  int quit;
  void (*work)(void *arg, int tid);
  void *arg;
  pid_t pid;                      /* a forked child has no workers */
} McPool;

typedef struct Worker { McPool *pool; int tid; } Worker;
static Worker workers[MC_MAX_THREADS];

/* {====== settings ====== */
static long env_long(const char *name, long dflt) {
  const char *v = getenv(name);
  char *e;
  if (!v || !*v) return dflt;
  long x = strtol(v, &e, 10);
  return *e || x <= 0 ? dflt : x;
}

int mc_default_threads(void) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  long t = env_long("DEAL_MC_THREADS", cpus > 0 ? cpus : 1);
  return t > MC_MAX_THREADS ? MC_MAX_THREADS : (int)t;
}

void mc_engine_init(McEngine *E) {
  memset(E, 0, sizeof *E);
  long b = env_long("DEAL_MC_BLOCK", DEFAULT_BLOCK);
  b = (b + DEAL_RNG_CHUNK - 1) / DEAL_RNG_CHUNK * DEAL_RNG_CHUNK;
  E->block = (size_t)(b > (1L << 24) ? (1L << 24) : b);
  E->threads = mc_default_threads();
}
/* }====== */

/* {====== the pool ====== */
static void *worker_main(void *p) {
  Worker *w = p;
  McPool *pool = w->pool;
  unsigned long seen = 0;
  pthread_mutex_lock(&pool->mu);
  for (;;) {
    while (pool->gen == seen && !pool->quit) pthread_cond_wait(&pool->go, &pool->mu);
    if (pool->quit) break;
    seen = pool->gen;
    void (*work)(void *, int) = pool->work;
    void *arg = pool->arg;
    pthread_mutex_unlock(&pool->mu);
    work(arg, w->tid);
    pthread_mutex_lock(&pool->mu);
    if (--pool->running == 0) pthread_cond_signal(&pool->done);
  }
  pthread_mutex_unlock(&pool->mu);
  return NULL;
}

static void pool_stop(McPool *pool) {
  if (pool->pid == getpid()) {
    pthread_mutex_lock(&pool->mu);
    pool->quit = 1;
    pthread_cond_broadcast(&pool->go);
    pthread_mutex_unlock(&pool->mu);
    for (int i = 0; i < pool->n; i++) pthread_join(pool->th[i], NULL);
    pthread_mutex_destroy(&pool->mu);
    pthread_cond_destroy(&pool->go);
    pthread_cond_destroy(&pool->done);
  }
  free(pool);
}

/* Starts threads - 1 workers with every signal blocked (they inherit the
** mask). Fewer workers if the system refuses some: results do not depend
** on how many there are. */
static McPool *pool_start(int threads) {
  McPool *pool = calloc(1, sizeof *pool);
  if (!pool) return NULL;
  pthread_mutex_init(&pool->mu, NULL);
  pthread_cond_init(&pool->go, NULL);
  pthread_cond_init(&pool->done, NULL);
  pool->pid = getpid();
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setstacksize(&at, WORKER_STACK);
  for (int i = 1; i < threads; i++) {
    workers[i].pool = pool;
    workers[i].tid = i;
    if (pthread_create(&pool->th[pool->n], &at, worker_main, &workers[i]) != 0) break;
    pool->n++;
  }
  pthread_attr_destroy(&at);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return pool;
}

/* Runs work(arg, tid) on the main thread (tid 0) and every worker. */
static void pool_job(McEngine *E, int want, void (*work)(void *, int), void *arg) {
  McPool *pool = E->pool;
  if (pool && pool->pid != getpid()) { free(pool); pool = E->pool = NULL; }   /* forked */
  if (!pool && want > 1) pool = E->pool = pool_start(E->threads);
  if (!pool || pool->n == 0 || want <= 1) { work(arg, 0); return; }
  pthread_mutex_lock(&pool->mu);
  pool->work = work;
  pool->arg = arg;
  pool->running = pool->n;
  pool->gen++;
  pthread_cond_broadcast(&pool->go);
  pthread_mutex_unlock(&pool->mu);
  work(arg, 0);
  pthread_mutex_lock(&pool->mu);
  while (pool->running > 0) pthread_cond_wait(&pool->done, &pool->mu);
  pthread_mutex_unlock(&pool->mu);
}

int mc_threads(const McEngine *E, size_t units) {
  int t = E->threads;
  if (E->pool && E->pool->pid == getpid() && E->pool->n + 1 < t) t = E->pool->n + 1;
  if ((size_t)t > units) t = (int)units;
  return t < 1 ? 1 : t;
}

void mc_engine_close(McEngine *E) {
  if (E->pool) pool_stop(E->pool);
  E->pool = NULL;
  for (int i = 0; i < MC_MAX_THREADS; i++)
    if (E->scratch[i]) deal_alloc(&deal_budget, E->scratch[i], E->scratch_bytes, 0);
  memset(E->scratch, 0, sizeof E->scratch);
  E->scratch_bytes = 0;
}
/* }====== */

/* {====== runs ====== */
/* Every thread's scratch at least `bytes`, reused from run to run so that
** blocks never touch fresh pages. */
static int ensure_scratch(McEngine *E, int threads, size_t bytes) {
  if (bytes <= E->scratch_bytes) {
    for (int i = 0; i < threads; i++)
      if (!E->scratch[i] && !(E->scratch[i] = deal_alloc(&deal_budget, NULL, 0, E->scratch_bytes)))
        return DIST_ENOMEM;
    return DIST_OK;
  }
  bytes += bytes / 2;
  for (int i = 0; i < MC_MAX_THREADS; i++)
    if (E->scratch[i]) { deal_alloc(&deal_budget, E->scratch[i], E->scratch_bytes, 0); E->scratch[i] = NULL; }
  E->scratch_bytes = bytes;
  for (int i = 0; i < threads; i++)
    if (!(E->scratch[i] = deal_alloc(&deal_budget, NULL, 0, bytes))) return DIST_ENOMEM;
  return DIST_OK;
}

typedef struct RunState {
  McEngine *E;
  McTask *t;
  int nthreads;                 /* workers with a larger tid sit this one out */
  size_t nblocks, bad_words;
  atomic_size_t next;
  atomic_int cancel;
} RunState;

/* Blocks until none is left: main thread checks the limits between them. */
static void run_work(void *arg, int tid) {
  RunState *rs = arg;
  if (tid >= rs->nthreads) return;
  McEngine *E = rs->E;
  McTask *t = rs->t;
  const McProg *P = t->prog;
  size_t B = E->block;
  char *scratch = E->scratch[tid];
  uint64_t *bad = (uint64_t *)(void *)(scratch + mc_scratch_bytes(P, B));
  const double *rootp[64], **roots = P->nroots <= 64 ? rootp : (const double **)(void *)(bad + rs->bad_words);
  for (;;) {
    if (atomic_load(&rs->cancel)) return;
    if (tid == 0 && E->due && E->due()) { atomic_store(&rs->cancel, 1); return; }
    size_t b = atomic_fetch_add(&rs->next, 1);
    if (b >= rs->nblocks) return;
    size_t start = t->lo + b * B, len = t->hi - start < B ? t->hi - start : B;
    mc_exec(P, scratch, B, start, len, bad, roots);
    if (t->visit) t->visit(t->ud, tid, start, len, roots);
  }
}

int mc_run(McEngine *E, McTask *t) {
  const McProg *P = t->prog;
  size_t B = E->block, words = 2 * (size_t)P->nins;
  RunState rs;
  rs.E = E;
  rs.t = t;
  rs.nblocks = t->hi > t->lo ? (t->hi - t->lo + B - 1) / B : 0;
  rs.bad_words = words;
  atomic_init(&rs.next, 0);
  atomic_init(&rs.cancel, 0);
  int threads = rs.nthreads = mc_threads(E, rs.nblocks);
  size_t need = mc_scratch_bytes(P, B) + words * sizeof(uint64_t) +
                (P->nroots > 64 ? (size_t)P->nroots * sizeof(double *) : 0);
  if (ensure_scratch(E, threads, need) != DIST_OK) return DIST_ENOMEM;
  for (int i = 0; i < threads; i++)
    memset((char *)E->scratch[i] + mc_scratch_bytes(P, B), 0, words * sizeof(uint64_t));
  pool_job(E, threads, run_work, &rs);
  if (words) memset(t->bad, 0, words * sizeof(uint64_t));
  for (int i = 0; i < threads; i++) {
    const uint64_t *bad = (const uint64_t *)(void *)((char *)E->scratch[i] + mc_scratch_bytes(P, B));
    for (size_t w = 0; w < words; w++) t->bad[w] += bad[w];
  }
  return atomic_load(&rs.cancel) ? MC_ECANCEL : DIST_OK;
}

typedef struct ForState {
  McEngine *E;
  int nthreads;
  size_t count;
  void (*f)(void *, int, size_t);
  void *ud;
  atomic_size_t next;
  atomic_int cancel;
} ForState;

static void for_work(void *arg, int tid) {
  ForState *fs = arg;
  if (tid >= fs->nthreads) return;
  for (;;) {
    if (atomic_load(&fs->cancel)) return;
    if (tid == 0 && fs->E->due && fs->E->due()) { atomic_store(&fs->cancel, 1); return; }
    size_t i = atomic_fetch_add(&fs->next, 1);
    if (i >= fs->count) return;
    fs->f(fs->ud, tid, i);
  }
}

int mc_for(McEngine *E, size_t count, void (*f)(void *ud, int tid, size_t i), void *ud) {
  ForState fs;
  fs.E = E;
  fs.count = count;
  fs.f = f;
  fs.ud = ud;
  atomic_init(&fs.next, 0);
  atomic_init(&fs.cancel, 0);
  fs.nthreads = mc_threads(E, count);
  pool_job(E, fs.nthreads, for_work, &fs);
  return atomic_load(&fs.cancel) ? MC_ECANCEL : DIST_OK;
}
/* }====== */
