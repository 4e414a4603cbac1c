/*
** vm/sandbox.c
** The environment a model runs in: Lua's safe libraries, minus everything
** that reaches the machine (io writes, os, package, debug, binary chunks),
** plus guarded versions of the few functions that can hang or crash the
** host. --trust opens everything (see docs/security.md for the full list).
**
** Guards, each answering a measured problem of Debian's Lua 5.4.4 (see
** docs/security.md):
**  - load: text only, whatever mode says (mutated bytecode crashes Lua);
**  - setmetatable: no __gc (finalizers run with hooks off, even in lua_close);
**  - xpcall: the user's handler is skipped once a limit has tripped (the
**    handler of an error raised by the hook runs with hooks off);
**  - coroutine.close: nesting bounded (upstream bug 1e64c139, a SIGSEGV);
**    coroutine.resume/wrap: tell the host which coroutine runs, so Ctrl-C
**    reaches a loop inside one;
**  - string.find with a plain pattern: memmem (linear), not Lua's n*m search;
**  - string.find/match/gmatch/gsub: a pattern whose worst case per start
**    position is beyond PAT_STEP_LIMIT is refused; a search whose total
**    worst case is large runs one start position at a time, with the time
**    limit and Ctrl-C checked in between (one C call cannot be interrupted);
**  - io: reading only, and only the model's tree and the command line's
**    paths (host_openread); os: clock, time, date, difftime;
**  - pairs: keys in a fixed order (numbers, strings, booleans, then the
**    rest), since Lua seeds string hashes per process and pairs order
**    would differ between two runs of the same model;
**  - math.random: seeded from --seed, also by math.randomseed();
**  - string.rep, table.sort, move, insert, remove: bounded or checked
**    against the time limit (longcalls.c), also under --trust.
*/
#define _GNU_SOURCE                /* memmem */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>
#include "host.h"
#include "longcalls.h"
#include "runlimits.h"
#include "sandbox.h"

/* {====== load, setmetatable, collectgarbage, xpcall ====== */
/* load(chunk [, name [, mode [, env]]]): text only, whatever mode says. */
static int s_load(lua_State *L) {
  size_t len;
  const char *s;
  const char *name;
  int envidx = lua_isnone(L, 4) ? 0 : 4;
  const char *defname = NULL;
  if (lua_type(L, 1) != LUA_TSTRING) {
    /* a reader function: collect its pieces first */
    luaL_checktype(L, 1, LUA_TFUNCTION);
    luaL_Buffer b;
    lua_settop(L, 4);
    luaL_buffinit(L, &b);
    for (;;) {
      lua_pushvalue(L, 1);
      lua_call(L, 0, 1);
      if (lua_isnil(L, -1)) { lua_pop(L, 1); break; }
      if (lua_type(L, -1) != LUA_TSTRING) return luaL_error(L, "reader function must return a string");
      if (lua_rawlen(L, -1) == 0) { lua_pop(L, 1); break; }
      luaL_addvalue(&b);
    }
    luaL_pushresult(&b);
    lua_replace(L, 1);
    defname = "=(load)";
  }
  s = lua_tolstring(L, 1, &len);
  name = luaL_optstring(L, 2, defname ? defname : s);
  int st = host_loadbuffer(L, s, len, name, DIALECT_LUA);
  if (st != LUA_OK) { luaL_pushfail(L); lua_insert(L, -2); return 2; }
  if (envidx) {
    lua_pushvalue(L, envidx);
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);
  }
  return 1;
}

/* setmetatable that refuses __gc: finalizers run with hooks off and can
** hang the host, even inside lua_close. Lua marks an object for
** finalization only at setmetatable time, and looks __gc up raw, so a raw
** look-up here is exactly the check (adding __gc later has no effect). */
static int s_setmetatable(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    int has = lua_rawget(L, 2) != LUA_TNIL;
    lua_pop(L, 1);
    if (has) return luaL_error(L, "setmetatable: __gc is not allowed in models");
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

static int s_collectgarbage(lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "collect");
  if (strcmp(opt, "count") == 0) {
    int k = lua_gc(L, LUA_GCCOUNT, 0), b = lua_gc(L, LUA_GCCOUNTB, 0);
    lua_pushnumber(L, (lua_Number)k + ((lua_Number)b / 1024));
    return 1;
  }
  return luaL_error(L, "collectgarbage('%s') is not available in models (only 'count')", opt);
}

/* The user's message handler, unless a limit has tripped: then the error
** goes through untouched (the handler would run with hooks off). */
static int xp_handler(lua_State *L) {
  if (limits_tripped()) return 1;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* Continuation: the protected function may yield (inside a coroutine). */
static int finish_all(lua_State *L, int status, lua_KContext ctx) {
  (void)status; (void)ctx;
  return lua_gettop(L);
}

static int s_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 2);
  lua_pushcclosure(L, xp_handler, 1);
  lua_replace(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));   /* Lua's xpcall */
  lua_insert(L, 1);
  lua_callk(L, n, LUA_MULTRET, 0, finish_all);
  return lua_gettop(L);
}
/* }====== */

/* {====== coroutines ====== */
/* coroutine.close chains nested ~100k deep crash Debian's Lua 5.4.4
** (fixed upstream in 5.4.5, commit 1e64c139): bound the nesting. */
static int close_depth;
static int s_coclose(lua_State *L) {
  if (close_depth >= 100) return luaL_error(L, "coroutine.close nested too deeply");
  close_depth++;
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  close_depth--;
  if (st != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

/* coroutine.resume(co, ...): Lua's, with the host told which thread runs. */
static int s_resume(lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  lua_State *prev = limits_setthread(co ? co : L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
  limits_setthread(prev);
  if (st != LUA_OK) return lua_error(L);
  return lua_gettop(L);
}

/* coroutine.wrap(f): as Lua 5.4's, through s_resume. On an error inside the
** coroutine its to-be-closed variables are closed (lua_resetthread) and the
** error is raised with position information, as lcorolib.c does. */
static int s_auxwrap(lua_State *L) {
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(2));     /* s_resume */
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_rotate(L, 1, 2);
  lua_call(L, n + 1, LUA_MULTRET);
  if (lua_toboolean(L, 1)) return lua_gettop(L) - 1;
  lua_settop(L, 2);                          /* false, error */
  int stat = lua_status(co);
  if (stat != LUA_OK && stat != LUA_YIELD) {
    stat = lua_resetthread(co);
    if (lua_gettop(co) > 0) { lua_pop(L, 1); lua_xmove(co, L, 1); }
  }
  if (stat != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}

static int s_wrap(lua_State *L) {
  luaL_checktype(L, 1, LUA_TFUNCTION);
  lua_State *co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushvalue(L, lua_upvalueindex(1));     /* s_resume */
  lua_pushcclosure(L, s_auxwrap, 2);
  return 1;
}
/* }====== */

/* {====== pattern matching with bounded uninterruptible work ====== */
#define PAT_STEP_LIMIT 1e9   /* worst-case steps of one start position */
#define PAT_FAST_LIMIT 4e6   /* below this in total, Lua's function directly */
#define PAT_CHECK_EVERY 16   /* start positions between two limit checks */

static const char *const specials = "^$*+?.([%-";

static int has_specials(const char *p, size_t lp) {
  for (size_t i = 0; i < lp; i++)
    if (p[i] != '\0' && strchr(specials, p[i])) return 1;
  return 0;
}

/* Single-character classes, with Lua's meaning (manual §6.4.1). */
static int cls_match(int c, int cl) {
  int res;
  switch (tolower(cl)) {
    case 'a': res = isalpha(c); break;
    case 'c': res = iscntrl(c); break;
    case 'd': res = isdigit(c); break;
    case 'g': res = isgraph(c); break;
    case 'l': res = islower(c); break;
    case 'p': res = ispunct(c); break;
    case 's': res = isspace(c); break;
    case 'u': res = isupper(c); break;
    case 'w': res = isalnum(c); break;
    case 'x': res = isxdigit(c); break;
    default: return cl == c;
  }
  return islower(cl) ? res != 0 : res == 0;
}

/* [set] from p ('[') to ec (its ']'). */
static int set_match(int c, const char *p, const char *ec) {
  int yes = 1;
  if (p[1] == '^') { yes = 0; p++; }
  while (++p < ec) {
    if (*p == '%') { p++; if (p < ec && cls_match(c, (unsigned char)*p)) return yes; }
    else if (p + 2 < ec && p[1] == '-') {
      if ((unsigned char)p[0] <= c && c <= (unsigned char)p[2]) return yes;
      p += 2;
    } else if ((unsigned char)*p == c) return yes;
  }
  return !yes;
}

static int single_match(int c, const char *p, const char *ep) {
  switch (*p) {
    case '.': return 1;
    case '%': return cls_match(c, (unsigned char)p[1]);
    case '[': return set_match(c, p, ep - 1);
    default: return (unsigned char)*p == c;
  }
}

/* End of the single-character class at p; NULL when malformed (Lua's own
** function then reports it). */
static const char *classend(const char *p, const char *pe) {
  if (p >= pe) return NULL;
  if (*p == '%') return p + 1 < pe ? p + 2 : NULL;
  if (*p == '[') {
    p++;
    if (p < pe && *p == '^') p++;
    do {
      if (p >= pe) return NULL;
      if (*p++ == '%' && p < pe) p++;
    } while (p >= pe || *p != ']');
    return p + 1;
  }
  return p + 1;
}

/* Can the item p..ep, repeated, give back characters that the rest of the
** pattern (from q) could start with? If not, backtracking into it fails at
** once, and it costs one scan, not a factor of the subject length. */
static int overlaps_rest(const char *p, const char *ep, const char *q, const char *pe) {
  while (q < pe && (*q == '(' || *q == ')')) q++;
  if (q >= pe || (*q == '$' && q + 1 == pe)) return 0;          /* the end */
  if (*q == '%' && q + 1 < pe) {
    if (q[1] == 'b') {                   /* starts with its opening character */
      if (q + 2 >= pe) return 1;
      return single_match((unsigned char)q[2], p, ep);
    }
    if (q[1] == 'f' || isdigit((unsigned char)q[1])) return 1;
  }
  const char *fe = classend(q, pe);
  if (!fe) return 1;
  if (fe < pe && (*fe == '*' || *fe == '?' || *fe == '-')) return 1;   /* optional */
  for (int c = 0; c < 256; c++)
    if (single_match(c, p, ep) && single_match(c, q, fe)) return 1;
  return 0;
}

/* Worst-case steps of one match attempt at one start position over a
** subject of n bytes: each repeated item that can give characters back to
** what follows multiplies by n, each '?' by 2, each %b by n. *scan says
** whether a repeated item exists (one start then costs up to n). Returns
** -1 for a malformed pattern. */
static double pattern_cost(const char *p, const char *pe, double n, int *scan) {
  double cost = 1;
  *scan = 0;
  while (p < pe) {
    if (*p == '(' || *p == ')') { p++; continue; }
    if (*p == '$' && p + 1 == pe) break;
    if (*p == '%' && p + 1 < pe && p[1] == 'b') {
      if (pe - p < 4) return -1;
      cost *= n + 1; *scan = 1; p += 4; continue;
    }
    if (*p == '%' && p + 1 < pe && p[1] == 'f') {
      const char *ep = classend(p + 2, pe);
      if (!ep || p[2] != '[') return -1;
      p = ep; continue;
    }
    if (*p == '%' && p + 1 < pe && isdigit((unsigned char)p[1])) { p += 2; continue; }
    const char *ep = classend(p, pe);
    if (!ep) return -1;
    if (ep < pe && (*ep == '*' || *ep == '+' || *ep == '-')) {
      *scan = 1;
      if (overlaps_rest(p, ep, ep + 1, pe)) cost *= n + 1;
      p = ep + 1;
    } else if (ep < pe && *ep == '?') { cost *= 2; p = ep + 1; }
    else p = ep;
    if (cost > 1e300) cost = 1e300;
  }
  return cost;
}

enum { PAT_DIRECT, PAT_SPLIT };

/* Decides how to run a search of pattern p over n bytes; raises when one
** start position alone could run longer than the limit allows. */
static int pattern_plan(lua_State *L, const char *fname, size_t n, const char *p, size_t lp,
                        int anchored) {
  int scan;
  double per = pattern_cost(p, p + lp, (double)n, &scan);
  if (per < 0) return PAT_DIRECT;                  /* Lua reports the malformed pattern */
  if (scan && per < (double)n) per = (double)n;
  if (per > PAT_STEP_LIMIT) {
    char steps[32];
    snprintf(steps, sizeof steps, "%.0e", per);
    return luaL_error(L, "%s: pattern too complex for a subject of %I bytes (up to ~%s steps "
                         "per position, the limit is 1e+09): anchor it with '^', use a class that "
                         "excludes what follows a repetition, or split the subject first",
                      fname, (lua_Integer)n, steps);
  }
  if (anchored || per * ((double)n + 1) <= PAT_FAST_LIMIT) return PAT_DIRECT;
  return PAT_SPLIT;
}

/* Pushes "^" .. pattern (at index pi). */
static void push_anchored(lua_State *L, int pi) {
  lua_pushliteral(L, "^");
  lua_pushvalue(L, pi);
  lua_concat(L, 2);
}

/* Calls the function below its n arguments; an error raised by Lua's C
** function (whose caller is now this wrapper, not the model) reads as it
** would have without the wrapper: the model's position, the name. */
static void call_where(lua_State *L, int n, int nres) {
  host_wrappedcall(L, n, nres);
}

/* Lua's function (upvalue 1) on the arguments as given. */
static int call_orig(lua_State *L) {
  int n = lua_gettop(L);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  call_where(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

static size_t start_index(lua_State *L, int arg, size_t len) {
  lua_Integer pos = luaL_optinteger(L, arg, 1);
  if (pos > 0) return (size_t)pos;
  if (pos == 0) return 1;
  if (pos < -(lua_Integer)len) return 1;
  return len + (size_t)pos + 1;
}

/* find and match: try each start position with the anchored pattern
** (find from index ap at that position); every few positions, the limits. */
static int find_aux(lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(L, 3, ls);
  if (init > ls + 1) return call_orig(L);
  if (find && (lua_toboolean(L, 4) || !has_specials(p, lp))) {
    /* a plain search: glibc's memmem is linear (Lua's lmemfind is n*m) */
    const char *r = memmem(s + init - 1, ls - init + 1, p, lp);
    if (!r) { luaL_pushfail(L); return 1; }
    lua_pushinteger(L, (lua_Integer)(r - s) + 1);
    lua_pushinteger(L, (lua_Integer)(r - s) + (lua_Integer)lp);
    return 2;
  }
  if (lp == 0) return call_orig(L);
  int anchored = p[0] == '^';
  if (pattern_plan(L, find ? "string.find" : "string.match", ls - init + 1, p + anchored, lp - anchored,
                   anchored) == PAT_DIRECT)
    return call_orig(L);
  lua_settop(L, 2);
  push_anchored(L, 2);                             /* 3 */
  int base = lua_gettop(L);
  for (size_t i = init; i <= ls + 1; i++) {
    if ((i - init) % PAT_CHECK_EVERY == 0) limits_check(L);
    lua_pushvalue(L, lua_upvalueindex(1));         /* Lua's find or match */
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 3);
    lua_pushinteger(L, (lua_Integer)i);
    call_where(L, 3, LUA_MULTRET);
    if (!lua_isnil(L, base + 1)) return lua_gettop(L) - base;
    lua_settop(L, base);
  }
  luaL_pushfail(L);
  return 1;
}

static int s_find(lua_State *L) { return find_aux(L, 1); }
static int s_match(lua_State *L) { return find_aux(L, 0); }

/* Calls Lua's find (upvalue `fi`) on subject 1, anchored pattern `ai`, at
** position i. Returns the number of captures and pushes start, end and the
** captures, or returns -1 (nothing pushed) when there is no match there. */
static int find_at(lua_State *L, int fi, int si, int ai, size_t i) {
  int base = lua_gettop(L);
  lua_pushvalue(L, fi);
  lua_pushvalue(L, si);
  lua_pushvalue(L, ai);
  lua_pushinteger(L, (lua_Integer)i);
  call_where(L, 3, LUA_MULTRET);
  if (lua_isnil(L, base + 1)) { lua_settop(L, base); return -1; }
  return lua_gettop(L) - base - 2;
}

/* gmatch's iterator in split mode: upvalues subject, anchored pattern,
** Lua's find, next position, end of the last match (0 = none). */
static int gmatch_split_aux(lua_State *L) {
  size_t ls;
  const char *s = lua_tolstring(L, lua_upvalueindex(1), &ls);
  size_t src = (size_t)lua_tointeger(L, lua_upvalueindex(4));
  lua_Integer last = lua_tointeger(L, lua_upvalueindex(5));
  for (size_t k = 0; src <= ls + 1; src++, k++) {
    if (k % PAT_CHECK_EVERY == 0) limits_check(L);
    int base = lua_gettop(L);
    int nc = find_at(L, lua_upvalueindex(3), lua_upvalueindex(1), lua_upvalueindex(2), src);
    if (nc < 0) continue;
    lua_Integer e = lua_tointeger(L, base + 2) + 1;    /* one past the match */
    if (e == last) { lua_settop(L, base); continue; }
    lua_pushinteger(L, e);
    lua_replace(L, lua_upvalueindex(4));
    lua_pushinteger(L, e);
    lua_replace(L, lua_upvalueindex(5));
    if (nc == 0) {                                     /* the whole match */
      lua_settop(L, base);
      lua_pushlstring(L, s + src - 1, (size_t)(e - (lua_Integer)src));
      return 1;
    }
    lua_remove(L, base + 1);
    lua_remove(L, base + 1);
    return nc;
  }
  lua_pushinteger(L, (lua_Integer)ls + 2);
  lua_replace(L, lua_upvalueindex(4));
  return 0;
}

static int s_gmatch(lua_State *L) {
  size_t ls, lp;
  luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = start_index(L, 3, ls);
  if (init > ls + 1 || lp == 0 ||                 /* gmatch has no anchor: '^' is literal */
      pattern_plan(L, "string.gmatch", ls - init + 1, p, lp, 0) == PAT_DIRECT)
    return call_orig(L);
  lua_settop(L, 2);
  push_anchored(L, 2);                              /* 3 */
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 3);
  lua_pushvalue(L, lua_upvalueindex(2));            /* Lua's find */
  lua_pushinteger(L, (lua_Integer)init);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, gmatch_split_aux, 5);
  return 1;
}

/* Adds the replacement for one match to b. The match's start, end and nc
** captures are at mi, mi+1, mi+2... Leaves the stack as it found it. */
static void add_replacement(lua_State *L, luaL_Buffer *b, const char *s, int mi, int nc) {
  size_t st = (size_t)lua_tointeger(L, mi), en = (size_t)lua_tointeger(L, mi + 1);
  const char *whole = s + st - 1;
  size_t wl = en + 1 - st;
  int top = lua_gettop(L);
  int rt = lua_type(L, 3);
  if (rt == LUA_TSTRING || rt == LUA_TNUMBER) {
    size_t lr;
    const char *r = lua_tolstring(L, 3, &lr);
    for (size_t i = 0; i < lr; i++) {
      if (r[i] != '%') { luaL_addchar(b, r[i]); continue; }
      i++;
      if (i < lr && r[i] == '%') luaL_addchar(b, '%');
      else if (i < lr && isdigit((unsigned char)r[i])) {
        int k = r[i] - '0';
        if (k == 0 || (k == 1 && nc == 0)) luaL_addlstring(b, whole, wl);
        else if (k <= nc) {
          luaL_tolstring(L, mi + 1 + k, NULL);
          luaL_addvalue(b);
        } else luaL_error(L, "invalid capture index %%%d in replacement string", k);
      } else luaL_error(L, "invalid use of '%%' in replacement string");
    }
    return;
  }
  if (rt == LUA_TTABLE) {
    if (nc > 0) lua_pushvalue(L, mi + 2); else lua_pushlstring(L, whole, wl);
    lua_gettable(L, 3);
  } else {                                          /* a function */
    lua_pushvalue(L, 3);
    if (nc > 0) {
      luaL_checkstack(L, nc, "too many captures");
      for (int k = 0; k < nc; k++) lua_pushvalue(L, mi + 2 + k);
    } else lua_pushlstring(L, whole, wl);
    lua_call(L, nc > 0 ? nc : 1, 1);
  }
  if (!lua_toboolean(L, -1)) {                      /* nil or false: keep the match */
    lua_settop(L, top);
    luaL_addlstring(b, whole, wl);
  } else if (!lua_isstring(L, -1)) {
    luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  } else {
    lua_tostring(L, -1);
    luaL_addvalue(b);
  }
}

/* gsub in split mode: Lua's algorithm (a match that ends where the last one
** ended is skipped), one start position at a time. The match and its
** captures sit above the buffer while the replacement is built; the buffer
** is only written with its own slot on top. */
static int s_gsub(lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  int rt = lua_type(L, 3);
  lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)ls + 1);
  luaL_argexpected(L, rt == LUA_TNUMBER || rt == LUA_TSTRING || rt == LUA_TFUNCTION || rt == LUA_TTABLE,
                   3, "string/function/table");
  int anchored = lp > 0 && p[0] == '^';
  if (lp == 0 || !has_specials(p, lp) ||
      pattern_plan(L, "string.gsub", ls, p + anchored, lp - anchored, anchored) == PAT_DIRECT)
    return call_orig(L);
  lua_settop(L, 3);
  push_anchored(L, 2);                              /* 4 */
  lua_pushvalue(L, lua_upvalueindex(2));            /* 5: Lua's find */
  luaL_Buffer b;
  luaL_buffinit(L, &b);                             /* its slot: 6 */
  int base = lua_gettop(L);
  size_t src = 1;
  lua_Integer last = 0, n = 0;
  for (size_t k = 0; n < max_s; k++) {
    if (k % PAT_CHECK_EVERY == 0) limits_check(L);
    int nc = find_at(L, 5, 1, 4, src);
    lua_Integer e = nc >= 0 ? lua_tointeger(L, base + 2) + 1 : 0;
    if (nc >= 0 && e != last) {
      n++;
      /* build the replacement into a second buffer above the captures, then
      ** copy it into b once the captures are gone */
      luaL_Buffer r;
      luaL_buffinit(L, &r);
      add_replacement(L, &r, s, base + 1, nc);
      luaL_pushresult(&r);
      lua_replace(L, base + 1);
      lua_settop(L, base + 1);
      luaL_addvalue(&b);
      src = (size_t)e;
      last = e;
    } else {
      lua_settop(L, base);
      if (src <= ls) luaL_addchar(&b, s[src++ - 1]);
      else break;
    }
  }
  if (src <= ls) luaL_addlstring(&b, s + src - 1, ls - src + 1);
  luaL_pushresult(&b);
  lua_pushinteger(L, n);
  return 2;
}
/* }====== */

/* {====== pairs in a fixed order ====== */
typedef struct SKey { int rank; int isint; lua_Integer i; lua_Number n; const char *s; size_t l; int ord; } SKey;

static int skey_cmp(const void *va, const void *vb) {
  const SKey *a = va, *b = vb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  switch (a->rank) {
    case 0:
      if (a->isint && b->isint) return a->i < b->i ? -1 : a->i > b->i;
      { lua_Number x = a->isint ? (lua_Number)a->i : a->n, y = b->isint ? (lua_Number)b->i : b->n;
        if (x != y) return x < y ? -1 : 1; }
      break;
    case 1: {
      size_t m = a->l < b->l ? a->l : b->l;
      int c = memcmp(a->s, b->s, m);
      if (c != 0) return c;
      if (a->l != b->l) return a->l < b->l ? -1 : 1;
      break;
    }
    case 2: if (a->i != b->i) return a->i < b->i ? -1 : 1; break;
  }
  return a->ord < b->ord ? -1 : a->ord > b->ord;
}

/* Upvalues: sorted keys, the table, the position. Keys removed during the
** traversal are skipped; keys added are not visited (undefined in Lua). */
static int pairs_aux(lua_State *L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(3));
  for (;;) {
    i++;
    if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL) {
      lua_pushinteger(L, i - 1);
      lua_replace(L, lua_upvalueindex(3));
      return 1;                                      /* nil: done */
    }
    lua_pushvalue(L, -1);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) break;
    lua_pop(L, 2);
  }
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(3));
  return 2;
}

static int s_pairs(lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {   /* as Lua's pairs */
    lua_insert(L, 1);                 /* __pairs, t */
    lua_settop(L, 2);
    lua_callk(L, 1, 3, 0, finish_all);
    return 3;
  }
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newtable(L);                                   /* 2: keys in next order */
  lua_Integer n = 0;
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, 2, ++n);
  }
  if (n > INT_MAX / (lua_Integer)sizeof(SKey)) return luaL_error(L, "table too large to traverse");
  SKey *k = lua_newuserdatauv(L, (size_t)n * sizeof(SKey) + 1, 0);   /* 3 */
  for (lua_Integer j = 0; j < n; j++) {
    SKey *e = &k[j];
    memset(e, 0, sizeof *e);
    e->ord = (int)j;
    int t = lua_rawgeti(L, 2, j + 1);
    if (t == LUA_TNUMBER) {
      e->rank = 0;
      e->isint = lua_isinteger(L, -1);
      if (e->isint) e->i = lua_tointeger(L, -1); else e->n = lua_tonumber(L, -1);
    } else if (t == LUA_TSTRING) {
      e->rank = 1;
      e->s = lua_tolstring(L, -1, &e->l);           /* anchored by the keys table */
    } else if (t == LUA_TBOOLEAN) {
      e->rank = 2;
      e->i = lua_toboolean(L, -1);
    } else e->rank = 3;
    lua_pop(L, 1);
  }
  qsort(k, (size_t)n, sizeof(SKey), skey_cmp);
  lua_createtable(L, (int)n, 0);                     /* 4: sorted keys */
  for (lua_Integer j = 0; j < n; j++) {
    lua_rawgeti(L, 2, k[j].ord + 1);
    lua_rawseti(L, 4, j + 1);
  }
  lua_pushvalue(L, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, pairs_aux, 3);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}
/* }====== */

/* {====== math.random from --seed ====== */
static int s_randomseed(lua_State *L) {
  int n = lua_gettop(L);
  if (n == 0) { lua_pushvalue(L, lua_upvalueindex(2)); n = 1; }   /* the run's seed */
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

static void seed_random(lua_State *L, unsigned long long seed) {
  if (lua_getglobal(L, LUA_MATHLIBNAME) != LUA_TTABLE) { lua_pop(L, 1); return; }
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, (lua_Integer)(seed & 0x7fffffffffffffffULL));
  lua_pushvalue(L, -2);
  lua_pushvalue(L, -2);
  lua_call(L, 1, 0);                                 /* math.randomseed(seed) now */
  lua_pushcclosure(L, s_randomseed, 2);
  lua_setfield(L, -2, "randomseed");
  lua_pop(L, 1);
}
/* }====== */

/* {====== os and io ====== */
static void open_lib(lua_State *L, const char *name, lua_CFunction f) {
  luaL_requiref(L, name, f, 1);
  lua_pop(L, 1);
}

/* A small os: time and clocks only. */
static void open_os(lua_State *L) {
  static const char *const keep[] = {"clock", "time", "date", "difftime", NULL};
  luaL_requiref(L, "os", luaopen_os, 0);
  lua_newtable(L);
  for (int i = 0; keep[i]; i++) {
    lua_getfield(L, -2, keep[i]);
    lua_setfield(L, -2, keep[i]);
  }
  lua_setglobal(L, "os");
  lua_pop(L, 1);
}

static int s_fclose(lua_State *L) {
  luaL_Stream *p = luaL_checkudata(L, 1, LUA_FILEHANDLE);
  int ok = fclose(p->f) == 0;
  return luaL_fileresult(L, ok, NULL);
}

/* Pushes a read-only file handle for path, or fail, message, errno. */
static int open_readonly(lua_State *L, const char *path) {
  luaL_Stream *p = lua_newuserdatauv(L, sizeof(luaL_Stream), 0);
  p->f = NULL;
  p->closef = NULL;                                   /* "closed" until opened */
  luaL_setmetatable(L, LUA_FILEHANDLE);
  int fd = host_openread(L, path);
  if (fd < 0) {                                       /* message on top */
    luaL_pushfail(L);
    lua_insert(L, -2);
    lua_pushinteger(L, errno ? errno : 1);
    return 3;
  }
  p->f = fdopen(fd, "r");
  if (!p->f) { close(fd); return luaL_fileresult(L, 0, path); }
  p->closef = s_fclose;
  return 1;
}

/* io.open(path [, mode]): reading only ("r" or "rb"). */
static int s_ioopen(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  const char *mode = luaL_optstring(L, 2, "r");
  if (strcmp(mode, "r") != 0 && strcmp(mode, "rb") != 0)
    return luaL_error(L, "io.open: models may only read files (mode '%s' refused; see docs/security.md)", mode);
  return open_readonly(L, path);
}

/* io.lines([path, ...]): stdin as Lua's; a path through open_readonly,
** returning the file as the loop's closing value, as Lua 5.4 does. */
static int s_iolines(lua_State *L) {
  if (lua_isnoneornil(L, 1)) return call_orig(L);
  const char *path = luaL_checkstring(L, 1);
  int n = lua_gettop(L);
  if (open_readonly(L, path) != 1) return luaL_error(L, "%s", lua_tostring(L, -2));
  int fi = lua_gettop(L);
  lua_getfield(L, fi, "lines");
  lua_pushvalue(L, fi);
  for (int i = 2; i <= n; i++) lua_pushvalue(L, i);
  lua_call(L, n, 1);                                  /* f:lines(...) */
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, fi);
  return 4;
}

static void open_io(lua_State *L) {
  luaL_requiref(L, "io", luaopen_io, 0);
  lua_newtable(L);
  static const char *const keep[] = {"write", "read", "close", "type", "stdin", "stdout", "stderr", NULL};
  for (int i = 0; keep[i]; i++) {
    lua_getfield(L, -2, keep[i]);
    lua_setfield(L, -2, keep[i]);
  }
  lua_pushcfunction(L, s_ioopen);
  lua_setfield(L, -2, "open");
  lua_getfield(L, -2, "lines");
  lua_pushcclosure(L, s_iolines, 1);
  lua_setfield(L, -2, "lines");
  lua_setglobal(L, "io");
  lua_pop(L, 1);
}
/* }====== */

/* Replaces lib.name by f with upvalues: the original, then `extra` more
** values taken from the stack top (popped). */
static void wrap_field(lua_State *L, const char *lib, const char *name, lua_CFunction f, int extra) {
  lua_getglobal(L, lib);
  lua_getfield(L, -1, name);
  lua_rotate(L, -(extra + 2), 2);        /* table, original below the extras */
  lua_pushcclosure(L, f, extra + 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

static void install_pairs(lua_State *L) {
  lua_pushcfunction(L, s_pairs);
  lua_setglobal(L, "pairs");
}

int sandbox_open(lua_State *L) {
  const HostOptions *opt = host_options(L);
  close_depth = 0;
  if (opt->trust) {                      /* full Lua; determinism and limits added */
    luaL_openlibs(L);
    install_pairs(L);
    seed_random(L, opt->seed);
    longcalls_open(L);
    return 0;
  }
  open_lib(L, LUA_GNAME, luaopen_base);
  open_lib(L, LUA_STRLIBNAME, luaopen_string);
  open_lib(L, LUA_TABLIBNAME, luaopen_table);
  open_lib(L, LUA_MATHLIBNAME, luaopen_math);
  open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
  open_lib(L, LUA_COLIBNAME, luaopen_coroutine);
  open_os(L);
  open_io(L);
  lua_pushnil(L); lua_setglobal(L, "dofile");
  lua_pushnil(L); lua_setglobal(L, "loadfile");
  lua_pushcfunction(L, s_load); lua_setglobal(L, "load");
  lua_pushcfunction(L, s_collectgarbage); lua_setglobal(L, "collectgarbage");
  lua_getglobal(L, "setmetatable");
  lua_pushcclosure(L, s_setmetatable, 1);
  lua_setglobal(L, "setmetatable");
  lua_getglobal(L, "xpcall");
  lua_pushcclosure(L, s_xpcall, 1);
  lua_setglobal(L, "xpcall");
  install_pairs(L);
  seed_random(L, opt->seed);
  longcalls_open(L);                     /* string.rep, table.sort... checked */

  /* string: no dump; searches bounded (upvalue 2 = Lua's find) */
  lua_getglobal(L, LUA_STRLIBNAME);
  lua_pushnil(L);
  lua_setfield(L, -2, "dump");
  lua_getfield(L, -1, "find");            /* Lua's find, kept for the wrappers */
  lua_remove(L, -2);
  lua_pushvalue(L, -1); wrap_field(L, LUA_STRLIBNAME, "match", s_match, 1);
  lua_pushvalue(L, -1); wrap_field(L, LUA_STRLIBNAME, "gmatch", s_gmatch, 1);
  lua_pushvalue(L, -1); wrap_field(L, LUA_STRLIBNAME, "gsub", s_gsub, 1);
  wrap_field(L, LUA_STRLIBNAME, "find", s_find, 1);

  /* coroutine: close bounded; resume and wrap tell the host what runs */
  wrap_field(L, LUA_COLIBNAME, "close", s_coclose, 0);
  wrap_field(L, LUA_COLIBNAME, "resume", s_resume, 0);
  lua_getglobal(L, LUA_COLIBNAME);
  lua_getfield(L, -1, "resume");          /* s_resume */
  lua_pushcclosure(L, s_wrap, 1);
  lua_setfield(L, -2, "wrap");
  lua_pop(L, 1);

  /* lock the shared string metatable: getmetatable("") returns false */
  lua_pushliteral(L, "");
  if (lua_getmetatable(L, -1)) {
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return 0;
}
