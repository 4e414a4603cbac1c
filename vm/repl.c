/*
** vm/repl.c
** The interactive prompt: read a statement, run it, show the result.
**
** The control flow is lua.c's: an expression is tried first as
** "return <line>" so that it prints; a statement whose syntax error ends in
** <eof> is incomplete and continues on a second prompt; every evaluation
** runs through host_docall (traceback, Ctrl-C as "interrupted!") and every
** error through host_report, so the session keeps its state after errors.
**
** On a terminal, lines come from GNU readline's callback interface, which
** leaves the waiting loop here: Ctrl-C at the prompt is an ordinary signal
** that sets a flag and wakes pselect(), and the line is dropped without any
** longjmp out of readline. Each entry is appended to the history file at
** once (O_APPEND, one line per entry, newlines escaped as \n), so a crash
** loses nothing; the file is trimmed to HISTMAX entries through a
** temporary file and rename(). The file is opened as models are: a
** regular file only (a FIFO or a device is refused with a warning).
**
** When stdin is not a terminal there are no prompts, no escape codes and no
** history: lines are read with getline and results are printed bare.
**
** The REPL's Lua half is stdlib/repl.lua (help index, :units, :info, the
** name lists for completion); its table lives in the registry (REG_REPL).
*/
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/readline.h>
#include <readline/history.h>

#include <lua.h>
#include <lauxlib.h>

#include "complete.h"
#include "host.h"
#include "pretty.h"
#include "registry.h"
#include "repl.h"
#include "results.h"
#include "stdlib.h"

#define HISTMAX   1000          /* entries kept in the history file */
#define HISTSLACK 200           /* appended beyond HISTMAX before a trim */
#define HISTBYTES (64L << 20)   /* a larger history file is not read */
#define HISTBYTES_TEXT "64 MB"
#define PROMPT1   "> "
#define PROMPT2   ">> "
#define CHUNKNAME "=stdin"

typedef struct Repl {
  lua_State *L;
  int tty;
  char *hist;          /* history file; NULL when none or not writable */
  long histlines;      /* entries in it, as far as we know */
  char *lastload;      /* file of the last :load, for :reload */
} Repl;

enum { R_EOF = 0, R_LINE = 1, R_INTR = -1 };
enum { CMD_GO, CMD_QUIT };


/* {====================================================== Reading lines */

static volatile sig_atomic_t got_sigint, got_sigwinch;
static char *cb_line;
static int cb_done;

static void on_signal(int sig) {
  if (sig == SIGINT) got_sigint = 1;
  else got_sigwinch = 1;
}

/* readline calls this with the finished line (NULL at end of input). The
** handler is removed here, before readline could print a new prompt. */
static void on_line(char *line) {
  cb_line = line;
  cb_done = 1;
  rl_callback_handler_remove();
}

/* One line from readline. SIGINT and SIGWINCH are blocked except inside
** pselect, so a signal is seen either there (EINTR) or before it. */
static int read_tty(const char *prompt, char **out) {
  struct sigaction sa, oldint, oldwinch;
  sigset_t block, orig;
  int fd = fileno(rl_instream ? rl_instream : stdin), ret = R_LINE;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;  /* no SA_RESTART: pselect must return */
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, &oldint);
  sigaction(SIGWINCH, &sa, &oldwinch);
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGWINCH);
  sigprocmask(SIG_BLOCK, &block, &orig);
  got_sigint = got_sigwinch = 0;
  cb_done = 0;
  cb_line = NULL;
  rl_eof_found = 0;  /* after a Ctrl-D on ">> ", readline would add a newline */
  rl_callback_handler_install(prompt, on_line);
  while (!cb_done) {
    fd_set fds;
    int n;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    n = pselect(fd + 1, &fds, NULL, NULL, NULL, &orig);
    if (got_sigwinch) {
      got_sigwinch = 0;
      rl_resize_terminal();
    }
    if (got_sigint) {  /* drop the line, keep the history */
      rl_callback_sigcleanup();
      rl_point = rl_end;
      rl_redisplay();
      rl_free_line_state();
      rl_replace_line("", 0);
      rl_callback_handler_remove();
      fputs("^C\n", rl_outstream ? rl_outstream : stdout);
      ret = R_INTR;
      break;
    }
    if (n < 0 && errno != EINTR) {
      rl_callback_handler_remove();
      break;
    }
    if (n > 0) rl_callback_read_char();
  }
  sigprocmask(SIG_SETMASK, &orig, NULL);
  sigaction(SIGINT, &oldint, NULL);
  sigaction(SIGWINCH, &oldwinch, NULL);
  fflush(stdout);
  if (ret == R_LINE && cb_line == NULL) ret = R_EOF;
  *out = ret == R_LINE ? cb_line : NULL;
  if (ret != R_LINE) free(cb_line);
  return ret;
}

static int read_pipe(char **out) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, stdin);
  if (n < 0) {
    free(line);
    *out = NULL;
    return R_EOF;
  }
  if (n > 0 && line[n - 1] == '\n') line[--n] = '\0';
  if (n > 0 && line[n - 1] == '\r') line[--n] = '\0';
  *out = line;
  return R_LINE;
}

/* The prompt: the global _PROMPT/_PROMPT2 if it is a string (raw access). */
static int read_line(Repl *r, int first, char **out) {
  lua_State *L = r->L;
  char prompt[128];
  if (!r->tty) return read_pipe(out);
  snprintf(prompt, sizeof prompt, "%s", first ? PROMPT1 : PROMPT2);
  if (lua_checkstack(L, 2)) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushstring(L, first ? "_PROMPT" : "_PROMPT2");
    if (lua_rawget(L, -2) == LUA_TSTRING)
      snprintf(prompt, sizeof prompt, "%s", lua_tostring(L, -1));
    lua_pop(L, 2);
  }
  return read_tty(prompt, out);
}

/* }====================================================== */


/* {====================================================== History */

static char *hist_filename(void) {
  const char *env = getenv("DEAL_HISTORY"), *home = getenv("HOME");
  char *p;
  if (env && *env) return strdup(env);
  if (!home || !*home) return NULL;
  p = malloc(strlen(home) + sizeof "/.deal_history");
  if (p) sprintf(p, "%s/.deal_history", home);
  return p;
}

/* Why the history file was refused: set by hist_open, read by hist_warn. */
static const char *hist_why;

static void hist_warn(Repl *r, const char *what) {
  fprintf(stderr, "%s: cannot %s history file %s: %s (history is not saved)\n",
          progname, what, r->hist, hist_why ? hist_why : strerror(errno));
  fflush(stderr);
  free(r->hist);
  r->hist = NULL;  /* one warning, then the session goes on without it */
}

/* Opens the history file with flags, the loader's rule (host_openread): a
** regular file only, so neither a FIFO (open would block) nor a device
** (DEAL_HISTORY=/dev/zero: getline would read for ever) is taken; for
** reading, at most HISTBYTES. Returns the fd, or -1 with errno or
** hist_why set. */
static int hist_open(const char *path, int flags) {
  struct stat st;
  int fd = open(path, flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0600);
  hist_why = NULL;
  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0) { int e = errno; close(fd); errno = e; return -1; }
  if (!S_ISREG(st.st_mode)) hist_why = "not a regular file";
  else if ((flags & O_ACCMODE) == O_RDONLY && st.st_size > HISTBYTES) hist_why = "larger than " HISTBYTES_TEXT;
  if (hist_why) { close(fd); return -1; }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

/* The history file as a stdio stream for reading (hist_open's rule). */
static FILE *hist_read(const char *path) {
  int fd = hist_open(path, O_RDONLY);
  FILE *f = fd >= 0 ? fdopen(fd, "r") : NULL;
  if (fd >= 0 && !f) close(fd);
  return f;
}

/* One entry as one line: backslash and newline escaped. Caller frees. */
static char *hist_escape(const char *s, size_t *len) {
  char *out = malloc(2 * strlen(s) + 2), *p = out;
  if (!out) return NULL;
  for (; *s; s++) {
    if (*s == '\\') { *p++ = '\\'; *p++ = '\\'; }
    else if (*s == '\n') { *p++ = '\\'; *p++ = 'n'; }
    else *p++ = *s;
  }
  *p++ = '\n';
  *p = '\0';
  *len = (size_t)(p - out);
  return out;
}

static void hist_unescape(char *s) {
  char *q = s;
  for (; *s; s++) {
    if (*s == '\\' && s[1] == 'n') { *q++ = '\n'; s++; }
    else if (*s == '\\' && s[1] == '\\') { *q++ = '\\'; s++; }
    else *q++ = *s;
  }
  *q = '\0';
}

/* Rewrites the file with its last HISTMAX lines: a temporary file in the
** same directory, then rename(), so a crash leaves the old or the new. */
static void hist_trim(Repl *r) {
  FILE *in = hist_read(r->hist), *out;
  char **ring, *line = NULL, *tmp;
  size_t cap = 0;
  long n = 0, i;
  int fd;
  if (!in) return;
  ring = calloc(HISTMAX, sizeof *ring);
  tmp = malloc(strlen(r->hist) + sizeof ".XXXXXX");
  if (!ring || !tmp) goto done;
  while (getline(&line, &cap, in) >= 0) {
    free(ring[n % HISTMAX]);
    ring[n % HISTMAX] = line;
    line = NULL;
    cap = 0;
    n++;
  }
  sprintf(tmp, "%s.XXXXXX", r->hist);
  if ((fd = mkstemp(tmp)) < 0 || (out = fdopen(fd, "w")) == NULL) {
    if (fd >= 0) { close(fd); unlink(tmp); }
    hist_warn(r, "rewrite");
    goto done;
  }
  for (i = n > HISTMAX ? n - HISTMAX : 0; i < n; i++)
    fputs(ring[i % HISTMAX], out);
  if (fclose(out) != 0 || rename(tmp, r->hist) != 0) {
    unlink(tmp);
    hist_warn(r, "rewrite");
    goto done;
  }
  r->histlines = n > HISTMAX ? HISTMAX : n;
done:
  free(line);
  if (ring) for (i = 0; i < HISTMAX; i++) free(ring[i]);
  free(ring);
  free(tmp);
  fclose(in);
}

static void hist_load(Repl *r) {
  FILE *f;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  stifle_history(HISTMAX);
  if ((r->hist = hist_filename()) == NULL) return;
  if ((f = hist_read(r->hist)) == NULL) {
    if (hist_why || errno != ENOENT) hist_warn(r, "read");   /* no file yet: nothing to say */
    return;
  }
  while ((n = getline(&line, &cap, f)) >= 0) {
    if (n > 0 && line[n - 1] == '\n') line[n - 1] = '\0';
    hist_unescape(line);
    if (*line) add_history(line);
    r->histlines++;
  }
  free(line);
  fclose(f);
  if (r->histlines > HISTMAX) hist_trim(r);
}

/* Adds a complete entry to readline's list and appends it to the file. */
static void hist_add(Repl *r, const char *entry) {
  HIST_ENTRY *last;
  char *text;
  size_t len;
  int fd;
  if (!r->tty || *entry == '\0') return;
  last = history_length > 0 ? history_get(history_base + history_length - 1) : NULL;
  if (last && strcmp(last->line, entry) == 0) return;  /* no repeats */
  add_history(entry);
  if (!r->hist || (text = hist_escape(entry, &len)) == NULL) return;
  fd = hist_open(r->hist, O_WRONLY | O_APPEND | O_CREAT);
  if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
    int e = errno;
    if (fd >= 0) close(fd);
    errno = e;
    hist_warn(r, "write");
  }
  else {
    close(fd);
    if (++r->histlines > HISTMAX + HISTSLACK) hist_trim(r);
  }
  free(text);
}

/* }====================================================== */


/* {====================================================== Lua side */

/* Pushes the REPL's registry table, creating it if need be. */
static void pushrepl(lua_State *L) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, REG_REPL) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, LUA_REGISTRYINDEX, REG_REPL);
  }
}

/* setup(tty), protected: loads stdlib/repl.lua and, on a terminal, caches
** the unit and catalog names for completion (R.names, which also loads the
** stdlib modules so that their fields complete). */
/* The unit names and catalog keys that completion offers, fetched once
** (they need the units and chips modules) into the REPL's table. */
static int names(lua_State *L) {
  int t, i, n = 0;
  pushrepl(L);
  t = lua_gettop(L);
  if (lua_getfield(L, t, "units") == LUA_TTABLE) return 0;
  if (lua_getfield(L, t, "lua") != LUA_TTABLE) return 0;
  lua_getfield(L, -1, "names");
  lua_newtable(L);
  for (i = 0; stdlib_files[i].name; i++) {
    const char *m = stdlib_files[i].name;
    if (m[0] == '_' || strncmp(m, "catalog_", 8) == 0 ||
        strncmp(m, "prelude", 7) == 0 || strcmp(m, "repl") == 0)
      continue;
    lua_pushstring(L, m);
    lua_rawseti(L, -2, ++n);
  }
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "units");
  lua_setfield(L, t, "units");
  lua_getfield(L, -1, "chips");
  lua_setfield(L, t, "chips");
  return 0;
}

/* Loads the REPL's Lua side (stdlib/repl.lua) into the REPL's table;
** with a terminal (arg 1 true) also the completion lists. */
static int setup(lua_State *L) {
  const StdlibFile *f = stdlib_find("repl");
  pushrepl(L);
  if (f == NULL) return 0;
  if (host_loadbuffer(L, f->src, f->len, f->chunkname, DIALECT_LUA) != LUA_OK)
    return lua_error(L);
  lua_call(L, 0, 1);
  lua_setfield(L, -2, "lua");
  if (lua_toboolean(L, 1)) names(L);
  return 0;
}

/* The help index, built on first use from the embedded sources. */
static void pushdocs(lua_State *L, int t) {
  if (lua_getfield(L, t, "docs") == LUA_TTABLE) return;
  lua_pop(L, 1);
  lua_getfield(L, t, "lua");
  lua_getfield(L, -1, "index");
  lua_remove(L, -2);
  stdlib_pushfiles(L);
  lua_call(L, 1, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, t, "docs");
}

/* helper(name, args...): calls R[name](args...) of stdlib/repl.lua and
** returns its text. "help" gets the index first; "info" gets the
** pretty-printed value after the value. */
static int helper(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  int nargs = lua_gettop(L) - 1, t, i;
  int help = strcmp(name, "help") == 0;
  if (strcmp(name, "info") == 0) {
    pretty_push(L, 2);
    nargs++;
  }
  pushrepl(L);
  t = lua_gettop(L);
  if (lua_getfield(L, t, "lua") != LUA_TTABLE)
    return luaL_error(L, "the REPL helpers (stdlib/repl.lua) are missing");
  lua_getfield(L, -1, name);
  if (help) pushdocs(L, t);
  for (i = 2; i <= nargs + 1; i++) lua_pushvalue(L, i);
  lua_call(L, nargs + help, 1);
  return 1;
}

/* Runs helper with the nargs values on top of the stack; prints its text
** or reports its error. */
static void run_helper(Repl *r, const char *name, int nargs) {
  lua_State *L = r->L;
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, helper);
  lua_pushstring(L, name);
  lua_rotate(L, base + 1, 2);
  if (host_docall(L, nargs + 1, 1) == LUA_OK) {
    if (lua_type(L, -1) == LUA_TSTRING) {
      fputs(lua_tostring(L, -1), stdout);
      fputc('\n', stdout);
    }
    lua_pop(L, 1);
  }
  else {  /* a command's error: the message without the traceback */
    const char *msg = lua_tostring(L, -1), *tb;
    if (msg && (tb = strstr(msg, "\nstack traceback:")) != NULL) {
      lua_pushlstring(L, msg, (size_t)(tb - msg));
      lua_replace(L, -2);
    }
    fflush(stdout);
    host_report(L, LUA_ERRRUN);
  }
  fflush(stdout);
  lua_settop(L, base);
}

/* show(tty, v1, ..., vn): `_` and `ans` get v1, then the values print. */
static int show(lua_State *L) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushliteral(L, "_");
  lua_pushvalue(L, 2);
  lua_rawset(L, -3);
  lua_pushliteral(L, "ans");
  lua_pushvalue(L, 2);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  return pretty_show(L);
}

/* }====================================================== */


/* {====================================================== Evaluation */

/* Incomplete input: the syntax error is at the end of the text. The
** message may carry a source line and caret after the first line. */
static int incomplete(lua_State *L, int status) {
  const char *msg, *nl;
  size_t l;
  if (status != LUA_ERRSYNTAX || (msg = lua_tostring(L, -1)) == NULL) return 0;
  nl = strchr(msg, '\n');
  l = nl ? (size_t)(nl - msg) : strlen(msg);
  while (l > 0 && msg[l - 1] == ' ') l--;
  if (strstr(msg, "unfinished string") && l < 300)  /* "abc<Enter>: an error */
    return 0;
  return (l >= 5 && memcmp(msg + l - 5, "<eof>", 5) == 0) ||
         (l >= 6 && memcmp(msg + l - 6, "<eof>'", 6) == 0);  /* [[... */
}

/* Compiles "return <buf>" (so that expressions print), else <buf>, as a
** model chunk: its top-level locals are kept (see evaluate). */
static int compile(Repl *r, const char *buf) {
  lua_State *L = r->L;
  size_t len = strlen(buf);
  char *ret = malloc(len + 8);
  int status;
  if (ret) {
    memcpy(ret, "return ", 7);
    memcpy(ret + 7, buf, len + 1);
    status = host_loadbuffer(L, ret, len + 7, CHUNKNAME, DIALECT_DEAL | LOAD_MODEL);
    free(ret);
    if (status == LUA_OK) return status;
    lua_pop(L, 1);
  }
  return host_loadbuffer(L, buf, len, CHUNKNAME, DIALECT_DEAL | LOAD_MODEL);
}

/* Reads continuation lines while the statement is incomplete. Returns
** the load status with the function or the message pushed, or R_INTR
** (nothing pushed) if Ctrl-C dropped the statement. *pbuf grows. */
static int load_statement(Repl *r, char **pbuf) {
  lua_State *L = r->L;
  for (;;) {
    char *line, *nb;
    int got, status = compile(r, *pbuf);
    if (!incomplete(L, status)) return status;
    got = read_line(r, 0, &line);
    if (got == R_EOF) return status;   /* report what is missing */
    lua_pop(L, 1);
    if (got == R_INTR) return R_INTR;
    nb = realloc(*pbuf, strlen(*pbuf) + strlen(line) + 2);
    if (nb == NULL) {
      free(line);
      lua_pushliteral(L, "not enough memory");
      return LUA_ERRMEM;
    }
    strcat(strcat(nb, "\n"), line);
    *pbuf = nb;
    free(line);
  }
}

/* line_set(begin): the bindings of a typed line go to a set of their own
** (begin true), which becomes globals when the line ends (begin false),
** whether or not it failed: `local x = 5` stays for the next line. The
** loaded model's set waits in the REPL's table, for :results. */
static int line_set(lua_State *L) {
  int begin = lua_toboolean(L, 1);
  pushrepl(L);
  if (begin) {
    lua_getfield(L, LUA_REGISTRYINDEX, REG_RESULTS);
    lua_setfield(L, -2, "model");
    return results_begin(L);
  }
  results_publish(L);
  lua_getfield(L, -1, "model");
  lua_setfield(L, LUA_REGISTRYINDEX, REG_RESULTS);
  return 0;
}

static int run_line_set(Repl *r, int begin) {
  lua_pushcfunction(r->L, line_set);
  lua_pushboolean(r->L, begin);
  int st = host_docall(r->L, 1, 0);
  if (st != LUA_OK) host_report(r->L, st);
  return st == LUA_OK;
}

/* Runs the function on top and shows what it returns. */
static void evaluate(Repl *r) {
  lua_State *L = r->L;
  int base = lua_gettop(L) - 1, status, n;
  fflush(stdout);
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_SHOWN);   /* nothing printed yet */
  if (!run_line_set(r, 1)) { lua_settop(L, base); return; }
  status = host_docall(L, 0, LUA_MULTRET);
  if (!run_line_set(r, 0) && status == LUA_OK) { lua_settop(L, base); return; }
  if (status == LUA_OK && (n = lua_gettop(L) - base) > 0) {
    lua_pushcfunction(L, show);
    lua_pushboolean(L, r->tty);
    lua_rotate(L, base + 1, 2);
    status = host_docall(L, n + 1, 0);
  }
  fflush(stdout);
  if (status != LUA_OK) host_report(L, status);
  lua_settop(L, base);
}

/* }====================================================== */


/* {====================================================== Commands */

static const char *skipspace(const char *s) {
  while (*s == ' ' || *s == '\t') s++;
  return s;
}

/* ":name args": is the command `name` (or its abbreviation)? Sets *args. */
static int iscmd(const char *line, const char *name, const char *abbr,
                 const char **args) {
  const char *p = line + 1, *w = p;
  size_t n;
  while (*p && *p != ' ' && *p != '\t') p++;
  n = (size_t)(p - w);
  if ((n == strlen(name) && strncmp(w, name, n) == 0) ||
      (abbr && n == strlen(abbr) && strncmp(w, abbr, n) == 0)) {
    *args = skipspace(p);
    return 1;
  }
  return 0;
}

/* load_begin(file) before a :load: the user named the file, so the model
** may read it and what sits beside it (docs/security.md); it runs with its
** own directory as the model's (its relative paths, require); its results
** and claims replace the last model's. Returns the REPL's directory.
** load_end(dir, ok): the model's results become globals (also after an
** error: what it reached), the REPL's directory is back, and a model that
** ran prints its claims table, as `deal FILE` does. */
static int load_begin(lua_State *L) {
  const char *file = luaL_checkstring(L, 1);
  lua_pushstring(L, host_modeldir(L));
  host_allowread(L, file);
  host_setmodelfile(L, file);
  host_allowread(L, host_modeldir(L));
  results_begin(L);
  if (lua_getglobal(L, "__deal") == LUA_TTABLE && lua_getfield(L, -1, "claims") == LUA_TTABLE)
    for (lua_Integer i = (lua_Integer)lua_rawlen(L, -1); i > 0; i--) {
      lua_pushnil(L);
      lua_rawseti(L, -2, i);
    }
  lua_settop(L, 2);
  return 1;
}

static int load_end(lua_State *L) {
  host_setmodeldir(L, luaL_checkstring(L, 1));
  results_publish(L);
  if (lua_toboolean(L, 2) && lua_getglobal(L, "__deal") == LUA_TTABLE &&
      lua_getfield(L, -1, "after_run") == LUA_TFUNCTION)
    lua_call(L, 0, 0);
  return 0;
}

/* ":load 'a b.deal'": a quoted name loses its quotes; ~ is expanded. */
static char *load_path(const char *path) {
  size_t n = strlen(path);
  while (n > 0 && (path[n - 1] == ' ' || path[n - 1] == '\t')) n--;
  if (n >= 2 && (path[0] == '"' || path[0] == '\'') && path[n - 1] == path[0]) path++, n -= 2;
  char *p = strndup(path, n);
  if (p && *p == '~') {
    char *t = tilde_expand(p);
    free(p);
    p = t;
  }
  return p;
}

static void cmd_load(Repl *r, const char *path) {
  lua_State *L = r->L;
  int status;
  char *file = r->lastload == path ? r->lastload : load_path(path);
  if (file == NULL) return;
  lua_pushcfunction(L, load_begin);
  lua_pushstring(L, file);
  status = host_docall(L, 1, 1);                     /* the REPL's directory */
  if (status == LUA_OK) {
    status = host_loadfile(L, file, DIALECT_AUTO | LOAD_MODEL);
    if (status == LUA_OK) status = host_docall(L, 0, 0);
    fflush(stdout);
    if (status != LUA_OK) host_report(L, status);
    lua_pushcfunction(L, load_end);
    lua_insert(L, -2);
    lua_pushboolean(L, status == LUA_OK);
    status = host_docall(L, 2, 0);
  }
  if (status != LUA_OK) host_report(L, status);
  if (r->lastload != file) {
    free(r->lastload);
    r->lastload = file;
  }
}

/* :results: the loaded model's results, via R.results. */
static void cmd_results(Repl *r) {
  lua_State *L = r->L;
  lua_pushcfunction(L, results_push);
  int status = host_docall(L, 0, 1);
  if (status != LUA_OK) { host_report(L, status); return; }
  run_helper(r, "results", 1);
}

/* deal.samples or deal.seed (name at 1), looked up as a model would: the
** global `deal` is a stdlib module loaded on first use, so a raw look-up
** in a fresh session misses it. Pushes nil when it is not a function. */
static int get_setting(lua_State *L) {
  if (lua_getglobal(L, "deal") == LUA_TTABLE) lua_getfield(L, -1, lua_tostring(L, 1));
  else lua_pushnil(L);
  if (lua_type(L, -1) != LUA_TFUNCTION) lua_pushnil(L);
  return 1;
}

/* :samples [N] and :seed [N] through deal.samples / deal.seed (which also
** reseed the generator); if a session replaced `deal`, the host options,
** which the next uncertain value reads. */
static void cmd_setting(Repl *r, const char *which, const char *arg) {
  lua_State *L = r->L;
  HostOptions *o = host_options(L);
  char *end;
  unsigned long long v = 0;
  int set = *arg != '\0', status;
  if (set) {
    errno = 0;
    v = strtoull(arg, &end, 10);
    if (errno || *skipspace(end) != '\0' || *arg == '-' ||
        (which[1] == 'a' && v == 0)) {
      fprintf(stderr, "%s: :%s expects a %s integer, got '%s'\n", progname,
              which, which[1] == 'a' ? "positive" : "non-negative", arg);
      return;
    }
  }
  lua_pushcfunction(L, get_setting);
  lua_pushstring(L, which);
  if ((status = host_docall(L, 1, 1)) != LUA_OK) { host_report(L, status); return; }
  if (lua_isfunction(L, -1)) {
    if (set) lua_pushinteger(L, (lua_Integer)v);
    status = host_docall(L, set, 1);
    if (status != LUA_OK) host_report(L, status);
    else if (!set) {
      lua_pushcfunction(L, show);
      lua_pushboolean(L, r->tty);
      lua_rotate(L, -3, 2);
      if ((status = host_docall(L, 2, 0)) != LUA_OK) host_report(L, status);
    }
    else lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (which[1] == 'a') {
    if (set) o->samples = (long)v;
    printf("samples = %ld\n", o->samples);
  }
  else {
    if (set) o->seed = v;
    printf("seed = %llu\n", o->seed);
  }
}

/* :info expr: evaluates expr, then R.info. */
static void cmd_info(Repl *r, const char *expr) {
  lua_State *L = r->L;
  char *buf;
  int status;
  if (*expr == '\0') {
    fprintf(stderr, "%s: :info expects an expression, e.g. :info 1.2 GW * 8760 h\n", progname);
    return;
  }
  if ((buf = malloc(strlen(expr) + 8)) == NULL) return;
  sprintf(buf, "return %s", expr);
  status = host_loadbuffer(L, buf, strlen(buf), CHUNKNAME, DIALECT_DEAL);
  free(buf);
  if (status == LUA_OK) status = host_docall(L, 0, 1);
  if (status != LUA_OK) {
    fflush(stdout);
    host_report(L, status);
    return;
  }
  run_helper(r, "info", 1);
}

/* :complete LINE: what Tab would offer at the end of LINE (everything
** after ":complete " as typed, blanks included), for editors' REPL
** buffers. Not in the history; `_` is left alone. */
static void cmd_complete(Repl *r, const char *line) {
  const char *text = line + sizeof ":complete" - 1;
  lua_pushcfunction(r->L, names);
  if (host_docall(r->L, 0, 0) != LUA_OK) lua_pop(r->L, 1);
  if (*text == ' ') text++;
  complete_print(r->L, text, stdout);
}

static int command(Repl *r, const char *line) {
  lua_State *L = r->L;
  const char *a;
  line = skipspace(line);
  if (iscmd(line, "quit", "q", &a) || iscmd(line, "exit", NULL, &a))
    return CMD_QUIT;
  if (iscmd(line, "help", "h", &a) || iscmd(line, "?", NULL, &a)) {
    if (*a) lua_pushstring(L, a);
    else lua_pushnil(L);
    run_helper(r, "help", 1);
  }
  else if (iscmd(line, "units", "u", &a)) {
    if (*a) lua_pushstring(L, a);
    else lua_pushnil(L);
    run_helper(r, "units", 1);
  }
  else if (iscmd(line, "info", "i", &a))
    cmd_info(r, a);
  else if (iscmd(line, "load", "l", &a)) {
    if (*a) cmd_load(r, a);
    else fprintf(stderr, "%s: :load expects a file name\n", progname);
  }
  else if (iscmd(line, "results", NULL, &a))
    cmd_results(r);
  else if (iscmd(line, "reload", "r", &a)) {
    if (r->lastload) cmd_load(r, r->lastload);
    else fprintf(stderr, "%s: nothing to reload (use :load FILE first)\n", progname);
  }
  else if (iscmd(line, "complete", NULL, &a))
    cmd_complete(r, line);
  else if (iscmd(line, "samples", NULL, &a))
    cmd_setting(r, "samples", a);
  else if (iscmd(line, "seed", NULL, &a))
    cmd_setting(r, "seed", a);
  else
    fprintf(stderr, "%s: unknown command '%s' (:help lists the commands)\n",
            progname, line);
  fflush(stdout);
  fflush(stderr);
  return CMD_GO;
}

/* }====================================================== */


/* After load_statement: runs what compiled, or reports why it did not. */
static void finish(Repl *r, int status) {
  if (status == LUA_OK) evaluate(r);
  else if (status != R_INTR) {
    fflush(stdout);
    host_report(r->L, status);
  }
}

/* A block pasted at once (readline's bracketed paste hands it over as one
** entry, newlines included) that does not compile as a whole: its lines
** run as if typed one by one, so `a` newline `b` shows both values
** instead of failing with "syntax error near 'b'" and running nothing. A
** statement still open at the end goes on at the >> prompt. */
static int run_pasted(Repl *r, const char *text) {
  lua_State *L = r->L;
  char *acc = NULL;
  int top = lua_gettop(L);
  while (*text) {
    size_t n = strcspn(text, "\n");
    char *line = strndup(text, n), *nb;
    text += n + (text[n] == '\n');
    if (!line) break;
    if (!acc) {
      const char *s = skipspace(line);
      if (*s == '\0') { free(line); continue; }
      if (*s == ':') {
        int cmd = command(r, line);
        free(line);
        lua_settop(L, top);
        if (cmd == CMD_QUIT) return CMD_QUIT;
        continue;
      }
      acc = line;
    } else {
      if ((nb = realloc(acc, strlen(acc) + n + 2)) == NULL) { free(line); break; }
      acc = strcat(strcat(nb, "\n"), line);
      free(line);
    }
    int status = compile(r, acc);
    if (incomplete(L, status)) { lua_pop(L, 1); continue; }
    finish(r, status);
    lua_settop(L, top);
    free(acc);
    acc = NULL;
  }
  if (acc) finish(r, load_statement(r, &acc));
  free(acc);
  lua_settop(L, top);
  return CMD_GO;
}

int repl_run(lua_State *L) {
  Repl r;
  int base = lua_gettop(L);
  memset(&r, 0, sizeof r);
  r.L = L;
  r.tty = isatty(STDIN_FILENO);
  luaL_checkstack(L, 40, "repl");
  lua_pushcfunction(L, setup);
  lua_pushboolean(L, r.tty);
  if (host_docall(L, 1, 0) != LUA_OK) host_report(L, LUA_ERRRUN);
  if (r.tty) {
    complete_init(L);
    hist_load(&r);
    printf("Dealscript: exact numbers, units, uncertainty. :help for help, Ctrl-D to leave.\n");
  }
  for (;;) {
    char *buf;
    int got = read_line(&r, 1, &buf), status;
    const char *s;
    if (got == R_EOF) break;
    if (got == R_INTR) continue;
    s = skipspace(buf);
    if (*s == '\0') {
      free(buf);
      continue;
    }
    if (*s == ':') {
      if (strncmp(s, ":complete", 9) != 0) hist_add(&r, buf);
      got = command(&r, buf);
      free(buf);
      if (got == CMD_QUIT) break;
      lua_settop(L, base);
      continue;
    }
    status = load_statement(&r, &buf);
    if (status != R_INTR) hist_add(&r, buf);
    if (status == LUA_ERRSYNTAX && strchr(buf, '\n') && !incomplete(L, status)) {
      lua_pop(L, 1);
      got = run_pasted(&r, buf);
      free(buf);
      if (got == CMD_QUIT) break;
      lua_settop(L, base);
      continue;
    }
    finish(&r, status);
    free(buf);
    fflush(stdout);
    lua_settop(L, base);
  }
  if (r.tty) {
    fputc('\n', stdout);
    rl_clear_history();
  }
  fflush(stdout);
  free(r.hist);
  free(r.lastload);
  lua_settop(L, base);
  return 0;
}
