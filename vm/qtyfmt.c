/*
** vm/qtyfmt.c
** Quantities as analysts write them: "10.512 TWh", "$21.0B", "700k chip",
** "$0.0600/kWh", "$10.00·chip", "≈0.6667". The display unit a num carries
** is used when it still fits the dimension; otherwise one is chosen from
** the dimension, with an SI prefix that keeps the number between 1 and
** 1000. Every text printed here parses back (num"...") to a value of the
** same dimension, and to the same value when it carries no "≈" (the rules
** are in docs/display.md; tests/unit/display_roundtrip.deal checks them on
** 10,000 generated values).
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "uexpr.h"
#include "unitcat.h"
#include "units.h"

/* An exact figure prints in full up to this many significant digits. */
#define EXACT_MAXDIGITS 15

/* What a value without money is, for printing: a plain number, a quantity
** (1.2 GW) or a count (700k chip). Money is an amount ($21.0B, $10.00·chip,
** push_amount) or a rate ($0.0600/kWh, push_rate). */
enum { K_PLAIN, K_QTY, K_COUNT };

static const NumFmt defaults = {0, -1, 0, -1, -1, -1};
static const char *const scale_suffix[] = {"", "k", "M", "B", "T"};

/* {====== numbers ====== */
/* The separator mode for a kind whose default is `deflt`: format{sep =
** false} turns it off, a character chosen by format{sep = "_"} groups
** from 1,000 up. */
static int sep_of(const NumFmt *f, int deflt) {
  if (f->sep < 0) return deflt;
  return f->sep == 0 ? NUM_SEP_NONE : NUM_SEPCHAR(NUM_SEP_1K, f->sep);
}

/* Digits before the point of a number's text ("1,000.00" has 4). */
static int int_digits(const char *t) {
  int n = 0;
  for (; *t && *t != '.' && *t != 'e'; t++) n += *t >= '0' && *t <= '9';
  return n;
}

/* Significant digits of |q|'s decimal expansion (60000 has 5, 0.06 has 1),
** or -1 when it does not end or is longer than `most`. scratch: a num to
** compute in (GC-owned, so nothing leaks if Lua raises later). */
static int exact_digits(const mpq_t q, Num *scratch, int most) {
  long k = num_termshift(q);
  if (k < 0 || k > 40) return -1;
  mpz_ptr n = mpq_numref(scratch->q);
  mpz_ui_pow_ui(n, 10, (unsigned long)k);
  mpz_mul(n, n, mpq_numref(q));
  mpz_divexact(n, n, mpq_denref(q));
  mpz_abs(n, n);
  if (mpz_sgn(n) == 0) return 1;
  int d = (int)mpz_sizeinbase(n, 10);
  if (d > most + 1) return -1;
  mpz_ui_pow_ui(mpq_denref(scratch->q), 10, (unsigned long)(d - 1));
  if (mpz_cmp(n, mpq_denref(scratch->q)) < 0) d--;     /* sizeinbase overshot */
  mpq_set_ui(scratch->q, 0, 1);
  return d <= most ? d : -1;
}

/* Pushes q exactly when it is exact and short, with at least `minsig`
** significant digits ("0.0600", "60,000", "1.234567"); else rounded to
** minsig digits. */
static void push_exactish(lua_State *L, const mpq_t q, int exact, int minsig, int keepzeros,
                          int sep, int *rounded) {
  Num *t = num_push(L);
  int nd = exact ? exact_digits(q, t, EXACT_MAXDIGITS) : -1;
  lua_pop(L, 1);
  if (nd > 0 && nd >= minsig) num_pushdecimal(L, q, 0, 0, sep, rounded);
  else num_pushdecimal(L, q, minsig, keepzeros, sep, rounded);
}

/* The power of 1000 (0..4) that brings v >= 0 below 1000. */
static int auto_scale(const mpq_t v, Num *scratch) {
  int s = 0;
  mpq_set_ui(scratch->q, 1000, 1);
  while (s < 4 && mpq_cmp(v, scratch->q) >= 0) { s++; mpz_mul_ui(mpq_numref(scratch->q), mpq_numref(scratch->q), 1000); }
  return s;
}

/* m = v / 1000^s. */
static void unscale(mpq_t m, const mpq_t v, int s) {
  mpq_set_ui(m, 1, 1);
  mpz_ui_pow_ui(mpq_denref(m), 1000, (unsigned long)s);
  mpq_mul(m, v, m);
}

/* Pushes v >= 0 with a K/M/B/T scale: "21.0B" (sig digits), "374.11k"
** (decimals >= 0) or exact digits (sig 0). The power of 1000 is `scale`
** when >= 0, else the one that keeps the shown mantissa in [1, 1000),
** after rounding (999.96 with 3 digits is "1.00k"). */
static void push_scaled(lua_State *L, const mpq_t v, int sig, int keepzeros, int decimals,
                        int sep, int scale, int *rounded) {
  Num *m = num_push(L);
  int s = scale >= 0 ? scale : auto_scale(v, m);
  for (;;) {
    unscale(m->q, v, s);
    if (decimals >= 0) num_pushfixed(L, m->q, decimals, sep, rounded);
    else num_pushdecimal(L, m->q, sig, keepzeros, sep, rounded);
    if (scale >= 0 || s >= 4 || int_digits(lua_tostring(L, -1)) < 4) break;
    lua_pop(L, 1);
    s++;
  }
  lua_pushstring(L, scale_suffix[s]);
  lua_concat(L, 2);
  lua_remove(L, -2);
}

/* An amount of money v >= 0 ("21.0B", "412.50", "1,234.57", "0.0734"):
**   below 1000: cents when they are the exact value; an exact value with
**     more decimals in full ("0.004"); else cents, or 3 significant digits
**     below 1 so that no amount but zero shows as 0.00;
**   from 1000: 3 significant digits and a K/M/B/T scale when that is the
**     exact value ("21.0B"); an exact value in full otherwise, as 630.72M
**     (from a million, up to 3 decimals) or 1,234.57 (up to 15 digits);
**     else 3 significant digits, rounded. */
static void push_amount(lua_State *L, const mpq_t v, int exact, const NumFmt *f, int *rounded) {
  int sep = sep_of(f, NUM_SEP_1K);
  if (f->cents || f->decimals >= 0) {
    push_scaled(L, v, 0, 0, f->decimals >= 0 ? f->decimals : 2, sep, f->scale >= 0 ? f->scale : 0, rounded);
    return;
  }
  if (f->sig > 0) { push_scaled(L, v, f->sig, 1, -1, sep, f->scale, rounded); return; }
  Num *t = num_push(L);
  int top = lua_gettop(L);
  if (f->scale >= 0) {                         /* format{unit = "$M"}: $21.5M, ≈$0.374M */
    unscale(t->q, v, f->scale);
    int nd = exact ? exact_digits(t->q, num_push(L), 4) : -1;
    if (exact) lua_pop(L, 1);
    num_pushdecimal(L, t->q, nd > 3 ? 0 : 3, 1, sep, rounded);
    lua_pushstring(L, scale_suffix[f->scale]);
    lua_concat(L, 2);
  } else if (mpq_cmp_ui(v, 1000, 1) < 0 && (num_pushfixed(L, v, 2, sep, rounded),
                                            int_digits(lua_tostring(L, -1)) < 4)) {
    if (*rounded) {
      int nd = exact ? exact_digits(v, t, EXACT_MAXDIGITS) : -1;
      lua_pop(L, 1);
      if (nd > 0) num_pushdecimal(L, v, 0, 0, sep, rounded);       /* 0.004 */
      else if (mpq_cmp_ui(v, 1, 1) >= 0) num_pushfixed(L, v, 2, sep, rounded);
      else num_pushdecimal(L, v, 3, 1, sep, rounded);             /* 0.0734 */
    }
  } else {
    lua_settop(L, top);
    push_scaled(L, v, 3, 1, -1, sep, -1, rounded);
    int nd = *rounded && exact ? exact_digits(v, t, EXACT_MAXDIGITS) : -1;
    if (nd > 0) {
      lua_pop(L, 1);
      unscale(t->q, v, auto_scale(v, t));
      long k = num_termshift(t->q);
      if (mpq_cmp_ui(v, 1000000, 1) >= 0 && k >= 0 && k <= 3) {
        push_scaled(L, v, 0, 0, -1, sep, -1, rounded);           /* 630.72M */
      } else {
        k = num_termshift(v);
        num_pushfixed(L, v, k == 0 ? 0 : k < 2 ? 2 : (int)k, sep, rounded);   /* 1,234.57 */
      }
    }
  }
  lua_replace(L, top);
  lua_settop(L, top);
}

/* A money rate v >= 0 ("0.0600" of $0.0600/kWh, "60,000" of $60,000/h):
** at least 3 significant digits, scaled only from a million up (as an
** amount: $2.64M/rack) or when asked. */
static void push_rate(lua_State *L, const mpq_t v, int exact, const NumFmt *f, int *rounded) {
  int sep = sep_of(f, NUM_SEP_1K);
  if (f->scale < 0 && f->decimals < 0 && mpq_cmp_ui(v, 1000000, 1) >= 0) {
    push_amount(L, v, exact, f, rounded);
    return;
  }
  if (f->scale >= 0 || f->decimals >= 0 || f->sig > 0) {   /* cents: amounts only */
    NumFmt g = *f;
    g.cents = 0;
    if (g.scale < 0) g.scale = 0;
    push_amount(L, v, exact, &g, rounded);
    return;
  }
  push_exactish(L, v, exact, 3, 1, sep, rounded);
}

/* A number without money: plain, a quantity or a count (counts and
** statistics of plain values take a K/M/B/T scale). */
static void push_plain(lua_State *L, Num *n, const mpq_t v, int kind, const NumFmt *f, int *rounded) {
  int sep = sep_of(f, kind == K_PLAIN ? NUM_SEP_NONE : NUM_SEP_10K);
  int stat = n->style == NUM_STYLE_STAT;
  int sig = f->sig > 0 ? f->sig : stat ? 3 : n->exact ? 0 : 4;
  int scaled = f->scale >= 0 || (f->decimals < 0 && (kind == K_COUNT || (kind == K_PLAIN && stat)));
  if (kind == K_PLAIN && n->style == NUM_STYLE_PROB && f->sig == 0 && f->decimals < 0) {
    char buf[32];
    num_probtext(buf, sizeof buf, mpq_get_d(v));
    lua_pushstring(L, buf);
    *rounded = 1;
    return;
  }
  if (scaled) {
    Num *a = num_push(L);
    mpq_abs(a->q, v);
    push_scaled(L, a->q, sig, 0, f->decimals, kind == K_COUNT ? NUM_SEP_NONE : sep,
                f->scale >= 0 ? f->scale : -1, rounded);
    if (mpq_sgn(v) < 0) { lua_pushfstring(L, "-%s", lua_tostring(L, -1)); lua_remove(L, -2); }
    lua_remove(L, -2);
    return;
  }
  if (f->decimals >= 0) { num_pushfixed(L, v, f->decimals, sep, rounded); return; }
  if (kind == K_QTY) {
    Num *a = num_push(L);
    mpq_abs(a->q, v);
    int huge = mpq_cmp_ui(a->q, 1000000000000000UL, 1) >= 0;
    int tiny = mpq_sgn(a->q) != 0 && mpq_cmp_ui(a->q, 1, 1000000) < 0;   /* below n: 1e-12 W */
    int nd = tiny && sig == 0 ? exact_digits(a->q, num_push(L), 20) : -1;  /* exact: all digits */
    lua_pop(L, tiny && sig == 0 ? 2 : 1);
    if (huge || tiny) { num_pushsci(L, v, nd > 0 ? nd : sig, rounded); return; }
  }
  num_pushdecimal(L, v, sig, 0, sep, rounded);
}
/* }====== */

/* {====== units ====== */
/* Sets the prefix of factor i of u to `pfx` + its name; 0 when no such
** unit exists (mFLOP, kh: FLOP takes no small prefixes, time none). */
static int try_prefix(UExpr *u, int i, const UFactor *keep, const char *pfx) {
  UFactor t;
  char nm[40];
  snprintf(nm, sizeof nm, "%s%s", pfx, uexpr_name(keep));
  if (!unit_find(nm, strlen(nm), &t)) return 0;
  u->f[i].pfx = t.pfx;
  return 1;
}

/* Chooses an SI prefix for the first numerator factor so that the shown
** number lies in [1, 1000): k..E for W, Wh, FLOP, B, bit...; m, µ, n
** below 1 for the units that take them (2.5 mW, 1.67 mWh, not mFLOP).
** Beyond E or below n: no prefix (scientific notation). */
static void auto_prefix(UExpr *u, const mpq_t q) {
  int i;
  for (i = 0; i < u->n && u->f[i].exp <= 0; i++) ;
  if (i == u->n || u->f[i].exp != 1 || !uexpr_prefixable(&u->f[i]) || mpq_sgn(q) == 0) return;
  mpq_t v, f, a;
  mpq_inits(v, f, a, NULL);
  UFactor keep = u->f[i];
  int best = -1;   /* no prefix */
  static const char *const up[] = {"k", "M", "G", "T", "P", "E"};
  static const char *const down[] = {"m", "\xC2\xB5", "n"};
  u->f[i].pfx = -1;
  uexpr_factor(u, f);
  mpq_div(v, q, f);
  mpq_abs(a, v);
  if (mpq_cmp_ui(a, 1, 1) < 0) {
    for (int k = 0; k < 3 && try_prefix(u, i, &keep, down[k]); k++) {
      uexpr_factor(u, f);
      mpq_div(v, q, f);
      mpq_abs(a, v);
      if (mpq_cmp_ui(a, 1, 1) >= 0) { best = u->f[i].pfx; break; }
    }
  } else {
    for (int k = 0; k < 6 && mpq_cmp_ui(a, 1000, 1) >= 0; k++) {
      if (!try_prefix(u, i, &keep, up[k])) break;
      uexpr_factor(u, f);
      mpq_div(v, q, f);
      mpq_abs(a, v);
      if (mpq_cmp_ui(a, 1, 1) >= 0) best = u->f[i].pfx;
      if (k == 5 && mpq_cmp_ui(a, 1000, 1) >= 0) best = -1;   /* beyond E */
    }
  }
  u->f[i].pfx = best;
  mpq_clears(v, f, a, NULL);
}

/* The unit the num n at i prints in: its display unit while that fits
** the dimension, else one chosen from the dimension; units chosen by us
** get the SI prefix that keeps the number between 1 and 1000. */
static void shown_unit(lua_State *L, int i, const Num *n, UExpr *u) {
  const char *disp = num_display(L, i);
  char err[128];
  Dim d;
  if (!disp || uexpr_parse(disp, strlen(disp), u, err, sizeof err) != NULL ||
      (uexpr_dim(u, &d), !dim_eq(&d, &n->dim)))
    uexpr_auto(&n->dim, u);
  if (!disp || n->autop) auto_prefix(u, n->q);
}

/* The money factor of u shown first ($ of $/kWh, of chip·$), or -1. */
static int money_factor(const UExpr *u) {
  for (int k = 0; k < u->n; k++)
    if (u->f[k].exp == 1 && uexpr_kind(&u->f[k]) == UK_MONEY) return k;
  return -1;
}

/* The text after the money figure: "/kWh", "·chip", "·chip/h", "". */
static void money_tail(const UExpr *u, int m, char *buf, size_t n) {
  UExpr rest;
  char text[160];
  rest.n = 0;
  for (int k = 0; k < u->n; k++) if (k != m) rest.f[rest.n++] = u->f[k];
  uexpr_text(&rest, text, sizeof text);
  if (!text[0]) buf[0] = '\0';
  else if (text[0] == '1' && text[1] == '/') snprintf(buf, n, "%s", text + 1);
  else snprintf(buf, n, "\xC2\xB7%s", text);
}

static const char *money_symbol(const UFactor *f) {
  const char *nm = uexpr_name(f);
  return (strcmp(nm, "$") == 0 || strcmp(nm, "USD") == 0) ? "$" : nm;
}

void num_pushunit(lua_State *L, int i) {
  Num *n = num_check(L, i);
  UExpr u;
  char text[160];
  i = lua_absindex(L, i);
  if (dim_iszero(&n->dim) && !num_display(L, i)) { lua_pushliteral(L, ""); return; }
  shown_unit(L, i, n, &u);
  uexpr_text(&u, text, sizeof text);
  lua_pushstring(L, text);
}
void num_shownfactor(lua_State *L, int i, mpq_t f) {
  UExpr u;
  shown_unit(L, i, num_check(L, i), &u);
  uexpr_factor(&u, f);
}
/* }====== */

/* tostring of a num at index i: "10.512 TWh", "$21.0B", "700k chip",
** "$0.0600/kWh", "≈0.6667". */
void num_pushtext(lua_State *L, int i) { num_pushformat(L, i, NULL); }

void num_pushformat(lua_State *L, int i, const NumFmt *f) {
  Num *n = num_check(L, i);
  int rounded = 0;
  if (!f) f = &defaults;
  i = lua_absindex(L, i);
  int top = lua_gettop(L);
  if (dim_iszero(&n->dim) && !num_display(L, i)) {
    push_plain(L, n, n->q, K_PLAIN, f, &rounded);
  } else {
    UExpr u;
    char text[160];
    shown_unit(L, i, n, &u);
    Num *v = num_push(L);                /* value in display units */
    uexpr_factor(&u, v->q);
    mpq_div(v->q, n->q, v->q);
    int m = money_factor(&u);
    if (m >= 0) {
      int neg = mpq_sgn(v->q) < 0, rate = 1;
      mpq_abs(v->q, v->q);
      for (int k = 0; k < u.n; k++) rate &= k == m || u.f[k].exp < 0;
      if (rate && u.n > 1) push_rate(L, v->q, n->exact, f, &rounded);
      else push_amount(L, v->q, n->exact, f, &rounded);
      const char *sym = money_symbol(&u.f[m]);
      char tail[200];
      money_tail(&u, m, tail, sizeof tail);
      lua_pushfstring(L, "%s%s%s%s%s", neg ? "-" : "", sym, sym[0] == '$' ? "" : " ",
                      lua_tostring(L, -1), tail);
    } else {
      int kind = u.n == 1 && u.f[0].exp == 1 && uexpr_kind(&u.f[0]) == UK_COUNT ? K_COUNT : K_QTY;
      push_plain(L, n, v->q, kind, f, &rounded);
      uexpr_text(&u, text, sizeof text);
      const char *num = lua_tostring(L, -1);
      if (u.n == 0) lua_pushstring(L, num);
      else if (strcmp(text, "%") == 0) lua_pushfstring(L, "%s%%", num);
      else if (text[0] == '1' && text[1] == '/') lua_pushfstring(L, "%s%s", num, text + 1);   /* 0.5/h */
      else lua_pushfstring(L, "%s %s", num, text);
    }
  }
  int mark = f->mark >= 0 ? f->mark : !(f->sig > 0 || f->decimals >= 0 || f->cents);
  if (mark && (rounded || !n->exact)) lua_pushfstring(L, "\xE2\x89\x88%s", lua_tostring(L, -1));
  if (lua_gettop(L) > top + 1) {          /* the text replaces the temporaries */
    lua_replace(L, top + 1);
    lua_settop(L, top + 1);
  }
}
