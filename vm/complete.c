/*
** vm/complete.c
** Tab completion for the REPL (see complete.h for what completes where).
**
** Completion must never run user code: a Tab press that calls a function
** or an __index metamethod could change the session or hang it. So paths
** such as chips.get or x:to are resolved with lua_rawget only, following a
** metatable's __index when (and only when) it is a table. Unit and catalog
** names were fetched once at start-up (repl.c) and are read from the
** registry. The Lua side runs in lua_pcall; the C side turns the resulting
** set of names into readline's malloc'ed array.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <readline/readline.h>

#include <lua.h>
#include <lauxlib.h>

#include "complete.h"
#include "pretty.h"
#include "registry.h"
#include "stdlib.h"

#define CHAINMAX 8   /* __index tables followed per value */

static lua_State *cL;    /* the REPL's state */
static size_t strip;     /* bytes of the word not shown in match lists */

enum { C_IDENT = COMPLETE_IDENT, C_UNIT = COMPLETE_UNIT, C_CHIP = COMPLETE_CHIP,
       C_CMD = COMPLETE_CMD };

typedef struct Ctx {
  const char *text;      /* the word being completed */
  int kind;
} Ctx;

static const char *const commands[] = {
  ":help", ":info", ":load", ":quit", ":reload", ":samples", ":seed",
  ":units", NULL
};


/* {====================================================== Lua side */

/* out[name] = type of the value, if name starts with the typed text. */
static void addname(lua_State *L, int out, const char *name, size_t len,
                    const char *text, int type) {
  size_t tl = strlen(text);
  if (len < tl || memcmp(name, text, tl) != 0) return;
  lua_pushlstring(L, name, len);
  lua_pushinteger(L, type);
  lua_rawset(L, out);
}

/* Adds prefix..key for the string keys of table t that are names, start
** with `partial` and (if methods) hold functions. Names starting with "__"
** only when the user typed "__". */
static void addkeys(lua_State *L, int t, int out, const char *prefix,
                    const char *partial, int methods) {
  size_t pl = strlen(partial);
  int hidden = strncmp(partial, "__", 2) != 0;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    size_t kl;
    const char *k;
    if (lua_type(L, -2) == LUA_TSTRING &&
        (k = lua_tolstring(L, -2, &kl), pretty_isident(k, kl)) &&
        kl >= pl && memcmp(k, partial, pl) == 0 &&
        !(hidden && kl >= 2 && k[0] == '_' && k[1] == '_') &&
        (!methods || lua_isfunction(L, -1))) {
      int type = lua_type(L, -1);
      lua_pushfstring(L, "%s%s", prefix, k);
      lua_pushinteger(L, type);
      lua_rawset(L, out);
    }
    lua_pop(L, 1);
  }
}

/* Pushes the raw __index table of the metatable of the value on top, in
** place of it, and returns 1; or pops it and returns 0. */
static int nextindex(lua_State *L) {
  if (!lua_getmetatable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pushliteral(L, "__index");
  lua_rawget(L, -2);
  lua_remove(L, -2);
  lua_remove(L, -2);
  if (!lua_istable(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  return 1;
}

/* Keys of the value at v (if a table) and of its __index tables. */
static void addchain(lua_State *L, int v, int out, const char *prefix,
                     const char *partial, int methods) {
  int depth;
  lua_pushvalue(L, v);
  for (depth = 0; depth < CHAINMAX; depth++) {
    if (lua_istable(L, -1))
      addkeys(L, lua_gettop(L), out, prefix, partial, methods);
    if (!nextindex(L)) return;
  }
  lua_pop(L, 1);
}

/* Pushes field `name` (len bytes) of the value at v, looked up raw in v
** and its __index tables; nil if absent. */
static void rawfield(lua_State *L, int v, const char *name, size_t len) {
  int depth;
  lua_pushvalue(L, v);
  for (depth = 0; depth < CHAINMAX; depth++) {
    if (lua_istable(L, -1)) {
      lua_pushlstring(L, name, len);
      if (lua_rawget(L, -2) != LUA_TNIL) {
        lua_remove(L, -2);
        return;
      }
      lua_pop(L, 1);
    }
    if (!nextindex(L)) {
      lua_pushnil(L);
      return;
    }
  }
  lua_pop(L, 1);
  lua_pushnil(L);
}

/* A global name: a global (raw), else a loaded module. */
static void rawglobal(lua_State *L, const char *name, size_t len) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  rawfield(L, lua_gettop(L), name, len);
  lua_remove(L, -2);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    if (lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE) == LUA_TTABLE) {
      lua_pushlstring(L, name, len);
      lua_rawget(L, -2);
      lua_remove(L, -2);
    }
  }
}

static void comp_global(lua_State *L, int out, const char *text) {
  int i;
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  addchain(L, lua_gettop(L), out, "", text, 0);
  lua_pop(L, 1);
  if (lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE) == LUA_TTABLE)
    addkeys(L, lua_gettop(L), out, "", text, 0);
  lua_pop(L, 1);
  for (i = 0; stdlib_files[i].name; i++) {
    const char *n = stdlib_files[i].name;
    if (n[0] == '_') continue;           /* private modules are not globals */
    lua_pushstring(L, n);
    if (lua_rawget(L, out) == LUA_TNIL)  /* not loaded yet: a module */
      addname(L, out, n, strlen(n), text, LUA_TTABLE);
    lua_pop(L, 1);
  }
  for (i = 0; pretty_keywords[i]; i++)
    addname(L, out, pretty_keywords[i], strlen(pretty_keywords[i]), text,
            LUA_TNONE);
}

/* a.b.c:partial or a.b.partial */
static void comp_path(lua_State *L, int out, const char *text) {
  const char *sep = NULL, *p, *dot;
  int v;
  for (p = text; *p; p++)
    if (*p == '.' || *p == ':') sep = p;
  if (sep == NULL) {
    comp_global(L, out, text);
    return;
  }
  dot = strchr(text, '.');
  if (dot == NULL || dot > sep) dot = sep;
  if (memchr(text, ':', (size_t)(sep - text))) return;  /* a:b.c */
  rawglobal(L, text, (size_t)(dot - text));
  v = lua_gettop(L);
  while (dot < sep && !lua_isnil(L, v)) {  /* the middle components */
    const char *next = strchr(dot + 1, '.');
    if (next == NULL || next > sep) next = sep;
    rawfield(L, v, dot + 1, (size_t)(next - dot - 1));
    lua_replace(L, v);
    dot = next;
  }
  if (lua_isnil(L, v)) return;
  lua_pushlstring(L, text, (size_t)(sep - text + 1));
  addchain(L, v, out, lua_tostring(L, -1), sep + 1, *sep == ':');
}

/* Names from a cached array in the REPL's registry table. */
static void comp_cached(lua_State *L, int out, const char *field,
                        const char *text) {
  lua_Integer i, n;
  if (lua_getfield(L, LUA_REGISTRYINDEX, REG_REPL) != LUA_TTABLE) return;
  if (lua_getfield(L, -1, field) != LUA_TTABLE) return;
  n = (lua_Integer)lua_rawlen(L, -1);
  for (i = 1; i <= n; i++) {
    if (lua_rawgeti(L, -1, i) == LUA_TSTRING) {
      size_t l;
      const char *s = lua_tolstring(L, -1, &l);
      addname(L, out, s, l, text, LUA_TSTRING);
    }
    lua_pop(L, 1);
  }
}

static int collect(lua_State *L) {
  Ctx *c = (Ctx *)lua_touserdata(L, 1);
  int out, i;
  lua_newtable(L);
  out = lua_gettop(L);
  switch (c->kind) {
    case C_CMD:
      for (i = 0; commands[i]; i++)
        addname(L, out, commands[i], strlen(commands[i]), c->text, LUA_TNONE);
      break;
    case C_UNIT: comp_cached(L, out, "units", c->text); break;
    case C_CHIP: comp_cached(L, out, "chips", c->text); break;
    default: comp_path(L, out, c->text); break;
  }
  lua_settop(L, out);
  return 1;
}

int complete_names(lua_State *L) {
  Ctx c;
  c.kind = (int)luaL_checkinteger(L, 1);
  c.text = luaL_checkstring(L, 2);
  lua_settop(L, 0);
  lua_pushlightuserdata(L, &c);
  return collect(L);
}

/* }====================================================== */


/* {====================================================== Context */

static int wordchar(char c) {
  return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '$' ||
         (c & 0x80);
}

/* Does the token ending at line[i] read as a number (1.2, $21B, 500k)? */
static int numtoken(const char *line, int i) {
  int k = i;
  while (k >= 0 && wordchar(line[k])) k--;
  k++;
  if (k > i) return 0;
  return isdigit((unsigned char)line[k]) || line[k] == '$' ||
         (line[k] == '.' && isdigit((unsigned char)line[k + 1]));
}

/* Is the word at `start` a unit: after a number (1.2 G), or after a
** slash that follows a quantity ($0.06/k, 1 GW/ch)? */
static int after_number(const char *line, int start) {
  int i = start - 1;
  while (i >= 0 && line[i] == ' ') i--;
  if (i < 0) return 0;
  if (line[i] != '/') return isdigit((unsigned char)line[i]) && numtoken(line, i);
  i--;
  while (i >= 0 && line[i] == ' ') i--;
  if (i < 0) return 0;
  if (numtoken(line, i)) return 1;
  while (i >= 0 && wordchar(line[i])) i--;  /* a unit word: 1.2 GW/ */
  while (i >= 0 && line[i] == ' ') i--;
  return i >= 0 && isdigit((unsigned char)line[i]) && numtoken(line, i);
}

/* Inside a string: is it the argument of chips.get (or another chips
** function)? `q` is the position of the opening quote. */
static int chip_string(const char *line, int q) {
  int i = q - 1, k;
  while (i >= 0 && (line[i] == ' ' || line[i] == '(')) i--;
  k = i;
  while (k >= 0 && (isalnum((unsigned char)line[k]) || line[k] == '_')) k--;
  return k >= 5 && line[k] == '.' && strncmp(line + k - 5, "chips", 5) == 0 &&
         (k == 5 || !wordchar(line[k - 6]));
}

int complete_kind(const char *line, int start, int quote) {
  int lead = 0;
  while (line[lead] == ' ' || line[lead] == '\t') lead++;
  if (quote) return chip_string(line, start - 1) ? C_CHIP : COMPLETE_FILE;
  if (line[lead] == ':') {
    if (start == lead) return C_CMD;
    if (strncmp(line + lead, ":load ", 6) == 0 || strncmp(line + lead, ":l ", 3) == 0)
      return COMPLETE_FILE;
    return C_IDENT;
  }
  return after_number(line, start) ? C_UNIT : C_IDENT;
}

/* }====================================================== */


/* {====================================================== readline side */

static char **deal_completion(const char *text, int start, int end) {
  const char *line = rl_line_buffer;
  Ctx c;
  char **m;
  int n, i, single_type = LUA_TNONE;
  size_t lcd;
  (void)end;
  rl_attempted_completion_over = 1;
  rl_completion_append_character = ' ';
  c.text = text;
  c.kind = C_IDENT;
  strip = 0;
  c.kind = complete_kind(line, start, rl_completion_quote_character);
  if (c.kind == COMPLETE_FILE) {         /* readline's file names */
    rl_attempted_completion_over = 0;
    return NULL;
  }
  if (c.kind == C_IDENT) {
    const char *p;
    for (p = text; *p; p++)
      if (*p == '.' || *p == ':') strip = (size_t)(p - text + 1);
  }
  lua_pushcfunction(cL, collect);
  lua_pushlightuserdata(cL, &c);
  if (lua_pcall(cL, 1, 1, 0) != LUA_OK) {
    lua_pop(cL, 1);
    return NULL;
  }
  n = 0;
  lua_pushnil(cL);
  while (lua_next(cL, -2)) {
    single_type = (int)lua_tointeger(cL, -1);
    lua_pop(cL, 1);
    n++;
  }
  if (n == 0 || (m = malloc(((size_t)n + 2) * sizeof *m)) == NULL) {
    lua_pop(cL, 1);
    return NULL;
  }
  i = 1;
  lua_pushnil(cL);
  while (lua_next(cL, -2)) {
    lua_pop(cL, 1);
    if ((m[i] = strdup(lua_tostring(cL, -1))) != NULL) i++;
  }
  lua_pop(cL, 1);
  n = i - 1;
  m[i] = NULL;
  if (n == 0) {
    free(m);
    return NULL;
  }
  lcd = strlen(m[1]);  /* what all matches share replaces the word */
  for (i = 2; i <= n; i++) {
    size_t k = 0;
    while (k < lcd && m[i][k] == m[1][k]) k++;
    lcd = k;
  }
  if ((m[0] = malloc(lcd + 1)) == NULL) {
    for (i = 1; i <= n; i++) free(m[i]);
    free(m);
    return NULL;
  }
  memcpy(m[0], m[1], lcd);
  m[0][lcd] = '\0';
  if (n == 1) {  /* a table goes on with '.', anything else with ' ' */
    free(m[1]);
    m[1] = NULL;
    if (c.kind == C_IDENT && single_type == LUA_TTABLE)
      rl_completion_append_character = '.';
  }
  return m;
}

/* Lists show the last component only: `get  list` for chips.<Tab>. */
static void display_matches(char **matches, int num, int maxlen) {
  char **shown = malloc(((size_t)num + 2) * sizeof *shown);
  int i, w = 0;
  if (shown == NULL || num > 400) {
    free(shown);
    fprintf(rl_outstream, "\n(%d possibilities: type a few more letters)\n", num);
    rl_forced_update_display();
    return;
  }
  for (i = 0; i <= num; i++) {
    size_t l = strlen(matches[i]);
    shown[i] = matches[i] + (l >= strip ? strip : l);
    if (i > 0 && (int)strlen(shown[i]) > w) w = (int)strlen(shown[i]);
  }
  shown[num + 1] = NULL;
  (void)maxlen;
  rl_display_match_list(shown, num, w);
  free(shown);
  rl_forced_update_display();
}

void complete_init(lua_State *L) {
  cL = L;
  rl_readline_name = "deal";
  rl_attempted_completion_function = deal_completion;
  rl_completion_display_matches_hook = display_matches;
  /* '.' and ':' are not breaks, so chips.get and x:to are one word. */
  rl_completer_word_break_characters = " \t\n\"'`@><=;|&{}()[],+-*/%^#~";
  rl_completer_quote_characters = "\"'";
}

/* }====================================================== */
