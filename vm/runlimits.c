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
#include "diag.h"
#include "hostutil.h"
#include "mcexec.h"
#include "runlimits.h"

#define HOOK_COUNT 10000          /* VM instructions between two checks */
#define GRACE 0.75                /* seconds from the deadline to the watchdog */
#define WATCHDOG_NOTE "; stopped inside one step that did not return in time"

/* One state runs at a time in a process, so the limits are process state,
** set by limits_arm and cleared by limits_disarm. */
static lua_State *globalL;        /* the state Ctrl-C interrupts */
static volatile sig_atomic_t interrupted;
static lua_State *volatile curthread;  /* running coroutine (the sandbox tells us) */
static double seconds;            /* the time limit; 0 = none */
static double deadline;           /* CLOCK_MONOTONIC seconds, 0 = none */
static int limit_tripped;         /* the time limit passed: sticky until close */
static volatile sig_atomic_t deadline_passed;  /* the deadline's SIGALRM came */
static volatile sig_atomic_t watchdog_stage;   /* 0: next SIGALRM is the deadline */
static volatile sig_atomic_t closing;  /* the state is closing: look no more into it */
static LimitsReport reporter;     /* who hears of a watchdog stop; NULL: stderr */
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

/* Pushes "file:line: " of the innermost Lua function running (the model's
** line: the hook runs inside it, a C function that checks the limits is
** called from it), or "" when there is none. */
static void push_where(lua_State *L) {
  lua_Debug ar;
  for (int level = 0; lua_getstack(L, level, &ar); level++) {
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      lua_pushfstring(L, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
  }
  lua_pushliteral(L, "");
}

/* "exceeded time limit (2 s)", with fractions when the limit has some. */
static void push_limit(lua_State *L) {
  if (seconds == (double)(long)seconds) lua_pushfstring(L, "exceeded time limit (%d s)", (int)seconds);
  else lua_pushfstring(L, "exceeded time limit (%f s)", seconds);
}

/* Raises the limit error at the model's line. Once tripped the hook stays armed at count 1 on this thread,
** so pcall cannot swallow the error and go on (Redis's rule), and the
** sandbox's xpcall skips user handlers (limits_tripped). */
static int trip(lua_State *L) {
  lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
  push_where(L);
  if (interrupt_tripped && !limit_tripped) lua_pushliteral(L, "interrupted!");
  else push_limit(L);
  lua_concat(L, 2);
  return lua_error(L);
}

/* Has a limit tripped? Turns a pending Ctrl-C into a tripped one. */
static int due(void) {
  if (interrupted) { interrupted = 0; interrupt_tripped = 1; }
  if (!limit_tripped && deadline > 0 && (deadline_passed || host_now() > deadline)) limit_tripped = 1;
  return limit_tripped || interrupt_tripped;
}

void limits_check(lua_State *L) {
  if (due()) trip(L);
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

/* From a signal handler: the hook on every instruction, call and return of
** the state and of the running coroutine, so that the next one checks the
** limits. lua_sethook may be called from a signal handler (ldebug.c); the
** running coroutine needs it too, or a loop inside one never sees it. */
static void hook_now(void) {
  if (closing) return;
  if (globalL) lua_sethook(globalL, limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
  lua_State *co = curthread;
  if (co) lua_sethook(co, limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

static void on_sigint(int sig) {
  signal(sig, SIG_DFL);             /* a second Ctrl-C kills, as in lua.c */
  interrupted = 1;
  hook_now();
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

static void set_timer(double secs, struct itimerval *old) {
  struct itimerval it;
  memset(&it, 0, sizeof it);
  it.it_value.tv_sec = (time_t)secs;
  it.it_value.tv_usec = (suseconds_t)((secs - (double)(time_t)secs) * 1e6);
  if (it.it_value.tv_sec == 0 && it.it_value.tv_usec == 0) it.it_value.tv_usec = 1;
  setitimer(ITIMER_REAL, &it, old);
}

/* "file:line: " of the innermost Lua function of the thread running now,
** into buf (empty when there is none), from a signal handler: the thread
** is stopped inside one step, its call chain and line information as they
** were when the step began (lua_getinfo "Sl" only reads them). */
static void where_now(char *buf, size_t n) {
  lua_State *L = curthread ? curthread : globalL;
  lua_Debug ar;
  buf[0] = '\0';
  for (int level = 0; L && !closing && lua_getstack(L, level, &ar); level++)
    if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
      snprintf(buf, n, "%s:%d: ", ar.short_src, ar.currentline);
      return;
    }
}

/* The default report of a watchdog stop: on stderr, as host_report would
** print it (diag.c, which neither allocates nor uses stdio here). */
static void report_stderr(const char *msg) {
  char line[1200];
  diag_format(line, sizeof line - 1, "deal", msg, NULL);
  size_t n = strlen(line);
  line[n++] = '\n';
  if (write(2, line, n) < 0) { /* nothing left to do */ }
}

/* SIGALRM, first at the deadline: the hook goes on every instruction, so a
** step that took long inside one VM instruction (a concatenation of huge
** strings, a table rehash) is stopped at its line as soon as it returns,
** instead of after the next HOOK_COUNT instructions. Then, GRACE seconds
** later, the watchdog: a step that has still not returned (a long C call,
** a hang where hooks do not reach) cannot be unwound, so the process ends,
** with the same message at the model's line the step started from and
** status 1. SIGXCPU (RLIMIT_CPU) is the same watchdog. */
static void on_alarm(int sig) {
  if (sig == SIGALRM && watchdog_stage == 0) {
    watchdog_stage = 1;
    deadline_passed = 1;
    hook_now();
    set_timer(GRACE, NULL);           /* setitimer is async-signal-safe */
    return;
  }
  char msg[1024];
  size_t n;
  where_now(msg, sizeof msg);
  n = strlen(msg);
  if (seconds == (double)(long)seconds) snprintf(msg + n, sizeof msg - n, "exceeded time limit (%d s%s)", (int)seconds, WATCHDOG_NOTE);
  else snprintf(msg + n, sizeof msg - n, "exceeded time limit (%f s%s)", seconds, WATCHDOG_NOTE);
  (reporter ? reporter : report_stderr)(msg);
  _exit(1);
}

/* The alarm at the deadline (secs), the watchdog a grace period later,
** and the CPU rlimit at the watchdog's mark. */
static void arm_watchdog(double secs) {
  struct sigaction sa;
  double wd = secs + GRACE;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, &saved_alrm);
  watchdog_stage = 0;
  set_timer(secs, &saved_timer);
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

void limits_onwatchdog(LimitsReport fn) { reporter = fn; }

void limits_detach(void) {
  closing = 1;
  curthread = NULL;
}

void limits_arm(lua_State *L, double secs) {
  globalL = L;
  closing = 0;
  limit_tripped = interrupt_tripped = 0;
  interrupted = 0;
  curthread = NULL;
  call_depth = 0;
  seconds = secs;
  deadline = 0;
  hook_count = 0;
  deadline_passed = 0;
  if (secs > 0) {
    deadline = host_now() + secs;
    hook_count = HOOK_COUNT;
    arm_watchdog(secs);
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
  deadline_passed = 0;
  globalL = NULL;
  closing = 0;
  deadline = 0;
  hook_count = 0;
  curthread = NULL;
}
