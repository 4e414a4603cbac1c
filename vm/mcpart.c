/*
** vm/mcpart.c
** A shard's part of one value as JSON and back (mcpart.h).
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mcpart.h"
#include "xsum.h"

static int add_sum(cJSON *o, const char *key, const XSum *x) {
  char text[XSUM_TEXT_MAX];
  xsum_text(x, text, sizeof text);
  return cJSON_AddStringToObject(o, key, text) != NULL;
}

/* [bucket, count, lo, hi] of every bucket that holds samples. */
static cJSON *grid_json(const McGrid *g) {
  cJSON *o = cJSON_CreateObject(), *b = cJSON_CreateArray();
  if (!o || !b || !cJSON_AddNumberToObject(o, "top", g->top)) { cJSON_Delete(o); cJSON_Delete(b); return NULL; }
  cJSON_AddItemToObject(o, "buckets", b);
  for (size_t i = 0; i < g->nb; i++) {
    if (!g->count[i]) continue;
    double row[4] = {(double)i, (double)g->count[i], g->lo[i], g->hi[i]};
    cJSON *r = cJSON_CreateDoubleArray(row, 4);
    if (!r || !cJSON_AddItemToArray(b, r)) { cJSON_Delete(r); cJSON_Delete(o); return NULL; }
  }
  return o;
}

cJSON *mc_part_json(const McSummary *s, const McGrid *g) {
  cJSON *o = cJSON_CreateObject(), *gj;
  int ok = o && cJSON_AddNumberToObject(o, "n", (double)s->n) &&
           cJSON_AddNumberToObject(o, "shift", s->shift) && add_sum(o, "sum", &s->sum) &&
           add_sum(o, "d1", &s->d1) && add_sum(o, "d2", &s->d2) &&
           cJSON_AddNumberToObject(o, "min", s->n ? s->min : 0) &&
           cJSON_AddNumberToObject(o, "max", s->n ? s->max : 0) &&
           cJSON_AddNumberToObject(o, "nonzero", (double)s->nonzero) &&
           cJSON_AddBoolToObject(o, "overflow", s->overflow);
  if (ok && g) ok = (gj = grid_json(g)) != NULL && cJSON_AddItemToObject(o, "grid", gj);
  if (!ok) { cJSON_Delete(o); return NULL; }
  return o;
}

/* {====== reading ====== */
#define COUNT_MAX 9007199254740992.0   /* 2^53: counts read exactly */

static int fail(char *why, size_t n, const char *fmt, const char *what) {
  snprintf(why, n, fmt, what);
  return 0;
}

/* A finite number field; 0 when missing or not one. */
static int num(const cJSON *j, const char *key, double *v) {
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, key);
  if (!cJSON_IsNumber(f) || !isfinite(f->valuedouble)) return 0;
  *v = f->valuedouble;
  return 1;
}

/* A count: a whole number in [0, 2^53]. */
static int count(const cJSON *j, const char *key, size_t *v) {
  double d;
  if (!num(j, key, &d) || d < 0 || d > COUNT_MAX || d != floor(d)) return 0;
  *v = (size_t)d;
  return 1;
}

static int sum(const cJSON *j, const char *key, XSum *x) {
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, key);
  return cJSON_IsString(f) && xsum_read(x, f->valuestring);
}

/* The grid: top a power of two, buckets in increasing order, each with a
** count of at least 1 and lo <= hi, in the bucket they claim; counts
** adding up to n. */
static int read_grid(const cJSON *j, size_t n, McGrid *g, char *why, size_t wn) {
  double top;
  int e;
  const cJSON *b = cJSON_GetObjectItemCaseSensitive(j, "buckets");
  if (!cJSON_IsObject(j)) return fail(why, wn, "%s: not an object", "grid");
  if (!num(j, "top", &top) || !(top > 0) || frexp(top, &e) != 0.5)
    return fail(why, wn, "%s: not a power of two", "grid top");
  if (!cJSON_IsArray(b)) return fail(why, wn, "%s: not an array", "grid buckets");
  if (!mc_grid_init(g, top)) return fail(why, wn, "%s: not enough memory", "grid");
  size_t total = 0, last = 0, k = 0;
  const cJSON *r;
  cJSON_ArrayForEach(r, b) {
    const cJSON *v[4];
    int ok = cJSON_IsArray(r) && cJSON_GetArraySize(r) == 4;
    for (int i = 0; ok && i < 4; i++) ok = cJSON_IsNumber(v[i] = cJSON_GetArrayItem(r, i)) && isfinite(v[i]->valuedouble);
    double bi = ok ? v[0]->valuedouble : -1, c = ok ? v[1]->valuedouble : 0;
    ok = ok && bi >= 0 && bi < (double)g->nb && bi == floor(bi) && (k == 0 || (size_t)bi > last) &&
         c >= 1 && c <= COUNT_MAX && c == floor(c) && v[2]->valuedouble <= v[3]->valuedouble &&
         mc_grid_bucket(g, v[2]->valuedouble) == (size_t)bi && mc_grid_bucket(g, v[3]->valuedouble) == (size_t)bi;
    if (!ok) {
      char what[48];
      snprintf(what, sizeof what, "grid bucket row %zu", k + 1);
      mc_grid_free(g);
      return fail(why, wn, "%s: not [bucket, count, lo, hi] in order, within its bucket", what);
    }
    last = (size_t)bi;
    mc_grid_add(g, last, (uint64_t)c, v[2]->valuedouble, v[3]->valuedouble);
    total += (size_t)c;
    k++;
  }
  if (total != n) { mc_grid_free(g); return fail(why, wn, "%s: counts do not add up to n", "grid"); }
  return 1;
}

int mc_part_read(const cJSON *j, McSummary *s, McGrid *g, char *why, size_t n) {
  const cJSON *ov = cJSON_GetObjectItemCaseSensitive(j, "overflow");
  memset(s, 0, sizeof *s);
  memset(g, 0, sizeof *g);
  if (!cJSON_IsObject(j)) return fail(why, n, "%s: not an object", "part");
  if (!count(j, "n", &s->n)) return fail(why, n, "%s: not a count", "n");
  if (!num(j, "shift", &s->shift)) return fail(why, n, "%s: not a finite number", "shift");
  if (!sum(j, "sum", &s->sum)) return fail(why, n, "%s: not an exact sum", "sum");
  if (!sum(j, "d1", &s->d1)) return fail(why, n, "%s: not an exact sum", "d1");
  if (!sum(j, "d2", &s->d2)) return fail(why, n, "%s: not an exact sum", "d2");
  if (!num(j, "min", &s->min) || !num(j, "max", &s->max) || s->min > s->max)
    return fail(why, n, "%s: not finite numbers, min <= max", "min, max");
  if (!count(j, "nonzero", &s->nonzero) || s->nonzero > s->n)
    return fail(why, n, "%s: not a count up to n", "nonzero");
  if (!cJSON_IsBool(ov)) return fail(why, n, "%s: not true or false", "overflow");
  s->overflow = cJSON_IsTrue(ov);
  return read_grid(cJSON_GetObjectItemCaseSensitive(j, "grid"), s->n, g, why, n);
}
/* }====== */
