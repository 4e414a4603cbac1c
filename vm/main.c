/*
** vm/main.c
** deal [options] [script [args]]: the conventions of lua.c (pmain inside
** lua_pcall, -e/-l/-i/-v/-, the arg table, one report() for errors), plus
** the subcommands (`deal check`), --translate and the host's limits. The
** options themselves are cli.c's.
*/
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <gmp.h>
#include "check.h"
#include "claimrun.h"
#include "cli.h"
#include "diag.h"
#include "export.h"
#include "host.h"
#include "lsp.h"
#include "merge.h"
#include "repl.h"
#include "results.h"
#include "sha256.h"
#include "translate.h"
#include "uexpr.h"
#include "version.h"

/* `deal NAME ...` runs NAME's main with argv from NAME on. */
static const struct { const char *name; int (*main)(int argc, char **argv); } subcommands[] = {
  {"check", check_main},
  {"lsp", lsp_main},
  {"merge", merge_main},
};

/* What pmain needs: the parsed options, the command line, the export. */
typedef struct Run {
  CliArgs a;
  int argc;
  char **argv;
  Export exp;                /* --json, --csv, --samples-out (export.c) */
} Run;

/* arg[0] = script, arg[1..] = its arguments, negatives = the options. */
static void create_argtable(lua_State *L, const Run *r) {
  int s = r->a.operand < r->argc ? r->a.operand : 0;
  lua_createtable(L, r->argc - s, s + 1);
  for (int i = 0; i < r->argc; i++) {
    lua_pushstring(L, r->argv[i]);
    lua_rawseti(L, -2, i - s);
  }
  lua_setglobal(L, "arg");
}

static int dochunk(lua_State *L, int status) {
  if (status == LUA_OK) status = host_docall(L, 0, 0);
  return host_report(L, status);
}

/* -e and -l, in order; 0 after the first that fails. */
static int run_actions(lua_State *L, const CliArgs *a) {
  for (int i = 0; i < a->nactions; i++) {
    const char *v = a->actions[i].arg;
    int st;
    if (a->actions[i].opt == 'e') st = dochunk(L, host_loadbuffer(L, v, strlen(v), "=(command line)", DIALECT_DEAL));
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

static int has_e(const CliArgs *a) {
  for (int i = 0; i < a->nactions; i++)
    if (a->actions[i].opt == 'e') return 1;
  return 0;
}

/* Loads the script (a file, or standard input for "-") as a model: its
** top-level bindings are its results (results.h). */
static int load_script(lua_State *L, Run *r) {
  if (!r->a.stdin_script) {
    const char *fname = r->argv[r->a.operand];
    host_setmodelfile(L, fname);
    int st = host_loadfilex(L, fname, DIALECT_AUTO | LOAD_MODEL, r->exp.sha256);
    r->exp.hassha = st != LUA_ERRFILE;               /* read, whether or not it compiled */
    return st;
  }
  luaL_Buffer b;
  char buf[4096];
  size_t n;
  host_setmodeldir(L, ".");
  luaL_buffinit(L, &b);
  while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) luaL_addlstring(&b, buf, n);
  luaL_pushresult(&b);
  size_t len;
  const char *src = lua_tolstring(L, -1, &len);
  Sha256 h;
  sha256_init(&h);
  sha256_update(&h, src, len);
  sha256_final(&h, r->exp.sha256);
  r->exp.hassha = 1;
  int st = host_loadbuffer(L, src, len, "=stdin", DIALECT_DEAL | LOAD_MODEL);
  lua_remove(L, -2);
  return st;
}

/* Runs the script; then the export when asked (also of a failed run: the
** results reached and the error), or, for -i, its results as globals. */
static int run_script(lua_State *L, Run *r) {
  results_begin(L);
  int st = load_script(L, r);
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
  if (st == LUA_OK) st = claims_show(L, r->a.stdin_script ? NULL : r->argv[r->a.operand]);
  int exported = 1;
  if (export_wanted(&r->a)) exported = export_write(L, &r->exp, st);
  else if (st == LUA_OK && r->a.interactive) {
    lua_pushcfunction(L, results_publish);
    st = host_docall(L, 0, 0);
  }
  return host_report(L, st) == LUA_OK && exported;
}

/* --translate FILE: read as a model is (a FIFO or a device is refused). */
static int print_translation(lua_State *L, const char *path) {
  const char *src;
  size_t len;
  if (!host_readfile(L, path, &src, &len)) return host_report(L, LUA_ERRFILE) == LUA_OK;
  void *ud;
  lua_Alloc af = lua_getallocf(L, &ud);
  char *out, err[2048];
  size_t outlen;
  lua_pushfstring(L, "@%s", path);
  /* as a model runs: with its results kept (docs/results.md) */
  if (deal_translatex(af, ud, src, len, lua_tostring(L, -1), &out, &outlen, err, sizeof err,
                      TRANSLATE_RESULTS) != 0) {
    fprintf(stderr, "%s: %s\n", progname, err);
    return 0;
  }
  fwrite(out, 1, outlen, stdout);
  if (outlen && out[outlen - 1] != '\n') putchar('\n');
  af(ud, out, outlen + 1, 0);
  return 1;
}

/* Runs inside lua_pcall: everything that can raise is protected. As lua.c:
** the REPL when asked (-i), or when there is nothing else to do. */
static int pmain(lua_State *L) {
  Run *r = lua_touserdata(L, 1);
  const CliArgs *a = &r->a;
  int script = a->operand < r->argc || a->stdin_script;
  if (export_wanted(a) &&
      !export_open(&r->exp, a, a->stdin_script ? "-" : r->argv[a->operand])) return 0;
  if (a->version) printf("%s (Lua 5.4, GMP %s)\n", DEAL_VERSION, gmp_version);
  if (a->translate) { lua_pushboolean(L, print_translation(L, a->translate)); return 1; }
  if (a->conformance) {
    lua_pushboolean(L, dochunk(L, host_loadfile(L, a->conformance, DIALECT_LUA)) == LUA_OK);
    return 1;
  }
  create_argtable(L, r);
  if (!run_actions(L, a)) return 0;
  if (!script && has_e(a) && host_report(L, claims_show(L, NULL)) != LUA_OK) return 0;
  if (script && !run_script(L, r)) return 0;
  if (a->interactive || (!script && !has_e(a) && !a->version))
    if (repl_run(L) != 0) return 0;
  lua_pushboolean(L, 1);
  return 1;
}

int main(int argc, char **argv) {
  for (size_t i = 0; argc > 1 && i < sizeof subcommands / sizeof subcommands[0]; i++)
    if (strcmp(argv[1], subcommands[i].name) == 0) return subcommands[i].main(argc - 1, argv + 1);
  /* `deal report MODEL -o FILE.html`: a run of MODEL, exported as a page */
  const CliCommand *cmd = argc > 1 && strcmp(argv[1], "report") == 0 ? &cli_report : &cli_deal;
  if (cmd == &cli_report) argc--, argv++;
  Run r;
  int st = cli_parse(cmd, argc, argv, &r.a);
  if (st >= 0) return st;
  r.a.html = cmd == &cli_report;
  const char *misuse = export_misuse(&r.a, r.a.operand < argc || r.a.stdin_script);
  if (misuse) { cli_free(&r.a); return cli_usage_error(cmd, misuse, NULL); }
  r.argc = r.a.html ? (r.a.operand < argc ? r.a.operand + 1 : argc) : argc;  /* no script args */
  r.argv = argv;
  memset(&r.exp, 0, sizeof r.exp);
  if (r.a.interactive) r.a.version = 1;      /* lua's -i shows the version too */
  r.a.host.conformance = r.a.conformance != NULL;
  lua_State *L = host_newstate(&r.a.host);
  if (!L) {
    fprintf(stderr, "%s: cannot create state: not enough memory\n", progname);
    cli_free(&r.a);
    return 1;
  }
  lua_pushcfunction(L, pmain);
  lua_pushlightuserdata(L, &r);
  st = lua_pcall(L, 1, 1, 0);
  int ok = st == LUA_OK && lua_toboolean(L, -1);
  host_report(L, st);
  export_close(&r.exp);
  host_close(L);
  units_reset();                     /* units the script declared */
  cli_free(&r.a);
  if (!host_flushout(progname)) ok = 0;   /* lost output is an error */
  return ok ? 0 : 1;
}
