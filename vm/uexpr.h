/*
** vm/uexpr.h
** Unit expressions ("GW", "$/kW/month", "chip*h") as lists of factors.
*/
#ifndef DEAL_UEXPR_H
#define DEAL_UEXPR_H
#include <stddef.h>
#include <gmp.h>
#include "dim.h"

#define UEXPR_MAXF 8

typedef struct UFactor {
  int def;   /* >= 0: unit_catalog index; < 0: user unit -(def+1) */
  int pfx;   /* prefixes index or -1 */
  int exp;
} UFactor;

typedef struct UExpr { int n; UFactor f[UEXPR_MAXF]; } UExpr;

/* Parses text into u. Returns NULL or an error message written to err. */
const char *uexpr_parse(const char *s, size_t len, UExpr *u, char *err, size_t errsz);
void uexpr_dim(const UExpr *u, Dim *d);
/* out = the factor to base units (exact). Pure GMP: never raises. */
void uexpr_factor(const UExpr *u, mpq_t out);
/* Text such as "$/kW/month", "chip·h". */
void uexpr_text(const UExpr *u, char *buf, size_t n);
/* Product (sign=+1) or quotient (sign=-1), merging equal factors and
** cancelling factors of equal dimension with opposite exponents. */
int uexpr_combine(UExpr *out, const UExpr *a, const UExpr *b, int sign);
/* The dimension of named_dims[k] (Power, Energy...), parsed once; NULL
** past the end. */
const Dim *uexpr_named_dim(int k);
/* A display expression for a bare dimension (Power -> W, USD/chip -> $/chip). */
void uexpr_auto(const Dim *d, UExpr *u);
int uexpr_kind(const UFactor *f);          /* UK_* of a factor */
int uexpr_prefixable(const UFactor *f);    /* SI big prefixes chosen for display (never time) */
const char *uexpr_name(const UFactor *f);  /* the unit name without prefix */
int unit_find(const char *name, size_t len, UFactor *f);
/* True when name[0..len) is a unit of the catalog (with an allowed prefix)
** or a unit declared in this process; used by the translator to tell
** `5 GW` (a quantity) from `x = 5 y = 3` (two statements). */
int unit_name_known(const char *name, size_t len);
/* True when name[0..len) is a currency code (USD, EUR, ...). */
int unit_is_currency(const char *name, size_t len);

/* Scripts' own dimensions and units (units.dimension/units.define). */
int units_user_dimension(const char *name, const char *unit, char *err, size_t n);
int units_user_define(const char *name, const mpq_t factor, const Dim *d, char *err, size_t n);
void units_reset(void);
/* Name of the script-declared base dimension d (NULL when none). */
const char *units_userdim_name(int d);
/* Did-you-mean: closest known name to `name` (or NULL). */
const char *units_suggest(const char *name, size_t len, char *buf, size_t n);
/* Iterate names: returns the i-th known unit name or NULL (prefixed forms included). */
const char *units_name_at(int i, char *buf, size_t n, Dim *d);
#endif
