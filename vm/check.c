/*
** vm/check.c
** `deal check PATH...`: runs every .deal model under the paths and gates
** on their claims. Each model runs in a forked child (its own state, with
** rlimits), so a crash, a runaway loop or a memory blow-up in one model is
** reported and the others still run. The child sends its claims back
** through a pipe as tab-separated lines:
**   C <holds 0/1> <p or -1> <value 0/1/-1> <threshold> <text>
**   E <message>
** (text and message with \t, \n and \\ escaped). Exit status: 0 when every
** claim holds and no model failed, 1 otherwise, 2 on usage errors. The
** options are cli.c's (cli_check); the limits default to defaults.h's
** DEAL_CHECK_*.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
#include "cli.h"
#include "defaults.h"
#include "host.h"
#include "hostutil.h"

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
  double timeout;                /* wall-clock seconds per model (the parent's watchdog) */
  HostOptions host;              /* the child's state: no time limit of its own */
} Opts;

typedef struct Files { char **v; size_t n, cap; } Files;

/* {====== collecting the models ====== */
static int add_file(Files *f, const char *path) {
  if (f->n == f->cap) {
    size_t cap = f->cap ? f->cap * 2 : 64;
    char **v = realloc(f->v, cap * sizeof *v);
    if (!v) return 0;
    f->v = v; f->cap = cap;
  }
  return (f->v[f->n] = strdup(path)) != NULL && ++f->n;
}

/* Every .deal under dir (hidden entries and symlinked folders skipped). */
static int walk(Files *f, const char *dir, int depth) {
  DIR *d = opendir(dir);
  struct dirent *e;
  if (!d) return 1;
  if (depth > 64) { closedir(d); return 1; }
  while ((e = readdir(d)) != NULL) {
    char path[4096];
    struct stat st;
    if (e->d_name[0] == '.') continue;
    if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= (int)sizeof path) continue;
    if (lstat(path, &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) { if (!walk(f, path, depth + 1)) { closedir(d); return 0; } }
    else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && host_endswith(e->d_name, ".deal")) {
      if (!add_file(f, path)) { closedir(d); return 0; }
    }
  }
  closedir(d);
  return 1;
}

static int cmpstr(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
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
    fprintf(out, "C\t%d\t%.17g\t%d\t%.17g\t", lua_toboolean(L, c + 1),
            lua_isnumber(L, c + 2) ? lua_tonumber(L, c + 2) : -1.0,
            lua_isboolean(L, c + 3) ? lua_toboolean(L, c + 3) : -1,
            lua_isnumber(L, c + 4) ? lua_tonumber(L, c + 4) : -1.0);
    put_escaped(out, lua_isstring(L, c + 5) ? lua_tostring(L, c + 5) : "?");
    fputc('\n', out);
    lua_settop(L, c - 1);
  }
  return 0;
}

static void child_error(FILE *out, const char *msg) {
  fputs("E\t", out);
  put_escaped(out, msg ? msg : "(error object is not a string)");
  fputc('\n', out);
}

void check_setlimits(size_t max_memory, double timeout) {
  struct rlimit rl;
  rl.rlim_cur = rl.rlim_max = 0;
  setrlimit(RLIMIT_CORE, &rl);
  if (!UNDER_ASAN && max_memory != HOST_UNLIMITED && max_memory <= (size_t)-1 / DEAL_CHECK_AS_FACTOR) {
    rl.rlim_cur = rl.rlim_max = (rlim_t)max_memory * DEAL_CHECK_AS_FACTOR;
    setrlimit(RLIMIT_AS, &rl);
  }
  rl.rlim_cur = (rlim_t)timeout + 1;
  rl.rlim_max = (rlim_t)timeout + 2;
  setrlimit(RLIMIT_CPU, &rl);
}

/* The child: limits, a fresh state, the model, its claims. Never returns. */
static void child(const Opts *o, const char *path, int fd) {
  FILE *out = fdopen(fd, "w");
  int devnull = open("/dev/null", O_WRONLY);
  if (devnull >= 0) { dup2(devnull, 1); close(devnull); }   /* the model's prints */
  if (!out) _exit(3);
  check_setlimits(o->host.max_memory, o->timeout);
#ifdef DEAL_TEST_HOOKS
  if (getenv("DEAL_CHECK_CRASH") && strstr(path, getenv("DEAL_CHECK_CRASH"))) {
    signal(SIGSEGV, SIG_DFL);                /* not the sanitizer's handler */
    raise(SIGSEGV);                          /* tests/claims: a crashing model */
  }
#endif
  lua_State *L = host_newstate(&o->host);
  if (!L) { child_error(out, "cannot create state: not enough memory"); fclose(out); _exit(1); }
  host_setmodelfile(L, path);
  int st = host_loadfile(L, path, DIALECT_AUTO);
  if (st == LUA_OK) st = host_docall(L, 0, 0);
  if (st == LUA_OK) {
    lua_pushcfunction(L, report_claims);
    lua_pushlightuserdata(L, out);
    st = host_docall(L, 1, 0);
  }
  if (st != LUA_OK) child_error(out, lua_tostring(L, -1));
  fclose(out);
  _exit(st == LUA_OK ? 0 : 1);
}
/* }====== */

/* {====== the parent: watchdog, parsing, reporting ====== */
typedef struct Claim { char *text; int holds, value; double p, thr; } Claim;

typedef struct Result {
  const char *path;
  enum { CK_OK, CK_ERROR, CK_CRASH, CK_TIMEOUT } status;
  char *error;                   /* CK_ERROR message */
  int sig;
  Claim *c;
  size_t nc;
} Result;

/* Reads the child's pipe until EOF or the deadline; 0 on timeout. */
static int read_all(int fd, double deadline, char **buf, size_t *len) {
  size_t cap = 4096;
  *len = 0;
  *buf = malloc(cap);
  if (!*buf) return 1;
  (*buf)[0] = '\0';
  for (;;) {
    double left = deadline - host_now();
    if (left <= 0) { (*buf)[*len] = '\0'; return 0; }   /* partial output stays a string */
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, (int)(left * 1000) + 1);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) continue;
    if (*len + 4096 > cap && cap < MAXOUT) {
      char *nb = realloc(*buf, cap * 2);
      if (nb) { *buf = nb; cap *= 2; }
    }
    ssize_t k = read(fd, *buf + *len, cap - *len - 1);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) break;
    *len += (size_t)k;
    if (*len + 1 >= cap) break;              /* too much output: stop reading */
  }
  (*buf)[*len] = '\0';
  return 1;
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

static void parse_lines(Result *res, char *buf) {
  for (char *line = buf, *next; line && *line; line = next) {
    next = strchr(line, '\n');
    if (next) *next++ = '\0';
    if (line[0] == 'E' && line[1] == '\t') {
      free(res->error);
      res->error = strdup(unescape(line + 2));
      char *tb = res->error ? strstr(res->error, "\nstack traceback:") : NULL;
      if (tb) *tb = '\0';                     /* the model's line is what matters */
      res->status = CK_ERROR;
    } else if (line[0] == 'C' && line[1] == '\t') {
      Claim c;
      char *f[5], *p = line + 2;
      int k = 0;
      for (; k < 4 && p; k++) { f[k] = p; p = strchr(p, '\t'); if (p) *p++ = '\0'; }
      if (k < 4 || !p) continue;
      f[4] = p;                                /* the text: the rest of the line */
      c.holds = atoi(f[0]); c.p = strtod(f[1], NULL); c.value = atoi(f[2]);
      c.thr = strtod(f[3], NULL); c.text = strdup(unescape(f[4]));
      Claim *nc = realloc(res->c, (res->nc + 1) * sizeof *nc);
      if (!nc || !c.text) { free(c.text); continue; }
      res->c = nc;
      res->c[res->nc++] = c;
    }
  }
}

static void run_one(const Opts *o, Result *res) {
  int fds[2];
  if (pipe(fds) != 0) { res->status = CK_ERROR; res->error = strdup("cannot create a pipe"); return; }
  fflush(stdout);
  fflush(stderr);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]); close(fds[1]);
    res->status = CK_ERROR; res->error = strdup("cannot fork");
    return;
  }
  if (pid == 0) { close(fds[0]); child(o, res->path, fds[1]); }
  close(fds[1]);
  double deadline = host_now() + o->timeout;
  char *buf = NULL;
  size_t len = 0;
  int intime = read_all(fds[0], deadline, &buf, &len);
  close(fds[0]);
  int status = 0;
  pid_t w;
  while (intime && (w = waitpid(pid, &status, WNOHANG)) == 0) {   /* pipe closed, still running */
    if (host_now() > deadline) { intime = 0; break; }
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
  }
  if (!intime) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    res->status = CK_TIMEOUT;
  } else if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    res->status = sig == SIGXCPU ? CK_TIMEOUT : CK_CRASH;
    res->sig = sig;
  }
  if (buf) parse_lines(res, buf);
  if (res->status == CK_TIMEOUT || res->status == CK_CRASH) { free(res->error); res->error = NULL; }
  else if (WIFEXITED(status) && WEXITSTATUS(status) != 0 && res->status != CK_ERROR) {
    char msg[64];
    snprintf(msg, sizeof msg, "exited with status %d", WEXITSTATUS(status));
    res->status = CK_ERROR;
    res->error = strdup(msg);
  }
  free(buf);
}

static int uwidth(const char *s) {
  int w = 0;
  for (; *s; s++) w += ((unsigned char)*s & 0xC0) != 0x80;
  return w;
}

static void pad(const char *s, int w) {
  fputs(s, stdout);
  for (int k = uwidth(s); k < w; k++) putchar(' ');
}

static void fmt_prob(char *buf, size_t n, double p) {
  if (p <= 0 || p >= 1) snprintf(buf, n, "%d", p >= 1);
  else if (p < 0.01) snprintf(buf, n, "%.2g", p);
  else {
    int d = 2;
    while (d < 6 && p > 0.99 && round(p * pow(10, d)) / pow(10, d) >= 1) d++;
    snprintf(buf, n, "%.*f", d, p);
  }
}

static void print_text(const Result *r, double timeout) {
  switch (r->status) {
    case CK_CRASH: printf("%s: crashed (signal %d)\n", r->path, r->sig); return;
    case CK_TIMEOUT: printf("%s: exceeded time limit (%g s)\n", r->path, timeout); return;
    case CK_ERROR: {
      const char *e = r->error ? r->error : "error";
      const char *nl = strchr(e, '\n');
      printf("%s: error: %.*s\n", r->path, nl ? (int)(nl - e) : (int)strlen(e), e);
      return;
    }
    case CK_OK: break;
  }
  if (r->nc == 0) { printf("%s: no claims\n", r->path); return; }
  int w = 40;
  for (size_t i = 0; i < r->nc; i++) { int k = uwidth(r->c[i].text) + 1; if (k > w) w = k > 60 ? 60 : k; }
  printf("%s\n", r->path);
  pad("claims", w); putchar(' '); pad("P", 8); puts(" verdict");
  for (size_t i = 0; i < r->nc; i++) {
    const Claim *c = &r->c[i];
    char pc[32];
    if (c->value >= 0) snprintf(pc, sizeof pc, "%s", c->value ? "true" : "false");
    else fmt_prob(pc, sizeof pc, c->p);
    pad(c->text, w); putchar(' '); pad(pc, 8);
    if (c->value >= 0) printf(" %s\n", c->holds ? "holds" : "fails");
    else printf(" %s (%s %g)\n", c->holds ? "holds" : "fails", c->holds ? "\xE2\x89\xA5" : "<", c->thr);
  }
}

static void json_str(const char *s) {
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

static void print_json(const Result *r, size_t nr, const Opts *o, int hold, int fail, int errors) {
  static const char *const st[] = {"ok", "error", "crashed", "timeout"};
  printf("{\"files\": [");
  for (size_t i = 0; i < nr; i++) {
    printf("%s\n  {\"path\": ", i ? "," : "");
    json_str(r[i].path);
    printf(", \"status\": \"%s\"", st[r[i].status]);
    if (r[i].status == CK_ERROR) { printf(", \"error\": "); json_str(r[i].error ? r[i].error : "error"); }
    if (r[i].status == CK_CRASH) printf(", \"signal\": %d", r[i].sig);
    if (r[i].status == CK_TIMEOUT) printf(", \"timeout\": %g", o->timeout);
    printf(", \"claims\": [");
    for (size_t j = 0; j < r[i].nc; j++) {
      const Claim *c = &r[i].c[j];
      printf("%s\n    {\"text\": ", j ? "," : "");
      json_str(c->text);
      if (c->value >= 0) printf(", \"value\": %s", c->value ? "true" : "false");
      else printf(", \"p\": %.6g, \"threshold\": %g", c->p, c->thr);
      printf(", \"holds\": %s}", c->holds ? "true" : "false");
    }
    printf("]}");
  }
  printf("\n], \"claims\": %d, \"hold\": %d, \"fail\": %d, \"files_run\": %d, \"errors\": %d}\n",
         hold + fail, hold, fail, (int)nr, errors);
}
/* }====== */

int check_main(int argc, char **argv) {
  CliArgs a;
  Files f = {NULL, 0, 0};
  int st = cli_parse(&cli_check, argc, argv, &a);
  if (st >= 0) return st;
  cli_free(&a);
  int first = a.operand;
  if (first >= argc) return cli_usage_error(&cli_check, "no paths given", NULL);
  Opts o = {a.json, a.host.timeout, a.host};
  o.host.timeout = 0;              /* the parent enforces it, and says so per model */
  for (int i = first; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0) {
      fprintf(stderr, "%s check: cannot open %s: %s\n", progname, argv[i], strerror(errno));
      return 2;
    }
    size_t before = f.n;
    if (!(S_ISDIR(st.st_mode) ? walk(&f, argv[i], 0) : add_file(&f, argv[i]))) {
      fprintf(stderr, "%s check: not enough memory\n", progname);
      return 1;
    }
    qsort(f.v + before, f.n - before, sizeof *f.v, cmpstr);
  }
  Result *res = calloc(f.n ? f.n : 1, sizeof *res);
  if (!res) { fprintf(stderr, "%s check: not enough memory\n", progname); return 1; }
  int hold = 0, fail = 0, errors = 0;
  for (size_t i = 0; i < f.n; i++) {
    res[i].path = f.v[i];
    run_one(&o, &res[i]);
    if (res[i].status != CK_OK) errors++;
    for (size_t j = 0; j < res[i].nc; j++) res[i].c[j].holds ? hold++ : fail++;
    if (!o.json) {
      print_text(&res[i], o.timeout);
      if (res[i].status == CK_OK && i + 1 < f.n) putchar('\n');
      fflush(stdout);
    }
  }
  if (o.json) print_json(res, f.n, &o, hold, fail, errors);
  else printf("%s%d claim%s: %d hold, %d fail; %d file%s, %d error%s\n", f.n ? "\n" : "",
              hold + fail, hold + fail == 1 ? "" : "s", hold, fail, (int)f.n, f.n == 1 ? "" : "s",
              errors, errors == 1 ? "" : "s");
  for (size_t i = 0; i < f.n; i++) {
    for (size_t j = 0; j < res[i].nc; j++) free(res[i].c[j].text);
    free(res[i].c); free(res[i].error); free(f.v[i]);
  }
  free(res); free(f.v);
  return fail || errors ? 1 : 0;
}
