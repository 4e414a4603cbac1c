/*
** vm/host.h
** The host: what the CLI (main.c), `deal check` (check.c), the REPL
** (repl.c) and the libraries use to build a Lua state, load code into it,
** run it and report errors. Three files implement it, each one concern:
**   state.c  building and closing a state (the libraries, in order)
**   host.c   the run's options and model directory; calls and reports
**   load.c   loading text chunks, and which files a model may read
** The time limit and Ctrl-C are runlimits.h; the defaults are defaults.h.
*/
#ifndef DEAL_HOST_H
#define DEAL_HOST_H
#include <stddef.h>
#include <lua.h>

/* {====== the run's options (host.c) ====== */
typedef struct HostOptions {
  int trust;              /* --trust: full Lua (io, os, package, debug) */
  int conformance;        /* --conformance: all std libs, plain Lua, no sandbox */
  size_t max_memory;      /* bytes of Lua + GMP; HOST_UNLIMITED = none */
  double timeout;         /* seconds of wall-clock time; 0 = none */
  long samples;           /* Monte Carlo samples per uncertain value */
  unsigned long long seed;/* of the Monte Carlo generator and math.random */
  unsigned long shard_k;  /* --shard K/N: this run computes shard K of N of */
  unsigned long shard_n;  /* the run (mcshard.h); 0: the whole run */
} HostOptions;

#define HOST_UNLIMITED ((size_t)-1)

extern const char *progname;   /* "deal": the prefix of every message */

/* The defaults of defaults.h (what `deal` uses without options). */
void host_defaults(HostOptions *opt);
/* The options of the running state, which deal.samples(N), deal.seed(N)
** and the REPL's :samples and :seed change. */
HostOptions *host_options(lua_State *L);

/* The directory of the running model: `require` looks there, and a
** sandboxed model may read files in its tree. "." when there is none. */
void host_setmodeldir(lua_State *L, const char *dir);
/* The same for the model file at path (its directory); path is also what
** error positions that Lua shortened to "...tail" are given back. */
void host_setmodelfile(lua_State *L, const char *path);
const char *host_modeldir(lua_State *L);

/* Calls the function below narg arguments with a traceback message handler
** and Ctrl-C handling (as lua.c's docall). */
int host_docall(lua_State *L, int narg, int nres);
/* For a C function that wraps a library function (upvalue, below its
** nargs arguments on the stack): calls it, and raises its error as if the
** model had called it directly: with the model's file:line, and the
** wrapper's name instead of "?" in "bad argument #2 to '?'". */
void host_wrappedcall(lua_State *L, int nargs, int nresults);
/* Flushes standard output and checks that everything printed was written
** (a full disk, /dev/full, a closed descriptor): else says so on stderr as
** "who: cannot write standard output: reason" and returns 0. Called at
** exit by deal and deal check: output that was lost is an error. */
int host_flushout(const char *who);
/* Prints the error message on top of the stack and pops it, if status !=
** LUA_OK: "file:line:col: error: msg" when it has a position, else
** "deal: msg" (diag.h). Returns status. Never calls metamethods. */
int host_report(lua_State *L, int status);
/* }====== */

/* {====== building a state (state.c) ====== */
/* A new state: counting allocator, panic and warning handlers, limits,
** and the libraries of state.c's table. Returns NULL (after reporting)
** when it cannot be built. Everything that can raise runs inside
** lua_pcall. */
lua_State *host_newstate(const HostOptions *opt);
/* Closes it, gives the limits back, and drains the numeric core's pools. */
void host_close(lua_State *L);
/* }====== */

/* {====== loading and reading files (load.c) ====== */
/* Dialect of a chunk: decided by the name ending in ".deal" unless forced. */
enum { DIALECT_AUTO, DIALECT_LUA, DIALECT_DEAL };
/* Or'ed into a dialect: the chunk is a model, whose top-level bindings are
** its results (results.h; .deal chunks only, docs/results.md). */
#define LOAD_MODEL 0x100

/* Loads a text chunk (never binary). For DEAL it translates first. Pushes the
** function and returns LUA_OK, or pushes an error message and returns the
** status (LUA_ERRSYNTAX, LUA_ERRMEM). Does not raise. */
int host_loadbuffer(lua_State *L, const char *src, size_t len,
                    const char *chunkname, int dialect);
/* Reads a file (size-limited, regular files only) and loads it. */
int host_loadfile(lua_State *L, const char *path, int dialect);
/* Reads a file as host_loadfile does (regular files only, never blocking
** on a FIFO or a device, at most 64 MB, host_openread's paths): pushes a
** buffer that owns *src and returns 1, or pushes a message and returns 0. */
int host_readfile(lua_State *L, const char *path, const char **src, size_t *len);
/* host_loadfile, and the SHA-256 of the bytes read into sha256 (when not NULL):
** what exports record of the model (docs/results.md). */
int host_loadfilex(lua_State *L, const char *path, int dialect, unsigned char sha256[32]);

/* Reading files from a sandboxed model: the model's directory tree, the
** paths on the command line (host_allowcmdline), and paths added with
** host_allowread (a directory: its tree). host_openread opens a regular
** file for reading (never blocks on a FIFO) and checks the resolved path;
** returns the fd, or -1 with a message pushed. host_mayread checks a
** resolved (realpath) path. */
void host_allowread(lua_State *L, const char *path);
void host_allowcmdline(lua_State *L);
int host_mayread(lua_State *L, const char *resolved);
int host_openread(lua_State *L, const char *path);
/* }====== */
#endif
