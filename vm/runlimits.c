/*
** vm/runlimits.c
** The time limit and Ctrl-C. Lua code is stopped by a count hook (as
** lua.c's "interrupted!"); what a hook cannot reach, one long C call, is
** stopped by a watchdog: SIGALRM past the deadline plus a grace period,
** and RLIMIT_CPU as a backstop that needs no timer. See docs/security.md.
*/
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <lauxlib.h>
#include "hostutil.h"
#include "mcexec.h"
#include "runlimits.h"

#define HOOK_COUNT 10000          /* VM instructions between two checks */

/* One state runs at a time in a process, so the limits are process state,
** set by limits_arm and cleared by limits_disarm. */
static lua_State *globalL;        /* the state Ctrl-C interrupts */
static volatile sig_atomic_t interrupted;
static lua_State *volatile curthread;  /* running coroutine (the sandbox tells us) */
static double seconds;            /* the time limit; 0 = none */
static double deadline;           /* CLOCK_MONOTONIC seconds, 0 = none */
static int limit_tripped;         /* the time limit passed: sticky until close */
static int interrupt_tripped;     /* Ctrl-C: sticky until the outer call returns */
static int call_depth;
static int hook_count;            /* count of the normal hook; 0 = no hook */
static int cpu_limited, timer_armed;
static struct rlimit saved_cpu;
/* whatever the embedding program had (libFuzzer uses SIGALRM too) */
static struct sigaction saved_alrm, saved_xcpu;
static struct itimerval saved_timer;

static void limit_hook(lua_State *L, lua_Debug *ar);

/* The hook every thread should carry when no limit has tripped. */
static void normal_hook(lua_State *L) {
  if (hook_count > 0) lua_sethook(L, limit_hook, LUA_MASKCOUNT, hook_count);
  else lua_sethook(L, NULL, 0, 0);
}

/* Raises the limit error. Once tripped the hook stays armed at count 1 on
** this thread, so pcall cannot swallow the error and go on (Redis's rule),
** and the sandbox's xpcall skips user handlers (limits_tripped). */
static int trip(lua_State *L) {
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
  if (interrupt_tripped && !limit_tripped) return luaL_error(L, "interrupted!");
  if (seconds > 0 && seconds < 1)
    return luaL_error(L, "exceeded time limit (%f s)", seconds);
  return luaL_error(L, "exceeded time limit (%d s)", (int)seconds);
}

void limits_check(lua_State *L) {
  if (interrupted) { interrupted = 0; interrupt_tripped = 1; }
  if (!limit_tripped && deadline > 0 && host_now() > deadline) limit_tripped = 1;
  if (limit_tripped || interrupt_tripped) trip(L);
}

int limits_tripped(void) { return limit_tripped || interrupt_tripped || interrupted; }

int limits_due(void) {
  if (!limit_tripped && deadline > 0 && host_now() > deadline) limit_tripped = 1;
  return limits_tripped();
}

/* A lua_Hook: the debug record is not needed, the clock is. */
static void limit_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  limits_check(L);
}

lua_State *limits_setthread(lua_State *co) {
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

void limits_enter(lua_State *L) {
  globalL = L;
  signal(SIGINT, on_sigint);
  call_depth++;
}

void limits_leave(lua_State *L) {
  if (--call_depth > 0) return;
  signal(SIGINT, SIG_DFL);
  if (interrupt_tripped || interrupted) {   /* Ctrl-C ends one evaluation only */
    interrupt_tripped = 0;
    interrupted = 0;
    if (!limit_tripped) normal_hook(L);
  }
}

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

/* The watchdog at wd seconds: a real-time timer, and the CPU rlimit at the
** same mark. */
static void arm_watchdog(double wd) {
  struct itimerval it;
  struct sigaction sa;
  memset(&it, 0, sizeof it);
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_watchdog;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, &saved_alrm);
  it.it_value.tv_sec = (time_t)wd;
  it.it_value.tv_usec = (suseconds_t)((wd - (double)(time_t)wd) * 1e6);
  setitimer(ITIMER_REAL, &it, &saved_timer);
  timer_armed = 1;
  struct rusage ru;
  if (getrlimit(RLIMIT_CPU, &saved_cpu) == 0 && getrusage(RUSAGE_SELF, &ru) == 0) {
    struct rlimit rl = saved_cpu;
    /* CPU time counts every thread: the Monte Carlo engine's threads would
    ** otherwise reach this mark before the wall-clock limit */
    rlim_t want = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec +
                  (rlim_t)(wd * mc_default_threads()) + 1;
    if (rl.rlim_max == RLIM_INFINITY || want < rl.rlim_max) {
      rl.rlim_cur = want;
      sigaction(SIGXCPU, &sa, &saved_xcpu);
      cpu_limited = setrlimit(RLIMIT_CPU, &rl) == 0;
      if (!cpu_limited) sigaction(SIGXCPU, &saved_xcpu, NULL);
    }
  }
}

void limits_arm(lua_State *L, double secs) {
  globalL = L;
  limit_tripped = interrupt_tripped = 0;
  interrupted = 0;
  curthread = NULL;
  call_depth = 0;
  seconds = secs;
  deadline = 0;
  hook_count = 0;
  if (secs > 0) {
    deadline = host_now() + secs;
    hook_count = HOOK_COUNT;
    arm_watchdog(secs + watchdog_grace(secs));
  }
  normal_hook(L);
}

void limits_disarm(void) {
  if (timer_armed) {
    setitimer(ITIMER_REAL, &saved_timer, NULL);
    sigaction(SIGALRM, &saved_alrm, NULL);
    timer_armed = 0;
  }
  if (cpu_limited) { setrlimit(RLIMIT_CPU, &saved_cpu); sigaction(SIGXCPU, &saved_xcpu, NULL); cpu_limited = 0; }
  globalL = NULL;
  deadline = 0;
  hook_count = 0;
  curthread = NULL;
}
