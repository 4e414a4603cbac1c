/*
** vm/export.c
** A run's results for other programs: one JSON document (--json), one CSV
** row per result (--csv), the samples of every uncertain result as CSV
** columns (--samples-out). All three are written from the results table
** (results.c), so they say the same thing; docs/results.md shows them.
**
** The export is written when the run ends, also when it failed: the
** results reached and the error with its file and line, then exit 1. It
** reads the bindings without running the model's code (results.c), so
** even a run stopped by its time limit exports what it had.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include "export.h"
#include "host.h"
#include "json.h"
#include "part.h"
#include "results.h"
#include "runlimits.h"
#include "report.h"
#include "samples.h"
#include "version.h"

/* Keys of the JSON document in the order they are written; "-key" leaves
** a key out (the record's Lua value, its scale). */
const char *const export_json_order[] = {
  "version", "part", "model", "sha256", "seed",
  "name", "text", "message", "file", "line", "column", "kind", "holds", "unit", "dimension",
  "exact", "value", "fraction", "mean", "sd", "p5", "p50", "p95", "samples", "nan", "p",
  "threshold", "results", "claims", "error", "-raw", "-scale", NULL
};

/* The columns of --csv, one per field of a record. */
static const char *const csv_fields[] = {
  "name", "line", "kind", "text", "unit", "dimension", "exact", "value", "fraction", "mean",
  "sd", "p5", "p50", "p95", "samples", "nan", "p", "error", NULL
};

/* {====== before the run ====== */
int export_wanted(const CliArgs *a) {
  return a->json || a->csv || a->html || a->output || a->samples_out;
}

const char *export_misuse(const CliArgs *a, int hasmodel) {
  if (!export_wanted(a)) return NULL;
  if (a->html) {
    if (!hasmodel) return "needs a model file (or - for standard input)";
    if (!a->output) return "needs -o FILE.html (the page is one file)";
    return NULL;
  }
  if (a->json && a->csv) return "--json and --csv cannot be used together";
  if (a->output && !a->json && !a->csv) return "-o FILE needs --json or --csv";
  if (a->interactive) return "-i cannot be used with --json, --csv or --samples-out";
  if ((a->json || a->csv) && !a->output && a->samples_out && strcmp(a->samples_out, "-") == 0)
    return "--samples-out - and --json or --csv would share standard output (give -o FILE)";
  if (!hasmodel) return "--json, --csv and --samples-out need a model file (or - for standard input)";
  return NULL;
}

/* Is path the model itself (the same file, through any name)? */
static int is_model(const char *path, const char *model) {
  struct stat a, b;
  return model && strcmp(model, "-") != 0 && stat(path, &a) == 0 && stat(model, &b) == 0 &&
         a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static FILE *open_out(const char *path, const char *model, const char *other) {
  if (is_model(path, model) || (other && is_model(path, other))) {
    fprintf(stderr, "%s: cannot write %s: it is %s\n", progname, path,
            is_model(path, model) ? "the model itself" : "also the other output");
    return NULL;
  }
  FILE *f = fopen(path, "w");
  if (!f) fprintf(stderr, "%s: cannot write %s: %s\n", progname, path, strerror(errno));
  return f;
}

/* The real standard output, for the export alone (NULL after a message). */
static FILE *open_stdout(void) {
  fflush(stdout);
  int fd = dup(STDOUT_FILENO);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if (!f) {
    fprintf(stderr, "%s: cannot write to standard output: %s\n", progname, strerror(errno));
    if (fd >= 0) close(fd);
  }
  return f;
}

int export_open(Export *e, const CliArgs *a, const char *model) {
  int tostdout = 0;
  memset(e, 0, sizeof *e);
  e->json = a->json;
  e->csv = a->csv;
  e->html = a->html;
  e->model = model;
  e->outname = a->output;
  e->samplesname = a->samples_out;
  if (e->samplesname && strcmp(e->samplesname, "-") == 0) {
    if (!(e->samples = open_stdout())) return 0;
    e->samplesname = "standard output";
    tostdout = 1;
  } else if (e->samplesname && !(e->samples = open_out(e->samplesname, model, e->outname))) return 0;
  if (e->json || e->csv || e->html) {
    if (e->outname) e->out = open_out(e->outname, model, NULL);
    else e->out = open_stdout(), e->outname = "standard output", tostdout = 1;
    if (!e->out) { export_close(e); return 0; }
  }
  if (tostdout || a->host.shard_n) {           /* the model's prints go to stderr */
    fflush(stdout);
    dup2(STDERR_FILENO, STDOUT_FILENO);
  }
  return 1;
}

void export_close(Export *e) {
  if (e->out) fclose(e->out);
  if (e->samples) fclose(e->samples);
  e->out = e->samples = NULL;
}
/* }====== */

/* {====== CSV ====== */
/* One field: quoted (RFC 4180) when it holds a comma, a quote or a line
** break; invalid UTF-8 made valid as in JSON. */
static void csv_text(lua_State *L, FILE *f, const char *s, size_t len) {
  char *clean = json_utf8(s, len);
  if (!clean) luaL_error(L, "not enough memory");
  if (strpbrk(clean, ",\"\r\n") == NULL) fputs(clean, f);
  else {
    fputc('"', f);
    for (const char *p = clean; *p; p++) {
      if (*p == '"') fputc('"', f);
      fputc(*p, f);
    }
    fputc('"', f);
  }
  free(clean);
}

static void csv_value(lua_State *L, FILE *f, int idx) {
  char num[32];
  size_t len;
  const char *s;
  switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) fprintf(f, "%lld", (long long)lua_tointeger(L, idx));
      else if (json_fmtnum((double)lua_tonumber(L, idx), num, sizeof num)) fputs(num, f);
      break;
    case LUA_TBOOLEAN: fputs(lua_toboolean(L, idx) ? "true" : "false", f); break;
    case LUA_TSTRING: s = lua_tolstring(L, idx, &len); csv_text(L, f, s, len); break;
    default: break;                               /* nil: an empty field */
  }
}

/* The records at idx as CSV: a header, then one row per result; lines end
** in CRLF as RFC 4180 has them. */
static void write_csv(lua_State *L, FILE *f, int idx) {
  for (int k = 0; csv_fields[k]; k++) fprintf(f, "%s%s", k ? "," : "", csv_fields[k]);
  fputs("\r\n", f);
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    for (int k = 0; csv_fields[k]; k++) {
      if (k) fputc(',', f);
      lua_getfield(L, -1, csv_fields[k]);
      csv_value(L, f, lua_gettop(L));
      lua_pop(L, 1);
    }
    fputs("\r\n", f);
    lua_pop(L, 1);
  }
}
/* }====== */

/* {====== samples ====== */
typedef struct Column { const double *v; size_t n; double scale; int cond; } Column;

/* Every uncertain result's samples, one column each, in the unit its
** text uses (header "name (unit)"); conditions as 0/1 ("name (condition)").
** The values are materialised here (samples_pushvalues: the engine keeps
** them lazily); rows run to the longest column, a shorter column leaving
** empty cells. */
static void write_samples(lua_State *L, FILE *f, int idx) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, idx), nc = 0;
  Column *col = lua_newuserdatauv(L, (size_t)n * sizeof(Column) + 1, 0);
  lua_createtable(L, (int)n, 0);                  /* the columns' values live here */
  int held = lua_gettop(L);
  size_t rows = 0;
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, idx, i);
    int rec = lua_gettop(L);
    lua_getfield(L, rec, "raw");
    Column *c = &col[nc];
    lua_getfield(L, rec, "kind");
    int cond = strcmp(lua_tostring(L, -1) ? lua_tostring(L, -1) : "", "condition") == 0;
    lua_pop(L, 1);
    if ((c->v = samples_pushvalues(L, rec + 1, &c->n)) != NULL) {
      lua_rawseti(L, held, nc + 1);
      c->cond = cond;
      c->scale = lua_getfield(L, rec, "scale") == LUA_TNUMBER ? (double)lua_tonumber(L, -1) : 1;
      lua_pop(L, 1);
      lua_getfield(L, rec, "name");
      if (lua_getfield(L, rec, "unit") == LUA_TSTRING && lua_rawlen(L, -1) > 0)
        lua_pushfstring(L, "%s (%s)", lua_tostring(L, -2), lua_tostring(L, -1));
      else lua_pushfstring(L, c->cond ? "%s (condition)" : "%s", lua_tostring(L, -2));
      if (nc) fputc(',', f);
      size_t len;
      const char *h = lua_tolstring(L, -1, &len);
      csv_text(L, f, h, len);
      lua_pop(L, 3);
      if (c->n > rows) rows = c->n;
      nc++;
    }
    lua_pop(L, 2);
  }
  if (nc == 0) return;                            /* no uncertain results: an empty file */
  fputs("\r\n", f);
  char num[40];
  for (size_t r = 0; r < rows; r++) {
    for (lua_Integer k = 0; k < nc; k++) {
      if (k) fputc(',', f);
      if (r >= col[k].n) continue;
      double v = col[k].v[r];
      if (isnan(v)) continue;
      if (col[k].cond) fputc(v != 0 ? '1' : '0', f);
      else { snprintf(num, sizeof num, "%.17g", v / col[k].scale); fputs(num, f); }
    }
    fputs("\r\n", f);
  }
}
/* }====== */

/* {====== the document ====== */
static void sha_hex(const unsigned char *d, char *hex) {
  for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* The JSON document as a Lua table: results and claims, the error (or
** nil: the key is absent and written as null below). */
static void push_document(lua_State *L, const Export *e, int err) {
  const HostOptions *o = host_options(L);
  char hex[65];
  lua_createtable(L, 0, 8);
  lua_pushliteral(L, DEAL_VERSION_NUMBER);
  lua_setfield(L, -2, "version");
  lua_pushstring(L, e->model);
  lua_setfield(L, -2, "model");
  if (e->hassha) {
    sha_hex(e->sha256, hex);
    lua_pushstring(L, hex);
    lua_setfield(L, -2, "sha256");
  }
  lua_pushinteger(L, (lua_Integer)o->seed);     /* replaced by the exact text */
  lua_setfield(L, -2, "seed");
  lua_pushinteger(L, (lua_Integer)o->samples);
  lua_setfield(L, -2, "samples");
  results_push(L);
  lua_setfield(L, -2, "results");
  results_push_claims(L);
  lua_setfield(L, -2, "claims");
  if (err) {
    results_push_error(L, err);
    lua_setfield(L, -2, "error");
  }
}

/* The seed as an exact integer (it may exceed what a double holds), and
** null for a run without error (a key a Lua table cannot hold). */
static void finish_json(lua_State *L, cJSON *doc) {
  char seed[32];
  snprintf(seed, sizeof seed, "%llu", host_options(L)->seed);
  cJSON *s = cJSON_CreateRaw(seed);
  if (!s || !cJSON_ReplaceItemInObject(doc, "seed", s) ||
      (!cJSON_HasObjectItem(doc, "error") && !cJSON_AddNullToObject(doc, "error"))) {
    cJSON_Delete(doc);
    luaL_error(L, "not enough memory");
  }
}

/* When the export itself failed (memory, a broken value): a document with
** the error alone, written without Lua, so stdout still parses. */
static void write_fallback(Export *e, const char *msg) {
  cJSON *doc = cJSON_CreateObject(), *err = cJSON_CreateObject();
  if (!doc || !err) { cJSON_Delete(doc); cJSON_Delete(err); return; }
  cJSON_AddStringToObject(doc, "version", DEAL_VERSION_NUMBER);
  cJSON_AddItemToObject(doc, "model", json_str(e->model, strlen(e->model)));
  cJSON_AddItemToObject(doc, "results", cJSON_CreateArray());
  cJSON_AddItemToObject(doc, "claims", cJSON_CreateArray());
  cJSON_AddItemToObject(err, "message", json_str(msg, strlen(msg)));
  cJSON_AddItemToObject(doc, "error", err);
  json_write(e->out, doc, 1);
  cJSON_Delete(doc);
}

/* The export, protected: (error message or nil, Export). */
static int write_all(lua_State *L) {
  Export *e = lua_touserdata(L, 2);
  push_document(L, e, lua_isnil(L, 1) ? 0 : 1);
  int doc = lua_gettop(L);
  lua_getfield(L, doc, "results");
  int res = lua_gettop(L);
  if (e->json) {
    if (host_options(L)->shard_n) part_header(L, doc);
    cJSON *j = json_fromlua(L, doc, export_json_order);
    finish_json(L, j);
    if (host_options(L)->shard_n && !part_add(L, doc, j)) {   /* deal --shard: a part */
      cJSON_Delete(j);
      return lua_error(L);
    }
    e->written = 1;
    int ok = json_write(e->out, j, !host_options(L)->shard_n);   /* a part: one line */
    cJSON_Delete(j);
    if (!ok) return luaL_error(L, "cannot write %s: %s", e->outname, strerror(errno));
  } else if (e->csv) {
    write_csv(L, e->out, res);
    if (fflush(e->out) != 0 || ferror(e->out))
      return luaL_error(L, "cannot write %s: %s", e->outname, strerror(errno));
  } else if (e->html) {
    report_write(L, doc, e->out, e->outname, e->model);
  }
  if (e->samples) {
    write_samples(L, e->samples, res);
    if (fflush(e->samples) != 0 || ferror(e->samples))
      return luaL_error(L, "cannot write %s: %s", e->samplesname, strerror(errno));
  }
  return 0;
}

int export_write(lua_State *L, Export *e, int st) {
  int top = lua_gettop(L);
  lua_gc(L, LUA_GCCOLLECT);                     /* a run that ran out of memory left garbage */
  limits_hostonly(L);                           /* after a time limit: no model code */
  lua_pushcfunction(L, write_all);
  if (st != LUA_OK) lua_pushvalue(L, top); else lua_pushnil(L);
  lua_pushlightuserdata(L, e);
  int ok = host_docall(L, 2, 0) == LUA_OK;
  if (!ok) {                                    /* the message, without the traceback */
    const char *msg = lua_tostring(L, -1) ? lua_tostring(L, -1) : "(error object is not a string)";
    const char *tb = strstr(msg, "\nstack traceback:");
    msg = lua_pushlstring(L, msg, tb ? (size_t)(tb - msg) : strlen(msg));
    fprintf(stderr, "%s: %s\n", progname, msg);
    if (e->json && e->out && !e->written)
      write_fallback(e, lua_pushfstring(L, "cannot export the results: %s", msg));
  }
  int closed = 1;
  if (e->out && fclose(e->out) != 0 && ok) {
    fprintf(stderr, "%s: cannot write %s: %s\n", progname, e->outname, strerror(errno));
    closed = 0;
  }
  if (e->samples && fclose(e->samples) != 0 && ok) {
    fprintf(stderr, "%s: cannot write %s: %s\n", progname, e->samplesname, strerror(errno));
    closed = 0;
  }
  e->out = e->samples = NULL;
  lua_settop(L, top);
  return ok && closed;
}
/* }====== */

/* {====== claims for `deal check --json` ====== */
int export_claim_lines(lua_State *L) {
  FILE *f = lua_touserdata(L, 1);
  results_push_claims(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    cJSON *j = json_fromlua(L, -1, export_json_order);
    char *text = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!text) return luaL_error(L, "not enough memory");
    fprintf(f, "J\t%s\n", text);
    free(text);
    lua_pop(L, 1);
  }
  return 0;
}
/* }====== */
