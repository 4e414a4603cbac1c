/*
** vm/results.c
** A model's results. The translator ends every top-level statement of a
** model chunk that binds a name with
**   ;__bind(LINE,"name",function() return name end)    (__bind = __deal.bind)
** (translate.c, TRANSLATE_RESULTS). The getter is kept, not the value: a
** run that ends, or fails half-way, reports the final value of every
** binding it reached, however a loop or a function changed it later. A
** name bound again (a second `local x`) is the new binding, in its new
** place. Chunks loaded without LOAD_MODEL (the stdlib, required modules)
** have no such calls, so only the model's own names become results.
**
** results_push describes them: one record per result, a table's fields
** flattened to t.field; the text is tostring's, and unit and value come
** from the unit tostring chose (num_showunit), so the two always agree.
*/
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "json.h"
#include "num.h"
#include "pretty.h"
#include "registry.h"
#include "results.h"
#include "samples.h"
#include "uexpr.h"

#define MAXNEST 8          /* levels of nested tables flattened */
#define MAXFRACTION 4096   /* bits of an exact value written as a fraction */

/* {====== collecting: __deal.bind ====== */
/* The current set: { n = count, names = {name -> index}, [i] = binding },
** a binding being { name, line, get, dead }. */
static int set_push(lua_State *L) {
  return lua_getfield(L, LUA_REGISTRYINDEX, REG_RESULTS) == LUA_TTABLE;
}

int results_begin(lua_State *L) {
  lua_createtable(L, 0, 2);
  lua_newtable(L);
  lua_setfield(L, -2, "names");
  lua_pushinteger(L, 0);
  lua_setfield(L, -2, "n");
  lua_setfield(L, LUA_REGISTRYINDEX, REG_RESULTS);
  return 0;
}

/* __deal.bind(line, name, getter); outside a model run it does nothing.
** The getter is a Lua function (binding_value reads its upvalue). */
static int r_bind(lua_State *L) {
  lua_Integer line = luaL_checkinteger(L, 1);
  const char *name = luaL_checkstring(L, 2);
  luaL_argexpected(L, lua_isfunction(L, 3) && !lua_iscfunction(L, 3), 3, "Lua function");
  if (!set_push(L)) return 0;
  int set = lua_gettop(L);
  lua_getfield(L, set, "names");
  if (lua_getfield(L, -1, name) == LUA_TNUMBER) {   /* bound again: the old one goes */
    lua_rawget(L, set);
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "dead");
  }
  lua_pop(L, 1);
  lua_getfield(L, set, "n");
  lua_Integer n = lua_tointeger(L, -1) + 1;
  lua_pop(L, 1);
  lua_createtable(L, 0, 3);
  lua_pushvalue(L, 2);
  lua_setfield(L, -2, "name");
  lua_pushinteger(L, line);
  lua_setfield(L, -2, "line");
  lua_pushvalue(L, 3);
  lua_setfield(L, -2, "get");
  lua_rawseti(L, set, n);
  lua_pushinteger(L, n);
  lua_setfield(L, set, "n");
  lua_pushinteger(L, n);
  lua_setfield(L, -2, name);                        /* names[name] = n */
  return 0;
}

#ifdef DEAL_TEST_HOOKS
/* Test hooks (deal-test only; tests/unit/json.lua): __deal.json(v [, order])
** is json_fromlua's text of v; __deal.json_parse(s) is json_parse and
** json_push: the value, or nil and the error. */
static int h_json(lua_State *L) {
  static const char *const order[] = {"name", "line", "kind", "-raw", NULL};
  cJSON *j = json_fromlua(L, 1, lua_toboolean(L, 2) ? order : NULL);
  char *text = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  if (!text) return luaL_error(L, "not enough memory");
  lua_pushstring(L, text);
  free(text);
  return 1;
}

static int h_push(lua_State *L) {
  json_push(L, lua_touserdata(L, 1));
  return 1;
}

static int h_json_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  char err[160];
  cJSON *j = json_parse(s, len, err, sizeof err);
  if (!j) { lua_pushnil(L); lua_pushstring(L, err); return 2; }
  lua_pushcfunction(L, h_push);                     /* protected: j is freed either way */
  lua_pushlightuserdata(L, j);
  int st = lua_pcall(L, 1, 1, 0);
  cJSON_Delete(j);
  return st == LUA_OK ? 1 : lua_error(L);
}
#endif

int luaopen_results(lua_State *L) {
  if (lua_getglobal(L, "__deal") != LUA_TTABLE) return luaL_error(L, "results: the __deal runtime is missing");
  lua_pushcfunction(L, r_bind);
  lua_setfield(L, -2, "bind");
#ifdef DEAL_TEST_HOOKS
  lua_pushcfunction(L, h_json);
  lua_setfield(L, -2, "json");
  lua_pushcfunction(L, h_json_parse);
  lua_setfield(L, -2, "json_parse");
#endif
  lua_pop(L, 1);
  return 0;
}

/* Pushes the value the getter on top returns, without running it (so even a
** run stopped by its time limit, whose hook raises at every instruction,
** is exported): `function() return x end` holds x as its one upvalue; a
** global's getter holds _ENV, where the value is looked up raw. */
static void binding_value(lua_State *L, int b) {
  const char *uv = lua_getupvalue(L, lua_gettop(L), 1);
  if (uv == NULL) { lua_pushnil(L); return; }
  lua_getfield(L, b, "name");
  int own = strcmp(uv, lua_tostring(L, -1)) == 0;  /* a getter of that very name */
  lua_pop(L, 1);
  if (own) return;                                  /* the local itself */
  if (strcmp(uv, "_ENV") != 0) { lua_pop(L, 1); lua_pushnil(L); return; }
  if (lua_type(L, -1) != LUA_TTABLE) { lua_pop(L, 1); lua_pushnil(L); return; }
  lua_getfield(L, b, "name");
  lua_rawget(L, -2);
  lua_remove(L, -2);
}

/* Calls f(binding value, name, line) for each live binding of the current
** set, in order: with the value, name and line pushed, f must leave the
** stack as it found it. */
static void each_binding(lua_State *L, void (*f)(lua_State *L, void *ud), void *ud) {
  if (!set_push(L)) { lua_pop(L, 1); return; }
  int set = lua_gettop(L);
  lua_getfield(L, set, "n");
  lua_Integer n = lua_tointeger(L, -1);
  lua_pop(L, 1);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, set, i);
    int b = lua_gettop(L);
    if (lua_getfield(L, b, "dead") == LUA_TNIL) {
      lua_getfield(L, b, "get");
      binding_value(L, b);                          /* value */
      lua_remove(L, -2);
      lua_getfield(L, b, "name");
      lua_getfield(L, b, "line");
      f(L, ud);
      lua_pop(L, 3);
    }
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
}

static void publish_one(lua_State *L, void *ud) {
  (void)ud;
  if (lua_isnil(L, -3)) return;
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushvalue(L, -3);                             /* name */
  lua_pushvalue(L, -5);                             /* value */
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

int results_publish(lua_State *L) {
  each_binding(L, publish_one, NULL);
  return 0;
}
/* }====== */

/* {====== numbers in the unit they print in ====== */

static void setnum(lua_State *L, int rec, const char *k, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, rec, k);
}

static void setstr(lua_State *L, int rec, const char *k, const char *v) {
  lua_pushstring(L, v);
  lua_setfield(L, rec, k);
}

static void setbool(lua_State *L, int rec, const char *k, int v) {
  lua_pushboolean(L, v);
  lua_setfield(L, rec, k);
}

static void setdim(lua_State *L, int rec, const Dim *d) {
  char buf[160];
  setstr(L, rec, "dimension", dim_name(d, buf, sizeof buf));
}

/* The exact value q as "p/q" (or "p"), unless it is too long to be useful. */
static void setfraction(lua_State *L, int rec, const mpq_t q) {
  if (num_bits(q) > MAXFRACTION) return;
  size_t n = mpz_sizeinbase(mpq_numref(q), 10) + mpz_sizeinbase(mpq_denref(q), 10) + 3;
  char *buf = lua_newuserdatauv(L, n, 0);
  mpq_get_str(buf, 10, q);
  setstr(L, rec, "fraction", buf);
  lua_pop(L, 1);
}

/* An exact or inexact num: its value in the unit it prints in. */
static void num_fields(lua_State *L, int v, int rec) {
  Num *n = num_test(L, v);
  UExpr u;
  char unit[160] = "";
  if (num_showunit(L, v, &u)) num_unittext(&u, unit, sizeof unit);
  num_checkbits(L, (double)num_bits_bound(n->q) + 1024);
  Num *x = num_push(L);                             /* GC-owned before GMP works */
  if (u.n > 0) {
    uexpr_factor(&u, x->q);
    mpq_div(x->q, n->q, x->q);
  } else mpq_set(x->q, n->q);
  setstr(L, rec, "unit", unit);
  setdim(L, rec, &n->dim);
  setbool(L, rec, "exact", n->exact);
  setnum(L, rec, "value", num_nearest(x->q));
  if (n->exact) setfraction(L, rec, x->q);
  lua_pop(L, 1);
}

/* A plain Lua number: no unit; integers are exact. */
static void lua_number_fields(lua_State *L, int v, int rec) {
  Dim none;
  memset(&none, 0, sizeof none);
  setstr(L, rec, "unit", "");
  setdim(L, rec, &none);
  setbool(L, rec, "exact", lua_isinteger(L, v));
  setnum(L, rec, "value", (double)lua_tonumber(L, v));
  if (lua_isinteger(L, v)) {
    lua_pushfstring(L, "%I", (LUAI_UACINT)lua_tointeger(L, v));
    lua_setfield(L, rec, "fraction");
  }
}

/* An uncertain value: the engine's statistics (samples.h) in the unit its
** text uses (the mean's, as tostring prints it). */
static void samples_fields(lua_State *L, int v, int rec, const SamplesStats *ss) {
  double st[5] = {ss->mean, ss->sd, ss->p5, ss->p50, ss->p95};
  static const char *const names[] = {"mean", "sd", "p5", "p50", "p95"};
  lua_pushinteger(L, (lua_Integer)ss->n);
  lua_setfield(L, rec, "samples");
  lua_pushinteger(L, (lua_Integer)ss->nan);
  lua_setfield(L, rec, "nan");
  setbool(L, rec, "exact", 0);
  setdim(L, rec, &ss->dim);
  double shown = isfinite(st[0]) ? st[0] : st[3];
  char unit[160] = "";
  double f = 1;
  if (isfinite(shown)) {
    UExpr u;
    samples_pushfigure(L, v, shown);
    if (num_showunit(L, -1, &u)) {
      Num *x = num_push(L);
      uexpr_factor(&u, x->q);
      f = num_nearest(x->q);
      num_unittext(&u, unit, sizeof unit);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  setstr(L, rec, "unit", unit);
  setnum(L, rec, "scale", f);                       /* base units per unit: --samples-out */
  for (int k = 0; k < 5; k++) setnum(L, rec, names[k], st[k] / f);
}
/* }====== */

/* {====== describing values ====== */
typedef struct Walk {
  int out;        /* the records so far */
  int modules;    /* set of module tables (never results) */
  int path;       /* set of the tables being flattened (cycles) */
} Walk;

/* A new record {name, line, kind, text, raw} on the stack top; text is
** tostring of the value at v (luaL_tolstring: __tostring for nums,
** samples and objects). Returns its index. */
static int record(lua_State *L, int v, int name, int line, const char *kind) {
  lua_createtable(L, 0, 16);
  int rec = lua_gettop(L);
  lua_pushvalue(L, name);
  lua_setfield(L, rec, "name");
  lua_pushvalue(L, line);
  lua_setfield(L, rec, "line");
  setstr(L, rec, "kind", kind);
  luaL_tolstring(L, v, NULL);
  lua_setfield(L, rec, "text");
  lua_pushvalue(L, v);
  lua_setfield(L, rec, "raw");
  return rec;
}

static void append(lua_State *L, const Walk *w) {
  lua_rawseti(L, w->out, (lua_Integer)lua_rawlen(L, w->out) + 1);
}

/* The name of field key (at k) of table `name` (at name): t.x, t[1],
** t["a b"]. Pushes it. */
static void field_name(lua_State *L, int name, int k) {
  size_t len;
  const char *base = lua_tostring(L, name);
  if (lua_type(L, k) == LUA_TNUMBER) {
    luaL_tolstring(L, k, NULL);
    lua_pushfstring(L, "%s[%s]", base, lua_tostring(L, -1));
    lua_remove(L, -2);
    return;
  }
  const char *s = lua_tolstring(L, k, &len);
  if (pretty_isident(s, len)) { lua_pushfstring(L, "%s.%s", base, s); return; }
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  luaL_addstring(&b, base);
  luaL_addstring(&b, "[\"");
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    char esc[8];
    if (c == '"' || c == '\\') { luaL_addchar(&b, '\\'); luaL_addchar(&b, (char)c); }
    else if (c == '\n') luaL_addstring(&b, "\\n");
    else if (c < 32 || c == 127) { snprintf(esc, sizeof esc, "\\%u", c); luaL_addstring(&b, esc); }
    else luaL_addchar(&b, (char)c);
  }
  luaL_addstring(&b, "\"]");
  luaL_pushresult(&b);
}

/* Keys of a table in the order the sandbox's pairs gives: numbers
** ascending, then strings bytewise; other keys are left out. */
typedef struct Key { int isnum; double num; const char *s; size_t len; lua_Integer at; } Key;

static int key_cmp(const void *va, const void *vb) {
  const Key *a = va, *b = vb;
  if (a->isnum != b->isnum) return a->isnum ? -1 : 1;
  if (a->isnum) return (a->num > b->num) - (a->num < b->num);
  size_t n = a->len < b->len ? a->len : b->len;
  int c = memcmp(a->s, b->s, n);
  return c ? c : (a->len > b->len) - (a->len < b->len);
}

static void describe(lua_State *L, const Walk *w, int v, int name, int line, int depth);

/* The fields of the plain table at v, each described under t.field. */
static void flatten(lua_State *L, const Walk *w, int v, int name, int line, int depth) {
  if (depth >= MAXNEST) return;
  lua_pushvalue(L, v);
  if (lua_rawget(L, w->path) != LUA_TNIL) { lua_pop(L, 1); return; }   /* a cycle */
  lua_pop(L, 1);
  lua_pushvalue(L, v);
  lua_pushboolean(L, 1);
  lua_rawset(L, w->path);
  int kt = (lua_newtable(L), lua_gettop(L));       /* the keys, anchored */
  lua_Integer nk = 0;
  lua_pushnil(L);
  while (lua_next(L, v)) {
    lua_pop(L, 1);
    int t = lua_type(L, -1);
    if (t == LUA_TNUMBER || t == LUA_TSTRING) { lua_pushvalue(L, -1); lua_rawseti(L, kt, ++nk); }
  }
  Key *keys = lua_newuserdatauv(L, (size_t)nk * sizeof(Key) + 1, 0);
  for (lua_Integer i = 0; i < nk; i++) {
    lua_rawgeti(L, kt, i + 1);
    keys[i].isnum = lua_type(L, -1) == LUA_TNUMBER;
    keys[i].num = keys[i].isnum ? (double)lua_tonumber(L, -1) : 0;
    keys[i].s = keys[i].isnum ? NULL : lua_tolstring(L, -1, &keys[i].len);
    keys[i].at = i + 1;
    lua_pop(L, 1);
  }
  qsort(keys, (size_t)nk, sizeof(Key), key_cmp);
  for (lua_Integer i = 0; i < nk; i++) {
    luaL_checkstack(L, 10, "results");
    lua_rawgeti(L, kt, keys[i].at);                 /* key */
    int k = lua_gettop(L);
    lua_pushvalue(L, k);
    lua_rawget(L, v);                               /* value */
    field_name(L, name, k);
    describe(L, w, k + 1, k + 2, line, depth + 1);
    lua_settop(L, k - 1);
  }
  lua_pop(L, 2);                                    /* keys, their table */
  lua_pushvalue(L, v);
  lua_pushnil(L);
  lua_rawset(L, w->path);
}

/* Appends the records of the value at v, named by the string at name. */
static void describe(lua_State *L, const Walk *w, int v, int name, int line, int depth) {
  SamplesStats ss;
  int rec;
  switch (lua_type(L, v)) {
    case LUA_TBOOLEAN:
      rec = record(L, v, name, line, "boolean");
      setbool(L, rec, "value", lua_toboolean(L, v));
      break;
    case LUA_TSTRING:
      rec = record(L, v, name, line, "text");
      break;
    case LUA_TNUMBER:
      rec = record(L, v, name, line, "number");
      lua_number_fields(L, v, rec);
      break;
    case LUA_TUSERDATA:
      if (num_test(L, v)) {
        rec = record(L, v, name, line, "number");
        num_fields(L, v, rec);
      } else if (samples_stats(L, v, &ss)) {
        rec = record(L, v, name, line, ss.isbool ? "condition" : "uncertain");
        if (ss.isbool) {
          setnum(L, rec, "p", ss.p);
          lua_pushinteger(L, (lua_Integer)ss.n);
          lua_setfield(L, rec, "samples");
        } else samples_fields(L, v, rec, &ss);
      } else return;                                /* a file handle...: not a result */
      break;
    case LUA_TTABLE:
      lua_pushvalue(L, v);
      if (lua_rawget(L, w->modules) != LUA_TNIL) { lua_pop(L, 1); return; }
      lua_pop(L, 1);
      if (lua_getmetatable(L, v)) {                 /* an object: its text, if it has one */
        lua_pop(L, 1);
        if (luaL_getmetafield(L, v, "__tostring") == LUA_TNIL) return;
        lua_pop(L, 1);
        rec = record(L, v, name, line, "object");
        break;
      }
      flatten(L, w, v, name, line, depth);
      return;
    default:
      return;                                       /* nil, functions, threads */
  }
  append(L, w);
}

/* describe in protected mode: (value, name, line, modules) -> records. A
** value that cannot be described (its __tostring raises, memory) becomes
** one record of kind "error" instead. */
static int describe_binding(lua_State *L) {
  Walk w;
  lua_newtable(L);
  w.out = lua_gettop(L);
  w.modules = 4;
  lua_newtable(L);
  w.path = lua_gettop(L);
  describe(L, &w, 1, 2, 3, 0);
  lua_settop(L, w.out);
  return 1;
}

int results_describe(lua_State *L) {
  lua_settop(L, 3);
  lua_newtable(L);                                  /* no modules to leave out */
  return describe_binding(L);
}

typedef struct Push { int out, modules; } Push;

static void push_one(lua_State *L, void *ud) {
  const Push *p = ud;
  int top = lua_gettop(L);                          /* value, name, line */
  lua_pushcfunction(L, describe_binding);
  lua_pushvalue(L, top - 2);
  lua_pushvalue(L, top - 1);
  lua_pushvalue(L, top);
  lua_pushvalue(L, p->modules);
  if (lua_pcall(L, 4, 1, 0) == LUA_OK) {
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1), at = (lua_Integer)lua_rawlen(L, p->out);
    for (lua_Integer i = 1; i <= n; i++) {
      lua_rawgeti(L, -1, i);
      lua_rawseti(L, p->out, ++at);
    }
  } else {
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(error object)";
    lua_createtable(L, 0, 6);
    lua_pushvalue(L, top - 1);
    lua_setfield(L, -2, "name");
    lua_pushvalue(L, top);
    lua_setfield(L, -2, "line");
    setstr(L, lua_gettop(L), "kind", "error");
    setstr(L, lua_gettop(L), "text", msg);
    setstr(L, lua_gettop(L), "error", msg);
    lua_rawseti(L, p->out, (lua_Integer)lua_rawlen(L, p->out) + 1);
  }
  lua_settop(L, top);
}

/* The set of tables that are modules: every value of the stdlib's and
** Lua's loaded tables, and the global table. */
static void push_modules(lua_State *L) {
  static const char *const loaded[] = {REG_LOADED, LUA_LOADED_TABLE};
  lua_newtable(L);
  for (int i = 0; i < 2; i++) {
    if (lua_getfield(L, LUA_REGISTRYINDEX, loaded[i]) == LUA_TTABLE) {
      lua_pushnil(L);
      while (lua_next(L, -2)) {
        if (lua_istable(L, -1)) { lua_pushboolean(L, 1); lua_rawset(L, -5); }
        else lua_pop(L, 1);
      }
    }
    lua_pop(L, 1);
  }
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
}

int results_push(lua_State *L) {
  Push p;
  lua_newtable(L);
  p.out = lua_gettop(L);
  push_modules(L);
  p.modules = lua_gettop(L);
  each_binding(L, push_one, &p);
  lua_settop(L, p.out);
  return 1;
}
/* }====== */

/* {====== claims and errors ====== */
/* Copies field k of the table at from into to when it has type t. */
static void copy_field(lua_State *L, int from, int to, const char *k, int t) {
  if (lua_getfield(L, from, k) == t) lua_setfield(L, to, k);
  else lua_pop(L, 1);
}

int results_push_claims(lua_State *L) {
  lua_newtable(L);
  int out = lua_gettop(L);
  if (lua_getglobal(L, "__deal") != LUA_TTABLE || lua_getfield(L, -1, "claims") != LUA_TTABLE) {
    lua_settop(L, out);
    return 1;
  }
  int cl = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, cl), k = 0;
  for (lua_Integer i = 1; i <= n; i++) {
    if (lua_rawgeti(L, cl, i) != LUA_TTABLE) { lua_pop(L, 1); continue; }
    int c = lua_gettop(L);
    lua_createtable(L, 0, 7);
    int r = lua_gettop(L);
    copy_field(L, c, r, "text", LUA_TSTRING);
    copy_field(L, c, r, "file", LUA_TSTRING);
    copy_field(L, c, r, "line", LUA_TNUMBER);
    if (lua_getfield(L, r, "line") == LUA_TNUMBER) {   /* column 1: where claim( is (diag.c) */
      lua_pushinteger(L, 1);
      lua_setfield(L, r, "column");
    }
    lua_pop(L, 1);
    copy_field(L, c, r, "holds", LUA_TBOOLEAN);
    copy_field(L, c, r, "p", LUA_TNUMBER);
    copy_field(L, c, r, "threshold", LUA_TNUMBER);
    copy_field(L, c, r, "value", LUA_TBOOLEAN);
    lua_rawseti(L, out, ++k);
    lua_pop(L, 1);
  }
  lua_settop(L, out);
  return 1;
}

/* "file:12: msg" or "file:12:5: msg": where file, line and column end. */
static int position(const char *s, size_t n, size_t *file, long *line, long *col) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] != ':' || i == 0 || i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9') continue;
    char *e;
    long l = strtol(s + i + 1, &e, 10);
    long c = -1;
    if (*e == ':' && e[1] >= '0' && e[1] <= '9') c = strtol(e + 1, &e, 10);
    if (*e != ':' || l <= 0) continue;
    *file = i, *line = l, *col = c;
    return (int)(e - s + 1);
  }
  return 0;
}

void results_push_error(lua_State *L, int idx) {
  size_t len;
  const char *msg = lua_type(L, idx) == LUA_TSTRING || lua_type(L, idx) == LUA_TNUMBER
                  ? lua_tolstring(L, idx, &len) : NULL;
  lua_createtable(L, 0, 4);
  if (!msg) { setstr(L, lua_gettop(L), "message", "(error object is not a string)"); return; }
  const char *tb = strstr(msg, "\nstack traceback:");
  if (tb) len = (size_t)(tb - msg);
  size_t first = strcspn(msg, "\n");
  size_t file;
  long line, col;
  const char *at = msg;
  int rest = position(msg, first < len ? first : len, &file, &line, &col);
  if (!rest && tb) {               /* a limit's error names no place: the first frame */
    for (const char *fr = strstr(tb, "\n\t"); fr && !rest; fr = strstr(fr + 2, "\n\t")) {
      if (strncmp(fr + 2, "[C]", 3) == 0) continue;
      at = fr + 2;
      rest = position(at, strcspn(at, "\n"), &file, &line, &col);
    }
  }
  if (rest) {
    lua_pushlstring(L, at, file);
    lua_setfield(L, -2, "file");
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    if (col > 0) { lua_pushinteger(L, col); lua_setfield(L, -2, "column"); }
  }
  while (len > 0 && (msg[len - 1] == '\n' || msg[len - 1] == ' ')) len--;
  lua_pushlstring(L, msg, len);
  lua_setfield(L, -2, "message");
}
/* }====== */
