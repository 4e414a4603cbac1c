/*
** vm/units.c
** Quantities: the names of dimensions ("Power", "Money[USD]/Energy"), the
** errors that name them, quantity text such as "1.2 GW", "$21B" or
** "EUR 3M" read into nums, display units of products and quotients, and
** dated FX conversion. Printing is qtyfmt.c; the `units` library is
** lunits.c.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "uexpr.h"
#include "unitcat.h"
#include "units.h"

/* {====== dimension names ====== */
/* The dimension of named_dims[k] (parsed once, in uexpr.c). */
static void parse_named(int k, Dim *d) {
  *d = *uexpr_named_dim(k);
}

static const char *base_name(int b) {
  return b < D_USER0 ? base_dims[b].name : units_userdim_name(b);
}

/* Appends base or named parts of d: "Chip·Time", "Money[USD]/Chip/Time". */
static void compose_name(const Dim *d, char *buf, size_t n, size_t len) {
  static const int order[] = {D_USD, D_EUR, D_CNY, D_GBP, D_JPY, D_CHIP, D_RACK, D_TOKEN,
                              D_FLOP, D_BIT, D_LENGTH, D_MASS, D_CURRENT, D_TEMP,
                              D_AMOUNT, D_LUMINOUS, D_TIME};
  int first = 1;
  int norder = (int)(sizeof order / sizeof order[0]);
  for (int pass = 0; pass < 2; pass++)
    for (int k = 0; k < NDIM; k++) {
      int b = k < norder ? order[k] : (k - norder + D_USER0);
      if (b >= NDIM) continue;
      int e = d->e[b];
      if (!e || (pass == 0) != (e > 0) || !base_name(b)) continue;
      const char *sep = pass == 0 ? (first ? "" : "\xC2\xB7") : "/";
      if (pass == 1 && first) sep = "1/";
      int ae = e < 0 ? -e : e;
      if (ae == 1) len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", sep, base_name(b));
      else len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s^%d", sep, base_name(b), ae);
      first = 0;
    }
}

const char *dim_name(const Dim *d, char *buf, size_t n) {
  if (dim_iszero(d)) { snprintf(buf, n, "Number"); return buf; }
  for (int k = 0; named_dims[k].name; k++) {
    Dim nd;
    parse_named(k, &nd);
    if (dim_eq(&nd, d)) { snprintf(buf, n, "%s", named_dims[k].name); return buf; }
  }
  /* a named dimension inside a compound: Money[USD]/Energy; the one that
  ** leaves the simplest remainder wins */
  int bestk = -1, bests = 0, bestnz = 99;
  for (int k = 0; k < 2; k++) {
    Dim nd;
    parse_named(k, &nd);
    for (int s = -1; s <= 1; s += 2) {
      Dim r = *d;
      int nz = 0;
      for (int i = 0; i < NDIM; i++) { r.e[i] = (int8_t)(r.e[i] - s * nd.e[i]); nz += r.e[i] != 0; }
      if (r.e[D_LENGTH] || r.e[D_MASS] || nz == 0 || nz >= bestnz) continue;
      bestk = k; bests = s; bestnz = nz;
    }
  }
  if (bestk >= 0) {
    Dim nd, r = *d;
    parse_named(bestk, &nd);
    for (int i = 0; i < NDIM; i++) r.e[i] = (int8_t)(r.e[i] - bests * nd.e[i]);
    buf[0] = '\0';
    if (bests > 0) {              /* Power/Chip: the named part leads */
      snprintf(buf, n, "%s", named_dims[bestk].name);
      size_t len = strlen(buf);
      char rest[96];
      rest[0] = '\0';
      compose_name(&r, rest, sizeof rest, 0);
      const char *tail = strncmp(rest, "1/", 2) == 0 ? rest + 1 : rest;
      snprintf(buf + len, len < n ? n - len : 0, "%s%s", tail[0] == '/' ? "" : "\xC2\xB7", tail);
      return buf;
    }
    compose_name(&r, buf, n, 0);
    size_t len = strlen(buf);
    snprintf(buf + len, len < n ? n - len : 0, "/%s", named_dims[bestk].name);
    return buf;
  }
  buf[0] = '\0';
  compose_name(d, buf, n, 0);
  return buf;
}

/* A hint for mixing dimensions a and b: which side to multiply by what. */
static void dim_hint(const Dim *a, const Dim *b, char *buf, size_t n) {
  Dim diff;
  char nm[64];
  buf[0] = '\0';
  for (int i = 0; i < NDIM; i++) diff.e[i] = (int8_t)(b->e[i] - a->e[i]);
  /* prefer "multiply by a Time" over "multiply by a Frequency" */
  for (int k = 0; k < 4; k++) {
    int side = k & 1, strict = k < 2;
    Dim x = diff;
    if (side) for (int i = 0; i < NDIM; i++) x.e[i] = (int8_t)-x.e[i];
    int nz = 0, money = 0, neg = 0;
    for (int i = 0; i < NDIM; i++) if (x.e[i]) { nz++; neg += x.e[i] < 0; if (i >= D_USD && i <= D_JPY) money++; }
    if (strict && neg && !(money == 2 && nz == 2)) continue;
    if (money == 2 && nz == 2) {
      snprintf(buf, n, " (hint: different currencies: convert with a dated FX table, units.fx{date = \"2026-01-15\", EURUSD = \"1.08\"})");
      return;
    }
    dim_name(&x, nm, sizeof nm);
    if (strchr(nm, '/') || strstr(nm, "\xC2\xB7") || strchr(nm, '^')) continue;
    UExpr u;
    char unit[48];
    uexpr_auto(&x, &u);
    uexpr_text(&u, unit, sizeof unit);
    const char *example = unit;
    char ex[64];
    if (x.e[D_TIME] == 1 && nz == 1) example = "8760 h";
    else { snprintf(ex, sizeof ex, "1 %s", unit); example = ex; }
    for (int k = 0; named_dims[k].name; k++)
      if (strcmp(named_dims[k].name, nm) == 0) example = named_dims[k].example;
    const char *art = strchr("AEIOU", nm[0]) ? "an" : "a";
    snprintf(buf, n, " (hint: multiply the %s side by %s %s, e.g. * %s)",
             side ? "right" : "left", art, nm, example);
    return;
  }
}

int units_dimfromspec(const char *spec, Dim *d) {
  char err[64];
  UExpr u;
  for (int k = 0; named_dims[k].name; k++)
    if (strcmp(named_dims[k].name, spec) == 0) { parse_named(k, d); return 1; }
  for (int b = 0; b < NDIM; b++) {
    const char *nm = base_name(b);
    if (nm && strcmp(nm, spec) == 0) { memset(d, 0, sizeof *d); d->e[b] = 1; return 1; }
  }
  if (strcmp(spec, "Number") == 0) { memset(d, 0, sizeof *d); return 1; }
  if (uexpr_parse(spec, strlen(spec), &u, err, sizeof err) == NULL) { uexpr_dim(&u, d); return 1; }
  return 0;
}
/* }====== */

/* {====== values and mismatches ====== */
Dim units_valuedim(lua_State *L, int i) {
  Dim zero = {{0}};
  Num *n = num_test(L, i);
  if (n) return n->dim;
  if (lua_type(L, i) == LUA_TNUMBER) return zero;
  if (luaL_getmetafield(L, i, "__dim") == LUA_TFUNCTION) {   /* samples carry a dim too */
    lua_pushvalue(L, i);
    lua_call(L, 1, 1);
    Num *m = num_test(L, -1);
    Dim d = m ? m->dim : zero;
    lua_pop(L, 1);
    return d;
  } else if (lua_type(L, -1) != LUA_TNIL) lua_pop(L, 1);
  return zero;
}

int units_mismatch(lua_State *L, const char *verb, const char *sym, int a, int b) {
  Dim xa = units_valuedim(L, a), xb = units_valuedim(L, b);
  const Dim *da = &xa, *db = &xb;
  char na[64], nb[64], hint[200];
  dim_name(da, na, sizeof na);
  dim_name(db, nb, sizeof nb);
  dim_hint(da, db, hint, sizeof hint);
  a = lua_absindex(L, a); b = lua_absindex(L, b);
  const char *ta = luaL_tolstring(L, a, NULL);
  const char *tb = luaL_tolstring(L, b, NULL);
  return luaL_error(L, "cannot %s %s and %s: %s %s %s%s", verb, na, nb, ta, sym, tb, hint);
}
/* }====== */

/* {====== parsing quantities ====== */

static const char *parse_text(lua_State *L, Num *n, int nidx, const char *s, size_t len,
                              char *ubuf, size_t ubufsz, char *err, size_t errsz);

/* Sets n from "1.2 GW", "21B $", "$21B", "$0.06/kWh", "EUR 3M", "5%", and
** the forms values print in: "≈$1.45M" (inexact), "-$5.00", "-EUR 5.00",
** "$10.00·chip", "0.5/h", "10,512 GWh". Returns NULL or an error message
** (in err). */
static const char *parse_into(lua_State *L, Num *n, int nidx, const char *s, size_t len,
                              char *err, size_t errsz) {
  char ubuf[128];
  const char *e;
  int approx = 0, neg = 0;
  if (len >= 3 && memcmp(s, "\xE2\x89\x88", 3) == 0) {   /* ≈: printed rounded */
    approx = 1;
    s += 3; len -= 3;
    if (len > 0 && s[0] == ' ') { s++; len--; }
  }
  if (len > 1 && s[0] == '-' && (s[1] == '$' || isalpha((unsigned char)s[1]))) {   /* -$5.00 */
    neg = 1;
    s++; len--;
  }
  e = parse_text(L, n, nidx, s, len, ubuf, sizeof ubuf, err, errsz);
  if (e) return e;
  if (neg) mpq_neg(n->q, n->q);
  if (approx) n->exact = 0;
  return NULL;
}

/* parse_into without the marks: the number and its unit. */
static const char *parse_text(lua_State *L, Num *n, int nidx, const char *s, size_t len,
                              char *ubuf, size_t ubufsz, char *err, size_t errsz) {
  size_t end = 0, ulen = 0;
  const char *ustart = NULL;
  const char *e;
  if (len > 0 && s[0] == '$') {                       /* $21B, $0.06/kWh */
    e = num_parse(s + 1, len - 1, n->q, &end);
    if (e) { snprintf(err, errsz, "%s", e); return err; }
    end += 1;
    snprintf(ubuf, ubufsz, "$%.*s", (int)(len - end), s + end);
    ustart = ubuf; ulen = strlen(ubuf);
  } else if (len > 0 && isalpha((unsigned char)s[0])) {   /* EUR 3M */
    size_t k = 0;
    while (k < len && isalpha((unsigned char)s[k])) k++;
    if (!unit_is_currency(s, k) || k >= len || s[k] != ' ') {
      snprintf(err, errsz, "malformed number"); return err;
    }
    size_t j = k;
    while (j < len && s[j] == ' ') j++;
    e = num_parse(s + j, len - j, n->q, &end);
    if (e) { snprintf(err, errsz, "%s", e); return err; }
    end += j;
    snprintf(ubuf, ubufsz, "%.*s%.*s", (int)k, s, (int)(len - end), s + end);
    ustart = ubuf; ulen = strlen(ubuf);
  } else {
    e = num_parse(s, len, n->q, &end);
    if (e) { snprintf(err, errsz, "%s", e); return err; }
    if (end + 1 < len && s[end] == '/' && (isalpha((unsigned char)s[end + 1]) || s[end + 1] == '$' ||
                                           (unsigned char)s[end + 1] >= 0x80)) {   /* 0.5/h */
      snprintf(ubuf, ubufsz, "1%.*s", (int)(len - end), s + end);
      ustart = ubuf; ulen = strlen(ubuf);
    } else if (end < len) {
      if (s[end] != ' ') { snprintf(err, errsz, "malformed number"); return err; }
      while (end < len && s[end] == ' ') end++;
      if (end == len || !(isalpha((unsigned char)s[end]) || s[end] == '$' || s[end] == '%' || (unsigned char)s[end] >= 0x80)) {
        snprintf(err, errsz, "malformed number"); return err;
      }
      ustart = s + end; ulen = len - end;
    }
  }
  if (ustart && ulen > 0) {
    UExpr u;
    mpq_t f;
    if (uexpr_parse(ustart, ulen, &u, err, errsz)) return err;
    uexpr_dim(&u, &n->dim);
    mpq_init(f);
    uexpr_factor(&u, f);
    mpq_mul(n->q, n->q, f);
    mpq_clear(f);
    char text[160];
    uexpr_text(&u, text, sizeof text);
    if (dim_iszero(&n->dim) && u.n == 1 && strcmp(text, "%") != 0) return NULL;  /* bp, ppm: plain */
    if (dim_iszero(&n->dim) && strcmp(text, "%") == 0) return NULL;              /* 5 % is 1/20 */
    num_setdisplay(L, nidx, text, 0);
  }
  return NULL;
}

/* Pushes a num parsed from a quantity string, raising a clear error. */
Num *units_pushparse(lua_State *L, const char *s, size_t len, const char *what) {
  char err[200];
  Num *n = num_push(L);
  int idx = lua_gettop(L);
  if (parse_into(L, n, idx, s, len, err, sizeof err)) {
    if (strcmp(err, "malformed number") == 0)
      luaL_error(L, "%s (malformed number '%s')", what, s);
    luaL_error(L, "%s: %s in '%s'", what, err, s);
  }
  return n;
}
/* }====== */

/* {====== FX: explicit, dated rates ====== */
/* The table of the last units.fx call (registry reference), per state. */
static int fx_ref = LUA_NOREF;

void units_open(void) {
  units_reset();
  fx_ref = LUA_NOREF;
}

void units_setfx(lua_State *L) {
  luaL_unref(L, LUA_REGISTRYINDEX, fx_ref);
  fx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
}

int units_hasfx(void) { return fx_ref != LUA_NOREF; }

int units_currency(const Dim *d, int *exp) {
  int c = -1;
  for (int i = D_USD; i <= D_JPY; i++) if (d->e[i]) { if (c >= 0) return -1; c = i; *exp = d->e[i]; }
  return c;
}

int units_fx_convert(lua_State *L, Num *n, const Dim *target) {
  int ea = 0, eb = 0;
  int ca = units_currency(&n->dim, &ea), cb = units_currency(target, &eb);
  if (ca < 0 || cb < 0 || ca == cb || ea != eb) return 0;
  Dim t = n->dim;
  t.e[cb] = t.e[ca]; t.e[ca] = 0;
  if (!dim_eq(&t, target)) return 0;
  if (fx_ref == LUA_NOREF) return 0;   /* callers say what is missing */
  lua_rawgeti(L, LUA_REGISTRYINDEX, fx_ref);
  int inv = 0;
  lua_pushfstring(L, "%s%s", base_dims[ca].sym, base_dims[cb].sym);
  if (lua_rawget(L, -2) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushfstring(L, "%s%s", base_dims[cb].sym, base_dims[ca].sym);
    lua_rawget(L, -2);
    inv = 1;
  }
  Num *r = num_test(L, -1);
  if (!r || mpq_sgn(r->q) == 0) {
    lua_getfield(L, -2, "date");
    return luaL_error(L, "no FX rate between %s and %s in the table of %s",
                      base_dims[ca].sym, base_dims[cb].sym, lua_tostring(L, -1));
  }
  for (int k = 0; k < (ea < 0 ? -ea : ea); k++) {
    if ((ea > 0) != inv) mpq_mul(n->q, n->q, r->q); else mpq_div(n->q, n->q, r->q);
  }
  n->exact = n->exact && r->exact;
  n->dim = *target;
  lua_pop(L, 2);
  return 1;
}
/* }====== */

/* {====== display units of products and quotients ====== */
/* Display text for a product (sign +1), quotient (-1) or power (b NULL,
** sign = exponent) of values with dimensions da, db and display units
** dispa, dispb (NULL = chosen from the dimension). Writes "" when the
** result is a plain number. Named families (Power, Energy) are shown in
** their own unit with an automatic prefix: GW * h prints as TWh. */
void units_combine(const Dim *da, const char *dispa, const Dim *db, const char *dispb,
                   int sign, const Dim *dr, char *text, size_t tn) {
  UExpr ea, eb, out;
  char err[64];
  Dim dd;
  text[0] = '\0';
  if (dim_iszero(dr)) return;
  if (!dispa || uexpr_parse(dispa, strlen(dispa), &ea, err, sizeof err) || (uexpr_dim(&ea, &dd), !dim_eq(&dd, da)))
    uexpr_auto(da, &ea);
  if (!db) {
    for (int i = 0; i < ea.n; i++) ea.f[i].exp *= sign;
    out = ea;
  } else {
    int aplain = dim_iszero(da) && !dispa;
    int bplain = dim_iszero(db) && !dispb;
    if (!dispb || uexpr_parse(dispb, strlen(dispb), &eb, err, sizeof err) || (uexpr_dim(&eb, &dd), !dim_eq(&dd, db)))
      uexpr_auto(db, &eb);
    if (bplain) out = ea;
    else if (aplain) { UExpr none = {0, {{0, 0, 0}}}; if (!uexpr_combine(&out, &none, &eb, sign)) return; }
    else if (!uexpr_combine(&out, &ea, &eb, sign)) return;
  }
  uexpr_dim(&out, &dd);
  if (!dim_eq(&dd, dr)) return;
  if (out.n > 1) {
    char nm[64];
    int nz = 0, one = 0;
    for (int k = 0; k < NDIM; k++) { nz += dr->e[k] != 0; one += dr->e[k] == 1; }
    dim_name(dr, nm, sizeof nm);
    int named = nz == 1 && one == 1;
    for (int k = 0; named_dims[k].name; k++) if (strcmp(nm, named_dims[k].name) == 0) named = 1;
    if (named) uexpr_auto(dr, &out);
  }
  uexpr_text(&out, text, tn);
}

/* Sets the display of num result r from operands at a and b (b == 0: a power). */
void num_combine_display(lua_State *L, int r, int a, int b, int sign) {
  Num *nr = lua_touserdata(L, r);
  Num *na = lua_touserdata(L, a), *nb = b ? lua_touserdata(L, b) : NULL;
  char text[160];
  units_combine(&na->dim, num_display(L, a), nb ? &nb->dim : NULL, b ? num_display(L, b) : NULL,
                sign, &nr->dim, text, sizeof text);
  if (text[0]) num_setdisplay(L, r, text, 1);
}
/* }====== */
