/*
** vm/units.h
** Dimensions, the unit catalog and unit expressions.
*/
#ifndef DEAL_UNITS_H
#define DEAL_UNITS_H
#include <stddef.h>
#include <stdint.h>
#include <gmp.h>

/* Base dimensions: the SI seven, information, compute, counts, currencies,
** then slots for dimensions declared by scripts (units.dimension). */
enum {
  D_LENGTH, D_MASS, D_TIME, D_CURRENT, D_TEMP, D_AMOUNT, D_LUMINOUS,
  D_BIT, D_FLOP, D_CHIP, D_RACK, D_TOKEN,
  D_USD, D_EUR, D_CNY, D_GBP, D_JPY,
  D_USER0,
  NDIM = 28
};

typedef struct Dim { int8_t e[NDIM]; } Dim;

int dim_iszero(const Dim *d);
int dim_eq(const Dim *a, const Dim *b);
/* Name of a dimension as analysts say it: "Power", "Energy", "Money[USD]",
** "Chip·Time"; writes into buf and returns it. */
const char *dim_name(const Dim *d, char *buf, size_t n);

/* True when name[0..len) is a unit of the catalog (with an allowed prefix)
** or a unit declared in this process; used by the translator to tell
** `5 GW` (a quantity) from `x = 5 y = 3` (two statements). */
int unit_name_known(const char *name, size_t len);
/* True when name[0..len) is a currency code (USD, EUR, ...). */
int unit_is_currency(const char *name, size_t len);

struct lua_State;
struct UExpr;
/* The unit the num at i is shown in (tostring's one choice; exports write
** values in it), and its text as exported ("GW", "$/chip/h", "%"): see
** units.c. num_showunit returns 0 for a plain number without a unit. */
int num_showunit(struct lua_State *L, int i, struct UExpr *u);
void num_unittext(const struct UExpr *u, char *buf, size_t n);
/* Display text of a product/quotient/power of two unit-carrying values; see
** units.c. Used by nums and by samples alike. */
void units_combine(const Dim *da, const char *dispa, const Dim *db, const char *dispb,
                   int sign, const Dim *dr, char *text, size_t tn);
/* Raises "cannot add Power and Energy: a + b (hint: ...)" for the values at
** a and b (nums, samples or numbers). verb: "add", "subtract", "compare". */
int units_mismatch(struct lua_State *L, const char *verb, const char *sym, int a, int b);
#endif
