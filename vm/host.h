/*
** vm/host.h
** Creating a Lua state the production way, loading code, calling it and
** reporting errors. Shared by the CLI (main.c), the REPL (repl.c) and
** `deal check` (check.c).
*/
#ifndef DEAL_HOST_H
#define DEAL_HOST_H
#include <stddef.h>
#include <lua.h>

typedef struct HostOptions {
  int trust;              /* --trust: full Lua (io, os, package, debug) */
  int conformance;        /* --conformance: all std libs, plain Lua, no sandbox */
  size_t max_memory;      /* bytes; 0 = the default (HOST_DEFAULT_MAX_MEMORY),
                             HOST_UNLIMITED = none */
  double timeout;         /* seconds of CPU/wall; 0 = none */
  long samples;           /* Monte Carlo sample count (default 100000) */
  unsigned long long seed;/* RNG seed */
  int seed_set;
} HostOptions;

extern const char *progname;   /* "deal" */

/* Limits (docs/security.md). `deal check` uses 1 GiB and 60 s. */
#define HOST_DEFAULT_MAX_MEMORY ((size_t)4 << 30)   /* 4 GiB */
#define HOST_UNLIMITED ((size_t)-1)
#define HOST_CHECK_MAX_MEMORY ((size_t)1 << 30)     /* deal check: 1 GiB */
#define HOST_CHECK_TIMEOUT 60.0                     /* deal check: 60 s */

/* A new state: counting allocator, panic and warning handlers, libraries,
** sandbox, num/units/samples and the stdlib preloaded. Returns NULL only if
** the allocator cannot give the first block. Everything that can raise runs
** inside lua_pcall (see host.c). */
lua_State *host_newstate(const HostOptions *opt);
void host_close(lua_State *L);

/* Dialect of a chunk: decided by the name ending in ".deal" unless forced. */
enum { DIALECT_AUTO, DIALECT_LUA, DIALECT_DEAL };

/* Loads a text chunk (never binary). For DEAL it translates first. Pushes the
** function and returns LUA_OK, or pushes an error message and returns the
** status (LUA_ERRSYNTAX, LUA_ERRMEM). Must be called from protected code or
** accept that errors are returned (it does not raise). */
int host_loadbuffer(lua_State *L, const char *src, size_t len,
                    const char *chunkname, int dialect);
/* Reads a file (size-limited, regular files only) and loads it. */
int host_loadfile(lua_State *L, const char *path, int dialect);

/* Calls the function below narg arguments with a traceback message handler
** and Ctrl-C handling (as lua.c's docall). */
int host_docall(lua_State *L, int narg, int nres);
/* Prints the error message on top of the stack as "deal: msg" and pops it,
** if status != LUA_OK. Returns status. Never calls metamethods. */
int host_report(lua_State *L, int status);

/* Interrupt handling (SIGINT -> "interrupted!" via a count hook). */
void host_setsignal(lua_State *L);
void host_resetsignal(void);

/* Limits from C code that runs long without Lua instructions (the
** sandbox's pattern matching): raises "exceeded time limit" or
** "interrupted!" when due. host_limit_tripped says whether one has tripped
** (user xpcall handlers are skipped then). */
void host_checklimits(lua_State *L);
int host_limit_tripped(void);
/* The coroutine now running (so Ctrl-C reaches it); returns the previous. */
lua_State *host_setthread(lua_State *co);

/* Reading files from a sandboxed model: the model's directory tree, the
** paths on the command line, and paths added here (a directory: its tree).
** host_openread opens a regular file for reading (never blocks on a FIFO)
** and checks the resolved path; returns the fd, or -1 with a message
** pushed. host_mayread checks a resolved (realpath) path. */
void host_allowread(lua_State *L, const char *path);
int host_mayread(lua_State *L, const char *resolved);
int host_openread(lua_State *L, const char *path);

/* Options as the running state saw them (for :samples, :seed in the REPL). */
HostOptions *host_options(lua_State *L);
#endif
