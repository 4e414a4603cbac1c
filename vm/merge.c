/*
** vm/merge.c
** deal merge [--json] [-o FILE] PART...: the parts of a sharded run
** (`deal --shard K/N --json`, part.c) checked to be the parts of one run,
** each once, none missing, then merged into what the single run prints
** (docs/scale.md).
**
** A part is the run's --json document with each uncertain value's share of
** the samples (mcpart.h: exact sums, min, max, non-zero count, grid). The
** shares add up to the run's summary bit for bit (mcstats.h), so means,
** sds, P and claim verdicts are the run's; quantiles come from the merged
** grid (mcshard.h's bound). The merged values are made into uncertain
** values (samples_pushmerged) and described by the code that describes a
** run's (results.c, the stdlib's claim and claims table), so every text is
** printed as the run prints it. Results that are not uncertain must be the
** same in every part; a text or object that shows statistics of each
** shard's samples is marked as differing, with a warning and status 1.
*/
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "claimrun.h"
#include "cli.h"
#include "export.h"
#include "host.h"
#include "json.h"
#include "mcpart.h"
#include "merge.h"
#include "part.h"
#include "results.h"
#include "samples.h"
#include "stdlib.h"
#include "uexpr.h"

#define PART_MAX_BYTES ((size_t)1 << 31)    /* a part file, at most (2 GB) */
#define DIFFERS "(differs between shards: each shard's text shows statistics of its own samples)"

typedef struct Part {
  const char *path;
  cJSON *doc;
  unsigned long k;
} Part;

/* One uncertain value (a result or a claim's condition) of every part. */
typedef struct Value {
  int has;                   /* an uncertain value: merged below */
  McSummary sum;
  McGrid grid;
  const cJSON *shape;        /* the first part's: dim, display, auto */
} Value;

/* An object's text made from a template (part.c): its text with a token
** for each uncertain value it shows, and those values merged. */
typedef struct Template {
  int n;                     /* its values; 0: the result has none */
  Value *v;
} Template;

/* The parts are read one at a time and folded in, so that the memory a
** merge needs does not grow with their number: only the first part read
** (the reference every other is compared with) is kept. */
typedef struct Merge {
  CliArgs a;
  Part ref;                  /* the first part given */
  const char **byk;          /* byk[k - 1]: the path of part k */
  unsigned long N;
  int nres, ncl;
  Value *res, *cl;
  Template *tm;              /* per result: an object's template values */
  int *differs;              /* per result: marked as differing */
  int ndiffer;
  FILE *out;
} Merge;

/* {====== errors ====== */
/* "deal merge: PATH: what" on stderr; returns 0. */
static int report(const char *path, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "deal merge: ");
  if (path) fprintf(stderr, "%s: ", path);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return 0;
}

static const cJSON *item(const cJSON *o, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(o, key);
}

static const char *str(const cJSON *o, const char *key) {
  const cJSON *s = item(o, key);
  return cJSON_IsString(s) ? s->valuestring : NULL;
}

/* A whole number field in [lo, hi]; 0 when not one. */
static int whole(const cJSON *o, const char *key, double lo, double hi, double *v) {
  const cJSON *n = item(o, key);
  if (!cJSON_IsNumber(n) || n->valuedouble < lo || n->valuedouble > hi ||
      n->valuedouble != (double)(long long)n->valuedouble) return 0;
  *v = n->valuedouble;
  return 1;
}

/* Both absent, or equal. */
static int same_item(const cJSON *a, const cJSON *b) {
  return (!a && !b) || cJSON_Compare(a, b, 1);
}

static int same_str(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}
/* }====== */

/* {====== reading parts ====== */
static char *read_all(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { report(path, "cannot read: %s", strerror(errno)); return NULL; }
  size_t cap = 1 << 16, n = 0, r;
  char *buf = malloc(cap + 1);
  while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
    n += r;
    if (n == cap) {
      char *b = cap < PART_MAX_BYTES ? realloc(buf, 2 * cap + 1) : NULL;
      if (!b) { free(buf); buf = NULL; break; }
      buf = b, cap *= 2;
    }
  }
  int bad = ferror(f);
  fclose(f);
  if (!buf || bad) {
    report(path, bad ? "cannot read: %s" : "too big to read (at most 2 GB)", strerror(errno));
    free(buf);
    return NULL;
  }
  buf[n] = '\0';
  *len = n;
  return buf;
}

/* The header of a part: what it is a part of, and that its run ended
** without error. */
static int check_header(Part *p) {
  const cJSON *d = p->doc, *h = item(d, "part"), *err = item(d, "error");
  double k, n, samples;
  if (!cJSON_IsObject(d) || !cJSON_IsObject(h))
    return report(p->path, "not a part of a sharded run (no \"part\" header; parts are written by deal --shard K/N --json)");
  if (!whole(h, "n", 1, (double)MC_SHARD_MAX, &n) || !whole(h, "k", 1, n, &k))
    return report(p->path, "bad part header: expected \"k\" and \"n\", 1 <= k <= n <= %ld", MC_SHARD_MAX);
  const char *seed = str(h, "seed");
  if (!seed || !*seed || strspn(seed, "0123456789") != strlen(seed))
    return report(p->path, "bad part header: \"seed\" is not a whole number as text");
  if (!str(d, "version") || !str(d, "model") || !str(d, "sha256") ||
      !whole(d, "samples", 1, 9007199254740992.0, &samples) || !cJSON_IsArray(item(d, "results")) ||
      !cJSON_IsArray(item(d, "claims")))
    return report(p->path, "not a complete part: expected version, model, sha256, samples, results and claims");
  if (err && !cJSON_IsNull(err)) {
    const char *msg = str(err, "message");
    return report(p->path, "shard %.0f/%.0f's run failed (%s): nothing to merge", k, n, msg ? msg : "?");
  }
  p->k = (unsigned long)k;
  return 1;
}

static int read_part(Part *p) {
  size_t len;
  char *text = read_all(p->path, &len), err[256];
  if (!text) return 0;
  p->doc = json_parse(text, len, err, sizeof err);
  free(text);
  if (!p->doc) return report(p->path, "not a part: not a complete JSON document (%s)", err);
  return check_header(p);
}

/* The header field key of p against part `first`'s: the same run. */
static int same_field(const Part *p, const Part *first, const char *key, const char *what) {
  const cJSON *a = item(p->doc, key), *b = item(first->doc, key);
  if (same_item(a, b)) return 1;
  char *ta = cJSON_PrintUnformatted(a), *tb = cJSON_PrintUnformatted(b);
  report(p->path, "a part of another run: %s %s, but %s's is %s", what, ta ? ta : "?", first->path,
         tb ? tb : "?");
  free(ta);
  free(tb);
  return 0;
}

/* Part p of the same run as the first (model, version, seed, samples, N),
** and the first with its k. */
static int check_run(Merge *m, const Part *p) {
  const Part *first = &m->ref;
  const cJSON *h = item(p->doc, "part"), *fh = item(first->doc, "part");
  if (p != first) {
    if (!same_field(p, first, "sha256", "the model's sha256 is") || !same_field(p, first, "version", "written by deal") ||
        !same_field(p, first, "samples", "samples"))
      return 0;
    if (strcmp(str(h, "seed"), str(fh, "seed")) != 0)
      return report(p->path, "a part of another run: seed %s, but %s's is %s", str(h, "seed"), first->path, str(fh, "seed"));
    if ((unsigned long)item(h, "n")->valuedouble != m->N)
      return report(p->path, "a part of a run in %.0f shards, but %s is of %lu", item(h, "n")->valuedouble, first->path, m->N);
  } else {
    m->N = (unsigned long)item(fh, "n")->valuedouble;
    if (!(m->byk = calloc(m->N, sizeof *m->byk))) return report(NULL, "not enough memory");
  }
  const char **slot = &m->byk[p->k - 1];
  if (*slot) return report(p->path, "part %lu of %lu given twice (also %s)", p->k, m->N, *slot);
  *slot = p->path;
  return 1;
}

/* Every k from 1 to N given. */
static int check_missing(const Merge *m) {
  int missing = 0;
  for (unsigned long k = 1; k <= m->N; k++)
    if (!m->byk[k - 1] && missing++ < 10) report(NULL, "part %lu of %lu missing", k, m->N);
  if (missing > 10) report(NULL, "... %d parts of %lu missing in all", missing, m->N);
  return missing == 0;
}
/* }====== */

/* {====== merging values ====== */
/* Adds the part pj (a value's share, mcpart.h) of part p to v; what names
** the value in messages. */
static int add_part(Value *v, const cJSON *pj, const Part *p, const char *what) {
  McSummary s;
  McGrid g;
  char why[160];
  if (!mc_part_read(pj, &s, &g, why, sizeof why)) return report(p->path, "%s: bad part: %s", what, why);
  if (!v->has) {
    v->has = 1, v->sum = s, v->grid = g, v->shape = pj;
    return 1;
  }
  int ok = 1;
  const char *keys[] = {"dim", "display", "auto"};
  for (int i = 0; i < 3 && ok; i++) ok = same_item(item(pj, keys[i]), item(v->shape, keys[i]));
  if (!ok) report(p->path, "%s: its dimension or display unit differs from the first part's", what);
  else if (!mc_summary_merge(&v->sum, &s)) ok = report(p->path, "%s: not a part of the same run (its sample 0 differs)", what);
  else if (!mc_grid_merge(&v->grid, &g)) ok = report(p->path, "%s: not enough memory to merge its grid", what);
  mc_grid_free(&g);
  return ok;
}

/* The same for the part "part" of record rec. */
static int add_value(Value *v, const cJSON *rec, const Part *p, const char *what) {
  const cJSON *pj = item(rec, "part");
  if (!pj) return report(p->path, "%s: its part (summary and grid) is missing", what);
  return add_part(v, pj, p, what);
}

/* Result i of part p against the first part's: the same name, line, kind, unit. */
static int same_result(const cJSON *r, const cJSON *f, const Part *p, const Part *first, int i) {
  static const char *const keys[] = {"name", "kind", "unit", "dimension"};
  int ok = same_item(item(r, "line"), item(f, "line"));
  for (int k = 0; ok && k < 4; k++) ok = same_str(str(r, keys[k]), str(f, keys[k]));
  if (ok) return 1;
  return report(p->path, "result %d is %s (line %d, %s), but in %s it is %s (line %d, %s): parts of different runs",
                i + 1, str(r, "name") ? str(r, "name") : "?", (int)cJSON_GetNumberValue(item(r, "line")),
                str(r, "kind") ? str(r, "kind") : "?", first->path, str(f, "name") ? str(f, "name") : "?",
                (int)cJSON_GetNumberValue(item(f, "line")), str(f, "kind") ? str(f, "kind") : "?");
}

static int is_uncertain(const cJSON *rec) {
  const char *k = str(rec, "kind");
  return k && (strcmp(k, "uncertain") == 0 || strcmp(k, "condition") == 0);
}

/* A result of part p that is not uncertain (r) against the first part's
** (f): the same record, or an object with the same template (its text
** with a token for each uncertain value it shows, part.c), whose values
** are merged. Anything else is marked as differing: one shard's
** statistics are not the run's. 1, or 0 on a bad part. */
static int fold_other(Merge *m, int i, const cJSON *r, const cJSON *f, const Part *p, const char *what) {
  Template *t = &m->tm[i];
  const char *tr = str(r, "template"), *tf = str(f, "template");
  const cJSON *vr = item(r, "values");
  int n = cJSON_GetArraySize(vr), k = 0;
  if (m->differs[i] || m->N == 1) return 1;
  if (tr && tf && strcmp(tr, tf) == 0 && cJSON_IsArray(vr) && n > 0 && n == cJSON_GetArraySize(item(f, "values")) &&
      !item(r, "shard_statistics")) {
    if (!t->v && !(t->v = calloc((size_t)n, sizeof *t->v))) return report(NULL, "not enough memory");
    t->n = n;
    for (const cJSON *v = vr->child; v; v = v->next, k++) {
      char w[260];
      snprintf(w, sizeof w, "%s, value %d of its text", what, k + 1);
      if (!add_part(&t->v[k], v, p, w)) return 0;
    }
    return 1;
  }
  if (!tr && !tf && cJSON_Compare(r, f, 1) && !cJSON_IsTrue(item(r, "shard_statistics"))) return 1;
  m->differs[i] = 1, m->ndiffer++;
  return 1;
}

/* The results of part p: matched one to one with the first part's,
** uncertain ones merged, the others compared. */
static int fold_results(Merge *m, const Part *p) {
  const cJSON *first = item(m->ref.doc, "results"), *rs = item(p->doc, "results"), *r, *f = first->child;
  if (p == &m->ref) {
    m->nres = cJSON_GetArraySize(first);
    m->res = calloc((size_t)m->nres + 1, sizeof *m->res);
    m->differs = calloc((size_t)m->nres + 1, sizeof *m->differs);
    m->tm = calloc((size_t)m->nres + 1, sizeof *m->tm);
    if (!m->res || !m->differs || !m->tm) return report(NULL, "not enough memory");
  }
  if (cJSON_GetArraySize(rs) != m->nres)
    return report(p->path, "%d results, but %s has %d: parts of different runs", cJSON_GetArraySize(rs), m->ref.path,
                  m->nres);
  int i = 0;
  for (r = rs->child; r; r = r->next, f = f->next, i++) {
    if (!same_result(r, f, p, &m->ref, i)) return 0;
    char what[200];
    snprintf(what, sizeof what, "result %.80s (line %d)", str(r, "name"), (int)cJSON_GetNumberValue(item(r, "line")));
    if (is_uncertain(r)) { if (!add_value(&m->res[i], r, p, what)) return 0; }
    else if (!fold_other(m, i, r, f, p, what)) return 0;
  }
  return 1;
}

/* After the last part: each uncertain result holds the run's samples. */
static int check_counts(const Merge *m) {
  int i = 0;
  for (const cJSON *f = item(m->ref.doc, "results")->child; f; f = f->next, i++) {
    double n = 0;
    if (m->res[i].has && (!whole(f, "samples", 1, 9007199254740992.0, &n) || (size_t)n != m->res[i].sum.n))
      return report(NULL, "result %s (line %d): the parts hold %zu of its samples, not the run's %.0f",
                    str(f, "name"), (int)cJSON_GetNumberValue(item(f, "line")), m->res[i].sum.n, n);
  }
  return 1;
}

/* The claims of part p: the first part's; an uncertain one's condition
** merged, a true/false one the same everywhere. */
static int fold_claims(Merge *m, const Part *p) {
  const cJSON *first = item(m->ref.doc, "claims"), *cs = item(p->doc, "claims"), *c, *f = first->child;
  if (p == &m->ref) {
    m->ncl = cJSON_GetArraySize(first);
    if (!(m->cl = calloc((size_t)m->ncl + 1, sizeof *m->cl))) return report(NULL, "not enough memory");
  }
  if (cJSON_GetArraySize(cs) != m->ncl)
    return report(p->path, "%d claims, but %s has %d: parts of different runs", cJSON_GetArraySize(cs), m->ref.path,
                  m->ncl);
  int i = 0;
  for (c = cs->child; c; c = c->next, f = f->next, i++) {
    char what[200];
    snprintf(what, sizeof what, "claim \"%.80s\" (line %d)", str(c, "text") ? str(c, "text") : "?",
             (int)cJSON_GetNumberValue(item(c, "line")));
    if (!same_str(str(c, "text"), str(f, "text")) || !same_item(item(c, "line"), item(f, "line")) ||
        !same_item(item(c, "file"), item(f, "file")) || !item(c, "part") != !item(f, "part") ||
        !same_item(item(c, "threshold"), item(f, "threshold")))
      return report(p->path, "%s is not claim %d of %s: parts of different runs", what, i + 1, m->ref.path);
    if (item(f, "part")) { if (!add_value(&m->cl[i], c, p, what)) return 0; }
    else if (!cJSON_IsBool(item(c, "value")) || !cJSON_Compare(item(c, "value"), item(f, "value"), 1))
      return report(p->path, "%s is %s here but %s in %s: the model decides it from statistics of each "
                    "shard's samples, so the parts cannot be merged", what, cJSON_IsTrue(item(c, "value")) ? "true" : "false",
                    cJSON_IsTrue(item(f, "value")) ? "true" : "false", m->ref.path);
  }
  return 1;
}
/* }====== */

/* {====== what the run prints ====== */
/* Pushes the uncertain value v merged (its summary finished). */
static void push_value(lua_State *L, Value *v, int isbool, const char *what) {
  char why[160];
  mc_summary_finish(&v->sum);
  if (!samples_pushmerged(L, v->shape, isbool, &v->sum, &v->grid, why, sizeof why))
    luaL_error(L, "%s: bad part: %s", what, why);
}

/* The record on top, of a merged value, prints in the unit the parts have
** it in: else the unit is one the model declared (units.define), which
** this state never saw, and the texts would silently show another. */
static void check_unit(lua_State *L, const cJSON *f) {
  lua_getfield(L, -1, "unit");
  const char *u = lua_tostring(L, -1), *want = str(f, "unit");
  if (want && u && strcmp(u, want) != 0)
    luaL_error(L, "result %s (line %d) prints in %s, a unit the model declares (units.define): deal merge "
               "cannot show it (it would print in %s); run such a model whole", str(f, "name"),
               (int)cJSON_GetNumberValue(item(f, "line")), want, u);
  lua_pop(L, 1);
}

/* The record of an object made from its template (fold_other): the
** parts' record, its text the template with each token replaced by the
** text of the merged value, made by the code that makes a run's. */
static void push_template(lua_State *L, Template *t, const cJSON *f) {
  json_push(L, f);
  lua_createtable(L, t->n, 0);
  for (int k = 0; k < t->n; k++) {
    const char *d = str(t->v[k].shape, "display");
    UExpr u;
    char err[128];
    if (d && uexpr_parse(d, strlen(d), &u, err, sizeof err) != NULL)   /* as check_unit, for its values */
      luaL_error(L, "result %s (line %d) shows a value in %s, a unit the model declares (units.define): deal "
                 "merge cannot show it; run such a model whole", str(f, "name"),
                 (int)cJSON_GetNumberValue(item(f, "line")), d);
    push_value(L, &t->v[k], cJSON_IsTrue(item(t->v[k].shape, "condition")), str(f, "name"));
    lua_rawseti(L, -2, k + 1);
  }
  lua_pushstring(L, str(f, "template"));
  lua_pushfstring(L, "result %s (line %d)", str(f, "name"), (int)cJSON_GetNumberValue(item(f, "line")));
  part_render(L, -2, -3, lua_tostring(L, -1));
  lua_remove(L, -2);
  lua_setfield(L, -4, "text");
  lua_pop(L, 2);
  static const char *const drop[] = {"template", "values", "shard_statistics"};
  for (int k = 0; k < 3; k++) { lua_pushnil(L); lua_setfield(L, -2, drop[k]); }
}

/* The merged results, as results_push makes a run's. */
static void push_results(lua_State *L, Merge *m) {
  const cJSON *f = item(m->ref.doc, "results")->child;
  lua_createtable(L, m->nres, 0);
  for (int i = 0; f; f = f->next, i++) {
    if (m->res[i].has && m->N > 1) {
      lua_pushcfunction(L, results_describe);
      push_value(L, &m->res[i], strcmp(str(f, "kind"), "condition") == 0, str(f, "name"));
      lua_pushstring(L, str(f, "name"));
      json_push(L, item(f, "line"));
      lua_call(L, 3, 1);
      lua_rawgeti(L, -1, 1);
      lua_remove(L, -2);
      check_unit(L, f);
    } else if (m->differs[i]) {                     /* name, line, kind, and the mark */
      lua_createtable(L, 0, 4);
      static const char *const keys[] = {"name", "line", "kind"};
      for (int k = 0; k < 3; k++) { json_push(L, item(f, keys[k])); lua_setfield(L, -2, keys[k]); }
      lua_pushliteral(L, DIFFERS);
      lua_setfield(L, -2, "text");
    } else if (m->tm[i].n && m->N > 1) {
      push_template(L, &m->tm[i], f);
    } else {                                        /* as the parts have it */
      json_push(L, f);
      static const char *const drop[] = {"part", "shard_statistics", "template", "values"};
      for (int k = 0; k < 4; k++) { lua_pushnil(L); lua_setfield(L, -2, drop[k]); }
    }
    lua_rawseti(L, -2, i + 1);
  }
}

/* The claims made again, by the stdlib's claim(): P and the verdict as the
** run decides them; file and line as the parts have them. */
static void push_claims(lua_State *L, Merge *m) {
  const cJSON *f = item(m->ref.doc, "claims")->child;
  for (int i = 0; f; f = f->next, i++) {
    int top = lua_gettop(L);
    lua_getglobal(L, "claim");
    lua_pushstring(L, str(f, "text"));
    if (m->cl[i].has) push_value(L, &m->cl[i], 1, str(f, "text"));
    else lua_pushboolean(L, cJSON_IsTrue(item(f, "value")));
    if (item(f, "threshold")) json_push(L, item(f, "threshold")); else lua_pushnil(L);
    lua_call(L, 3, 0);
    lua_getglobal(L, "__deal");
    lua_getfield(L, -1, "claims");
    lua_rawgeti(L, -1, (lua_Integer)lua_rawlen(L, -1));
    json_push(L, item(f, "file"));
    lua_setfield(L, -2, "file");
    json_push(L, item(f, "line"));
    lua_setfield(L, -2, "line");
    lua_settop(L, top);
  }
  results_push_claims(L);
}

/* --json: the document `deal --json` writes, seed and all. */
static void write_json(lua_State *L, Merge *m, int doc) {
  const cJSON *d = m->ref.doc;
  cJSON *j = json_fromlua(L, doc, export_json_order);
  cJSON *seed = cJSON_CreateRaw(str(item(d, "part"), "seed"));
  if (!seed || !cJSON_ReplaceItemInObject(j, "seed", seed) || !cJSON_AddNullToObject(j, "error")) {
    cJSON_Delete(j);
    luaL_error(L, "not enough memory");
  }
  int ok = json_write(m->out, j, 1);
  cJSON_Delete(j);
  if (!ok) luaL_error(L, "cannot write %s: %s", m->a.output ? m->a.output : "standard output", strerror(errno));
}

/* Without --json: the results as the REPL's :results lists them (the
** model's own prints cannot be merged), then the claims table and the
** failing claims, as `deal FILE` prints them. */
static void write_text(lua_State *L, const char *model, int doc) {
  const StdlibFile *f = stdlib_find("repl");
  if (!f || host_loadbuffer(L, f->src, f->len, f->chunkname, DIALECT_LUA) != LUA_OK) lua_error(L);
  lua_call(L, 0, 1);
  lua_getfield(L, -1, "results");
  lua_getfield(L, doc, "results");
  lua_call(L, 1, 1);
  puts(lua_tostring(L, -1));
  lua_pop(L, 2);
  if (claims_show(L, model) != LUA_OK) lua_error(L);
}

/* Protected: (Merge) -> prints the merged run. */
static int pmerge(lua_State *L) {
  Merge *m = lua_touserdata(L, 1);
  const cJSON *d = m->ref.doc;
  lua_createtable(L, 0, 8);
  int doc = lua_gettop(L);
  static const char *const keys[] = {"version", "model", "sha256", "samples"};
  for (int k = 0; k < 4; k++) { json_push(L, item(d, keys[k])); lua_setfield(L, doc, keys[k]); }
  lua_pushinteger(L, 0);                        /* replaced by the exact text */
  lua_setfield(L, doc, "seed");
  push_results(L, m);
  lua_setfield(L, doc, "results");
  push_claims(L, m);
  lua_setfield(L, doc, "claims");
  if (m->a.json) write_json(L, m, doc);
  else write_text(L, str(d, "model"), doc);
  return 0;
}

/* The warnings for results that differ between shards (after the output). */
static void warn_differs(const Merge *m) {
  const cJSON *f = item(m->ref.doc, "results")->child;
  for (int i = 0; f; f = f->next, i++)
    if (m->differs[i])
      fprintf(stderr, "deal merge: warning: result %s (line %d, %s) differs between shards: its text shows "
              "statistics of each shard's samples, not the run's; marked \"differs between shards\"\n",
              str(f, "name"), (int)cJSON_GetNumberValue(item(f, "line")), str(f, "kind"));
}

static int run_merge(Merge *m) {
  HostOptions o;
  host_defaults(&o);
  o.max_memory = m->a.host.max_memory;
  lua_State *L = host_newstate(&o);
  if (!L) return report(NULL, "cannot create state: not enough memory");
  lua_pushcfunction(L, pmerge);
  lua_pushlightuserdata(L, m);
  int ok = host_docall(L, 1, 0) == LUA_OK;
  if (!ok) {
    const char *msg = lua_tostring(L, -1), *tb = msg ? strstr(msg, "\nstack traceback:") : NULL;
    report(NULL, "%.*s", msg ? (int)(tb ? (size_t)(tb - msg) : strlen(msg)) : 1, msg ? msg : "?");
  }
  host_close(L);
  units_reset();
  return ok;
}
/* }====== */

static void free_merge(Merge *m) {
  for (int i = 0; m->res && i < m->nres; i++) mc_grid_free(&m->res[i].grid);
  for (int i = 0; m->cl && i < m->ncl; i++) mc_grid_free(&m->cl[i].grid);
  for (int i = 0; m->tm && i < m->nres; i++) {
    for (int k = 0; k < m->tm[i].n; k++) mc_grid_free(&m->tm[i].v[k].grid);
    free(m->tm[i].v);
  }
  cJSON_Delete(m->ref.doc);
  free(m->res); free(m->cl); free(m->differs); free(m->tm); free(m->byk);
  if (m->out && m->out != stdout) fclose(m->out);
  cli_free(&m->a);
}

/* Reads the part at path and folds it in; the first is kept as the
** reference, the others freed. */
static int fold(Merge *m, const char *path) {
  Part p = {path, NULL, 0}, *at = m->ref.doc ? &p : &m->ref;
  *at = p;
  int ok = read_part(at) && check_run(m, at) && fold_results(m, at) && fold_claims(m, at);
  if (at == &p) cJSON_Delete(p.doc);
  return ok;
}

static int merge_all(Merge *m, int argc, char **argv) {
  for (int i = m->a.operand; i < argc; i++)
    if (!fold(m, argv[i])) return 0;
  if (!check_missing(m) || !check_counts(m)) return 0;
  m->out = stdout;
  if (m->a.output && !(m->out = fopen(m->a.output, "w"))) {
    m->out = NULL;
    return report(m->a.output, "cannot write: %s", strerror(errno));
  }
  if (!run_merge(m)) return 0;
  warn_differs(m);
  return m->ndiffer == 0;
}

int merge_main(int argc, char **argv) {
  Merge m;
  memset(&m, 0, sizeof m);
  int st = cli_parse(&cli_merge, argc, argv, &m.a);
  if (st >= 0) return st;
  if (m.a.operand >= argc) { cli_free(&m.a); return cli_usage_error(&cli_merge, "no parts given", NULL); }
  if (m.a.output && !m.a.json) { cli_free(&m.a); return cli_usage_error(&cli_merge, "-o FILE needs --json", NULL); }
  int ok = merge_all(&m, argc, argv);
  free_merge(&m);
  if (!host_flushout("deal merge")) ok = 0;
  return ok ? 0 : 1;
}
