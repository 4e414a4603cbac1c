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
  size_t max_memory;      /* bytes; 0 = no limit */
  double timeout;         /* seconds of CPU/wall; 0 = none */
  long samples;           /* Monte Carlo sample count (default 100000) */
  unsigned long long seed;/* RNG seed */
  int seed_set;
} HostOptions;

extern const char *progname;   /* "deal" */

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

/* Options as the running state saw them (for :samples, :seed in the REPL). */
HostOptions *host_options(lua_State *L);
#endif
