/*
** vm/runlimits.h
** The time limit and Ctrl-C: a count hook raises "exceeded time limit" or
** "interrupted!" inside Lua code (put on every instruction at the deadline
** by SIGALRM); C code that runs long checks them itself (limits_check); a
** watchdog (SIGALRM a second later, RLIMIT_CPU) ends the process, at the
** model's line, when one step never returns to Lua. One state runs at a
** time in a process, so this is process state, armed by host_newstate and
** disarmed by host_close (docs/security.md).
*/
#ifndef DEAL_RUNLIMITS_H
#define DEAL_RUNLIMITS_H
#include <lua.h>

/* Arms the limits for a new state L: seconds of wall-clock time (0: none,
** no hook), the watchdog past it, and Ctrl-C reaching L. */
void limits_arm(lua_State *L, double seconds);
/* Before lua_close: the watchdog stops looking into the state (it still
** covers the finalizers). */
void limits_detach(void);
/* Disarms them and gives the embedding program its timer and signals back
** (after lua_close: the watchdog covers the finalizers too). */
void limits_disarm(void);

/* Who hears of a watchdog stop (a step still running a second past the
** deadline, which ends the process with status 1): fn gets the message,
** "file:line: exceeded time limit (...)", inside the signal handler, so it
** may only format into its own buffer and write(2). NULL (the default):
** "deal: " and the message on stderr. */
typedef void (*LimitsReport)(const char *msg);
void limits_onwatchdog(LimitsReport fn);

/* Around every protected call from the host (host_docall): Ctrl-C
** interrupts while any is running, and ends one outermost call only. */
void limits_enter(lua_State *L);
void limits_leave(lua_State *L);

/* For C code that runs long without Lua instructions (the sandbox's
** pattern matching, sorting, string.rep): raises "exceeded time limit" or
** "interrupted!" at the model's line when due. Cheap: call it every few
** thousand steps. */
void limits_check(lua_State *L);
/* For C code that must not raise in the middle (the Monte Carlo engine
** between blocks): whether a limit is due; limits_check raises it later. */
int limits_due(void);
/* Whether a limit has tripped (the sandbox's xpcall then skips user
** handlers, which would run with hooks off). */
int limits_tripped(void);
/* The coroutine now running, so that Ctrl-C reaches a loop inside it;
** returns the previous one. */
lua_State *limits_setthread(lua_State *co);
#endif
