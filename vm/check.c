/*
** vm/check.c
** `deal check PATH...`: runs every .deal model under the paths and gates
** on their claims. Each model runs in a forked child (its own state, with
** rlimits), so a crash, a runaway loop or a memory blow-up in one model is
** reported and the others still run. The child sends its claims back
** through a pipe as tab-separated lines:
**   C <holds 0/1> <p or -1> <value 0/1/-1> <threshold> <line> <file> <text>
**   E <message>            the model raised an error
**   T <message>            it was stopped at its time limit
**   X <claim index> <text> <json>   --explain: explain.c's analysis of a claim
**   J <the claim as the JSON object of `deal --json` (export.c), one per C line>
**   D                      done: every claim was sent
** (text and message with \t, \n and \\ escaped). Claims count only with
** the D line and a clean exit. Whatever was asked for and not run (an
** unreadable folder, a folder without models) is an error too. Exit
** status: 0 when every claim holds and every model ran, 1 otherwise, 2 on
** usage errors. The options are cli.c's (cli_check); the limits default to
** defaults.h's DEAL_CHECK_*. Test hook (deal-test only): DEAL_CHECK_CRASH
** makes a model crash, after sending DEAL_CHECK_CRASH_AFTER.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include "check.h"
#include "claimtab.h"
#include "cli.h"
#include "defaults.h"
#include "diag.h"
#include "explain.h"
#include "export.h"
#include "host.h"
#include "hostutil.h"
#include "json.h"
#include "runlimits.h"
#include "num.h"

#define MAXOUT (16u << 20)       /* claims text a child may send */

/* ASan reserves terabytes of shadow memory: no address-space rlimit then. */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

typedef struct Opts {
  int json;
  int explain;                   /* --explain: the child reruns the model (explain.c) */
  int jobs;                      /* models run at once (-j) */
  double timeout;                /* wall-clock seconds per model */
  HostOptions host;              /* the child's state, with that time limit: the hook
                                    stops a model at its line; the parent is a backstop */
} Opts;

/* What the paths name: the models to run, and what could not be searched,
** with the reason. Nothing asked for is dropped without a word: a folder
** that cannot be read, a path too long to open, a path with no model is an
** entry with `skip` set, reported as an error (the gate never passes by
** skipping). */
typedef struct Entry { char *path, *skip; } Entry;
typedef struct Files {
  Entry *v;
  size_t n, cap;
  struct { dev_t dev; ino_t ino; } *seen;   /* folders searched: each once */
  size_t nseen, capseen;
} Files;

/* {====== collecting the models ====== */
/* Adds path (and, for an entry that cannot run, why); 0 when out of memory. */
static int add_entry(Files *f, const char *path, const char *skip) {
  if (f->n == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 64;
    Entry *v = realloc(f->v, cap * sizeof *v);
    if (!v) return 0;
    f->v = v; f->cap = cap;
  }
  Entry *e = &f->v[f->n];
  e->path = strdup(path);
  e->skip = skip ? strdup(skip) : NULL;
  if (!e->path || (skip && !e->skip)) { free(e->path); free(e->skip); return 0; }
  f->n++;
  return 1;
}

/* "cannot open folder: Permission denied" and the like. */
static int add_problem(Files *f, const char *path, const char *what, int err) {
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  return add_entry(f, path, msg);
}

/* Marks the folder as searched; 0 when it already was (a symlink to a
** folder seen before, or to one of its own parents), -1 out of memory. */
static int first_visit(Files *f, const struct stat *st) {
  for (size_t i = 0; i < f->nseen; i++)
    if (f->seen[i].dev == st->st_dev && f->seen[i].ino == st->st_ino) return 0;
  if (f->nseen == f->capseen) {
    size_t cap = f->capseen ? f->capseen * 2 : 64;
    void *v = realloc(f->seen, cap * sizeof *f->seen);
    if (!v) return -1;
    f->seen = v; f->capseen = cap;
  }
  f->seen[f->nseen].dev = st->st_dev;
  f->seen[f->nseen++].ino = st->st_ino;
  return 1;
}

typedef struct Names { char **v; size_t n; } Names;

static void free_names(Names *nm) {
  for (size_t i = 0; i < nm->n; i++) free(nm->v[i]);
  free(nm->v);
}

/* The entries of dir, except hidden ones, read and closed before any is
** visited (a deep tree holds no descriptors open). 1, 0 out of memory, or
** -1 with errno when the folder cannot be read. */
static int read_names(const char *dir, Names *nm) {
  DIR *d = opendir(dir);
  size_t cap = 0;
  nm->v = NULL; nm->n = 0;
  if (!d) return -1;
  for (;;) {
    errno = 0;
    struct dirent *e = readdir(d);
    if (!e) break;
    if (e->d_name[0] == '.') continue;
    if (nm->n == cap) {
      cap = cap ? cap * 2 : 32;
      char **v = realloc(nm->v, cap * sizeof *v);
      if (!v) { closedir(d); free_names(nm); return 0; }
      nm->v = v;
    }
    if (!(nm->v[nm->n] = strdup(e->d_name))) { closedir(d); free_names(nm); return 0; }
    nm->n++;
  }
  int err = errno;
  closedir(d);
  if (err) { free_names(nm); errno = err; return -1; }
  return 1;
}

/* Every .deal under dir: hidden entries skipped, symbolic links followed,
** each folder searched once. 0 when out of memory. */
static int walk(Files *f, const char *dir) {
  Names nm;
  int r = read_names(dir, &nm);
  if (r < 0) return add_problem(f, dir, "cannot read folder", errno);
  if (r == 0) return 0;
  int ok = 1;
  size_t dl = strlen(dir);
  for (size_t i = 0; ok && i < nm.n; i++) {
    struct stat st;
    size_t len = dl + 1 + strlen(nm.v[i]);
    char *path = malloc(len + 1);            /* on the heap: trees may be deep */
    if (!path) { ok = 0; break; }
    int slash = dl == 0 || dir[dl - 1] != '/';  /* "models/" + "a.deal": one slash */
    snprintf(path, len + 1, "%s%s%s", dir, slash ? "/" : "", nm.v[i]);
    if (len >= PATH_MAX) ok = add_problem(f, path, "cannot search", ENAMETOOLONG);
    else if (stat(path, &st) != 0) {
      int err = errno;
      if (host_endswith(path, ".deal") || lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        ok = add_problem(f, path, "cannot open", err);
      /* else a dangling link that does not look like a model: not one */
    } else if (S_ISDIR(st.st_mode)) {
      int first = first_visit(f, &st);
      ok = first < 0 ? 0 : first == 0 || walk(f, path);
    } else if (host_endswith(nm.v[i], ".deal")) ok = add_entry(f, path, NULL);
    free(path);
  }
  free_names(&nm);
  return ok;
}

static int cmp_entry(const void *a, const void *b) {
  return strcmp(((const Entry *)a)->path, ((const Entry *)b)->path);
}

/* The models under one command-line path, sorted; a folder without any is
** an error, not a pass. 0 when out of memory. */
static int collect(Files *f, const char *path, const struct stat *st) {
  size_t before = f->n;
  if (!S_ISDIR(st->st_mode)) return add_entry(f, path, NULL);
  if (first_visit(f, st) < 0 || !walk(f, path)) return 0;
  if (f->n == before) return add_entry(f, path, "no .deal models in this folder");
  qsort(f->v + before, f->n - before, sizeof *f->v, cmp_entry);
  return 1;
}
/* }====== */

/* {====== the child: run one model, report its claims ====== */
static void put_escaped(FILE *out, const char *s) {
  for (; *s; s++) {
    if (*s == '\t') fputs("\\t", out);
    else if (*s == '\n') fputs("\\n", out);
    else if (*s == '\\') fputs("\\\\", out);
    else fputc(*s, out);
  }
}

/* Runs in protected mode: writes one C line per entry of __deal.claims. */
static int report_claims(lua_State *L) {
  FILE *out = lua_touserdata(L, 1);
  lua_getglobal(L, "__deal");
  if (!lua_istable(L, -1) || lua_getfield(L, -1, "claims") != LUA_TTABLE) return 0;
  lua_Integer k = luaL_len(L, -1);
  for (lua_Integer i = 1; i <= k; i++) {
    if (lua_geti(L, -1, i) != LUA_TTABLE) { lua_pop(L, 1); continue; }
    int c = lua_gettop(L);
    lua_getfield(L, c, "holds");
    lua_getfield(L, c, "p");
    lua_getfield(L, c, "value");
    lua_getfield(L, c, "threshold");
    lua_getfield(L, c, "text");
    lua_getfield(L, c, "line");
    lua_getfield(L, c, "file");
    fprintf(out, "C\t%d\t%.17g\t%d\t%.17g\t%ld\t", lua_toboolean(L, c + 1),
            lua_isnumber(L, c + 2) ? lua_tonumber(L, c + 2) : -1.0,
            lua_isboolean(L, c + 3) ? lua_toboolean(L, c + 3) : -1,
            lua_isnumber(L, c + 4) ? lua_tonumber(L, c + 4) : -1.0,
            lua_isinteger(L, c + 6) ? (long)lua_tointeger(L, c + 6) : 0L);
    put_escaped(out, lua_isstring(L, c + 7) ? lua_tostring(L, c + 7) : "");
    fputc('\t', out);
    put_escaped(out, lua_isstring(L, c + 5) ? lua_tostring(L, c + 5) : "?");
    fputc('\n', out);
    lua_settop(L, c - 1);
  }
  return 0;
}

/* Runs in protected mode: one X line per entry of the list at 2 (explain_run's). */
static int report_explain(lua_State *L) {
  FILE *out = lua_touserdata(L, 1);
  lua_Integer k = luaL_len(L, 2);
  for (lua_Integer i = 1; i <= k; i++) {
    if (lua_geti(L, 2, i) != LUA_TTABLE) { lua_pop(L, 1); continue; }
    lua_getfield(L, -1, "text");
    lua_getfield(L, -2, "json");
    fprintf(out, "X\t%d\t", (int)i);
    put_escaped(out, lua_isstring(L, -2) ? lua_tostring(L, -2) : "");
    fputc('\t', out);
    put_escaped(out, lua_isstring(L, -1) ? lua_tostring(L, -1) : "{}");
    fputc('\n', out);
    lua_pop(L, 3);
  }
  return 0;
}

/* An E line (the model raised an error) or a T line (it was stopped at
** the time limit or by Ctrl-C): the first line of the message. */
static void child_error(FILE *out, char kind, const char *msg) {
  fputc(kind, out);
  fputc('\t', out);
  put_escaped(out, msg ? msg : "(error object is not a string)");
  fputc('\n', out);
}

/* The parent's backstop for one model: past the child's own limit and its
** watchdog (runlimits.c: a second after the deadline). */
static double backstop(double timeout) {
  return timeout + 3;
}

/* The child's watchdog report (runlimits.c, inside a signal handler): a T
** line straight to the pipe, past whatever stdio still holds. */
static int watchdog_fd = -1;
static void watchdog_line(const char *msg) {
  if (write(watchdog_fd, "T\t", 2) < 0 || write(watchdog_fd, msg, strlen(msg)) < 0 ||
      write(watchdog_fd, "\n", 1) < 0) {
    /* the parent reports the exit status instead */
  }
}

void check_setlimits(size_t max_memory, double timeout) {
  struct rlimit rl;
  rl.rlim_cur = rl.rlim_max = 0;
  setrlimit(RLIMIT_CORE, &rl);
  if (!UNDER_ASAN && max_memory != HOST_UNLIMITED && max_memory <= (size_t)-1 / DEAL_CHECK_AS_FACTOR) {
    rl.rlim_cur = rl.rlim_max = (rlim_t)max_memory * DEAL_CHECK_AS_FACTOR;
    setrlimit(RLIMIT_AS, &rl);
  }
  rl.rlim_cur = (rlim_t)backstop(timeout);       /* runlimits.c sets its own, lower */
  rl.rlim_max = rl.rlim_cur + 1;
  setrlimit(RLIMIT_CPU, &rl);
}

/* The child: limits, a fresh state, the model, its claims, and a D line
** last: without it the parent counts nothing (a crash or a cut pipe
** part-way through the claims). Never returns. */
static void child(const Opts *o, const char *path, int fd) {
  double started = host_now();
  FILE *out = fdopen(fd, "w");
  int devnull = open("/dev/null", O_WRONLY);
  if (devnull >= 0) { dup2(devnull, 1); close(devnull); }   /* the model's prints */
  if (!out) _exit(3);
  check_setlimits(o->host.max_memory, o->timeout);
#ifdef DEAL_TEST_HOOKS
  if (getenv("DEAL_CHECK_CRASH") && strstr(path, getenv("DEAL_CHECK_CRASH"))) {
    const char *after = getenv("DEAL_CHECK_CRASH_AFTER");   /* claims sent first */
    if (after) { fputs(after, out); fflush(out); }
    signal(SIGSEGV, SIG_DFL);                /* not the sanitizer's handler */
    raise(SIGSEGV);                          /* tests/claims: a crashing model */
  }
#endif
  watchdog_fd = fd;
  limits_onwatchdog(watchdog_line);
  lua_State *L = host_newstate(&o->host);
  if (!L) { child_error(out, 'E', "cannot create state: not enough memory"); fclose(out); _exit(1); }
  host_setmodelfile(L, path);
  int st = o->explain ? explain_arm(L) : LUA_OK;
  if (st == LUA_OK) st = host_loadfile(L, path, DIALECT_AUTO);
  if (st == LUA_OK) st = host_docall(L, 0, 0);
  if (st == LUA_OK) {
    lua_pushcfunction(L, report_claims);
    lua_pushlightuserdata(L, out);
    st = host_docall(L, 1, 0);
  }
  if (st == LUA_OK) {                          /* the same claims as deal --json writes */
    lua_pushcfunction(L, export_claim_lines);
    lua_pushlightuserdata(L, out);
    st = host_docall(L, 1, 0);
  }
  if (st == LUA_OK && o->explain) {              /* before the time limit: 95% of it */
    fflush(out);                                 /* nothing buffered when explain.c forks */
    st = explain_run(L, &o->host, path, started + o->timeout * 0.95);
    if (st == LUA_OK) {
      lua_pushcfunction(L, report_explain);
      lua_pushlightuserdata(L, out);
      lua_pushvalue(L, -3);
      st = host_docall(L, 2, 0);
    }
  }
  if (st != LUA_OK) child_error(out, limits_tripped() ? 'T' : 'E', lua_tostring(L, -1));
  else fputs("D\n", out);
  int written = fclose(out) == 0;
  host_close(L);                               /* leak-free under valgrind too */
  _exit(st == LUA_OK && written ? 0 : 1);
}
/* }====== */

/* {====== the parent: watchdog, parsing, reporting ====== */
typedef struct Claim {
  char *text, *file;
  char *xtext, *xjson;           /* --explain's analysis (X line), or NULL */
  int holds, value;
  long line;
  double p, thr;
  char *json;                    /* the object --json writes (J line), or NULL */
} Claim;

typedef struct Result {
  const char *path;
  enum { CK_OK, CK_ERROR, CK_CRASH, CK_TIMEOUT, CK_NOTRUN } status;
  char *error;                   /* CK_ERROR, CK_NOTRUN (why), CK_TIMEOUT (where, if known) */
  int sig;
  Claim *c;
  size_t nc, nj;                 /* claims, and J lines matched to them */
} Result;

/* A model under way: its child, the pipe it reports through, what came. */
typedef struct Job {
  Result *res;
  pid_t pid;
  int fd;                        /* -1: not running */
  double deadline;               /* the parent's backstop */
  char *buf;
  size_t len, cap;
  int got;                       /* 1 EOF, 0 past the deadline, -1 more than MAXOUT */
} Job;

/* Reads what the child's pipe holds now: 1 while it stays open, 0 when
** the job's output is complete (EOF, or more than MAXOUT: the rest is not
** read; job->got says which). */
static int read_some(Job *j) {
  if (!j->buf) {
    j->cap = 4096;
    if (!(j->buf = malloc(j->cap))) { j->got = 1; return 0; }
  }
  for (;;) {
    if (j->len + 4096 > j->cap && j->cap < MAXOUT) {
      char *nb = realloc(j->buf, j->cap * 2);
      if (nb) { j->buf = nb; j->cap *= 2; }
    }
    ssize_t k = read(j->fd, j->buf + j->len, j->cap - j->len - 1);
    if (k < 0 && errno == EINTR) continue;
    if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 1;
    if (k <= 0) { j->got = 1; break; }
    j->len += (size_t)k;
    if (j->len + 1 >= j->cap) { j->got = -1; break; }   /* too much: stop reading */
  }
  return 0;
}

/* Undoes put_escaped in place. */
static char *unescape(char *s) {
  char *w = s;
  for (char *r = s; *r; r++) {
    if (*r == '\\' && r[1]) {
      r++;
      *w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
    } else *w++ = *r;
  }
  *w = '\0';
  return s;
}

/* The first line of an E or T message (the model's line is what matters;
** the traceback is left out). */
static void set_message(Result *res, const char *msg) {
  free(res->error);
  res->error = strdup(msg);
  char *nl = res->error ? strchr(res->error, '\n') : NULL;
  if (nl) *nl = '\0';
}

/* The child's lines; returns whether its D (done) line came. */
static int parse_lines(Result *res, char *buf) {
  int done = 0;
  for (char *line = buf, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    if ((line[0] == 'E' || line[0] == 'T') && line[1] == '\t') {
      set_message(res, unescape(line + 2));
      res->status = line[0] == 'E' ? CK_ERROR : CK_TIMEOUT;
    } else if (line[0] == 'D' && line[1] == '\0') done = 1;
    else if (line[0] == 'X' && line[1] == '\t') {
      char *t = strchr(line + 2, '\t'), *j = t ? strchr(t + 1, '\t') : NULL;
      long idx = strtol(line + 2, NULL, 10);
      if (!j || idx < 1 || (size_t)idx > res->nc) continue;
      *t = *j = '\0';
      Claim *c = &res->c[idx - 1];
      free(c->xtext); free(c->xjson);
      c->xtext = strdup(unescape(t + 1));
      c->xjson = strdup(unescape(j + 1));
    }
    else if (line[0] == 'C' && line[1] == '\t') {
      Claim c;
      char *f[7], *p = line + 2;
      int k = 0;
      for (; k < 6 && p; k++) { f[k] = p; p = strchr(p, '\t'); if (p) *p++ = '\0'; }
      if (k < 6 || !p) continue;
      f[6] = p;                                /* the text: the rest of the line */
      c.holds = atoi(f[0]); c.p = strtod(f[1], NULL); c.value = atoi(f[2]);
      c.thr = strtod(f[3], NULL); c.line = atol(f[4]);
      c.file = strdup(unescape(f[5])); c.text = strdup(unescape(f[6]));
      c.xtext = c.xjson = c.json = NULL;
      Claim *nc = realloc(res->c, (res->nc + 1) * sizeof *nc);
      if (!nc || !c.text || !c.file) { free(c.text); free(c.file); continue; }
      res->c = nc;
      res->c[res->nc++] = c;
    } else if (line[0] == 'J' && line[1] == '\t' && res->nj < res->nc) {
      res->c[res->nj++].json = strdup(line + 2);
    }
  }
  return done;
}

/* Claims of a model that did not finish are not counted, nor shown. */
static void drop_claims(Result *res) {
  for (size_t j = 0; j < res->nc; j++) {
    free(res->c[j].text); free(res->c[j].file); free(res->c[j].xtext); free(res->c[j].xjson);
    free(res->c[j].json);
  }
  free(res->c);
  res->c = NULL;
  res->nc = res->nj = 0;
}

/* Forks the child for j->res; 0 when it could not (res says why). The
** pipe's read end is non-blocking: the parent watches every job at once. */
static int job_start(const Opts *o, Job *j) {
  int fds[2];
  Result *res = j->res;
  j->fd = -1;
  if (pipe(fds) != 0) { res->status = CK_ERROR; res->error = strdup("cannot create a pipe"); return 0; }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]); close(fds[1]);
    res->status = CK_ERROR; res->error = strdup("cannot fork");
    return 0;
  }
  if (pid == 0) { close(fds[0]); child(o, res->path, fds[1]); }
  close(fds[1]);
  fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  j->pid = pid;
  j->fd = fds[0];
  j->deadline = host_now() + backstop(o->timeout);
  j->buf = NULL;
  j->len = j->cap = 0;
  j->got = 1;
  return 1;
}

/* The job's output is complete or its time is up: waits for the child and
** sets the result from its lines and its exit status. */
static void job_finish(Job *j) {
  Result *res = j->res;
  int got = j->got, intime = got != 0;
  close(j->fd);
  j->fd = -1;
  if (j->buf) j->buf[j->len] = '\0';          /* partial output stays a string */
  int status = 0;
  pid_t w;
  while (intime && (w = waitpid(j->pid, &status, WNOHANG)) == 0) {   /* pipe closed, still running */
    if (host_now() > j->deadline) { intime = 0; break; }
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
  }
  int done = j->buf ? parse_lines(res, j->buf) : 0;
  if (!intime) {
    kill(j->pid, SIGKILL);
    waitpid(j->pid, &status, 0);
    res->status = CK_TIMEOUT;
    free(res->error);
    res->error = NULL;
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    res->status = sig == SIGXCPU ? CK_TIMEOUT : CK_CRASH;
    res->sig = sig;
    free(res->error);
    res->error = NULL;
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 124 && res->status != CK_ERROR) {
    res->status = CK_TIMEOUT;                  /* the child's watchdog */
  } else if (got < 0 && res->status == CK_OK) {
    res->status = CK_ERROR;
    res->error = strdup("sent more than 16 MB of claims; none counted");
  } else if (res->status == CK_OK && (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !done)) {
    char msg[96];
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
      snprintf(msg, sizeof msg, "exited with status %d before reporting its claims", WEXITSTATUS(status));
    else snprintf(msg, sizeof msg, "ended without reporting all its claims");
    res->status = CK_ERROR;
    res->error = strdup(msg);
  }
  if (res->status != CK_OK) drop_claims(res);
  free(j->buf);
  j->buf = NULL;
}

/* Waits until some running job has output or passes its deadline, and
** finishes the jobs that are complete; returns how many it finished. */
static int job_wait(Job *jobs, int njobs) {
  struct pollfd p[DEAL_CHECK_MAX_JOBS];
  int idx[DEAL_CHECK_MAX_JOBS], np = 0, finished = 0;
  double now = host_now(), soonest = -1;
  for (int i = 0; i < njobs; i++) {
    if (jobs[i].fd < 0) continue;
    if (soonest < 0 || jobs[i].deadline < soonest) soonest = jobs[i].deadline;
    p[np] = (struct pollfd){jobs[i].fd, POLLIN, 0};
    idx[np++] = i;
  }
  if (np == 0) return 0;
  double left = soonest - now;
  int r = poll(p, (nfds_t)np, left > 0 ? (int)(left * 1000) + 1 : 0);
  if (r < 0 && errno != EINTR) r = 0;
  now = host_now();
  for (int k = 0; k < np; k++) {
    Job *j = &jobs[idx[k]];
    int open = 1;
    if (now > j->deadline) { j->got = 0; open = 0; }
    else if (r > 0 && p[k].revents) open = read_some(j);
    if (!open) { job_finish(j); finished++; }
  }
  return finished;
}
/* One model's report: its claims table (the layout of deal FILE's, from
** claimtab.c), then each diagnostic in the GNU form of diag.c (an error at
** its line, a failing claim at its claim( line); what has no line is
** "path: error: ...". */
static void print_text(const Result *r, double timeout) {
  char prefix[4200];
  snprintf(prefix, sizeof prefix, "%s: error", r->path);
  switch (r->status) {
    case CK_CRASH: printf("%s: crashed (signal %d)\n", prefix, r->sig); return;
    case CK_TIMEOUT:
      if (r->error) diag_print(stdout, prefix, r->error, r->path);
      else printf("%s: exceeded time limit (%g s)\n", prefix, timeout);
      return;
    case CK_NOTRUN: printf("%s: %s (not run)\n", prefix, r->error ? r->error : "not run"); return;
    case CK_ERROR: diag_print(stdout, prefix, r->error ? r->error : "error", r->path); return;
    case CK_OK: break;
  }
  if (r->nc == 0) { printf("%s: no claims\n", r->path); return; }
  printf("%s\n", r->path);
  /* the layout of deal FILE's table (claimtab.c); cells of 40 bytes each */
  ClaimRow *rows = malloc(r->nc * sizeof *rows);
  char *cells = malloc(r->nc * 80);
  if (!rows || !cells) { free(rows); free(cells); puts("(not enough memory to print the claims)"); return; }
  for (size_t i = 0; i < r->nc; i++) {
    const Claim *c = &r->c[i];
    char *pc = cells + i * 80, *verdict = pc + 40;
    if (c->value >= 0) snprintf(pc, 40, "%s", c->value ? "true" : "false");
    else num_probtext(pc, 40, c->p);
    if (c->value >= 0) snprintf(verdict, 40, "%s", c->holds ? "holds" : "fails");
    else snprintf(verdict, 40, "%s (%s %g)", c->holds ? "holds" : "fails", c->holds ? "\xE2\x89\xA5" : "<", c->thr);
    rows[i] = (ClaimRow){c->text, pc, verdict};
  }
  size_t len = claimtab_render(rows, r->nc, NULL);
  char *text = malloc(len + 1);
  if (text) { claimtab_render(rows, r->nc, text); puts(text); }
  else puts("(not enough memory to print the claims)");
  free(text); free(rows); free(cells);
  for (size_t i = 0; i < r->nc; i++) {
    const Claim *c = &r->c[i];
    if (!c->holds)
      diag_claim(stdout, prefix, c->file[0] ? c->file : r->path, c->line, c->text, c->value, c->p, c->thr, r->path);
  }
  int explained = 0;
  for (size_t i = 0; i < r->nc; i++) explained |= r->c[i].xtext != NULL;
  if (!explained) return;
  printf("explain: each input held in turn at points across its 90%% range (P from %ld-sample reruns)\n",
         DEAL_EXPLAIN_SAMPLES);
  for (size_t i = 0; i < r->nc; i++)
    if (r->c[i].xtext) printf("%s\n", r->c[i].xtext);
}

static void put_json_str(const char *s) {
  putchar('"');
  for (; *s; s++) {
    unsigned char ch = (unsigned char)*s;
    if (ch == '"' || ch == '\\') printf("\\%c", ch);
    else if (ch == '\n') fputs("\\n", stdout);
    else if (ch == '\t') fputs("\\t", stdout);
    else if (ch < 0x20) printf("\\u%04x", ch);
    else putchar(ch);
  }
  putchar('"');
}

static void print_json(const Result *r, size_t nr, const Opts *o, int hold, int fail, int errors, int run) {
  static const char *const st[] = {"ok", "error", "crashed", "timeout", "not_run"};
  printf("{\"files\": [");
  for (size_t i = 0; i < nr; i++) {
    printf("%s\n  {\"path\": ", i ? "," : "");
    put_json_str(r[i].path);
    printf(", \"status\": \"%s\"", st[r[i].status]);
    if (r[i].error) {
      DiagPos pos;
      printf(", \"error\": ");
      put_json_str(r[i].error);
      if (diag_parse(r[i].error, &pos)) printf(", \"line\": %ld, \"column\": %ld", pos.line, pos.col);
    }
    if (r[i].status == CK_CRASH) printf(", \"signal\": %d", r[i].sig);
    if (r[i].status == CK_TIMEOUT) printf(", \"timeout\": %g", o->timeout);
    printf(", \"claims\": [");
    for (size_t j = 0; j < r[i].nc; j++) {
      const Claim *c = &r[i].c[j];
      char err[128];
      cJSON *obj = c->json ? json_parse(c->json, strlen(c->json), err, sizeof err) : NULL;
      int whole = obj != NULL;                 /* as sent: cJSON's own printing rounds doubles */
      cJSON_Delete(obj);
      const char *x = c->xjson;                /* explain's record: its members join the claim's */
      size_t xn = x ? strlen(x) : 0, jn = c->json ? strlen(c->json) : 0;
      int explained = xn > 2 && x[0] == '{' && x[xn - 1] == '}';
      if (whole && (!explained || (jn > 2 && c->json[jn - 1] == '}'))) {
        /* the same object as deal --json writes, with explain's members */
        if (explained) printf("%s\n    %.*s, %.*s}", j ? "," : "", (int)(jn - 1), c->json, (int)(xn - 2), x + 1);
        else printf("%s\n    %s", j ? "," : "", c->json);
        continue;
      }
      printf("%s\n    {\"text\": ", j ? "," : "");
      put_json_str(c->text);
      if (c->value >= 0) printf(", \"value\": %s", c->value ? "true" : "false");
      else printf(", \"p\": %.6g, \"threshold\": %g", c->p, c->thr);
      if (c->line > 0) printf(", \"line\": %ld, \"column\": 1", c->line);
      printf(", \"holds\": %s", c->holds ? "true" : "false");
      if (explained) printf(", %.*s", (int)(xn - 2), x + 1);
      putchar('}');
    }
    printf("]}");
  }
  printf("\n], \"claims\": %d, \"hold\": %d, \"fail\": %d, \"files_run\": %d, \"errors\": %d}\n",
         hold + fail, hold, fail, run, errors);
}
/* }====== */

/* Runs the models, o->jobs at a time, and prints each one's report in the
** order of f as soon as it and those before it are done: the output is
** -j 1's whatever N (a model that ends early waits for its turn to be
** printed). Counts the claims and errors. 0 when out of memory. */
static int run_all(const Opts *o, Files *f, Result *res, int *hold, int *fail, int *errors, int *run) {
  Job *jobs = calloc((size_t)o->jobs, sizeof *jobs);
  char *done = calloc(f->n ? f->n : 1, 1);
  if (!jobs || !done) { free(jobs); free(done); return 0; }
  for (int k = 0; k < o->jobs; k++) jobs[k].fd = -1;
  size_t next = 0, printed = 0;
  while (printed < f->n) {
    for (int k = 0; k < o->jobs && next < f->n; k++) {   /* start what fits */
      if (jobs[k].fd >= 0) continue;
      Result *r = &res[next];
      r->path = f->v[next].path;
      if (f->v[next].skip) {
        r->status = CK_NOTRUN; r->error = f->v[next].skip; f->v[next].skip = NULL;
        done[next++] = 1;
        k--;                                   /* the slot is still free */
        continue;
      }
      jobs[k].res = r;
      (*run)++;
      if (!job_start(o, &jobs[k])) done[next] = 1;
      next++;
    }
    for (; printed < next && done[printed]; printed++) {   /* report in order */
      Result *r = &res[printed];
      if (r->status != CK_OK) (*errors)++;
      for (size_t j = 0; j < r->nc; j++) r->c[j].holds ? (*hold)++ : (*fail)++;
      if (!o->json) {
        print_text(r, o->timeout);
        if (r->status == CK_OK && printed + 1 < f->n) putchar('\n');
        fflush(stdout);
      }
    }
    if (printed == f->n) break;
    if (job_wait(jobs, o->jobs) > 0)
      for (int k = 0; k < o->jobs; k++)
        if (jobs[k].fd < 0 && jobs[k].res) { done[jobs[k].res - res] = 1; jobs[k].res = NULL; }
  }
  free(jobs);
  free(done);
  return 1;
}

int check_main(int argc, char **argv) {
  CliArgs a;
  Files f;
  memset(&f, 0, sizeof f);
  int st = cli_parse(&cli_check, argc, argv, &a);
  if (st >= 0) return st;
  cli_free(&a);
  int first = a.operand;
  if (first >= argc) return cli_usage_error(&cli_check, "no paths given", NULL);
  Opts o = {a.json, a.explain, (int)a.jobs, a.host.timeout, a.host};
  int timeout_given = 0;
  for (int i = 1; i < first; i++) timeout_given |= strncmp(argv[i], "--timeout", 9) == 0;
  if (o.explain && !timeout_given) o.timeout = o.host.timeout = DEAL_EXPLAIN_TIMEOUT;   /* the reruns take time */
  for (int i = first; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "%s check: cannot open %s: %s\n", progname, argv[i], strerror(errno));
      return 2;
    }
    if (!collect(&f, argv[i], &st)) {
      fprintf(stderr, "%s check: not enough memory\n", progname);
      return 1;
    }
  }
  free(f.seen);
  Result *res = calloc(f.n ? f.n : 1, sizeof *res);
  if (!res) { fprintf(stderr, "%s check: not enough memory\n", progname); return 1; }
  int hold = 0, fail = 0, errors = 0, run = 0;
  if (!run_all(&o, &f, res, &hold, &fail, &errors, &run)) {
    fprintf(stderr, "%s check: not enough memory\n", progname);
    return 1;
  }
  if (o.json) print_json(res, f.n, &o, hold, fail, errors, run);
  else printf("%s%d claim%s: %d hold, %d fail; %d file%s, %d error%s\n", f.n ? "\n" : "",
              hold + fail, hold + fail == 1 ? "" : "s", hold, fail, run, run == 1 ? "" : "s",
              errors, errors == 1 ? "" : "s");
  for (size_t i = 0; i < f.n; i++) {
    drop_claims(&res[i]);
    free(res[i].error); free(f.v[i].path);
  }
  free(res); free(f.v);
  if (!host_flushout("deal check")) return 1;   /* a report that was not written */
  return fail || errors ? 1 : 0;
}
