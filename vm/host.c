/*
** vm/host.c
** A Lua state built the production way: counting allocator, panic and
** warning handlers, the sandboxed libraries, num/units/samples, and the
** stdlib; plus loading (text only, .deal translated), calling with a
** traceback, and one report() for errors. Modeled on lua.c.
*/
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>
#include "alloc.h"
#include "arith.h"
#include "host.h"
#include "num.h"
#include "numlib.h"
#include "samples.h"
#include "stdlib.h"
#include "translate.h"

const char *progname = "deal";
static HostOptions host_opts;
static lua_State *globalL;

#define MAX_SOURCE (64u << 20)    /* a model larger than 64 MB is refused */

HostOptions *host_options(lua_State *L) { (void)L; return &host_opts; }

/* {====== interrupts and limits ====== */
/* One state runs at a time in a process, so the limits are process state,
** reset by host_newstate and host_close. */
static volatile sig_atomic_t interrupted;
static lua_State *volatile curthread;  /* running coroutine (sandbox.c tracks it) */
static double deadline;           /* CLOCK_MONOTONIC seconds, 0 = none */
static int limit_tripped;         /* the time limit passed: sticky until close */
static int interrupt_tripped;     /* Ctrl-C: sticky until the outer docall returns */
static int docall_depth;
static int hook_count;            /* count of the normal hook; 0 = no hook */
static int cpu_limited, timer_armed;
static struct rlimit saved_cpu;
/* whatever the embedding program had (libFuzzer uses SIGALRM too) */
static struct sigaction saved_alrm, saved_xcpu;
static struct itimerval saved_timer;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void limit_hook(lua_State *L, lua_Debug *ar);

/* The hook every thread should carry when no limit has tripped. */
static void normal_hook(lua_State *L) {
  if (hook_count > 0) lua_sethook(L, limit_hook, LUA_MASKCOUNT, hook_count);
  else lua_sethook(L, NULL, 0, 0);
}

/* Raises the limit error. Once tripped the hook stays armed at count 1 on
** this thread, so pcall cannot swallow the error and go on (Redis's rule),
** and the sandbox's xpcall skips user handlers (host_limit_tripped). */
static int trip(lua_State *L) {
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
  if (interrupt_tripped && !limit_tripped) return luaL_error(L, "interrupted!");
  if (host_opts.timeout > 0 && host_opts.timeout < 1)
    return luaL_error(L, "exceeded time limit (%f s)", (double)host_opts.timeout);
  return luaL_error(L, "exceeded time limit (%d s)", (int)host_opts.timeout);
}

void host_checklimits(lua_State *L) {
  if (interrupted) { interrupted = 0; interrupt_tripped = 1; }
  if (!limit_tripped && deadline > 0 && now() > deadline) limit_tripped = 1;
  if (limit_tripped || interrupt_tripped) trip(L);
}

int host_limit_tripped(void) { return limit_tripped || interrupt_tripped || interrupted; }

static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  host_checklimits(L);
}

lua_State *host_setthread(lua_State *co) {
  lua_State *old = curthread;
  curthread = co;
  return old;
}

static void on_sigint(int sig) {
  signal(sig, SIG_DFL);             /* a second Ctrl-C kills, as in lua.c */
  interrupted = 1;
  /* lua_sethook may be called from a signal handler (ldebug.c); the
  ** running coroutine needs it too, or a loop inside one never sees it */
  if (globalL) lua_sethook(globalL, limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
  lua_State *co = curthread;
  if (co) lua_sethook(co, limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void host_setsignal(lua_State *L) {
  globalL = L;
  signal(SIGINT, on_sigint);
}
void host_resetsignal(void) { signal(SIGINT, SIG_DFL); }

/* Past the deadline plus a grace period, nothing Lua does can stop us: a
** long C call (a pattern search, a GMP operation) or a hang in a place
** hooks do not reach. The process ends with status 124, as timeout(1). */
static void on_watchdog(int sig) {
  static const char msg[] = "deal: exceeded time limit (watchdog)\n";
  static const char cpu[] = "deal: exceeded time limit (CPU, watchdog)\n";
  if (sig == SIGXCPU) { if (write(2, cpu, sizeof cpu - 1) < 0) { /* nothing left */ } }
  else if (write(2, msg, sizeof msg - 1) < 0) { /* nothing left to do */ }
  _exit(124);
}

static double watchdog_grace(double t) { return t < 1 ? 1 : t < 5 ? t : 5; }

static void arm_limits(const HostOptions *opt) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  limit_tripped = interrupt_tripped = 0;
  interrupted = 0;
  curthread = NULL;
  deadline = 0;
  hook_count = 0;
  if (opt->timeout > 0) {
    double wd = opt->timeout + watchdog_grace(opt->timeout);
    deadline = now() + opt->timeout;
    hook_count = 10000;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_watchdog;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, &saved_alrm);
    it.it_value.tv_sec = (time_t)wd;
    it.it_value.tv_usec = (suseconds_t)((wd - (double)(time_t)wd) * 1e6);
    setitimer(ITIMER_REAL, &it, &saved_timer);
    timer_armed = 1;
    /* CPU time as well: a backstop that needs no timer signal */
    struct rusage ru;
    if (getrlimit(RLIMIT_CPU, &saved_cpu) == 0 && getrusage(RUSAGE_SELF, &ru) == 0) {
      struct rlimit rl = saved_cpu;
      rlim_t want = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec + (rlim_t)wd + 1;
      if (rl.rlim_max == RLIM_INFINITY || want < rl.rlim_max) {
        rl.rlim_cur = want;
        sigaction(SIGXCPU, &sa, &saved_xcpu);
        cpu_limited = setrlimit(RLIMIT_CPU, &rl) == 0;
        if (!cpu_limited) sigaction(SIGXCPU, &saved_xcpu, NULL);
      }
    }
  }
}

static void disarm_limits(void) {
  if (timer_armed) {
    setitimer(ITIMER_REAL, &saved_timer, NULL);
    sigaction(SIGALRM, &saved_alrm, NULL);
    timer_armed = 0;
  }
  if (cpu_limited) { setrlimit(RLIMIT_CPU, &saved_cpu); sigaction(SIGXCPU, &saved_xcpu, NULL); cpu_limited = 0; }
  deadline = 0;
  hook_count = 0;
  curthread = NULL;
}
/* }====== */

/* {====== errors ====== */
/* Message handler: a traceback, without calling metamethods that could
** raise again (an error object whose __tostring errors is still printed). */
static int msghandler(lua_State *L) {
  if (!lua_checkstack(L, LUA_MINSTACK)) return 1;   /* the bare error, no traceback */
  const char *msg = lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER ? lua_tostring(L, 1) : NULL;
  if (msg == NULL) {
    int t = luaL_getmetafield(L, 1, "__tostring");
    if (t == LUA_TFUNCTION) {
      lua_pushvalue(L, 1);
      if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING) return 1;
      lua_pop(L, 1);
    } else if (t != LUA_TNIL) lua_pop(L, 1);   /* LUA_TNIL pushed nothing */
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

int host_report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (msg != NULL) fprintf(stderr, "%s: %s\n", progname, msg);
    else if (lua_type(L, -1) == LUA_TNUMBER) fprintf(stderr, "%s: %.14g\n", progname, (double)lua_tonumber(L, -1));
    else fprintf(stderr, "%s: (error object is a %s value)\n", progname, luaL_typename(L, -1));
    fflush(stderr);
    lua_pop(L, 1);
  }
  return status;
}

int host_docall(lua_State *L, int narg, int nres) {
  int base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  globalL = L;
  signal(SIGINT, on_sigint);
  docall_depth++;
  int status = lua_pcall(L, narg, nres, base);
  if (--docall_depth == 0) {
    signal(SIGINT, SIG_DFL);
    if (interrupt_tripped || interrupted) {   /* Ctrl-C ends one evaluation only */
      interrupt_tripped = 0;
      interrupted = 0;
      if (!limit_tripped) normal_hook(L);
    }
  }
  lua_remove(L, base);
  return status;
}
/* }====== */

/* {====== loading: text only, .deal translated ====== */
static int ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

int host_loadbuffer(lua_State *L, const char *src, size_t len, const char *chunkname, int dialect) {
  if (dialect == DIALECT_AUTO) dialect = ends_with(chunkname, ".deal") ? DIALECT_DEAL : DIALECT_LUA;
  if (len > 0 && src[0] == '\x1b') {
    lua_pushfstring(L, "%s: attempt to load a binary chunk (mode is 't')", chunkname + (chunkname[0] == '@' || chunkname[0] == '='));
    return LUA_ERRSYNTAX;
  }
  if (dialect == DIALECT_LUA) return luaL_loadbufferx(L, src, len, chunkname, "t");
  void *ud;
  lua_Alloc af = lua_getallocf(L, &ud);
  char *out = NULL, err[2048];
  size_t outlen = 0;
  if (deal_translate(af, ud, src, len, chunkname, &out, &outlen, err, sizeof err) != 0) {
    lua_pushstring(L, err);
    return strcmp(err, "not enough memory") == 0 ? LUA_ERRMEM : LUA_ERRSYNTAX;
  }
  int st = luaL_loadbufferx(L, out, outlen, chunkname, "t");
  af(ud, out, outlen + 1, 0);
  return st;
}

/* {------ what a sandboxed model may read ------
** The model's directory tree (the registry's deal.modeldir, or the current
** directory when there is no model file), plus every path named on the
** command line (a file: that file; a directory: its tree), plus whatever
** host_allowread added. Paths are compared after resolving symlinks, on the
** file actually opened (/proc/self/fd), so a symlink or a rename between
** check and open cannot widen it. */
#define READROOTS "deal.readroots"

static int under(const char *path, const char *root, int isdir) {
  size_t n = strlen(root);
  if (strncmp(path, root, n) != 0) return 0;
  if (path[n] == '\0') return 1;
  if (!isdir) return 0;
  return path[n] == '/' || (n > 0 && root[n - 1] == '/');
}

void host_allowread(lua_State *L, const char *path) {
  char res[PATH_MAX];
  struct stat st;
  if (realpath(path, res) == NULL || stat(res, &st) != 0) return;
  if (lua_getfield(L, LUA_REGISTRYINDEX, READROOTS) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, READROOTS);
  }
  lua_pushstring(L, res);
  lua_pushboolean(L, S_ISDIR(st.st_mode));
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

/* The paths of our own command line (Linux: /proc/self/cmdline): what the
** user named when starting deal is what models may read besides their tree. */
static void allow_cmdline(lua_State *L) {
  FILE *f = fopen("/proc/self/cmdline", "rb");
  if (!f) return;
  char arg[PATH_MAX];
  size_t n = 0;
  int c, idx = 0;
  while ((c = getc(f)) != EOF) {
    if (c != '\0') { if (n + 1 < sizeof arg) arg[n++] = (char)c; continue; }
    arg[n] = '\0';
    if (idx++ > 0 && n > 0 && arg[0] != '-') host_allowread(L, arg);
    n = 0;
  }
  fclose(f);
}

int host_mayread(lua_State *L, const char *resolved) {
  if (host_opts.trust || host_opts.conformance) return 1;
  int ok = 0;
  char dir[PATH_MAX];
  const char *md = lua_getfield(L, LUA_REGISTRYINDEX, "deal.modeldir") == LUA_TSTRING ? lua_tostring(L, -1) : ".";
  if (realpath(md, dir) != NULL && under(resolved, dir, 1)) ok = 1;
  lua_pop(L, 1);
  if (ok) return 1;
  int top = lua_gettop(L);
  if (lua_getfield(L, LUA_REGISTRYINDEX, READROOTS) == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      if (lua_type(L, -2) == LUA_TSTRING && under(resolved, lua_tostring(L, -2), lua_toboolean(L, -1))) { ok = 1; break; }
      lua_pop(L, 1);
    }
  }
  lua_settop(L, top);
  return ok;
}

int host_openread(lua_State *L, const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) { lua_pushfstring(L, "cannot open %s: %s", path, strerror(errno)); return -1; }
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    lua_pushfstring(L, "cannot read %s: not a regular file", path);
    return -1;
  }
  if (!host_opts.trust && !host_opts.conformance) {
    char link[64], res[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, res, sizeof res - 1);
    if (n <= 0) { close(fd); lua_pushfstring(L, "cannot open %s: cannot resolve the path", path); return -1; }
    res[n] = '\0';
    if (!host_mayread(L, res)) {
      close(fd);
      lua_pushfstring(L, "cannot open %s: outside the model's directory (models may read files beside "
                         "them and paths named on the command line; see docs/security.md)", path);
      return -1;
    }
  }
  int fl = fcntl(fd, F_GETFL);
  if (fl != -1) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  return fd;
}
/* }------ */

static int newbuffer(lua_State *L) {
  lua_newuserdatauv(L, (size_t)lua_tointeger(L, 1), 0);
  return 1;
}

/* Reads a regular file of bounded size into a userdata buffer (GC-owned,
** so an error while reading leaks nothing). Never blocks on a FIFO. */
static int read_source(lua_State *L, const char *path, const char **src, size_t *len) {
  struct stat st;
  char *buf = NULL;
  int fd = host_openread(L, path);
  if (fd < 0) return 0;
  if (fstat(fd, &st) != 0) st.st_size = 0;
  if ((size_t)st.st_size > MAX_SOURCE) {
    close(fd);
    lua_pushfstring(L, "cannot read %s: larger than %d MB", path, (int)(MAX_SOURCE >> 20));
    return 0;
  }
  /* the buffer under protection: if it cannot be had, the fd must not leak */
  lua_pushcfunction(L, newbuffer);
  lua_pushinteger(L, (lua_Integer)st.st_size + 1);
  if (lua_pcall(L, 1, 1, 0) != LUA_OK) { close(fd); return lua_error(L); }
  buf = lua_touserdata(L, -1);
  size_t n = 0;
  while (n < (size_t)st.st_size) {
    ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) { int e = errno; close(fd); lua_pop(L, 1); lua_pushfstring(L, "cannot read %s: %s", path, strerror(e)); return 0; }
    if (r == 0) break;                  /* truncated while we read: take what is there */
    n += (size_t)r;
  }
  close(fd);
  buf[n] = '\0';
  *src = buf;
  *len = n;
  return 1;
}

int host_loadfile(lua_State *L, const char *path, int dialect) {
  const char *src = NULL;
  size_t len = 0;
  if (!read_source(L, path, &src, &len)) return LUA_ERRFILE;
  lua_pushfstring(L, "@%s", path);
  const char *chunk = lua_tostring(L, -1);
  if (dialect == DIALECT_AUTO) dialect = ends_with(path, ".deal") ? DIALECT_DEAL : DIALECT_LUA;
  /* as luaL_loadfilex: a UTF-8 BOM, then (plain Lua) a #! line */
  if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { src += 3; len -= 3; }
  if (dialect == DIALECT_LUA) {
    if (len > 0 && src[0] == '#') {     /* keep the newline: line numbers stay right */
      while (len > 0 && src[0] != '\n') { src++; len--; }
    }
  }
  int st = host_loadbuffer(L, src, len, chunk, dialect);
  lua_remove(L, -2);   /* chunk name */
  lua_remove(L, -2);   /* buffer */
  return st;
}
/* }====== */

void sandbox_open(lua_State *L, const HostOptions *opt);

/* Everything that can raise runs here, inside lua_pcall. */
static int setup(lua_State *L) {
  const HostOptions *opt = lua_touserdata(L, 1);
  if (opt->conformance) {
    luaL_openlibs(L);
  } else {
    sandbox_open(L, opt);
    if (!opt->trust) allow_cmdline(L);
  }
  luaL_requiref(L, "num", luaopen_num, 1);
  luaL_requiref(L, "units", luaopen_units, 1);
  luaL_requiref(L, "__deal", luaopen_dealrt, 1);
  lua_pop(L, 3);
  luaL_requiref(L, "samples", luaopen_samples, 0);
  lua_pop(L, 1);
  stdlib_open(L);
  return 0;
}

static int panic(lua_State *L) {
  const char *msg = lua_tostring(L, -1);
  fprintf(stderr, "%s: PANIC: unprotected error: %s\n", progname, msg ? msg : "?");
  fflush(stderr);
  _exit(3);
}

static int warn_on, warn_cont;
static void warnf(void *ud, const char *msg, int tocont) {
  int on = warn_on, cont = warn_cont;
  (void)ud;
  if (!cont && msg[0] == '@') {           /* control messages, as lua.c */
    if (strcmp(msg, "@on") == 0) warn_on = 1; else if (strcmp(msg, "@off") == 0) warn_on = 0;
    return;
  }
  if (on) { fprintf(stderr, "%s%s", cont ? "" : "deal: warning: ", msg); if (!tocont) fputc('\n', stderr); }
  warn_cont = tocont;
}

lua_State *host_newstate(const HostOptions *opt) {
  host_opts = *opt;
  /* memory: 0 means the default, HOST_UNLIMITED none (docs/security.md) */
  deal_budget.limit = opt->max_memory == 0 ? HOST_DEFAULT_MAX_MEMORY
                    : opt->max_memory == HOST_UNLIMITED ? 0 : opt->max_memory;
  deal_budget.count = 0;
  deal_budget.fail_after = -1;
  const char *f = getenv("DEAL_FAIL_AFTER");     /* the OOM sweep */
  if (f) deal_budget.fail_after = atol(f);
  deal_budget.peak = deal_budget.used;
  warn_on = warn_cont = 0;
  docall_depth = 0;
  alloc_setup_gmp();
  lua_State *L = lua_newstate(deal_alloc, &deal_budget);
  if (!L) return NULL;
  lua_atpanic(L, panic);
  lua_gc(L, LUA_GCGEN, 0, 0);      /* most nums die young: generational suits them */
  lua_setwarnf(L, warnf, L);
  globalL = L;
  arm_limits(opt);
  normal_hook(L);
  lua_pushcfunction(L, setup);
  lua_pushlightuserdata(L, (void *)opt);
  if (host_docall(L, 1, 0) != LUA_OK) {
    host_report(L, LUA_ERRRUN);
    host_close(L);
    return NULL;
  }
  return L;
}

void host_close(lua_State *L) {
  if (getenv("DEAL_ALLOC_COUNT"))                 /* the OOM sweep asks */
    fprintf(stderr, "deal: %ld allocations\n", deal_budget.count);
  /* no limit hook while finalizers run (models cannot set __gc; ours are C) */
  lua_sethook(L, NULL, 0, 0);
  lua_gc(L, LUA_GCCOLLECT, 0);
  lua_close(L);
  if (globalL == L) globalL = NULL;
  disarm_limits();
  num_pool_drain();
  arith_drain();
}
