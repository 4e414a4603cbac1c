/*
** vm/longcalls.c
** Library functions whose one call can run long in C, where no hook
** fires (see docs/security.md, "Single slow steps"). Each is bounded before
** it starts, or checks the time limit and Ctrl-C as it goes
** (limits_check), so it stops at the model's line like a Lua loop:
**  - string.rep: the size of the result is known first: an empty result
**    is returned at once (Lua makes string.rep("", 2^62) 2^62 empty
**    copies), a too large one is refused, a large one is built with the
**    limits checked every REP_CHUNK bytes;
**  - table.sort: a long sort of numbers runs here (merge sort, checked);
**    another long one with the default order (or an order written in C)
**    goes through a C function that checks the limits every CHECK_EVERY
**    comparisons; an order written in Lua has the count hook inside it;
**  - table.move: a long move runs in slices of Lua's own move, checked
**    between slices (table.move(t, 1, 2^62, 2) loops in C);
**  - table.insert, table.remove on a table: Lua's code, with the shift
**    checked (only a lying __len makes one that memory does not bound).
** The rest of the string and table libraries is linear in memory the
** model already holds. The pattern functions are sandbox.c's.
*/
#include <limits.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>
#include "host.h"
#include "longcalls.h"
#include "runlimits.h"

#define CHECK_EVERY 4096             /* comparisons or elements between checks */
#define SLICE ((lua_Integer)1 << 16) /* elements moved by one call of Lua's move */
#define REP_CHUNK ((size_t)1 << 24)  /* bytes of string.rep between checks */
#define REP_MAX ((size_t)INT_MAX)    /* Lua 5.4's bound on string.rep (lstrlib.c) */

static unsigned steps;               /* comparisons or elements since the last check */

static void tick(lua_State *L) {
  if (++steps >= CHECK_EVERY) { steps = 0; limits_check(L); }
}

/* Calls upvalue 1 (Lua's function) with the arguments; all its results.
** Its errors name the wrapper and the model's line (host_wrappedcall). */
static int call_lua(lua_State *L) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  host_wrappedcall(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* {====== string.rep ====== */
/* string.rep(s, n [, sep]): Lua 5.4's, with the size known first. */
static int l_rep(lua_State *L) {
  size_t l, lsep;
  const char *s = luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *sep = luaL_optlstring(L, 3, "", &lsep);
  if (n <= 0 || (l == 0 && (lsep == 0 || n == 1))) { lua_pushliteral(L, ""); return 1; }
  if (l + lsep < l || l + lsep > REP_MAX / (size_t)n)
    return luaL_error(L, "resulting string too large");
  size_t total = (size_t)n * l + (size_t)(n - 1) * lsep, since = 0;
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, total);
  while (n-- > 1) {
    memcpy(p, s, l); p += l;
    if (lsep > 0) { memcpy(p, sep, lsep); p += lsep; }
    if ((since += l + lsep) >= REP_CHUNK) { since = 0; limits_check(L); }
  }
  memcpy(p, s, l);
  luaL_pushresultsize(&b, total);
  return 1;
}
/* }====== */

/* {====== table.sort ====== */
/* A long sort of numbers only (the common case: 2*10^7 numbers took 10 s
** in Lua's sort) runs here: the values are copied out, merge-sorted in C
** with the limits checked as it goes, and written back; 5 to 10 times
** faster than Lua's, and the result is the same (equal numbers have no
** order to keep). Any other long sort goes through a checked order. */
#define SORT_LONG 100000           /* elements: below, Lua's sort directly */
#define RUN 32                     /* insertion-sorted runs before merging */

#define DEFINE_MERGESORT(NAME, T) \
static void NAME(lua_State *L, T *a, T *tmp, size_t n) { \
  for (size_t lo = 0; lo < n; lo += RUN) { \
    size_t hi = lo + RUN < n ? lo + RUN : n; \
    for (size_t i = lo + 1; i < hi; i++) { \
      T x = a[i]; size_t j = i; \
      while (j > lo && x < a[j - 1]) { a[j] = a[j - 1]; j--; } \
      a[j] = x; \
    } \
  } \
  T *src = a, *dst = tmp; \
  size_t done = 0; \
  for (size_t w = RUN; w < n; w *= 2) { \
    for (size_t lo = 0; lo < n; lo += 2 * w) { \
      size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n; \
      size_t i = lo, j = mid, k = lo; \
      while (i < mid && j < hi) dst[k++] = src[j] < src[i] ? src[j++] : src[i++]; \
      while (i < mid) dst[k++] = src[i++]; \
      while (j < hi) dst[k++] = src[j++]; \
      if ((done += hi - lo) >= ((size_t)1 << 18)) { done = 0; limits_check(L); } \
    } \
    T *t = src; src = dst; dst = t; \
  } \
  if (src != a) memcpy(a, src, n * sizeof *a); \
}
DEFINE_MERGESORT(sort_integers, lua_Integer)
DEFINE_MERGESORT(sort_floats, lua_Number)

/* Sorts t (index 1, no metatable, n elements) here when its elements are
** all integers or all floats (no NaN); 0 when they are not. */
static int sort_numbers(lua_State *L, lua_Integer n) {
  int isint = -1;
  for (lua_Integer i = 1; i <= n; i++) {       /* what the elements are */
    int t = lua_rawgeti(L, 1, i), ii = t == LUA_TNUMBER && lua_isinteger(L, -1);
    lua_Number x = t == LUA_TNUMBER ? lua_tonumber(L, -1) : 0;
    lua_pop(L, 1);
    if (t != LUA_TNUMBER || (!ii && x != x) || (isint >= 0 && ii != isint)) return 0;
    isint = ii;
    if ((i & 0xffff) == 0) limits_check(L);
  }
  size_t sz = isint ? sizeof(lua_Integer) : sizeof(lua_Number);
  char *a = lua_newuserdatauv(L, 2 * (size_t)n * sz, 0);   /* values and scratch */
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, 1, i);
    if (isint) ((lua_Integer *)a)[i - 1] = lua_tointeger(L, -1);
    else ((lua_Number *)a)[i - 1] = lua_tonumber(L, -1);
    lua_pop(L, 1);
  }
  if (isint) sort_integers(L, (lua_Integer *)a, (lua_Integer *)a + n, (size_t)n);
  else sort_floats(L, (lua_Number *)a, (lua_Number *)a + n, (size_t)n);
  for (lua_Integer i = 1; i <= n; i++) {
    if (isint) lua_pushinteger(L, ((lua_Integer *)a)[i - 1]);
    else lua_pushnumber(L, ((lua_Number *)a)[i - 1]);
    lua_rawseti(L, 1, i);
  }
  return 1;
}

/* The default order, checked. */
static int lt_checked(lua_State *L) {
  tick(L);
  lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
  return 1;
}

/* An order written in C (upvalue 1), checked: no hook fires inside it. */
static int cmp_checked(lua_State *L) {
  tick(L);
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

/* table.sort(t [, comp]): upvalue 1 Lua's sort, 2 lt_checked. A short
** sort, and one with an order written in Lua (the count hook runs inside
** it), is Lua's own. */
static int l_sort(lua_State *L) {
  int plain = 0;                  /* a table without a metatable: raw access is Lua's */
  if (lua_type(L, 1) == LUA_TTABLE && !(plain = !lua_getmetatable(L, 1))) lua_pop(L, 1);
  lua_Integer n = plain ? (lua_Integer)lua_rawlen(L, 1) : SORT_LONG;   /* else: unknown */
  if (n < SORT_LONG || (!lua_isnoneornil(L, 2) && !lua_iscfunction(L, 2))) return call_lua(L);
  if (lua_isnoneornil(L, 2)) {
    lua_settop(L, 1);
    if (plain && n < INT_MAX && sort_numbers(L, n)) return 0;
    lua_settop(L, 1);
    lua_pushvalue(L, lua_upvalueindex(2));
  } else {
    lua_settop(L, 2);
    lua_pushcclosure(L, cmp_checked, 1);
  }
  return call_lua(L);
}
/* }====== */

/* {====== table.move, insert, remove ====== */
/* Lua's move (upvalue 1) of a1[f..e] to dest[t..]; leaves the stack. */
static void move_slice(lua_State *L, lua_Integer f, lua_Integer e, lua_Integer t, int dest) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_pushvalue(L, 1);
  lua_pushinteger(L, f);
  lua_pushinteger(L, e);
  lua_pushinteger(L, t);
  lua_pushvalue(L, dest);
  lua_call(L, 5, 0);
}

/* table.move(a1, f, e, t [, a2]): a long move as slices of Lua's move, in
** the order Lua moves the elements (from the top when the destination
** overlaps the source above it), so the result is Lua's. Anything Lua
** would refuse goes to Lua's move whole, which refuses it. */
static int l_move(lua_State *L) {
  lua_Integer f = luaL_checkinteger(L, 2), e = luaL_checkinteger(L, 3), t = luaL_checkinteger(L, 4);
  if (e < f || e - f < SLICE || !(f > 0 || e < LUA_MAXINTEGER + f)) return call_lua(L);
  lua_Integer n = e - f + 1;
  if (t > LUA_MAXINTEGER - n + 1) return call_lua(L);
  int dest = lua_isnoneornil(L, 5) ? 1 : 5;
  int up = t > f && t <= e && (dest == 1 || lua_compare(L, 1, dest, LUA_OPEQ));
  for (lua_Integer k = 0; k < n; k += SLICE) {
    lua_Integer len = n - k < SLICE ? n - k : SLICE;
    lua_Integer lo = up ? n - k - len : k;           /* offset of this slice */
    move_slice(L, f + lo, f + lo + len - 1, t + lo, dest);
    limits_check(L);
  }
  lua_pushvalue(L, dest);
  return 1;
}

/* table.insert(t, [pos,] v): Lua 5.4's, for a table, with the shift
** checked (a lying __len can make it 2^53 long); anything else (a proxy
** with metamethods, a wrong argument) is Lua's insert. */
static int l_insert(lua_State *L) {
  if (lua_type(L, 1) != LUA_TTABLE) return call_lua(L);
  lua_Integer e = luaL_len(L, 1);
  e = (lua_Integer)((lua_Unsigned)e + 1u);           /* first empty element */
  lua_Integer pos = e;
  switch (lua_gettop(L)) {
    case 2: break;
    case 3: {
      pos = luaL_checkinteger(L, 2);
      luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
      for (lua_Integer i = e; i > pos; i--) {
        lua_geti(L, 1, i - 1);
        lua_seti(L, 1, i);
        tick(L);
      }
      break;
    }
    default: return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);
  return 0;
}

/* table.remove(t [, pos]): Lua 5.4's, for a table, with the shift checked. */
static int l_remove(lua_State *L) {
  if (lua_type(L, 1) != LUA_TTABLE) return call_lua(L);
  lua_Integer size = luaL_len(L, 1);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size)   /* argument 1, as Lua 5.4.4 says it (ltablib.c) */
    luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 1, "position out of bounds");
  lua_geti(L, 1, pos);
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
    tick(L);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}
/* }====== */

/* Replaces lib.name by f, with Lua's function as upvalue 1 and `extra`
** more from the stack top (popped). */
static void wrap(lua_State *L, const char *lib, const char *name, lua_CFunction f, int extra) {
  lua_getglobal(L, lib);
  lua_getfield(L, -1, name);
  lua_rotate(L, -(extra + 2), 2);        /* table, original below the extras */
  lua_pushcclosure(L, f, extra + 1);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}

void longcalls_open(lua_State *L) {
  steps = 0;
  wrap(L, LUA_STRLIBNAME, "rep", l_rep, 0);
  lua_pushcfunction(L, lt_checked);
  wrap(L, LUA_TABLIBNAME, "sort", l_sort, 1);
  wrap(L, LUA_TABLIBNAME, "move", l_move, 0);
  wrap(L, LUA_TABLIBNAME, "insert", l_insert, 0);
  wrap(L, LUA_TABLIBNAME, "remove", l_remove, 0);
}
