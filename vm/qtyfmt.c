/*
** vm/qtyfmt.c
** Quantities as analysts write them: "10.512 TWh", "$21.0B", "700k chip",
** "$0.0600/kWh", "≈0.6667". The display unit a num carries is used when it
** still fits the dimension; otherwise one is chosen from the dimension,
** with an SI prefix that keeps the number between 1 and 1000.
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include "uexpr.h"
#include "unitcat.h"
#include "units.h"

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

int num_showunit(lua_State *L, int i, UExpr *u) {
  Num *n = num_check(L, i);
  u->n = 0;
  if (dim_iszero(&n->dim) && !num_display(L, i)) return 0;
  shown_unit(L, i, n, u);
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

void num_shownfactor(lua_State *L, int i, mpq_t f) {
  UExpr u;
  shown_unit(L, i, num_check(L, i), &u);
  uexpr_factor(&u, f);
}

/* tostring of a num at index i: "10.512 TWh", "$21.0B", "700k chip",
** "$0.0600/kWh", "≈0.6667". */
void num_pushtext(lua_State *L, int i) { num_pushtext_sig(L, i, 0); }

/* As num_pushtext, with `sigwant` significant digits when > 0 (samples
** print 2-3 digits: "≈ 620k chip"). */
void num_pushtext_sig(lua_State *L, int i, int sigwant) {
  Num *n = num_check(L, i);
  const char *disp = num_display(L, i);
  int rounded = 0;
  i = lua_absindex(L, i);
  int sig = sigwant > 0 ? sigwant : n->exact ? 0 : 4;   /* inexact: 4 digits */
  if (dim_iszero(&n->dim) && !disp) {
    num_pushdecimal(L, n->q, sig, 0, 0, &rounded);
  } else {
    UExpr u;
    char text[160];
    shown_unit(L, i, n, &u);
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
}
