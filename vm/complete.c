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
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
       C_CMD = COMPLETE_CMD, C_FILE = COMPLETE_FILE };

typedef struct Ctx {
  const char *text;      /* the word being completed */
  int kind;
} Ctx;

static const char *const commands[] = {
  ":complete", ":help", ":info", ":load", ":quit", ":reload", ":samples",
  ":seed", ":units", NULL
};

/* What ends a name: the same set for readline and :complete. */
static const char breaks[] = " \t\n\"'`@><=;|&{}()[],+-*/%^#~";
#define DIRMARK LUA_TNUMBER   /* the type recorded for a directory name */


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

/* File names for `:load exa` and strings other than chips.get's: the
** folder part of the text is kept, so `examples/b` lists examples/.
** Dot files only when the name typed starts with a dot. */
static void comp_file(lua_State *L, int out, const char *text) {
  const char *slash = strrchr(text, '/'), *base = slash ? slash + 1 : text;
  size_t dl = slash ? (size_t)(slash - text + 1) : 0, bl = strlen(base);
  char *dir = dl ? strndup(text, dl) : strdup("./");
  char *full = NULL;
  DIR *d;
  struct dirent *e;
  if (dir && dir[0] == '~' && (full = tilde_expand(dir)) != NULL) {
    free(dir);
    dir = full;
  }
  if (dir == NULL || (d = opendir(dir)) == NULL) {
    free(dir);
    return;
  }
  while ((e = readdir(d)) != NULL) {
    struct stat st;
    size_t nl = strlen(e->d_name);
    int isdir;
    if (nl < bl || memcmp(e->d_name, base, bl) != 0) continue;
    if (e->d_name[0] == '.' && (bl == 0 || strcmp(e->d_name, ".") == 0 ||
                                strcmp(e->d_name, "..") == 0))
      continue;
    lua_pushfstring(L, "%s%s", dir, e->d_name);
    isdir = stat(lua_tostring(L, -1), &st) == 0 && S_ISDIR(st.st_mode);
    lua_pop(L, 1);
    lua_pushlstring(L, text, dl);
    lua_pushstring(L, e->d_name);
    if (isdir) lua_pushliteral(L, "/");
    lua_concat(L, isdir ? 3 : 2);
    lua_pushinteger(L, isdir ? DIRMARK : LUA_TSTRING);
    lua_rawset(L, out);
  }
  closedir(d);
  free(dir);
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
    case C_FILE: comp_file(L, out, c->text); break;
    default: comp_path(L, out, c->text); break;
  }
  lua_settop(L, out);
  return 1;
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

/* The position of the quote that opens the string the cursor (at end) is
** in, or -1 outside strings. */
static int open_quote(const char *line, int end) {
  int i, q = -1;
  for (i = 0; i < end; i++) {
    if (q >= 0) {
      if (line[i] == '\\' && i + 1 < end) i++;
      else if (line[i] == line[q]) q = -1;
    }
    else if (line[i] == '"' || line[i] == '\'') q = i;
    else if (line[i] == '-' && line[i + 1] == '-') break;  /* a comment */
  }
  return q;
}

/* Is the line a :load command (`:load ` or `:l `)? Then *arg is where its
** file name starts. */
static int load_command(const char *line, int *arg) {
  int i = 0, w;
  while (line[i] == ' ' || line[i] == '\t') i++;
  if (line[i] != ':') return 0;
  w = ++i;
  while (isalpha((unsigned char)line[i])) i++;
  if (line[i] != ' ' || !((i - w == 4 && strncmp(line + w, "load", 4) == 0) ||
                          (i - w == 1 && line[w] == 'l')))
    return 0;
  while (line[i] == ' ') i++;
  *arg = i;
  return 1;
}

/* The word that ends at `end` in line: returns where it starts and sets
** c->kind. One rule for readline and :complete, so that what an editor is
** offered is what Tab offers. */
static int context(const char *line, int end, Ctx *c) {
  int q = open_quote(line, end), lead = 0, start = end, arg;
  while (line[lead] == ' ' || line[lead] == '\t') lead++;
  if (q >= 0) {
    c->kind = chip_string(line, q) ? C_CHIP : C_FILE;
    return q + 1;
  }
  if (load_command(line, &arg) && end >= arg) {
    c->kind = C_FILE;   /* the whole rest: a path has '/' and '-' in it */
    return arg;
  }
  while (start > 0 && !strchr(breaks, line[start - 1])) start--;
  if (line[lead] == ':' && start == lead) c->kind = C_CMD;
  else if (after_number(line, start)) c->kind = C_UNIT;
  else c->kind = C_IDENT;
  return start;
}

static int bytext(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Pushes the matches for c sorted (an array of names, in full) and a
** parallel array of their types. Sorted in C: table.sort is the
** session's to replace, and completion runs no session code. */
static int sorted(lua_State *L) {
  int set, n = 0, i;
  const char **v;
  collect(L);
  set = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, set)) {
    lua_pop(L, 1);
    n++;
  }
  v = (const char **)lua_newuserdatauv(L, ((size_t)n + 1) * sizeof *v, 0);
  n = 0;
  lua_pushnil(L);
  while (lua_next(L, set)) {
    lua_pop(L, 1);
    v[n++] = lua_tostring(L, -1);  /* kept alive by the set */
  }
  qsort(v, (size_t)n, sizeof *v, bytext);
  lua_createtable(L, n, 0);
  lua_createtable(L, n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, v[i]);
    lua_rawseti(L, -3, i + 1);
    lua_pushstring(L, v[i]);
    lua_rawget(L, set);
    lua_rawseti(L, -2, i + 1);
  }
  return 2;
}

/* Runs `sorted` for the word at [start, end) of line, kind as context()
** found it. Leaves names and types on the stack; 0 on failure (nothing
** pushed). */
static int matches(lua_State *L, Ctx *c) {
  lua_pushcfunction(L, sorted);
  lua_pushlightuserdata(L, c);
  if (lua_pcall(L, 1, 2, 0) != LUA_OK) {
    lua_pop(L, 1);
    return 0;
  }
  return 1;
}

/* }====================================================== */


/* {====================================================== :complete */

int complete_line(lua_State *L) {
  size_t len;
  const char *line = luaL_checklstring(L, 1, &len);
  Ctx c;
  int start = context(line, (int)len, &c);
  c.text = line + start;                   /* anchored by the argument */
  lua_settop(L, 1);
  lua_pushlightuserdata(L, &c);
  lua_insert(L, 1);                        /* collect's Ctx is its first value */
  collect(L);
  lua_pushinteger(L, start);
  lua_pushinteger(L, c.kind);
  return 3;
}

int complete_print(lua_State *L, const char *line, FILE *out) {
  Ctx c;
  int start = context(line, (int)strlen(line), &c), i;
  char *word = strdup(line + start);
  if (word == NULL) return 0;
  c.text = word;
  fprintf(out, "%d\n", start);
  if (matches(L, &c)) {
    for (i = 1; lua_rawgeti(L, -2, i) == LUA_TSTRING; i++) {
      fprintf(out, "%s\n", lua_tostring(L, -1));
      lua_pop(L, 1);
    }
    lua_pop(L, 3);
  }
  fputc('\n', out);
  free(word);
  return 1;
}

/* }====================================================== */


/* {====================================================== readline side */

/* Readline splits words at `breaks`, but a :load path keeps its '/' and
** '-': there only blanks end the word (quotes readline handles itself). */
static char *word_breaks(void) {
  int arg;
  if (load_command(rl_line_buffer, &arg) && rl_point >= arg)
    return (char *)" \t\n";
  return (char *)breaks;
}

static char **deal_completion(const char *text, int start, int end) {
  const char *line = rl_line_buffer;
  Ctx c;
  char **m;
  int n, i, single_type = LUA_TNONE;
  size_t lcd;
  (void)start;
  rl_attempted_completion_over = 1;
  rl_completion_append_character = ' ';
  context(line, end, &c);
  c.text = text;
  strip = 0;
  if (c.kind == C_IDENT || c.kind == C_FILE) {
    const char *p;
    for (p = text; *p; p++)
      if (*p == (c.kind == C_FILE ? '/' : '.') || (c.kind == C_IDENT && *p == ':'))
        strip = (size_t)(p - text + 1);
  }
  if (!matches(cL, &c)) return NULL;
  n = (int)lua_rawlen(cL, -2);
  if (n == 0 || (m = malloc(((size_t)n + 2) * sizeof *m)) == NULL) {
    lua_pop(cL, 2);
    return NULL;
  }
  for (i = 1; i <= n; i++) {
    lua_rawgeti(cL, -2, i);
    m[i] = strdup(lua_tostring(cL, -1));
    lua_pop(cL, 1);
    lua_rawgeti(cL, -1, i);
    single_type = (int)lua_tointeger(cL, -1);
    lua_pop(cL, 1);
    if (m[i] == NULL) {
      while (--i > 0) free(m[i]);
      free(m);
      lua_pop(cL, 2);
      return NULL;
    }
  }
  lua_pop(cL, 2);
  m[n + 1] = NULL;
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
  if (n == 1) {  /* a table goes on with '.', a folder with nothing */
    free(m[1]);
    m[1] = NULL;
    if (c.kind == C_IDENT && single_type == LUA_TTABLE)
      rl_completion_append_character = '.';
    if (single_type == DIRMARK) {
      rl_completion_append_character = '\0';
      rl_completion_suppress_quote = 1;
    }
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
  rl_completer_word_break_characters = breaks;
  rl_completion_word_break_hook = word_breaks;
  rl_completer_quote_characters = "\"'";
}

/* }====================================================== */
