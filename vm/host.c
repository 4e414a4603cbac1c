/*
** vm/host.c
** A Lua state built the production way: counting allocator, panic and
** warning handlers, the sandboxed libraries, num/units/samples, and the
** stdlib; plus loading (text only, .deal translated), calling with a
** traceback, and one report() for errors. Modeled on lua.c.
*/
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>
#include "alloc.h"
#include "host.h"
#include "num.h"
#include "samples.h"
#include "stdlib.h"
#include "translate.h"

const char *progname = "deal";
static HostOptions host_opts;
static lua_State *globalL;

#define MAX_SOURCE (64u << 20)    /* a model larger than 64 MB is refused */

HostOptions *host_options(lua_State *L) { (void)L; return &host_opts; }

/* {====== interrupts and limits ====== */
static volatile sig_atomic_t interrupted;
static double deadline;           /* CLOCK_MONOTONIC seconds, 0 = none */
static int limit_tripped;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The count hook: Ctrl-C and the time limit. Once tripped it stays armed
** at count 1, so pcall cannot swallow the error and go on (Redis's rule). */
static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  if (interrupted) {
    interrupted = 0;
    lua_sethook(L, NULL, 0, 0);
    luaL_error(L, "interrupted!");
  }
  if (limit_tripped || (deadline > 0 && now() > deadline)) {
    limit_tripped = 1;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
    luaL_error(L, "exceeded time limit (%d s)", (int)host_opts.timeout);
  }
}

static void on_sigint(int sig) {
  signal(sig, SIG_DFL);             /* a second Ctrl-C kills, as in lua.c */
  interrupted = 1;
  if (globalL) lua_sethook(globalL, limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void host_setsignal(lua_State *L) {
  globalL = L;
  signal(SIGINT, on_sigint);
}
void host_resetsignal(void) { signal(SIGINT, SIG_DFL); }

/* Past the deadline plus a grace period, nothing Lua does can stop us. */
static void on_watchdog(int sig) {
  (void)sig;
  static const char msg[] = "deal: exceeded time limit (watchdog)\n";
  if (write(2, msg, sizeof msg - 1) < 0) { /* nothing left to do */ }
  _exit(124);
}
/* }====== */

/* {====== errors ====== */
/* Message handler: a traceback, without calling metamethods that could
** raise again (an error object whose __tostring errors is still printed). */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
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
    const char *msg = lua_tostring(L, -1);
    if (msg == NULL) msg = "(error object is not a string)";
    fprintf(stderr, "%s: %s\n", progname, msg);
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
  int status = lua_pcall(L, narg, nres, base);
  signal(SIGINT, SIG_DFL);
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

/* Reads a regular file of bounded size into a userdata buffer (GC-owned,
** so an error while reading leaks nothing). */
static int read_source(lua_State *L, const char *path, const char **src, size_t *len) {
  struct stat st;
  FILE *f = fopen(path, "rb");
  if (!f) { lua_pushfstring(L, "cannot open %s: %s", path, strerror(errno)); return 0; }
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(f);
    lua_pushfstring(L, "cannot read %s: not a regular file", path);
    return 0;
  }
  if ((size_t)st.st_size > MAX_SOURCE) {
    fclose(f);
    lua_pushfstring(L, "cannot read %s: larger than %d MB", path, (int)(MAX_SOURCE >> 20));
    return 0;
  }
  char *buf = lua_newuserdatauv(L, (size_t)st.st_size + 1, 0);
  size_t n = fread(buf, 1, (size_t)st.st_size, f);
  int bad = ferror(f);
  fclose(f);
  if (bad) { lua_pop(L, 1); lua_pushfstring(L, "cannot read %s", path); return 0; }
  *src = buf;
  *len = n;
  return 1;
}

int host_loadfile(lua_State *L, const char *path, int dialect) {
  const char *src;
  size_t len;
  if (!read_source(L, path, &src, &len)) return LUA_ERRFILE;
  lua_pushfstring(L, "@%s", path);
  const char *chunk = lua_tostring(L, -1);
  /* skip a #! line for plain Lua (the translator handles .deal) */
  int st = host_loadbuffer(L, src, len, chunk, dialect == DIALECT_AUTO && ends_with(path, ".deal") ? DIALECT_DEAL : dialect);
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

static void warnf(void *ud, const char *msg, int tocont) {
  static int on = 0, cont = 0;
  (void)ud;
  if (!cont && msg[0] == '@') {           /* control messages, as lua.c */
    if (strcmp(msg, "@on") == 0) on = 1; else if (strcmp(msg, "@off") == 0) on = 0;
    return;
  }
  if (on) { fprintf(stderr, "%s%s", cont ? "" : "deal: warning: ", msg); if (!tocont) fputc('\n', stderr); }
  cont = tocont;
}

lua_State *host_newstate(const HostOptions *opt) {
  host_opts = *opt;
  deal_budget.limit = opt->max_memory;
  const char *f = getenv("DEAL_FAIL_AFTER");     /* the OOM sweep */
  if (f) deal_budget.fail_after = atol(f);
  alloc_setup_gmp();
  lua_State *L = lua_newstate(deal_alloc, &deal_budget);
  if (!L) return NULL;
  lua_atpanic(L, panic);
  lua_gc(L, LUA_GCGEN, 0, 0);      /* most nums die young: generational suits them */
  lua_setwarnf(L, warnf, L);
  if (opt->timeout > 0) {
    deadline = now() + opt->timeout;
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, 10000);
    signal(SIGALRM, on_watchdog);
    alarm((unsigned)opt->timeout + 5);
  }
  lua_pushcfunction(L, setup);
  lua_pushlightuserdata(L, (void *)opt);
  if (host_docall(L, 1, 0) != LUA_OK) {
    host_report(L, LUA_ERRRUN);
    lua_close(L);
    return NULL;
  }
  return L;
}

void num_pool_drain(void);
void arith_drain(void);

void host_close(lua_State *L) {
  lua_gc(L, LUA_GCCOLLECT, 0);
  lua_close(L);
  num_pool_drain();
  arith_drain();
}
