/*
** vm/dim.h
** Dimension vectors: the exponents of a quantity over the base dimensions
** (Power is M L2 T-3). Plain data with no Lua and no GMP, so every layer can
** carry one; what the dimensions are called is the business of units.c.
*/
#ifndef DEAL_DIM_H
#define DEAL_DIM_H
#include <stdint.h>
#include <string.h>

/* Base dimensions: the SI seven, information, compute, counts, currencies,
** then slots for dimensions declared by scripts (units.dimension). */
enum {
  D_LENGTH, D_MASS, D_TIME, D_CURRENT, D_TEMP, D_AMOUNT, D_LUMINOUS,
  D_BIT, D_FLOP, D_CHIP, D_RACK, D_TOKEN,
  D_USD, D_EUR, D_CNY, D_GBP, D_JPY,
  D_USER0,
  NDIM = 28
};

/* An exponent fits int8_t; combining dimensions checks the bound
** (arith_dim), so no exponent ever wraps. */
#define DIM_MAXEXP 127

typedef struct Dim { int8_t e[NDIM]; } Dim;

/* Inline: every arithmetic operation asks these. */
static inline int dim_iszero(const Dim *d) {
  static const Dim zero;
  return memcmp(d, &zero, sizeof zero) == 0;
}

static inline int dim_eq(const Dim *a, const Dim *b) {
  return memcmp(a, b, sizeof *a) == 0;
}
#endif
