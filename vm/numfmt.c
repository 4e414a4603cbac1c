/*
** vm/numfmt.c
** Exact rationals as decimal text. The rule analysts can trust: a value
** prints in full when its decimal expansion terminates and is short
** (0.1, 10.512, 2^100); otherwise it is rounded to significant digits and
** the caller marks it with "≈" (rounded is reported back).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include "num.h"

#define EXACT_MAXFRAC 40       /* digits after the point before we round */
#define EXACT_MAXINT 10000     /* integer digits before scientific notation */
#define DEFAULT_SIG 4

/* out = round-half-up(|q| * 10^shift). */
static void scaled_round(mpz_t out, const mpq_t q, long shift) {
  mpz_t p, r, num, den;
  mpz_inits(p, r, num, den, NULL);
  mpz_abs(num, mpq_numref(q));
  mpz_set(den, mpq_denref(q));
  mpz_ui_pow_ui(p, 10, (unsigned long)labs(shift));
  if (shift >= 0) mpz_mul(num, num, p); else mpz_mul(den, den, p);
  mpz_mul_2exp(num, num, 1);                 /* round half up: floor((2n+d)/2d) */
  mpz_add(num, num, den);
  mpz_mul_2exp(den, den, 1);
  mpz_fdiv_q(out, num, den);
  mpz_clears(p, r, num, den, NULL);
}

/* True when |q| == N / 10^shift (the rounded digits are the exact value). */
static int equals_scaled(const mpq_t q, const mpz_t n, long shift) {
  mpq_t t;
  mpz_t p;
  mpq_init(t); mpz_init(p);
  mpz_ui_pow_ui(p, 10, (unsigned long)labs(shift));
  mpz_set(mpq_numref(t), n);
  if (shift >= 0) mpz_set(mpq_denref(t), p); else mpz_mul(mpq_numref(t), n, p);
  mpq_canonicalize(t);
  mpq_abs(t, t);
  int eq = 0;
  mpq_t a;
  mpq_init(a); mpq_abs(a, q);
  eq = mpq_equal(a, t);
  mpq_clear(a); mpq_clear(t); mpz_clear(p);
  return eq;
}

long num_termshift(const mpq_t q) {
  mpz_t f, t;
  mpz_init_set(t, mpq_denref(q));
  mpz_init_set_ui(f, 2);
  long twos = (long)mpz_remove(t, t, f);
  mpz_set_ui(f, 5);
  long fives = (long)mpz_remove(t, t, f);
  int ok = mpz_cmp_ui(t, 1) == 0;
  mpz_clear(f); mpz_clear(t);
  return ok ? (twos > fives ? twos : fives) : -1;
}

/* Thousands separators (num.h's NUM_SEP_*): how many integer digits a
** number needs before it is grouped, and the character. */
static size_t sep_from(int sep) { return (sep & 0xff) == NUM_SEP_1K ? 4 : 5; }
static char sep_char(int sep) { return (sep >> 8) ? (char)(sep >> 8) : ','; }

/* Inserts thousands separators into an integer digit string in b. */
static void add_int_part(luaL_Buffer *b, const char *d, size_t n, int sep) {
  int group = (sep & 0xff) && n >= sep_from(sep);
  for (size_t i = 0; i < n; i++) {
    if (group && i > 0 && (n - i) % 3 == 0) luaL_addchar(b, sep_char(sep));
    luaL_addchar(b, d[i]);
  }
}

/* Writes digits D (a string of significant digits) with decimal exponent e
** (value = 0.D * 10^(e+1), i.e. first digit is at 10^e). */
static void render(luaL_Buffer *b, const char *D, long e, int keepzeros,
                   int sep, int fixed_ok) {
  size_t nd = strlen(D);
  if (!keepzeros) while (nd > 1 && D[nd - 1] == '0' && (long)nd > e + 1) nd--;
  if (fixed_ok && e >= 0 && e < EXACT_MAXINT) {
    size_t nint = (size_t)e + 1;
    if (nd <= nint) {                     /* integer: pad with zeros */
      for (size_t i = 0; i < nint; i++) {
        if ((sep & 0xff) && nint >= sep_from(sep) && i > 0 && (nint - i) % 3 == 0) luaL_addchar(b, sep_char(sep));
        luaL_addchar(b, i < nd ? D[i] : '0');
      }
    } else {
      add_int_part(b, D, nint, sep);
      luaL_addchar(b, '.');
      luaL_addlstring(b, D + nint, nd - nint);
    }
  } else if (fixed_ok && e < 0 && e >= -5) {
    luaL_addstring(b, "0.");
    for (long k = -1; k > e; k--) luaL_addchar(b, '0');
    luaL_addlstring(b, D, nd);
  } else {                               /* scientific: 3.1e25 */
    luaL_addchar(b, D[0]);
    if (nd > 1) { luaL_addchar(b, '.'); luaL_addlstring(b, D + 1, nd - 1); }
    lua_pushfstring(b->L, "e%d", (int)e);
    luaL_addvalue(b);
  }
}

/* Decimal exponent of the leading digit of |q| (q != 0). */
static long leading_exponent(const mpq_t q) {
  long e = (long)mpz_sizeinbase(mpq_numref(q), 10) -
           (long)mpz_sizeinbase(mpq_denref(q), 10);
  /* sizeinbase may overshoot by one: compare q with 10^e and adjust */
  mpq_t a, t;
  mpq_inits(a, t, NULL);
  mpq_abs(a, q);
  for (int k = 0; k < 3; k++) {
    mpz_ui_pow_ui(mpq_numref(t), 10, (unsigned long)labs(e));
    mpz_set_ui(mpq_denref(t), 1);
    if (e < 0) mpq_inv(t, t);
    if (mpq_cmp(a, t) < 0) { e--; continue; }
    mpz_mul_ui(mpq_numref(t), mpq_numref(t), 10);
    mpq_canonicalize(t);
    if (mpq_cmp(a, t) >= 0) { e++; continue; }
    break;
  }
  mpq_clears(a, t, NULL);
  return e;
}

/* Digits of round(|q| * 10^shift) written into a GC-owned buffer of size
** cap (pushed on the stack), so no GMP temporary is alive when Lua may
** raise. Returns the buffer. */
static char *digits_of(lua_State *L, const mpq_t q, long shift, size_t cap) {
  char *buf = lua_newuserdatauv(L, cap, 0);
  mpz_t n;
  mpz_init(n);
  scaled_round(n, q, shift);
  if (mpz_sizeinbase(n, 10) + 2 <= cap) mpz_get_str(buf, 10, n);
  else buf[0] = '\0';
  mpz_clear(n);
  return buf;
}

void num_pushdecimal(lua_State *L, const mpq_t q, int sig, int keepzeros,
                     int sep, int *rounded) {
  luaL_Buffer b;
  *rounded = 0;
  if (mpq_sgn(q) == 0) {
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '0');
    if (keepzeros && sig > 1) {
      luaL_addchar(&b, '.');
      for (int k = 1; k < sig; k++) luaL_addchar(&b, '0');
    }
    luaL_pushresult(&b);
    return;
  }
  long e = leading_exponent(q);
  int neg = mpq_sgn(q) < 0;
  if (sig == 0) {                                  /* exact when we can */
    long k = num_termshift(q);
    if (k >= 0 && k <= EXACT_MAXFRAC && e < EXACT_MAXINT) {
      char *d = digits_of(L, q, k, (size_t)(e > 0 ? e : 0) + (size_t)k + 4);
      size_t nd = strlen(d);
      luaL_buffinit(L, &b);
      if (neg) luaL_addchar(&b, '-');
      if ((long)nd > k) {
        add_int_part(&b, d, nd - (size_t)k, sep);
        if (k > 0) { luaL_addchar(&b, '.'); luaL_addlstring(&b, d + nd - k, (size_t)k); }
      } else {
        luaL_addstring(&b, "0.");
        for (long z = 0; z < k - (long)nd; z++) luaL_addchar(&b, '0');
        luaL_addstring(&b, d);
      }
      luaL_pushresult(&b);
      lua_remove(L, -2);                           /* the digit buffer */
      return;
    }
    sig = DEFAULT_SIG;
    if (e >= sig && e < 15) sig = (int)e + 1;      /* keep integer digits */
  }
  long shift = sig - 1 - e;
  char *d = digits_of(L, q, shift, (size_t)sig + 4);
  if (strlen(d) > (size_t)sig) {                   /* rounding carried: 9.99 -> 10.0 */
    lua_pop(L, 1);
    e++; shift--;
    d = digits_of(L, q, shift, (size_t)sig + 4);
  }
  mpz_t n;
  mpz_init_set_str(n, d, 10);
  *rounded = !equals_scaled(q, n, shift);
  mpz_clear(n);
  luaL_buffinit(L, &b);
  if (neg) luaL_addchar(&b, '-');
  render(&b, d, e, keepzeros, sep, e < 15);    /* rounded and huge: 3.162e200 */
  luaL_pushresult(&b);
  lua_remove(L, -2);
}

/* Scientific notation for quantities too big for prefixes: "3.1536e25".
** Exact values keep all their significant digits (up to 20); others get
** `sig` (default 4). */
void num_pushsci(lua_State *L, const mpq_t q, int sig, int *rounded) {
  luaL_Buffer b;
  long e = leading_exponent(q);
  if (sig == 0) {
    sig = 4;
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0) {
      char *d = digits_of(L, q, 0, (size_t)e + 4);
      size_t nd = strlen(d);
      while (nd > 1 && d[nd - 1] == '0') nd--;
      sig = nd > 20 ? 20 : (int)nd;
      lua_pop(L, 1);
    }
  }
  char *d = digits_of(L, q, sig - 1 - e, (size_t)sig + 4);
  if (strlen(d) > (size_t)sig) { lua_pop(L, 1); e++; d = digits_of(L, q, sig - 1 - e, (size_t)sig + 4); }
  mpz_t n;
  mpz_init_set_str(n, d, 10);
  *rounded = !equals_scaled(q, n, sig - 1 - e);
  mpz_clear(n);
  luaL_buffinit(L, &b);
  if (mpq_sgn(q) < 0) luaL_addchar(&b, '-');
  render(&b, d, e, 0, 0, 0);
  luaL_pushresult(&b);
  lua_remove(L, -2);
}

/* Fixed decimals ("1,234.57", "0.004"): the caller chose the precision,
** so the digits are rounded half away from zero and a value that rounds
** to zero loses its sign. */
void num_pushfixed(lua_State *L, const mpq_t q, int decimals, int sep, int *rounded) {
  luaL_Buffer b;
  size_t cap = mpz_sizeinbase(mpq_numref(q), 10) + (size_t)decimals + 4;
  char *d = digits_of(L, q, decimals, cap);
  mpz_t n;
  mpz_init_set_str(n, d, 10);
  *rounded = !equals_scaled(q, n, decimals);
  int zero = mpz_sgn(n) == 0;
  mpz_clear(n);
  size_t nd = strlen(d);
  luaL_buffinit(L, &b);
  if (mpq_sgn(q) < 0 && !zero) luaL_addchar(&b, '-');
  if ((long)nd <= decimals) {                    /* 0.004: leading zeros */
    luaL_addchar(&b, '0');
    luaL_addchar(&b, '.');
    for (long z = 0; z < decimals - (long)nd; z++) luaL_addchar(&b, '0');
    luaL_addstring(&b, d);
  } else {
    add_int_part(&b, d, nd - (size_t)decimals, sep);
    if (decimals > 0) { luaL_addchar(&b, '.'); luaL_addstring(&b, d + nd - decimals); }
  }
  luaL_pushresult(&b);
  lua_remove(L, -2);                             /* the digit buffer */
}

/* Two decimals, more only near 1 so that 0.996 does not print as 1; two
** significant digits below 0.01. */
void num_probtext(char *buf, size_t n, double p) {
  if (isnan(p)) snprintf(buf, n, "nan");
  else if (p <= 0) snprintf(buf, n, "0");
  else if (p >= 1) snprintf(buf, n, "1");
  else if (p < 0.01) snprintf(buf, n, "%.2g", p);
  else {
    int d = 2;
    while (d < 6 && p > 0.99 && round(p * pow(10, d)) / pow(10, d) >= 1) d++;
    snprintf(buf, n, "%.*f", d, p);
  }
}
