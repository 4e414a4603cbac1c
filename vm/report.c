/*
** vm/report.c
** `deal report model.deal -o model.html`: a run drawn as one self-contained
** HTML page (docs/results.md). The page is written by stdlib/_report.lua
** from the document --json writes; this file adds what is too slow or
** impossible in Lua: each uncertain result's histogram and quantiles from
** its samples (in its unit), and the model's text for its leading comment.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "dist.h"
#include "num.h"
#include "report.h"
#include "results.h"
#include "samples.h"
#include "stdlib.h"

#define BINS 40          /* bars of a histogram */
#define QUANTILES 101    /* points of a CDF: every percentile */

static double getnum(lua_State *L, int t, const char *k, double dflt) {
  double v = lua_getfield(L, t, k) == LUA_TNUMBER ? (double)lua_tonumber(L, -1) : dflt;
  lua_pop(L, 1);
  return v;
}

/* The range the bars cover: every sample, unless a few make the rest a
** sliver (a long tail): then the middle 99%, and the record says so. */
static void chart_range(const double *s, size_t m, double *lo, double *hi, int *clipped) {
  double q0, q1;
  *lo = s[0], *hi = s[m - 1], *clipped = 0;
  dist_quantile_sorted(s, m, 0.005, &q0);
  dist_quantile_sorted(s, m, 0.995, &q1);
  if (q1 > q0 && *hi - *lo > 4 * (q1 - q0)) *lo = q0, *hi = q1, *clipped = 1;
}

/* chart[key .. "_text"]: the statistic rec[key] (in the result's unit) as
** the terminal prints a figure of the uncertain value at raw ("≈ $31,800"). */
static void stat_text(lua_State *L, int raw, int rec, int chart, const char *key, double scale) {
  double v = getnum(L, rec, key, NAN) * scale;
  if (!isfinite(v)) return;
  samples_pushfigure(L, raw, v);
  luaL_tolstring(L, -1, NULL);
  lua_pushfstring(L, "%s_text", key);
  lua_insert(L, -2);
  lua_settable(L, chart);
  lua_pop(L, 1);
}

/* record.chart = {lo, hi, bins = {counts}, q = {QUANTILES quantiles},
** clipped, mean_text, sd_text, p50_text}: the samples of the uncertain
** result at rec, in its unit. */
static int bydouble(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void add_chart(lua_State *L, int rec) {
  SamplesStats st;
  size_t m = 0;
  lua_getfield(L, rec, "raw");
  int raw = lua_gettop(L);
  if (!samples_stats(L, raw, &st) || st.isbool || st.n == 0) {
    lua_pop(L, 1);
    return;
  }
  /* the samples in full, sorted: the engine keeps none of them (its
  ** quantiles select), and a chart needs every one; a copy the GC owns */
  double *sorted = (double *)samples_pushvalues(L, raw, &m);
  if (!sorted || m == 0) { lua_settop(L, raw - 1); return; }
  qsort(sorted, m, sizeof *sorted, bydouble);
  double scale = getnum(L, rec, "scale", 1), lo, hi, q;
  int clipped;
  chart_range(sorted, m, &lo, &hi, &clipped);
  lua_createtable(L, 0, 5);
  lua_pushnumber(L, lo / scale);
  lua_setfield(L, -2, "lo");
  lua_pushnumber(L, hi / scale);
  lua_setfield(L, -2, "hi");
  lua_pushboolean(L, clipped);
  lua_setfield(L, -2, "clipped");
  lua_Integer count[BINS] = {0};
  int nb = hi > lo ? BINS : 1;
  for (size_t i = 0; i < m; i++) {
    double v = sorted[i];
    if (v < lo || v > hi) continue;
    int k = hi > lo ? (int)((v - lo) / (hi - lo) * nb) : 0;
    count[k < nb ? k : nb - 1]++;
  }
  lua_createtable(L, nb, 0);
  for (int k = 0; k < nb; k++) {
    lua_pushinteger(L, count[k]);
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "bins");
  lua_createtable(L, QUANTILES, 0);
  for (int k = 0; k < QUANTILES; k++) {
    dist_quantile_sorted(sorted, m, (double)k / (QUANTILES - 1), &q);
    lua_pushnumber(L, q / scale);
    lua_rawseti(L, -2, k + 1);
  }
  lua_setfield(L, -2, "q");
  int chart = lua_gettop(L);
  stat_text(L, raw, rec, chart, "mean", scale);
  stat_text(L, raw, rec, chart, "sd", scale);
  stat_text(L, raw, rec, chart, "p50", scale);
  lua_setfield(L, rec, "chart");
  lua_settop(L, raw - 1);                   /* the samples and raw */
}

/* doc.source: the model's text (its leading comment is the page's title). */
static void add_source(lua_State *L, int doc, const char *model) {
  if (!model || strcmp(model, "-") == 0) return;
  FILE *f = fopen(model, "rb");
  if (!f) return;                          /* the run already said why */
  luaL_Buffer b;
  char buf[4096];
  size_t n;
  luaL_buffinit(L, &b);
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) luaL_addlstring(&b, buf, n);
  fclose(f);
  luaL_pushresult(&b);
  lua_setfield(L, doc, "source");
}

/* tofloat(x): a money or other quantity as a float in base units (the mean
** of an uncertain one), for the bars of cash flows; nil for anything else. */
static int r_tofloat(lua_State *L) {
  SamplesStats st;
  if (lua_type(L, 1) == LUA_TNUMBER) {
    lua_pushnumber(L, lua_tonumber(L, 1));
  } else if (num_test(L, 1)) {
    lua_pushnumber(L, mpq_get_d(num_test(L, 1)->q));
  } else if (samples_stats(L, 1, &st) && !st.isbool && st.n > 0) {
    lua_pushnumber(L, st.mean);
  } else {
    lua_pushnil(L);
  }
  return 1;
}

void report_write(lua_State *L, int doc, FILE *out, const char *outname, const char *model) {
  doc = lua_absindex(L, doc);
  lua_getfield(L, doc, "results");
  int res = lua_gettop(L);
  lua_Integer n = (lua_Integer)lua_rawlen(L, res);
  for (lua_Integer i = 1; i <= n; i++) {
    lua_rawgeti(L, res, i);
    add_chart(L, lua_gettop(L));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  add_source(L, doc, model);
  lua_pushcfunction(L, results_publish);   /* sensitivity() names inputs by them */
  lua_call(L, 0, 0);
  lua_pushcfunction(L, r_tofloat);
  lua_setfield(L, doc, "tofloat");
  lua_pushcfunction(L, stdlib_require);
  lua_pushliteral(L, "_report");
  lua_call(L, 1, 1);
  lua_getfield(L, -1, "page");
  lua_pushvalue(L, doc);
  lua_call(L, 1, 1);
  size_t len;
  const char *html = lua_tolstring(L, -1, &len);
  if (!html) luaL_error(L, "the report is not text");
  if (fwrite(html, 1, len, out) != len || fflush(out) != 0 || ferror(out))
    luaL_error(L, "cannot write %s: %s", outname, strerror(errno));
  lua_pop(L, 2);
}
