/*
** vm/explain.c
** `deal check --explain` in the model's child: the reruns. The method, and
** the report, are stdlib/_explain.lua's; this file runs the model again,
** once per probe, in a fresh state with one input pinned (samples_pin), and
** hands the claims' P back. Each rerun uses the run's seed, so every other
** input draws the samples it drew before and the P differ by the pinned
** input alone; at most DEAL_EXPLAIN_SAMPLES samples, DEAL_EXPLAIN_MAX_RUNS
** runs.
**
** The reruns happen in a forked process per phase, never beside the
** model's own state: the numeric core keeps process state (the num
** metatable's identity, the unit catalog, the time limits) that belongs to
** one live state at a time. The process writes one line per probe to a pipe:
**   R <i> <p1> <p2> ...     the claims' P (1/0 for an exact claim)
**   F <i> <message>         the rerun failed (first line of the error)
*/
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <lauxlib.h>
#include "alloc.h"
#include "arith.h"
#include "defaults.h"
#include "explain.h"
#include "hostutil.h"
#include "num.h"
#include "samples.h"

typedef struct Probe { unsigned id; double value; } Probe;

/* Pushes require("_explain"). */
static int push_module(lua_State *L) {
  lua_getglobal(L, "require");
  lua_pushliteral(L, "_explain");
  return host_docall(L, 1, 1);
}

int explain_arm(lua_State *L) {
  int st = push_module(L);
  if (st != LUA_OK) return st;
  lua_getglobal(L, "__deal");
  if (!lua_istable(L, -1)) { lua_pop(L, 2); lua_pushliteral(L, "explain: no __deal table"); return LUA_ERRRUN; }
  lua_insert(L, -2);
  lua_setfield(L, -2, "explain");             /* __deal.explain = the module */
  lua_pop(L, 1);
  return LUA_OK;
}

/* {====== the rerunning process ====== */
/* Writes the claims' P of the finished run in R: " p1 p2 ..." */
static void put_claims(lua_State *R, FILE *out) {
  lua_getglobal(R, "__deal");
  if (!lua_istable(R, -1) || lua_getfield(R, -1, "claims") != LUA_TTABLE) { lua_settop(R, 0); return; }
  lua_Integer k = luaL_len(R, -1);
  for (lua_Integer i = 1; i <= k; i++) {
    double p = 0;
    if (lua_geti(R, -1, i) == LUA_TTABLE) {
      if (lua_getfield(R, -1, "p") == LUA_TNUMBER) p = lua_tonumber(R, -1);
      else { lua_getfield(R, -2, "value"); p = lua_toboolean(R, -1); lua_pop(R, 1); }
      lua_pop(R, 1);
    }
    lua_pop(R, 1);
    fprintf(out, " %.17g", p);
  }
  lua_settop(R, 0);
}

/* One rerun with probe i pinned, reported on out. */
static void rerun(const HostOptions *o, const char *path, const Probe *p, int i, FILE *out) {
  lua_State *R = host_newstate(o);
  if (!R) { fprintf(out, "F\t%d\tcannot create a state: not enough memory\n", i); return; }
  samples_pin(R, p->id, p->value);
  host_setmodelfile(R, path);
  int st = host_loadfile(R, path, DIALECT_AUTO);
  if (st == LUA_OK) st = host_docall(R, 0, 0);
  if (st == LUA_OK) {
    fprintf(out, "R\t%d", i);
    put_claims(R, out);
    fputc('\n', out);
  } else {
    const char *msg = lua_tostring(R, -1);
    if (!msg) msg = "error";
    fprintf(out, "F\t%d\t%.*s\n", i, (int)strcspn(msg, "\t\n"), msg);
  }
  fflush(out);
  host_close(R);
}

/* The rerunning process: every probe in turn; never returns. */
static void rerunner(const HostOptions *host, const char *path, const Probe *pr, int n, int fd, double left) {
  FILE *out = fdopen(fd, "w");
  int null = open("/dev/null", O_WRONLY);
  if (null >= 0) { dup2(null, 2); close(null); }   /* a rerun's warnings were the run's already */
  if (!out) _exit(3);
#ifdef __linux__
  prctl(PR_SET_PDEATHSIG, SIGKILL);                 /* dies with the model's child */
#endif
  struct rlimit rl;
  rl.rlim_cur = rl.rlim_max = (rlim_t)left + 1;
  setrlimit(RLIMIT_CPU, &rl);
  HostOptions o = *host;
  if (o.samples > DEAL_EXPLAIN_SAMPLES) o.samples = DEAL_EXPLAIN_SAMPLES;
  o.timeout = 0;                                    /* the deadline is the caller's */
  /* The model's own state came along in the fork but is never touched here:
  ** its bytes are not this process's to count against the budget (the
  ** numeric core's pools, which would be freed, are emptied first). */
  num_pool_drain();
  arith_drain();
  deal_budget.used = deal_budget.peak = 0;
  for (int i = 0; i < n; i++) rerun(&o, path, &pr[i], i + 1, out);
  fclose(out);
  _exit(0);
}
/* }====== */

/* {====== the model's child ====== */
/* Calls _explain's function `name` with the n values on top; nres results. */
static int call(lua_State *L, const char *name, int n, int nres) {
  lua_getglobal(L, "__deal");
  lua_getfield(L, -1, "explain");
  lua_getfield(L, -1, name);
  lua_replace(L, -3);
  lua_pop(L, 1);
  lua_insert(L, -1 - n);
  return host_docall(L, n, nres);
}

/* Reads the rerunner's lines into a buffer (NUL-terminated) until it ends
** or the deadline passes; kills it then. */
static char *collect(pid_t pid, int fd, double deadline) {
  size_t len = 0, cap = 4096;
  char *buf = malloc(cap);
  for (;;) {
    if (!buf) break;
    double left = deadline - host_now();
    if (left <= 0) break;
    struct pollfd pf = {fd, POLLIN, 0};
    int r = poll(&pf, 1, (int)(left * 1000) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;
    if (len + 1024 > cap) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) break;
      buf = nb; cap *= 2;
    }
    ssize_t k = read(fd, buf + len, cap - len - 1);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    len += (size_t)k;
  }
  kill(pid, SIGKILL);                               /* done or out of time: gone either way */
  waitpid(pid, NULL, 0);
  if (buf) buf[len] = '\0';
  return buf;
}

/* Hands each line of buf to _explain.result. */
static int feed(lua_State *L, char *buf) {
  int st = LUA_OK;
  for (char *line = buf, *next; st == LUA_OK && line && *line; line = next) {
    next = strchr(line, '\n');
    if (!next) break;                               /* a line cut short by the deadline */
    *next++ = '\0';
    char *e;
    long i = strtol(line + 2, &e, 10);
    if ((line[0] != 'R' && line[0] != 'F') || line[1] != '\t' || i < 1) continue;
    lua_pushinteger(L, i);
    if (line[0] == 'R') {
      lua_newtable(L);
      for (int k = 1; *e; k++) {
        char *f;
        double p = strtod(e, &f);
        if (f == e) break;
        lua_pushnumber(L, p);
        lua_rawseti(L, -2, k);
        e = f;
      }
      lua_pushnil(L);
    } else {
      lua_pushnil(L);
      lua_pushstring(L, *e == '\t' ? e + 1 : e);
    }
    st = call(L, "result", 3, 0);
  }
  return st;
}

/* Runs the probes listed at the top of L (and pops the list). */
static int run_phase(lua_State *L, const HostOptions *host, const char *path, double deadline, int *runs) {
  int list = lua_gettop(L);
  lua_Integer n = luaL_len(L, list);
  if (n > DEAL_EXPLAIN_MAX_RUNS - *runs) n = DEAL_EXPLAIN_MAX_RUNS - *runs;   /* the rest stay unknown */
  if (n <= 0) { lua_pop(L, 1); return LUA_OK; }
  Probe *pr = malloc((size_t)n * sizeof *pr);
  if (!pr) { lua_pop(L, 1); lua_pushliteral(L, "explain: not enough memory"); return LUA_ERRMEM; }
  for (lua_Integer i = 1; i <= n; i++) {
    lua_geti(L, list, i);
    lua_getfield(L, -1, "id");
    lua_getfield(L, -2, "value");
    pr[i - 1].id = (unsigned)lua_tointeger(L, -2);
    pr[i - 1].value = lua_tonumber(L, -1);
    lua_pop(L, 3);
  }
  lua_pop(L, 1);
  *runs += (int)n;
  int fds[2];
  if (pipe(fds) != 0) { free(pr); lua_pushliteral(L, "explain: cannot create a pipe"); return LUA_ERRRUN; }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) { free(pr); close(fds[0]); close(fds[1]); lua_pushliteral(L, "explain: cannot fork"); return LUA_ERRRUN; }
  if (pid == 0) { close(fds[0]); rerunner(host, path, pr, (int)n, fds[1], deadline - host_now()); }
  close(fds[1]);
  free(pr);
  char *buf = collect(pid, fds[0], deadline);
  close(fds[0]);
  if (!buf) { lua_pushliteral(L, "explain: not enough memory"); return LUA_ERRMEM; }
  int st = feed(L, buf);
  free(buf);
  return st;
}

int explain_run(lua_State *L, const HostOptions *host, const char *path, double deadline) {
  int runs = 0, st = LUA_OK;
  for (int phase = 1; phase <= DEAL_EXPLAIN_PHASES && st == LUA_OK; phase++) {
    lua_pushinteger(L, phase);
    st = call(L, "probes", 1, 1);
    if (st == LUA_OK && luaL_len(L, -1) == 0) { lua_pop(L, 1); break; }     /* nothing left to refine */
    if (st == LUA_OK) st = run_phase(L, host, path, deadline, &runs);
  }
  if (st != LUA_OK) return st;
  return call(L, "report", 0, 1);
}
/* }====== */
