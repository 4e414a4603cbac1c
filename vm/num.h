/*
** vm/num.h
** The exact number type: a GMP rational with an exactness flag, a dimension
** and a display unit. A plain number is a num whose dimension is zero; a
** quantity (1.2 GW) is the same userdata with a dimension. One type keeps
** the arithmetic in one place (arith.c).
**
** The bottom layer of the numeric core: the userdata (num.c), text to
** rational (numparse.c) and rational to decimal text (numfmt.c). Nothing
** here knows unit names (units.h) or operators (arith.h); the `num`
** library that scripts see is lnum.c.
*/
#ifndef DEAL_NUM_H
#define DEAL_NUM_H
#include <stddef.h>
#include <gmp.h>
#include <lua.h>
#include "dim.h"

#define NUM_MT "num"

/* Largest number the host agrees to build, in bits of numerator plus
** denominator. Checked BEFORE every GMP call that could grow a value, since
** GMP aborts instead of reporting an error. */
#define NUM_MAXBITS (1UL << 25)

typedef struct Num {
  mpq_t q;             /* magnitude in base units, always canonical */
  Dim dim;             /* exponents over base dimensions; zero = plain */
  unsigned char exact; /* 0 once a float or inexact operation touched it */
  unsigned char live;  /* 0 after __gc: catches use of a finalized value */
  unsigned char autop; /* display unit chosen by us: auto prefix allowed */
  unsigned char hasdisp : 1; /* a display unit is in the user value (a fast test) */
  unsigned char style : 2;   /* NUM_STYLE_*: how a statistic prints; never inherited
                             ** (a bit field: the userdata stays 64 bytes) */
} Num;

/* A Monte Carlo statistic prints like the uncertain value it came from:
** 3 significant digits, plain numbers with a k/M/B/T scale (mean, sd,
** quantile...); a probability prints as the condition does (P). */
enum { NUM_STYLE_VALUE, NUM_STYLE_STAT, NUM_STYLE_PROB };

/* {====== the userdata (num.c) ====== */
/* Creates the num metatable (registered as NUM_MT, with __gc) and leaves it
** on the stack; the library (lnum.c) adds operators and methods. Call it
** before the first num_push. */
void num_newmetatable(lua_State *L);
/* Frees the rationals that collected nums left for reuse (after lua_close). */
void num_pool_drain(void);

/* Pushes a new num (value 0, exact, dimensionless, no display unit). */
Num *num_push(lua_State *L);
Num *num_check(lua_State *L, int i);
Num *num_test(lua_State *L, int i);
/* num_test without the finalized check: the hot path of arith.c. */
Num *num_fast(lua_State *L, int i);
/* Pushes a fresh num holding the value at i (integer, float or num; a num
** is pushed as it is). Floats enter through their shortest decimal,
** inexact; anything else raises. */
Num *num_coerce(lua_State *L, int i);

/* Display unit text of the num at index i (NULL when none). */
const char *num_display(lua_State *L, int i);
/* Sets the display unit of the num at numidx to s (NULL clears it). autop:
** the unit was chosen by us, so printing may pick another prefix. */
void num_setdisplay(lua_State *L, int numidx, const char *s, int autop);

/* Bits a rational occupies (numerator + denominator). */
size_t num_bits(const mpq_t q);
/* A cheap upper bound of num_bits (whole limbs). */
size_t num_bits_bound(const mpq_t q);
/* Raises "number too large" unless `bits` fits NUM_MAXBITS and the memory budget. */
void num_checkbits(lua_State *L, double bits);

/* The one test for "this magnitude is a Lua integer": true when n's value
** is integral and fits a lua_Integer, which is then stored in *v. Callers
** add their own conditions (exact, dimensionless, no display unit). */
static inline int num_tointeger(const Num *n, lua_Integer *v) {
  if (mpz_cmp_ui(mpq_denref(n->q), 1) != 0 || !mpz_fits_slong_p(mpq_numref(n->q))) return 0;
  *v = mpz_get_si(mpq_numref(n->q));
  return 1;
}
/* Pushes n's magnitude as a Lua number: an integer when num_tointeger
** allows, else the nearest float. */
void num_pushnumber(lua_State *L, const Num *n);
/* }====== */

/* {====== text to rational (numparse.c) ====== */
/* Returns NULL on success, else a static reason. Accepts
** [+-]digits[_digits][.digits][e[+-]digits][k|M|B|T][%|bp] and
** integer/integer. `end` receives where the number stopped when non-NULL
** (then trailing text is allowed). */
const char *num_parse(const char *s, size_t len, mpq_t out, size_t *end);
/* Float to exact rational through its shortest round-trip decimal. Returns
** 0 when x is NaN or infinite. */
int num_fromdouble(double x, mpq_t out);
/* }====== */

/* {====== rational to decimal text (numfmt.c) ====== */
/* Thousands separators: none, from 10,000 up (quantities: 8760 h,
** 10,512 GWh) or from 1,000 up (money: $1,234.57); NUM_SEPCHAR(mode, c)
** groups with c instead of ','. */
#define NUM_SEP_NONE 0
#define NUM_SEP_10K 1
#define NUM_SEP_1K 2
#define NUM_SEPCHAR(mode, c) ((mode) | ((int)(unsigned char)(c) << 8))

/* Pushes q as text: exact decimal when terminating and short, else `sig`
** significant digits (0: the default rules); sets *rounded. keepzeros
** keeps trailing zeros (money), sep is a NUM_SEP_* mode. */
void num_pushdecimal(lua_State *L, const mpq_t q, int sig, int keepzeros,
                     int sep, int *rounded);
/* q with exactly `decimals` digits after the point ("1,234.57"), rounded
** half away from zero. */
void num_pushfixed(lua_State *L, const mpq_t q, int decimals, int sep, int *rounded);
/* Text of a probability, as claims tables and P print it: "0.97",
** "0.00095", "0.9991" (never 1 below 1), "1" and "0" at the ends. */
void num_probtext(char *buf, size_t n, double p);
/* Scientific notation ("3.1536e25"); sig 0 keeps exact digits. */
void num_pushsci(lua_State *L, const mpq_t q, int sig, int *rounded);
/* The power of ten k that makes q*10^k an integer (the digits after the
** point of its decimal expansion), or -1 when the expansion never ends. */
long num_termshift(const mpq_t q);
/* }====== */
#endif
