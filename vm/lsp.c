/*
** vm/lsp.c
** `deal lsp`: the language server (LSP 3.17 over standard input and
** output). This file is the transport and the processes; what the server
** answers is stdlib/_lsp.lua's (docs/lsp.md).
**
** - Framing: "Content-Length: N\r\n\r\n" then N bytes of JSON (json.h,
**   Debian's cJSON), in both directions.
** - One poll() loop over standard input and the pipes of the model runs:
**   the editor is never kept waiting by a model.
** - A state of our own runs stdlib/_lsp.lua. It never runs the user's
**   model: it compiles the buffer (host_loadbuffer translates, then Lua's
**   parser) for syntax errors, in-process, and reads the stdlib for hover
**   and completion (complete.c, stdlib/_doc.lua).
** - A model runs in a child: fork, the rlimits of `deal check`
**   (check_setlimits), then exec of this very binary as `deal --json
**   --samples N --timeout T --max-memory M -` in the model's directory,
**   the buffer's text on its standard input (an unlinked temporary file).
**   `deal --json` is the sandboxed run and its export (export.c), so the
**   server reads the same results and claims as every other program. A
**   newer edit kills the run it replaces (SIGKILL) before starting its own;
**   a run past its time limit (plus a grace) is killed too.
*/
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lauxlib.h>
#include "check.h"
#include "cli.h"
#include "complete.h"
#include "host.h"
#include "hostutil.h"
#include "json.h"
#include "lsp.h"
#include "registry.h"
#include "stdlib.h"

#define MAXMSG (64u << 20)        /* the largest message taken from the client */
#define MAXRUNOUT (64u << 20)     /* the most a run's export may be */
#define GRACE 2.0                 /* seconds past --timeout before SIGKILL */
#define ERRKEEP 4096              /* the end of a run's standard error kept */

typedef struct Job {              /* one run of a model */
  char *uri;
  pid_t pid;
  int fd;                         /* its standard output; -1 once at EOF */
  int efd;                        /* its standard error; -1 once at EOF */
  char err[2 * ERRKEEP];          /* the end of what it wrote there */
  size_t errlen;
  char *out;
  size_t len, cap;
  double deadline;                /* when it is killed */
  struct Job *next;
} Job;

typedef struct Server {
  lua_State *L;
  HostOptions run;                /* the options of each run */
  char self[4096];                /* this binary */
  char *in;                       /* bytes read from the client */
  size_t inlen, incap;
  Job *jobs;
  int exitcode;                   /* -1 until `exit` */
} Server;

/* {====== output ====== */
/* Writes the whole buffer (standard output is the client). */
static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return 0;
    p += k;
    n -= (size_t)k;
  }
  return 1;
}

/* Sends one message: the cJSON item, framed. */
static void send_item(Server *s, cJSON *msg) {
  char *body = cJSON_PrintUnformatted(msg);
  if (!body) { fprintf(stderr, "deal lsp: not enough memory\n"); return; }
  char head[64];
  int hl = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", strlen(body));
  if (!write_all(1, head, (size_t)hl) || !write_all(1, body, strlen(body)))
    s->exitcode = s->exitcode < 0 ? 1 : s->exitcode;     /* the client is gone */
  free(body);
}

static Server *server(lua_State *L) {
  return lua_touserdata(L, lua_upvalueindex(1));
}

/* The key order of every message (the rest bytewise). */
static const char *const order[] = {"jsonrpc", "id", "method", "result", "error", "params", NULL};

/* send(msg): sends the table msg as a message ("jsonrpc" added). */
static int l_send(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_pushliteral(L, "2.0");
  lua_setfield(L, 1, "jsonrpc");
  cJSON *msg = json_fromlua(L, 1, order);
  send_item(server(L), msg);
  cJSON_Delete(msg);
  return 0;
}

/* respond(id, result): the response to request id; a nil result is null,
** as JSON-RPC wants a "result" in every successful response. */
static int l_respond(lua_State *L) {
  lua_settop(L, 2);
  lua_createtable(L, 0, 3);
  lua_pushliteral(L, "2.0");
  lua_setfield(L, 3, "jsonrpc");
  lua_pushvalue(L, 1);
  lua_setfield(L, 3, "id");
  lua_pushvalue(L, 2);
  lua_setfield(L, 3, "result");
  cJSON *msg = json_fromlua(L, 3, order);
  if (lua_isnil(L, 2)) cJSON_AddNullToObject(msg, "result");
  send_item(server(L), msg);
  cJSON_Delete(msg);
  return 0;
}
/* }====== */

/* {====== the runs of models ====== */
static Job *find_job(Server *s, const char *uri) {
  for (Job *j = s->jobs; j; j = j->next)
    if (strcmp(j->uri, uri) == 0) return j;
  return NULL;
}

static void free_job(Server *s, Job *j) {
  for (Job **p = &s->jobs; *p; p = &(*p)->next)
    if (*p == j) { *p = j->next; break; }
  if (j->fd >= 0) close(j->fd);
  if (j->efd >= 0) close(j->efd);
  free(j->uri);
  free(j->out);
  free(j);
}

/* Kills a run and forgets it (a newer edit, a closed document, exit). */
static void kill_job(Server *s, Job *j) {
  kill(j->pid, SIGKILL);
  while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR) {}
  free_job(s, j);
}

/* In the child: the limits, the directory, the descriptors, then exec. */
static _Noreturn void exec_run(const Server *s, int in, int out, int err, const char *dir) {
  char samples[32], seed[32], memory[32], timeout[32];
  snprintf(samples, sizeof samples, "%ld", s->run.samples);
  snprintf(seed, sizeof seed, "%llu", s->run.seed);
  if (s->run.max_memory == HOST_UNLIMITED) snprintf(memory, sizeof memory, "none");
  else snprintf(memory, sizeof memory, "%zu", s->run.max_memory);
  snprintf(timeout, sizeof timeout, "%.17g", s->run.timeout);
  char *argv[] = {(char *)s->self, "--json", "--samples", samples, "--seed", seed,
                  "--max-memory", memory, "--timeout", timeout, "-", NULL};
  if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(127);
  if (dir[0] && chdir(dir) != 0) { /* stays where the server runs */ }
  check_setlimits(s->run.max_memory, s->run.timeout);
  execv(s->self, argv);
  _exit(127);
}

/* The buffer's text in an unlinked temporary file, read from the start;
** -1 when it cannot be made. */
static int text_file(const char *text, size_t len) {
  FILE *f = tmpfile();
  if (!f) return -1;
  if (fwrite(text, 1, len, f) != len || fflush(f) != 0) { fclose(f); return -1; }
  int fd = dup(fileno(f));
  fclose(f);
  if (fd >= 0) lseek(fd, 0, SEEK_SET);
  return fd;
}

/* run(uri, dir, text): runs the model (killing the run of uri still
** going). Returns true, or nil and why. */
static int l_run(lua_State *L) {
  Server *s = server(L);
  const char *uri = luaL_checkstring(L, 1);
  const char *dir = luaL_checkstring(L, 2);
  size_t len;
  const char *text = luaL_checklstring(L, 3, &len);
  Job *old = find_job(s, uri);
  if (old) kill_job(s, old);
  Job *j = calloc(1, sizeof *j);
  if (!j || !(j->uri = strdup(uri))) { free(j); return luaL_error(L, "not enough memory"); }
  int in = text_file(text, len), p[2] = {-1, -1}, e[2] = {-1, -1};
  if (in < 0 || pipe(p) != 0 || pipe(e) != 0) {
    if (in >= 0) close(in);
    if (p[0] >= 0) { close(p[0]); close(p[1]); }
    free(j->uri); free(j);
    lua_pushnil(L);
    lua_pushfstring(L, "cannot start the model: %s", strerror(errno));
    return 2;
  }
  fcntl(p[0], F_SETFD, FD_CLOEXEC);                 /* not inherited by later runs */
  fcntl(e[0], F_SETFD, FD_CLOEXEC);
  fflush(stdout);
  j->pid = fork();
  if (j->pid == 0) exec_run(s, in, p[1], e[1], dir);
  close(in);
  close(p[1]);
  close(e[1]);
  if (j->pid < 0) {
    close(p[0]);
    close(e[0]);
    free(j->uri); free(j);
    lua_pushnil(L);
    lua_pushliteral(L, "cannot start the model: fork failed");
    return 2;
  }
  j->fd = p[0];
  j->efd = e[0];
  j->deadline = host_now() + s->run.timeout + GRACE;
  j->next = s->jobs;
  s->jobs = j;
  lua_pushboolean(L, 1);
  return 1;
}

/* cancel(uri): stops the run of uri, if any. */
static int l_cancel(lua_State *L) {
  Server *s = server(L);
  Job *j = find_job(s, luaL_checkstring(L, 1));
  if (j) kill_job(s, j);
  return 0;
}

/* Pushes what a run that ended left: {status = "ok" | "error" | "timeout"
** | "crash", signal, code (exit status), export = the document of `deal
** --json` (or nil), why = a reason when there is no document}. */
static void push_outcome(lua_State *L, Job *j, int wst, int killed) {
  lua_createtable(L, 0, 5);
  const char *status = "ok";
  if (killed) status = "timeout";
  else if (WIFSIGNALED(wst)) {
    int sig = WTERMSIG(wst);
    status = sig == SIGXCPU ? "timeout" : "crash";
    lua_pushinteger(L, sig);
    lua_setfield(L, -2, "signal");
  } else if (WIFEXITED(wst)) {
    if (WEXITSTATUS(wst) != 0) status = "error";
    lua_pushinteger(L, WEXITSTATUS(wst));
    lua_setfield(L, -2, "code");
  }
  lua_pushstring(L, status);
  lua_setfield(L, -2, "status");
  lua_pushlstring(L, j->err, j->errlen);             /* what deal said (the model's prints too) */
  lua_setfield(L, -2, "log");
  char err[256];
  cJSON *doc = j->len ? json_parse(j->out, j->len, err, sizeof err) : NULL;
  if (doc) {
    json_push(L, doc);                               /* raises only when out of memory: */
    cJSON_Delete(doc);                               /* (then a leak, as for any malloc'd tree) */
    lua_setfield(L, -2, "export");
  } else if (j->len) {
    lua_pushfstring(L, "unreadable output of the run: %s", err);
    lua_setfield(L, -2, "why");
  }
}

/* Reads what the run wrote on standard error, keeping the end of it
** (the last message is deal's). Returns 0 at EOF. */
static int read_err(Job *j) {
  char buf[ERRKEEP];
  ssize_t k = read(j->efd, buf, sizeof buf);
  if (k < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
  if (k <= 0) { close(j->efd); j->efd = -1; return 0; }
  if (j->errlen + (size_t)k > sizeof j->err) {       /* keep the last ERRKEEP bytes */
    size_t keep = j->errlen > ERRKEEP ? ERRKEEP : j->errlen;
    memmove(j->err, j->err + j->errlen - keep, keep);
    j->errlen = keep;
  }
  memcpy(j->err + j->errlen, buf, (size_t)k);
  j->errlen += (size_t)k;
  return 1;
}

/* Hands the outcome of a run that is over (wst from waitpid; killed: by
** the server, at its deadline) to _lsp.lua's finished(uri, outcome). */
static void finish_job(Server *s, Job *j, int wst, int killed) {
  lua_State *L = s->L;
  while (j->efd >= 0 && read_err(j)) {}              /* it has exited: no more comes */
  lua_getfield(L, LUA_REGISTRYINDEX, REG_LSP);
  lua_getfield(L, -1, "finished");
  lua_remove(L, -2);
  lua_pushstring(L, j->uri);
  push_outcome(L, j, wst, killed);
  free_job(s, j);
  if (host_docall(L, 2, 0) != LUA_OK) {
    fprintf(stderr, "deal lsp: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
}

/* A run past its deadline: killed, reaped, reported. */
static void expire_job(Server *s, Job *j) {
  int wst = 0;
  kill(j->pid, SIGKILL);
  while (waitpid(j->pid, &wst, 0) < 0 && errno == EINTR) {}
  finish_job(s, j, wst, 1);
}

/* A run whose output is complete: reported once it has exited (a model
** that closed its output and goes on waits for its deadline). */
static void reap_job(Server *s, Job *j) {
  int wst = 0;
  pid_t r;
  while ((r = waitpid(j->pid, &wst, WNOHANG)) < 0 && errno == EINTR) {}
  if (r == j->pid) finish_job(s, j, wst, 0);
}

/* Reads what the run has written; at EOF the run is over. */
static void read_job(Server *s, Job *j) {
  if (j->len + 65536 > j->cap) {
    size_t cap = j->cap ? j->cap * 2 : 65536;
    char *p = cap <= MAXRUNOUT ? realloc(j->out, cap + 1) : NULL;
    if (!p) { expire_job(s, j); return; }           /* too much: stop it */
    j->out = p;
    j->cap = cap;
  }
  ssize_t k = read(j->fd, j->out + j->len, j->cap - j->len);
  if (k < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (k > 0) { j->len += (size_t)k; return; }
  close(j->fd);
  j->fd = -1;
  reap_job(s, j);
}
/* }====== */

/* {====== what _lsp.lua may call ====== */
/* compile(text, chunkname): nil when text compiles as a .deal chunk
** (translated, then Lua's parser: nothing runs), else the message. */
static int l_compile(lua_State *L) {
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  const char *name = luaL_checkstring(L, 2);
  if (host_loadbuffer(L, text, len, name, DIALECT_DEAL) == LUA_OK) lua_pushnil(L);
  return 1;
}

/* setnames(t): the unit and catalog names for completion (R.names). */
static int l_setnames(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_REPL);
  return 0;
}

/* exit(code): the server ends after this message. */
static int l_exit(lua_State *L) {
  server(L)->exitcode = (int)luaL_checkinteger(L, 1);
  return 0;
}

static const luaL_Reg hostlib[] = {
  {"send", l_send}, {"respond", l_respond}, {"run", l_run}, {"cancel", l_cancel},
  {"compile", l_compile}, {"complete", complete_line}, {"setnames", l_setnames},
  {"exit", l_exit}, {NULL, NULL}
};

/* Protected: loads stdlib/_lsp.lua, calls its init(host, files, opts) with
** the host functions, the stdlib's sources (for the doc index) and the
** runs' time limit, and keeps
** the module in the registry. */
static int setup(lua_State *L) {
  Server *s = lua_touserdata(L, 1);
  const StdlibFile *f = stdlib_find("_lsp");
  if (!f) return luaL_error(L, "stdlib/_lsp.lua is missing");
  if (host_loadbuffer(L, f->src, f->len, f->chunkname, DIALECT_LUA) != LUA_OK) return lua_error(L);
  lua_call(L, 0, 1);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, REG_LSP);
  lua_getfield(L, -1, "init");
  lua_newtable(L);
  lua_pushlightuserdata(L, s);
  luaL_setfuncs(L, hostlib, 1);
  stdlib_pushfiles(L);
  lua_createtable(L, 0, 1);
  lua_pushnumber(L, s->run.timeout);
  lua_setfield(L, -2, "timeout");
  lua_call(L, 3, 0);
  return 0;
}
/* }====== */

/* {====== input ====== */
/* One message from the client, to _lsp.lua's handle(msg). A message that
** is not JSON gets the JSON-RPC parse error. */
static void dispatch(Server *s, const char *body, size_t len) {
  char err[256];
  cJSON *msg = json_parse(body, len, err, sizeof err);
  lua_State *L = s->L;
  if (!msg || !cJSON_IsObject(msg)) {
    cJSON *r = cJSON_CreateObject();
    cJSON *e = cJSON_CreateObject();
    if (r && e) {
      cJSON_AddStringToObject(r, "jsonrpc", "2.0");
      cJSON_AddNullToObject(r, "id");
      cJSON_AddNumberToObject(e, "code", -32700);
      cJSON_AddStringToObject(e, "message", msg ? "a message must be an object" : err);
      cJSON_AddItemToObject(r, "error", e);
      e = NULL;
      send_item(s, r);
    }
    cJSON_Delete(r); cJSON_Delete(e); cJSON_Delete(msg);
    return;
  }
  lua_getfield(L, LUA_REGISTRYINDEX, REG_LSP);
  lua_getfield(L, -1, "handle");
  lua_remove(L, -2);
  json_push(L, msg);
  cJSON_Delete(msg);
  if (host_docall(L, 1, 0) != LUA_OK) {            /* _lsp.lua answers its own errors */
    fprintf(stderr, "deal lsp: %s\n", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
}

/* The length a header block gives, or -1 (headers end at "\r\n\r\n"). */
static long content_length(const char *h, size_t n) {
  for (size_t i = 0; i < n; ) {
    const char *eol = memchr(h + i, '\n', n - i);
    size_t l = eol ? (size_t)(eol - (h + i)) : n - i;
    if (l >= 15 && strncasecmp(h + i, "Content-Length:", 15) == 0) {
      char *e;
      long v = strtol(h + i + 15, &e, 10);
      return v >= 0 && v <= (long)MAXMSG ? v : -1;
    }
    i += l + 1;
  }
  return -1;
}

/* Handles every complete message in the input buffer. */
static void drain_input(Server *s) {
  size_t at = 0;
  while (s->exitcode < 0) {
    char *hend = NULL;
    for (size_t i = at; i + 3 < s->inlen; i++)
      if (s->in[i] == '\r' && memcmp(s->in + i, "\r\n\r\n", 4) == 0) { hend = s->in + i; break; }
    if (!hend) break;
    size_t hlen = (size_t)(hend - (s->in + at));
    long n = content_length(s->in + at, hlen);
    if (n < 0) {                                     /* not a header we know: skip it */
      fprintf(stderr, "deal lsp: a message without a valid Content-Length was skipped\n");
      at += hlen + 4;
      continue;
    }
    if (s->inlen - (at + hlen + 4) < (size_t)n) break;
    dispatch(s, hend + 4, (size_t)n);
    at += hlen + 4 + (size_t)n;
  }
  memmove(s->in, s->in + at, s->inlen - at);
  s->inlen -= at;
}

/* Reads what the client sent; 0 at end of input. */
static int read_input(Server *s) {
  if (s->incap - s->inlen < 65536) {
    size_t cap = s->incap ? s->incap * 2 : 131072;
    if (cap > MAXMSG * 2) { fprintf(stderr, "deal lsp: message too large\n"); return 0; }
    char *p = realloc(s->in, cap);
    if (!p) { fprintf(stderr, "deal lsp: not enough memory\n"); return 0; }
    s->in = p;
    s->incap = cap;
  }
  ssize_t k = read(0, s->in + s->inlen, s->incap - s->inlen);
  if (k < 0 && (errno == EINTR || errno == EAGAIN)) return 1;
  if (k <= 0) return 0;
  s->inlen += (size_t)k;
  drain_input(s);
  return 1;
}
/* }====== */

/* The loop: the client and the runs, until `exit` or the end of input. */
static int serve(Server *s) {
  struct pollfd fds[1 + 2 * 32];
  Job *polled[1 + 2 * 32];
  while (s->exitcode < 0) {
    int n = 0, wait = -1;
    double now = host_now();
    fds[n].fd = 0; fds[n].events = POLLIN; fds[n].revents = 0; polled[n++] = NULL;
    for (Job *j = s->jobs; j; j = j->next) {
      double left = j->deadline - now;
      int ms = left <= 0 ? 0 : (int)(left * 1000) + 1;
      if (j->fd < 0 && ms > 20) ms = 20;             /* output done: waiting for its exit */
      if (wait < 0 || ms < wait) wait = ms;
      for (int e = 0; e < 2 && n + 1 < (int)(sizeof fds / sizeof fds[0]); e++) {
        int fd = e ? j->efd : j->fd;
        if (fd < 0) continue;
        fds[n].fd = fd; fds[n].events = POLLIN; fds[n].revents = 0; polled[n++] = j;
      }
    }
    int r = poll(fds, (nfds_t)n, wait);
    if (r < 0 && errno != EINTR) { perror("deal lsp: poll"); return 1; }
    if (r > 0 && fds[0].revents) {
      if (!read_input(s)) return s->exitcode >= 0 ? s->exitcode : 1;   /* no `exit`: 1 (LSP) */
    }
    for (int i = 1; r > 0 && i < n; i++) {            /* a job may be gone: look it up again */
      if (!fds[i].revents) continue;
      for (Job *j = s->jobs; j; j = j->next) {
        if (j != polled[i]) continue;
        if (fds[i].fd == j->efd) read_err(j);
        else if (fds[i].fd == j->fd) read_job(s, j);
        break;
      }
    }
    now = host_now();
    for (Job *j = s->jobs, *next; j; j = next) {
      next = j->next;
      if (now >= j->deadline) expire_job(s, j);
      else if (j->fd < 0) reap_job(s, j);
    }
  }
  return s->exitcode;
}

int lsp_main(int argc, char **argv) {
  CliArgs a;
  int st = cli_parse(&cli_lsp, argc, argv, &a);
  if (st >= 0) return st;
  cli_free(&a);
  if (a.operand < argc) return cli_usage_error(&cli_lsp, "takes no operands:", argv[a.operand]);
  Server s;
  memset(&s, 0, sizeof s);
  s.exitcode = -1;
  s.run = a.host;
  ssize_t k = readlink("/proc/self/exe", s.self, sizeof s.self - 1);
  if (k <= 0 || (size_t)k >= sizeof s.self - 1) {
    fprintf(stderr, "deal lsp: cannot find its own program (/proc/self/exe)\n");
    return 1;
  }
  s.self[k] = '\0';
  signal(SIGPIPE, SIG_IGN);                          /* a closed client is a write error */
  HostOptions ho;
  host_defaults(&ho);
  ho.trust = 1;                                      /* our own code; models never run here */
  ho.samples = a.host.samples;
  s.L = host_newstate(&ho);
  if (!s.L) return 1;
  lua_pushcfunction(s.L, setup);
  lua_pushlightuserdata(s.L, &s);
  if (host_docall(s.L, 1, 0) != LUA_OK) {
    fprintf(stderr, "deal lsp: %s\n", lua_tostring(s.L, -1));
    host_close(s.L);
    return 1;
  }
  st = serve(&s);
  while (s.jobs) kill_job(&s, s.jobs);
  host_close(s.L);
  free(s.in);
  return st;
}
