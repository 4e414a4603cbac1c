/*
** vm/num.h
** The exact number type: a GMP rational with an exactness flag, a dimension
** and a display unit. A plain number is a num whose dimension is zero; a
** quantity (1.2 GW) is the same userdata with a dimension. One type keeps
** the arithmetic in one place (arith.c).
*/
#ifndef DEAL_NUM_H
#define DEAL_NUM_H
#include <gmp.h>
#include <lua.h>
#include "units.h"

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
  unsigned char hasdisp; /* a display unit is in the user value (a fast test) */
} Num;

/* Pushes a new num (value 0, exact, dimensionless, no display unit). */
Num *num_push(lua_State *L);
Num *num_check(lua_State *L, int i);
Num *num_test(lua_State *L, int i);
/* num_test without the finalized check: the hot path of arith.c. */
Num *num_fast(lua_State *L, int i);
/* Display unit text of the num at index i (NULL when none). */
const char *num_display(lua_State *L, int i);
/* Sets the display unit of the num on top of the stack to the string at top
** (pops it); nil clears. */
void num_setdisplay(lua_State *L, int numidx, const char *s, int autop);

/* Bits a rational occupies (numerator + denominator). */
size_t num_bits(const mpq_t q);
/* A cheap upper bound of num_bits (whole limbs). */
size_t num_bits_bound(const mpq_t q);
/* Raises "number too large" unless `bits` fits NUM_MAXBITS and the memory budget. */
void num_checkbits(lua_State *L, double bits);

/* Parsing (numparse.c). Returns NULL on success, else a static reason.
** Accepts [+-]digits[_digits][.digits][e[+-]digits][k|M|B|T][%|bp] and
** integer/integer. `end` receives where the number stopped when non-NULL
** (then trailing text is allowed). */
const char *num_parse(lua_State *L, const char *s, size_t len, mpq_t out,
                      size_t *end);
/* Float to exact rational through its shortest round-trip decimal. Returns
** 0 when x is NaN or infinite. */
int num_fromdouble(lua_State *L, double x, mpq_t out);

/* Formatting (numfmt.c): see numfmt.c for the rules. */
enum { FMT_AUTO = 0 };
/* Pushes |q| as text: exact decimal when terminating and short, else `sig`
** significant digits; sets *rounded. keepzeros keeps trailing zeros (money),
** sep inserts thousands separators from 10,000 up. */
void num_pushdecimal(lua_State *L, const mpq_t q, int sig, int keepzeros,
                     int sep, int *rounded);
/* Scientific notation ("3.1536e25"); sig 0 keeps exact digits. */
void num_pushsci(lua_State *L, const mpq_t q, int sig, int *rounded);
/* tostring of any num/quantity at index i. */
void num_pushtext(lua_State *L, int i);
/* The same with sig significant digits (0: the default rules). */
void num_pushtext_sig(lua_State *L, int i, int sig);

/* Value algebra (arith.c). op is a LUA_OP* code. norm: turn exact
** dimensionless integers that fit 64 bits into Lua integers (the .deal
** runtime does; plain-Lua metamethods do not). */
int arith_op(lua_State *L, int op, int norm);
int arith_compare(lua_State *L, int op);   /* LUA_OPEQ, LUA_OPLT, LUA_OPLE */
/* Converts the value at i (integer, float, num) into a fresh num on top. */
Num *num_coerce(lua_State *L, int i);

int luaopen_num(lua_State *L);
int luaopen_units(lua_State *L);
int luaopen_dealrt(lua_State *L);     /* the __deal runtime table */
/* math.floor, string.format, tonumber... taught to take nums (lift.c). */
int lift_stdlib(lua_State *L);
/* The pools of rationals (num.c) and scratch values (arith.c), freed
** after lua_close. */
void num_pool_drain(void);
void arith_drain(void);
#endif
