/*
** vm/main.c
** deal [options] [script [args]]: the conventions of lua.c (pmain inside
** lua_pcall, -e/-l/-i/-v/-, the arg table, one report() for errors), plus
** `deal check`, --translate and the host's limits.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <gmp.h>
#include "alloc.h"
#include "host.h"
#include "translate.h"
#include "uexpr.h"

#define DEAL_VERSION "Dealscript 0.1"

int repl_run(lua_State *L);
int check_main(int argc, char **argv);
void host_setmodeldir(lua_State *L, const char *dir);

static void usage(FILE *f) {
  fprintf(f,
    "usage: %s [options] [script [args]]\n"
    "       %s check [--json] PATH...\n"
    "Options:\n"
    "  -e stat         execute string 'stat' (.deal code)\n"
    "  -i              enter interactive mode after running script\n"
    "  -l mod          require library 'mod' into global 'mod'\n"
    "  -v              show version information\n"
    "  --seed N        seed of the random generator (default 20260101)\n"
    "  --samples N     Monte Carlo samples per uncertain value (default 100000)\n"
    "  --max-memory S  memory limit, e.g. 512M or 2G, or none (default: 4G; check: 1G)\n"
    "  --timeout S     time limit in seconds (default: none; check: 60)\n"
    "  --trust         full Lua: io, os, package, debug (see docs/security.md)\n"
    "  --translate F   print the Lua that a .deal file becomes\n"
    "  --conformance F run plain Lua F with every standard library (testing)\n"
    "  --help          show this help\n"
    "  --              stop handling options\n"
    "  -               execute stdin and stop handling options\n",
    progname, progname);
}

static int usage_error(const char *msg, const char *what) {
  fprintf(stderr, "%s: %s%s%s\n", progname, msg, what ? " " : "", what ? what : "");
  usage(stderr);
  return 2;
}

/* "512M" -> bytes; 0 on a malformed size. */
static size_t parse_size(const char *s) {
  char *e;
  double v = strtod(s, &e);
  if (e == s || v <= 0) return 0;
  switch (*e) {
    case 'k': case 'K': v *= 1024; e++; break;
    case 'm': case 'M': v *= 1024 * 1024; e++; break;
    case 'g': case 'G': v *= 1024.0 * 1024 * 1024; e++; break;
  }
  return *e ? 0 : (size_t)v;
}

typedef struct Args {
  int argc;
  char **argv;
  int script;         /* index of the script in argv, 0 if none */
  int interactive, version, translate, conformance, stdin_script;
  HostOptions opt;
} Args;

/* Parses options; returns 0 ok, 2 usage error, 1 stop-with-ok (--help). */
static int collect_args(Args *a) {
  int i;
  for (i = 1; i < a->argc; i++) {
    const char *s = a->argv[i];
    if (s[0] != '-') break;
    if (strcmp(s, "--") == 0) { i++; break; }
    if (strcmp(s, "-") == 0) { a->stdin_script = 1; break; }
    if (strcmp(s, "--help") == 0) { usage(stdout); return 1; }
    if (strcmp(s, "-i") == 0) { a->interactive = a->version = 1; continue; }
    if (strcmp(s, "-v") == 0) { a->version = 1; continue; }
    if (strcmp(s, "--trust") == 0) { a->opt.trust = 1; continue; }
    if (strcmp(s, "-e") == 0 || strcmp(s, "-l") == 0) {
      if (i + 1 >= a->argc) return usage_error("option requires an argument:", s);
      i++;
      continue;
    }
    if (strncmp(s, "-e", 2) == 0 || strncmp(s, "-l", 2) == 0) continue;
    if (strcmp(s, "--translate") == 0 || strcmp(s, "--conformance") == 0) {
      if (i + 1 >= a->argc) return usage_error("option requires an argument:", s);
      if (s[2] == 't') a->translate = i + 1; else { a->conformance = i + 1; a->opt.conformance = 1; }
      i++;
      continue;
    }
    if (strcmp(s, "--seed") == 0 || strcmp(s, "--samples") == 0 ||
        strcmp(s, "--max-memory") == 0 || strcmp(s, "--timeout") == 0) {
      if (i + 1 >= a->argc) return usage_error("option requires an argument:", s);
      const char *v = a->argv[++i];
      char *e;
      errno = 0;
      if (s[2] == 's' && s[3] == 'e') {
        a->opt.seed = strtoull(v, &e, 10); a->opt.seed_set = 1;
        if (*e || errno) return usage_error("bad --seed:", v);
      } else if (s[2] == 's') {
        long n = strtol(v, &e, 10);
        if (*e || n < 1 || n > 100000000) return usage_error("bad --samples (1 to 100000000):", v);
        a->opt.samples = n;
      } else if (s[2] == 'm') {
        if (strcmp(v, "none") == 0) a->opt.max_memory = HOST_UNLIMITED;
        else if (!(a->opt.max_memory = parse_size(v))) return usage_error("bad --max-memory:", v);
      } else {
        double t = strtod(v, &e);
        if (*e || t <= 0 || t > 1e6) return usage_error("bad --timeout:", v);
        a->opt.timeout = t;
      }
      continue;
    }
    { char q[256]; snprintf(q, sizeof q, "'%.200s'", s); return usage_error("unrecognized option", q); }
  }
  if (i < a->argc && !a->stdin_script) a->script = i;
  if (a->stdin_script) a->script = i;
  return 0;
}

/* arg[0] = script, arg[1..] = its arguments, negatives = the options. */
static void create_argtable(lua_State *L, Args *a) {
  int s = a->script ? a->script : 0;
  lua_createtable(L, a->argc - s, s + 1);
  for (int i = 0; i < a->argc; i++) {
    lua_pushstring(L, a->argv[i]);
    lua_rawseti(L, -2, i - s);
  }
  lua_setglobal(L, "arg");
}

static int dochunk(lua_State *L, int status) {
  if (status == LUA_OK) status = host_docall(L, 0, 0);
  return host_report(L, status);
}

/* -e and -l, in order. */
static int run_args(lua_State *L, Args *a) {
  int last = a->script ? a->script : a->argc;
  for (int i = 1; i < last; i++) {
    const char *s = a->argv[i];
    if (s[0] != '-' || (s[1] != 'e' && s[1] != 'l')) {
      if (strcmp(s, "--seed") == 0 || strcmp(s, "--samples") == 0 || strcmp(s, "--max-memory") == 0 ||
          strcmp(s, "--timeout") == 0 || strcmp(s, "--translate") == 0 || strcmp(s, "--conformance") == 0) i++;
      continue;
    }
    const char *v = s[2] ? s + 2 : a->argv[++i];
    int st;
    if (s[1] == 'e') st = dochunk(L, host_loadbuffer(L, v, strlen(v), "=(command line)", DIALECT_DEAL));
    else {
      lua_getglobal(L, "require");
      lua_pushstring(L, v);
      st = host_docall(L, 1, 1);
      if (st == LUA_OK) lua_setglobal(L, v);
      host_report(L, st);
    }
    if (st != LUA_OK) return 0;
  }
  return 1;
}

static int run_script(lua_State *L, Args *a) {
  const char *fname = a->stdin_script ? NULL : a->argv[a->script];
  int st;
  if (fname) {
    char dir[4096];
    const char *slash = strrchr(fname, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - fname) : 1, slash ? fname : ".");
    host_setmodeldir(L, dir);
    st = host_loadfile(L, fname, DIALECT_AUTO);
  } else {
    luaL_Buffer b;
    char buf[4096];
    size_t n;
    host_setmodeldir(L, ".");
    luaL_buffinit(L, &b);
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) luaL_addlstring(&b, buf, n);
    luaL_pushresult(&b);
    size_t len;
    const char *src = lua_tolstring(L, -1, &len);
    st = host_loadbuffer(L, src, len, "=stdin", DIALECT_DEAL);
    lua_remove(L, -2);
  }
  if (st == LUA_OK) {
    int n = 0;
    lua_getglobal(L, "arg");
    if (lua_istable(L, -1)) {       /* the script's arguments as ... */
      int argn = (int)luaL_len(L, -1);
      luaL_checkstack(L, argn + 3, "too many arguments to script");
      for (int i = 1; i <= argn; i++) lua_rawgeti(L, -i, i);
      n = argn;
      lua_remove(L, -n - 1);
    } else lua_pop(L, 1);
    st = host_docall(L, n, 0);
  }
  if (st == LUA_OK) {               /* the claims table, if the stdlib has one */
    lua_getglobal(L, "__deal");
    if (lua_istable(L, -1) && lua_getfield(L, -1, "after_run") == LUA_TFUNCTION) {
      lua_remove(L, -2);
      st = host_docall(L, 0, 0);
    } else lua_pop(L, 2);
  }
  return host_report(L, st) == LUA_OK;
}

static int print_translation(lua_State *L, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { fprintf(stderr, "%s: cannot open %s: %s\n", progname, path, strerror(errno)); return 0; }
  luaL_Buffer b;
  char buf[4096];
  size_t n;
  luaL_buffinit(L, &b);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) luaL_addlstring(&b, buf, n);
  fclose(f);
  luaL_pushresult(&b);
  size_t len;
  const char *src = lua_tolstring(L, -1, &len);
  void *ud;
  lua_Alloc af = lua_getallocf(L, &ud);
  char *out, err[2048];
  size_t outlen;
  lua_pushfstring(L, "@%s", path);
  if (deal_translate(af, ud, src, len, lua_tostring(L, -1), &out, &outlen, err, sizeof err) != 0) {
    fprintf(stderr, "%s: %s\n", progname, err);
    return 0;
  }
  fwrite(out, 1, outlen, stdout);
  if (outlen && out[outlen - 1] != '\n') putchar('\n');
  af(ud, out, outlen + 1, 0);
  return 1;
}

/* Runs inside lua_pcall: everything that can raise is protected. */
static int pmain(lua_State *L) {
  Args *a = lua_touserdata(L, 1);
  if (a->version) printf("%s (Lua 5.4, GMP %s)\n", DEAL_VERSION, gmp_version);
  if (a->translate) { lua_pushboolean(L, print_translation(L, a->argv[a->translate])); return 1; }
  if (a->conformance) {
    lua_pushboolean(L, dochunk(L, host_loadfile(L, a->argv[a->conformance], DIALECT_LUA)) == LUA_OK);
    return 1;
  }
  create_argtable(L, a);
  if (!run_args(L, a)) return 0;
  if ((a->script || a->stdin_script) && !run_script(L, a)) return 0;
  int has_e = 0;
  for (int i = 1; i < (a->script ? a->script : a->argc); i++)
    if (a->argv[i][0] == '-' && a->argv[i][1] == 'e') has_e = 1;
  if (a->interactive || (!a->script && !a->stdin_script && !has_e && !a->version)) {
    if (repl_run(L) != 0) return 0;
  } else if (!a->script && !a->stdin_script && !has_e && a->version && !a->interactive) {
    /* -v alone: version only */
  }
  lua_pushboolean(L, 1);
  return 1;
}

int main(int argc, char **argv) {
  Args a;
  memset(&a, 0, sizeof a);
  a.argc = argc;
  a.argv = argv;
  a.opt.samples = 100000;
  if (argc > 1 && strcmp(argv[1], "check") == 0) return check_main(argc - 1, argv + 1);
  int r = collect_args(&a);
  if (r == 1) return 0;
  if (r != 0) return r;
  lua_State *L = host_newstate(&a.opt);
  if (!L) { fprintf(stderr, "%s: cannot create state: not enough memory\n", progname); return 1; }
  lua_pushcfunction(L, pmain);
  lua_pushlightuserdata(L, &a);
  int st = lua_pcall(L, 1, 1, 0);
  int ok = st == LUA_OK && lua_toboolean(L, -1);
  host_report(L, st);
  host_close(L);
  units_reset();                     /* units the script declared */
  return ok ? 0 : 1;
}
