/*
** vm/numparse.c
** Strict text -> exact rational. One grammar for num"...", units.parse and
** the translator's constants, so a literal means the same everywhere:
**   [+-] digits ['_' digits]* ['.' digits] [e[+-]digits] [k|M|B|T] [% | bp]
**   [+-] digits '/' digits                         (a fraction: "2/3")
** The integer digits may be grouped by threes with commas, as numbers are
** printed ("10,512"; "1,5" is malformed).
** No hex, no surrounding spaces, no locale digits: anything else is
** malformed, never silently misread ("1 2 3" is not 123).
*/
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"

#define MAXEXP 10000000L   /* |exponent| beyond this is "too large" */

/* Copies the digits starting at s[*i] into buf (skipping '_' between
** digits); returns how many digits were read. */
static size_t scan_digits(const char *s, size_t len, size_t *i, char *buf,
                          size_t *nbuf) {
  size_t n = 0;
  while (*i < len) {
    char c = s[*i];
    if (isdigit((unsigned char)c)) { buf[(*nbuf)++] = c; n++; (*i)++; }
    else if (c == '_' && n > 0 && *i + 1 < len && isdigit((unsigned char)s[*i + 1]))
      (*i)++;
    else break;
  }
  return n;
}

static int is_identchar(char c) {
  return isalnum((unsigned char)c) || c == '_';
}

/* Reads a scale suffix (k M B T) or a percent/basis-point mark; returns the
** power of ten it applies and advances *i. */
static long scan_suffix(const char *s, size_t len, size_t *i) {
  long p = 0;
  if (*i < len) {
    char c = s[*i];
    int next_ident = (*i + 1 < len) && is_identchar(s[*i + 1]);
    if (!next_ident && (c == 'k' || c == 'M' || c == 'B' || c == 'T')) {
      p = (c == 'k') ? 3 : (c == 'M') ? 6 : (c == 'B') ? 9 : 12;
      (*i)++;
    }
  }
  if (*i < len && s[*i] == '%') { p -= 2; (*i)++; }
  else if (*i + 1 < len && s[*i] == 'b' && s[*i + 1] == 'p' &&
           !(*i + 2 < len && is_identchar(s[*i + 2]))) { p -= 4; *i += 2; }
  return p;
}

/* Sets out = m * 10^p exactly, where m is the integer in digits[]. */
static const char *build(mpq_t out, const char *digits, int neg, long p) {
  mpz_t t;
  double bits = strlen(digits) * 3.33 + fabs((double)p) * 3.33;
  if (bits > NUM_MAXBITS) return "number too large";
  mpz_init(t);
  mpz_set_str(mpq_numref(out), digits, 10);
  mpz_set_ui(mpq_denref(out), 1);
  mpz_ui_pow_ui(t, 10, (unsigned long)labs(p));
  if (p >= 0) mpz_mul(mpq_numref(out), mpq_numref(out), t);
  else mpz_set(mpq_denref(out), t);
  mpz_clear(t);
  mpq_canonicalize(out);
  if (neg) mpq_neg(out, out);
  return NULL;
}

const char *num_parse(const char *s, size_t len, mpq_t out, size_t *end) {
  size_t i = 0, nbuf = 0;
  int neg = 0;
  long exp = 0;
  const char *err = NULL;
  char *buf = malloc(len + 2);
  if (!buf) return "not enough memory";
  if (i < len && (s[i] == '+' || s[i] == '-')) neg = (s[i++] == '-');
  size_t nint = scan_digits(s, len, &i, buf, &nbuf), nfrac = 0;
  if (nint >= 1 && nint <= 3)                           /* 10,512: as printed */
    while (i + 3 < len && s[i] == ',' && isdigit((unsigned char)s[i + 1]) &&
           isdigit((unsigned char)s[i + 2]) && isdigit((unsigned char)s[i + 3]) &&
           !(i + 4 < len && (isdigit((unsigned char)s[i + 4]) || s[i + 4] == '_'))) {
      memcpy(buf + nbuf, s + i + 1, 3);
      nbuf += 3; nint += 3; i += 4;
    }
  if (i < len && s[i] == '.') {
    i++;
    nfrac = scan_digits(s, len, &i, buf, &nbuf);
  }
  buf[nbuf] = '\0';
  if (nint + nfrac == 0) { err = "malformed number"; goto done; }
  if (i < len && s[i] == '/' && nfrac == 0) {          /* a fraction: 2/3 */
    size_t j = i + 1, nd = 0;
    char *dbuf = malloc(len + 2);
    if (!dbuf) { err = "not enough memory"; goto done; }
    if (scan_digits(s, len, &j, dbuf, &nd) > 0 && (j == len || (end && !is_identchar(s[j])))) {
      dbuf[nd] = '\0';
      if ((strlen(buf) + nd) * 3.33 > NUM_MAXBITS) err = "number too large";
      else {
        mpz_set_str(mpq_numref(out), buf, 10);
        mpz_set_str(mpq_denref(out), dbuf, 10);
        if (mpz_sgn(mpq_denref(out)) == 0) err = "division by zero";
        else { mpq_canonicalize(out); if (neg) mpq_neg(out, out); i = j; }
      }
      free(dbuf);
      if (!err && end) *end = i;
      goto done;
    }
    free(dbuf);
  }
  if (i < len && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    int eneg = 0;
    if (j < len && (s[j] == '+' || s[j] == '-')) eneg = (s[j++] == '-');
    if (j < len && isdigit((unsigned char)s[j])) {
      while (j < len && isdigit((unsigned char)s[j])) {
        if (exp < MAXEXP) exp = exp * 10 + (s[j] - '0');
        j++;
      }
      if (eneg) exp = -exp;
      i = j;
    } else if (!end) { err = "malformed number"; goto done; }
  }
  if (labs(exp) >= MAXEXP) { err = "number too large"; goto done; }
  exp += scan_suffix(s, len, &i);
  if (!end && i != len) { err = "malformed number"; goto done; }
  if (end) *end = i;
  err = build(out, buf, neg, exp - (long)nfrac);
done:
  free(buf);
  return err;
}

int num_fromdouble(double x, mpq_t out) {
  char buf[64];
  if (isnan(x) || isinf(x)) return 0;
  for (int prec = 15; prec <= 17; prec++) {   /* shortest round trip */
    snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (strtod(buf, NULL) == x) break;
  }
  return num_parse(buf, strlen(buf), out, NULL) == NULL;
}
