/*
** vm/units.c
** Quantities: dimension names, printing the way analysts write, parsing
** "1.2 GW" / "$21B" / "EUR 3M", and the `units` library.
*/
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "num.h"
#include "uexpr.h"
#include "unitcat.h"

const char *units_userdim_name(int d);

/* {====== dimension names ====== */
static void parse_named(const char *spec, Dim *d) {
  UExpr u;
  char err[8];
  (void)err;
  memset(d, 0, sizeof *d);
  /* named_dims[].dim uses base symbols: reuse the catalog's parser through a
  ** unit of that family. */
  for (int k = 0; named_dims[k].name; k++)
    if (named_dims[k].dim == spec && uexpr_parse(named_dims[k].unit, strlen(named_dims[k].unit), &u, err, sizeof err) == NULL) {
      uexpr_dim(&u, d);
      return;
    }
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
    parse_named(named_dims[k].dim, &nd);
    if (dim_eq(&nd, d)) { snprintf(buf, n, "%s", named_dims[k].name); return buf; }
  }
  /* a named dimension inside a compound: Money[USD]/Energy; the one that
  ** leaves the simplest remainder wins */
  int bestk = -1, bests = 0, bestnz = 99;
  for (int k = 0; k < 2; k++) {
    Dim nd;
    parse_named(named_dims[k].dim, &nd);
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
    parse_named(named_dims[bestk].dim, &nd);
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
/* }====== */

/* {====== printing ====== */
static const char *money_symbol(const UFactor *f) {
  const char *nm = uexpr_name(f);
  return (strcmp(nm, "$") == 0 || strcmp(nm, "USD") == 0) ? "$" : nm;
}

/* Pushes the number v (already in display units) scaled by K/M/B/T:
** "21.0B" (money, 3 significant digits) or "700k" (counts, exact). */
static void push_scaled(lua_State *L, mpq_t v, int money, int sig, int *rounded) {
  static const char *const suf[] = {"", "k", "M", "B", "T"};
  int s = 0;
  Num *tmp = num_push(L);              /* GC-owned before any GMP temporary exists */
  mpq_t t;
  mpq_init(t);
  mpq_abs(tmp->q, v);
  mpq_set_ui(t, 1000, 1);
  while (s < 4 && mpq_cmp(tmp->q, t) >= 0) { s++; mpz_mul_ui(mpq_numref(t), mpq_numref(t), 1000); }
  mpz_ui_pow_ui(mpq_numref(t), 1000, (unsigned long)s);
  mpz_set_ui(mpq_denref(t), 1);
  mpq_div(tmp->q, v, t);
  mpq_clear(t);
  if (money > 0 && s == 0 && sig == 3) {  /* below 1000: cents, "$412.50" */
    Num *c = num_push(L);
    mpq_set_ui(c->q, 100, 1);
    mpq_mul(c->q, tmp->q, c->q);
    mpz_t whole;
    mpz_init(whole);
    mpz_fdiv_q(whole, mpq_numref(c->q), mpq_denref(c->q));   /* |v| >= 0 */
    mpq_t back;
    mpq_init(back);
    mpz_set(mpq_numref(back), whole);
    mpq_sub(back, c->q, back);                 /* fractional cents */
    mpz_mul_ui(mpq_numref(back), mpq_numref(back), 2);
    mpq_canonicalize(back);
    *rounded = mpq_sgn(back) != 0;
    if (mpq_cmp_ui(back, 1, 1) >= 0) mpz_add_ui(whole, whole, 1);   /* half up */
    mpq_clear(back);
    unsigned long cents = mpz_fdiv_ui(whole, 100);
    mpz_fdiv_q_ui(whole, whole, 100);
    mpz_set(mpq_numref(c->q), whole);
    mpz_set_ui(mpq_denref(c->q), 1);
    mpz_clear(whole);
    int r2;
    num_pushdecimal(L, c->q, 0, 0, 0, &r2);
    lua_pushfstring(L, "%s.%c%c", lua_tostring(L, -1), (int)('0' + cents / 10), (int)('0' + cents % 10));
    lua_replace(L, -3);
    lua_pop(L, 1);
  } else {
    num_pushdecimal(L, tmp->q, sig, money > 0, 0, rounded);
  }
  lua_pushstring(L, suf[s]);
  lua_concat(L, 2);
  lua_remove(L, -2);
}

/* Chooses an SI prefix for the first numerator factor so that the shown
** number lies in [1, 1000): only k..E, only for W, Wh, FLOP, B, bit... */
static void auto_prefix(UExpr *u, const mpq_t q) {
  int i;
  for (i = 0; i < u->n && u->f[i].exp <= 0; i++) ;
  if (i == u->n || u->f[i].exp != 1 || !uexpr_prefixable(&u->f[i]) || mpq_sgn(q) == 0) return;
  mpq_t v, f, a;
  mpq_inits(v, f, a, NULL);
  UFactor keep = u->f[i];
  int best = -1;   /* no prefix */
  static const char *const order[] = {"k", "M", "G", "T", "P", "E"};
  u->f[i].pfx = -1;
  for (int k = -1; k < 6; k++) {
    if (k >= 0) {
      UFactor t;
      char nm[40];
      snprintf(nm, sizeof nm, "%s%s", order[k], uexpr_name(&keep));
      if (!unit_find(nm, strlen(nm), &t)) break;
      u->f[i].pfx = t.pfx;
    }
    uexpr_factor(u, f);
    mpq_div(v, q, f);
    mpq_abs(a, v);
    if (mpq_cmp_ui(a, 1, 1) >= 0 || k == -1) best = k == -1 ? -1 : u->f[i].pfx;
    if (mpq_cmp_ui(a, 1000, 1) < 0) break;
    if (k == 5) best = -1;        /* beyond E: scientific notation, no prefix */
  }
  u->f[i].pfx = best;
  mpq_clears(v, f, a, NULL);
}

/* The unit the num at i is shown in: the display unit it carries when
** that still fits its dimension, else one made from the dimension; with an
** SI prefix keeping the number in [1, 1000) unless the user chose the
** unit. tostring prints in it and exports write their values in it
** (results.c), so fixing one fixes both. Returns 0 (u empty) for a plain
** number without a display unit. */
int num_showunit(lua_State *L, int i, UExpr *u) {
  Num *n = num_check(L, i);
  const char *disp = num_display(L, i);
  char err[128];
  Dim d;
  u->n = 0;
  if (dim_iszero(&n->dim) && !disp) return 0;
  if (!disp || uexpr_parse(disp, strlen(disp), u, err, sizeof err) != NULL ||
      (uexpr_dim(u, &d), !dim_eq(&d, &n->dim)))
    uexpr_auto(&n->dim, u);
  if (!disp || n->autop) auto_prefix(u, n->q);
  return 1;
}

/* The first factor with a positive exponent (the one a number's kind
** comes from), or -1. */
static int first_numerator(const UExpr *u) {
  for (int k = 0; k < u->n; k++) if (u->f[k].exp > 0) return k;
  return -1;
}

/* What follows the number of money shown in u ($2.10/chip/h: "/chip/h"),
** the money factor being f. */
static void money_tail(const UExpr *u, int f, char *text, size_t n) {
  UExpr rest = *u, r2;
  UExpr empty = {0, {{0, 0, 0}}};
  char t[120];
  rest.f[f].exp = 0;
  uexpr_combine(&r2, &rest, &empty, 1);
  uexpr_text(&r2, t, sizeof t);
  if (!t[0]) snprintf(text, n, "%s", "");
  else if (t[0] == '1') snprintf(text, n, "%s", t + 1);
  else snprintf(text, n, "/%s", t);     /* "$2.10" .. "/chip·h" */
}

/* The text of unit u as values are exported (results.c): what tostring
** writes around the number, without it: "GW", "$/chip/h", "EUR", "%". */
void num_unittext(const UExpr *u, char *buf, size_t n) {
  int f = first_numerator(u);
  if (f >= 0 && uexpr_kind(&u->f[f]) == UK_MONEY && u->f[f].exp == 1) {
    char tail[128];
    money_tail(u, f, tail, sizeof tail);
    snprintf(buf, n, "%s%s", money_symbol(&u->f[f]), tail);
  } else {
    uexpr_text(u, buf, n);
  }
}

/* tostring of a num at index i: "10.512 TWh", "$21.0B", "700k chip",
** "$0.0600/kWh", "≈0.6667". */
void num_pushtext(lua_State *L, int i) { num_pushtext_sig(L, i, 0); }

/* As num_pushtext, with `sigwant` significant digits when > 0 (samples
** print 2-3 digits: "≈ 620k chip"). */
void num_pushtext_sig(lua_State *L, int i, int sigwant) {
  Num *n = num_check(L, i);
  int rounded = 0, top = lua_gettop(L);
  i = lua_absindex(L, i);
  int sig = sigwant > 0 ? sigwant : n->exact ? 0 : 4;   /* inexact: 4 digits */
  UExpr u;
  if (!num_showunit(L, i, &u)) {
    num_pushdecimal(L, n->q, sig, 0, 0, &rounded);
  } else {
    char text[160];
    Num *v = num_push(L);                /* value in display units */
    uexpr_factor(&u, v->q);
    mpq_div(v->q, n->q, v->q);
    int firstnum = first_numerator(&u);
    int kind = firstnum >= 0 ? uexpr_kind(&u.f[firstnum]) : UK_PLAIN;
    int alone = u.n == 1 && u.f[0].exp == 1;
    if (kind == UK_MONEY && u.f[firstnum].exp == 1) {
      const char *sym = money_symbol(&u.f[firstnum]);
      int neg = mpq_sgn(v->q) < 0;
      mpq_abs(v->q, v->q);
      int msig = sigwant > 0 ? sigwant : 3;
      if (alone) push_scaled(L, v->q, 1, msig, &rounded);
      else num_pushdecimal(L, v->q, msig, 1, 1, &rounded);   /* rates are never scaled */
      money_tail(&u, firstnum, text, sizeof text);
      lua_pushfstring(L, "%s%s%s%s%s", neg ? "-" : "", sym, strcmp(sym, "$") ? " " : "",
                      lua_tostring(L, -1), text);
      lua_remove(L, -2);
    } else if (alone && kind == UK_COUNT) {
      push_scaled(L, v->q, 0, sig, &rounded);
      uexpr_text(&u, text, sizeof text);
      lua_pushfstring(L, "%s %s", lua_tostring(L, -1), text);
      lua_remove(L, -2);
    } else {
      mpq_t big;
      mpq_init(big);
      mpq_abs(big, v->q);
      int huge = mpq_cmp_ui(big, 1000000000000000UL, 1) >= 0;
      mpq_clear(big);
      if (huge) num_pushsci(L, v->q, sig, &rounded);
      else num_pushdecimal(L, v->q, sig, 0, 1, &rounded);
      uexpr_text(&u, text, sizeof text);
      if (u.n == 1 && strcmp(text, "%") == 0) lua_pushfstring(L, "%s%%", lua_tostring(L, -1));
      else if (u.n == 0) lua_pushvalue(L, -1);
      else lua_pushfstring(L, "%s %s", lua_tostring(L, -1), text);
      lua_remove(L, -2);
    }
    lua_remove(L, -2);   /* v */
  }
  if (rounded || !n->exact) {
    lua_pushfstring(L, "\xE2\x89\x88%s", lua_tostring(L, -1));
    lua_remove(L, -2);
  }
  (void)top;
}
/* }====== */

/* {====== parsing quantities ====== */

/* Sets n from "1.2 GW", "21B $", "$21B", "$0.06/kWh", "EUR 3M", "5%".
** Returns NULL or an error message (in err). */
const char *units_parse_into(lua_State *L, Num *n, int nidx, const char *s, size_t len,
                             char *err, size_t errsz) {
  size_t end = 0, ulen = 0;
  const char *ustart = NULL;
  char ubuf[128];
  const char *e;
  if (len > 0 && s[0] == '$') {                       /* $21B, $0.06/kWh */
    e = num_parse(L, s + 1, len - 1, n->q, &end);
    if (e) { snprintf(err, errsz, "%s", e); return err; }
    end += 1;
    snprintf(ubuf, sizeof ubuf, "$%.*s", (int)(len - end), s + end);
    ustart = ubuf; ulen = strlen(ubuf);
  } else if (len > 0 && isalpha((unsigned char)s[0])) {   /* EUR 3M */
    size_t k = 0;
    while (k < len && isalpha((unsigned char)s[k])) k++;
    if (!unit_is_currency(s, k) || k >= len || s[k] != ' ') {
      snprintf(err, errsz, "malformed number"); return err;
    }
    size_t j = k;
    while (j < len && s[j] == ' ') j++;
    e = num_parse(L, s + j, len - j, n->q, &end);
    if (e) { snprintf(err, errsz, "%s", e); return err; }
    end += j;
    snprintf(ubuf, sizeof ubuf, "%.*s%.*s", (int)k, s, (int)(len - end), s + end);
    ustart = ubuf; ulen = strlen(ubuf);
  } else {
    e = num_parse(L, s, len, n->q, &end);
    if (e) { snprintf(err, errsz, "%s", e); return err; }
    if (end < len) {
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
  if (units_parse_into(L, n, idx, s, len, err, sizeof err)) {
    if (strcmp(err, "malformed number") == 0)
      luaL_error(L, "%s (malformed number '%s')", what, s);
    luaL_error(L, "%s: %s in '%s'", what, err, s);
  }
  return n;
}
/* }====== */

/* The unit expression of a string argument, or raise. */
static void check_uexpr(lua_State *L, int arg, UExpr *u) {
  size_t len;
  char err[200];
  const char *s = luaL_checklstring(L, arg, &len);
  if (uexpr_parse(s, len, u, err, sizeof err)) luaL_argerror(L, arg, err);
}

/* Raises "cannot OP A and B: x OP y (hint)". Used by arith.c. */
static Dim value_dim(lua_State *L, int i);

int units_mismatch(lua_State *L, const char *verb, const char *sym, int a, int b) {
  Dim xa = value_dim(L, a), xb = value_dim(L, b);
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

/* Converts a num of one currency into another with the FX table. */
int units_fx_convert(lua_State *L, Num *n, const Dim *target);
static int fx_ref = LUA_NOREF;
static int currency_of(const Dim *d, int *exp);

/* x:to("TWh"): the same value, shown in another unit. */
static int u_to(lua_State *L) {
  Num *n = num_check(L, 1);
  UExpr u;
  Dim d;
  check_uexpr(L, 2, &u);
  uexpr_dim(&u, &d);
  Num *r = num_push(L);
  mpq_set(r->q, n->q);
  r->dim = n->dim;
  r->exact = n->exact;
  if (!dim_eq(&d, &n->dim) && !units_fx_convert(L, r, &d)) {
    char na[64], nb[64];
    int e = 0;
    if (fx_ref == LUA_NOREF && currency_of(&n->dim, &e) >= 0 && currency_of(&d, &e) >= 0)
      return luaL_error(L, "cannot convert %s to %s without an FX table: units.fx{date = \"2026-01-15\", %s%s = \"...\"}",
                        dim_name(&n->dim, na, sizeof na), dim_name(&d, nb, sizeof nb),
                        base_dims[currency_of(&n->dim, &e)].sym, base_dims[currency_of(&d, &e)].sym);
    return luaL_error(L, "cannot convert %s to %s: %s is a %s, '%s' is a %s",
                      dim_name(&n->dim, na, sizeof na), dim_name(&d, nb, sizeof nb),
                      luaL_tolstring(L, 1, NULL), na, lua_tostring(L, 2), nb);
  }
  char text[160];
  uexpr_text(&u, text, sizeof text);
  lua_pushstring(L, text);
  num_setdisplay(L, -2, lua_tostring(L, -1), 0);
  lua_pop(L, 1);
  return 1;
}

static Dim value_dim(lua_State *L, int i);

/* units.value(x, "TWh"): the magnitude in that unit, as a plain num. */
static int u_value(lua_State *L) {
  if (luaL_testudata(L, 1, "samples")) {      /* uncertain: x / (1 unit), per sample */
    size_t len;
    const char *s = luaL_checklstring(L, 2, &len);
    lua_settop(L, 1);
    lua_pushfstring(L, "1 %s", s);
    size_t n2;
    const char *spec = lua_tolstring(L, -1, &n2);
    units_pushparse(L, spec, n2, "units.value");
    lua_remove(L, 2);
    Dim a = value_dim(L, 1), b = ((Num *)lua_touserdata(L, 2))->dim;
    if (!dim_eq(&a, &b)) {
      char na[64], nb[64];
      return luaL_error(L, "units.value: %s is a %s, not a %s", luaL_tolstring(L, 1, NULL),
                        dim_name(&a, na, sizeof na), dim_name(&b, nb, sizeof nb));
    }
    return arith_op(L, LUA_OPDIV, 0);
  }
  Num *n = num_coerce(L, 1);
  UExpr u;
  Dim d;
  check_uexpr(L, 2, &u);
  uexpr_dim(&u, &d);
  if (!dim_eq(&d, &n->dim)) {
    char na[64], nb[64];
    return luaL_error(L, "units.value: %s is a %s, not a %s", luaL_tolstring(L, 1, NULL),
                      dim_name(&n->dim, na, sizeof na), dim_name(&d, nb, sizeof nb));
  }
  Num *r = num_push(L);
  uexpr_factor(&u, r->q);
  mpq_div(r->q, n->q, r->q);
  r->exact = n->exact;
  return 1;
}

static Dim value_dim(lua_State *L, int i) {
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

static int u_dim(lua_State *L) {
  char buf[96];
  Dim d = value_dim(L, 1);
  lua_pushstring(L, dim_name(&d, buf, sizeof buf));
  return 1;
}

/* Dimension from a name ("Power") or a unit string ("kW"). */
static int dim_from_spec(const char *spec, Dim *d) {
  char buf[96], err[64];
  UExpr u;
  for (int k = 0; named_dims[k].name; k++)
    if (strcmp(named_dims[k].name, spec) == 0) { parse_named(named_dims[k].dim, d); return 1; }
  for (int b = 0; b < NDIM; b++) {
    const char *nm = base_name(b);
    if (nm && strcmp(nm, spec) == 0) { memset(d, 0, sizeof *d); d->e[b] = 1; return 1; }
  }
  if (strcmp(spec, "Number") == 0) { memset(d, 0, sizeof *d); return 1; }
  if (uexpr_parse(spec, strlen(spec), &u, err, sizeof err) == NULL) { uexpr_dim(&u, d); return 1; }
  (void)buf;
  return 0;
}

/* units.check(x, "Power", "what"): raise unless x has that dimension. */
static int u_check(lua_State *L) {
  Dim want, got;
  const char *spec = luaL_checkstring(L, 2);
  const char *what = luaL_optstring(L, 3, "value");
  char nw[96], ng[96];
  if (!dim_from_spec(spec, &want)) return luaL_argerror(L, 2, "unknown dimension or unit");
  if (lua_isnoneornil(L, 1))
    return luaL_error(L, "%s: expected %s %s, got nothing", what,
                      strchr("AEIOU", dim_name(&want, nw, sizeof nw)[0]) ? "an" : "a", nw);
  if (!num_test(L, 1) && lua_type(L, 1) != LUA_TNUMBER && !luaL_getmetafield(L, 1, "__dim"))
    return luaL_error(L, "%s: expected a %s, got a %s", what, dim_name(&want, nw, sizeof nw), luaL_typename(L, 1));
  lua_settop(L, 3);
  got = value_dim(L, 1);
  if (!dim_eq(&want, &got)) {
    dim_name(&want, nw, sizeof nw);
    dim_name(&got, ng, sizeof ng);
    UExpr u;
    char ex[96];
    uexpr_auto(&want, &u);
    uexpr_text(&u, ex, sizeof ex);
    return luaL_error(L, "%s: expected %s %s (e.g. 1 %s), got %s (%s)", what,
                      strchr("AEIOU", nw[0]) ? "an" : "a", nw, ex, luaL_tolstring(L, 1, NULL), ng);
  }
  lua_settop(L, 1);
  return 1;
}

static int u_same(lua_State *L) {
  Dim a = value_dim(L, 1), b = value_dim(L, 2);
  lua_pushboolean(L, dim_eq(&a, &b));
  return 1;
}

static int u_parse(lua_State *L) {
  size_t len;
  const char *s = luaL_checklstring(L, 1, &len);
  units_pushparse(L, s, len, "bad argument #1 to 'parse'");
  return 1;
}

static int u_dimension(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  const char *unit = luaL_optstring(L, 2, NULL);
  char err[128], low[32];
  if (!unit) {
    snprintf(low, sizeof low, "%s", name);
    for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
    unit = low;
  }
  if (!units_user_dimension(name, unit, err, sizeof err)) return luaL_error(L, "units.dimension: %s", err);
  units_pushparse(L, "1", 1, "units.dimension");
  lua_pushfstring(L, "1 %s", unit);
  units_pushparse(L, lua_tostring(L, -1), strlen(lua_tostring(L, -1)), "units.dimension");
  return 1;
}

static int u_define(lua_State *L) {
  const char *name = luaL_checkstring(L, 1);
  char err[128];
  Num *n;
  if (lua_type(L, 2) == LUA_TSTRING) {
    size_t len;
    const char *s = lua_tolstring(L, 2, &len);
    n = units_pushparse(L, s, len, "units.define");
  } else n = num_coerce(L, 2);
  if (!units_user_define(name, n->q, &n->dim, err, sizeof err)) return luaL_error(L, "units.define: %s", err);
  lua_pushfstring(L, "1 %s", name);
  units_pushparse(L, lua_tostring(L, -1), strlen(lua_tostring(L, -1)), "units.define");
  return 1;
}

/* units.list([dimension]): unit names, optionally of one dimension. */
static int u_list(lua_State *L) {
  Dim want, d;
  int filter = 0;
  char buf[48];
  if (!lua_isnoneornil(L, 1)) {
    if (!dim_from_spec(luaL_checkstring(L, 1), &want)) return luaL_argerror(L, 1, "unknown dimension");
    filter = 1;
  }
  lua_newtable(L);
  int k = 1;
  for (int i = 0; units_name_at(i, buf, sizeof buf, &d); i++) {
    if (filter && !dim_eq(&d, &want)) continue;
    lua_pushstring(L, buf);
    lua_rawseti(L, -2, k++);
  }
  return 1;
}

/* {====== FX: explicit, dated rates ====== */

static int u_fx(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_getfield(L, 1, "date");
  if (!lua_isstring(L, -1)) return luaL_error(L, "units.fx: field 'date' expected (e.g. date = \"2026-01-15\")");
  lua_pop(L, 1);
  lua_newtable(L);            /* normalised: "EURUSD" -> num */
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    if (lua_type(L, -2) == LUA_TSTRING && strcmp(lua_tostring(L, -2), "date") != 0) {
      const char *k = lua_tostring(L, -2);
      if (strlen(k) != 6 || !unit_is_currency(k, 3) || !unit_is_currency(k + 3, 3))
        return luaL_error(L, "units.fx: bad pair '%s' (expected e.g. EURUSD = \"1.08\")", k);
      lua_pushvalue(L, -2);
      if (lua_type(L, -2) == LUA_TSTRING) {
        size_t len;
        const char *s = lua_tolstring(L, -2, &len);
        units_pushparse(L, s, len, "units.fx");
      } else num_coerce(L, -2);
      lua_rawset(L, -5);
    }
    lua_pop(L, 1);
  }
  lua_getfield(L, 1, "date");
  lua_setfield(L, -2, "date");
  luaL_unref(L, LUA_REGISTRYINDEX, fx_ref);
  fx_ref = luaL_ref(L, LUA_REGISTRYINDEX);
  return 0;
}

static int currency_of(const Dim *d, int *exp) {
  int c = -1;
  for (int i = D_USD; i <= D_JPY; i++) if (d->e[i]) { if (c >= 0) return -1; c = i; *exp = d->e[i]; }
  return c;
}

int units_fx_convert(lua_State *L, Num *n, const Dim *target) {
  int ea = 0, eb = 0;
  int ca = currency_of(&n->dim, &ea), cb = currency_of(target, &eb);
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

static const luaL_Reg units_funcs[] = {
  {"parse", u_parse}, {"value", u_value}, {"dim", u_dim}, {"check", u_check},
  {"same", u_same}, {"dimension", u_dimension}, {"define", u_define},
  {"fx", u_fx}, {"list", u_list}, {"to", u_to},
  {NULL, NULL}
};

int units_to(lua_State *L) { return u_to(L); }

int luaopen_units(lua_State *L) {
  units_reset();
  fx_ref = LUA_NOREF;
  luaL_newlib(L, units_funcs);
  return 1;
}

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
