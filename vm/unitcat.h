/*
** vm/unitcat.h
** Tables of the unit catalog (unitcat.c).
*/
#ifndef DEAL_UNITCAT_H
#define DEAL_UNITCAT_H

enum { PFX_SI = 1, PFX_IEC = 2, PFX_SMALL = 4 | 1 };   /* SMALL implies SI */
enum { UK_PLAIN, UK_TIME, UK_COUNT, UK_MONEY };

typedef struct UnitDef {
  const char *name;
  const char *factor;   /* exact rational in base units */
  const char *dim;      /* "M L2 T-3" over base_dims symbols */
  int prefixes;
  int kind;
} UnitDef;

typedef struct BaseDim { const char *sym, *name, *unit; } BaseDim;
typedef struct NamedDim { const char *name, *dim, *unit, *example; } NamedDim;
typedef struct Prefix { const char *text; int base, exp, cls; } Prefix;

extern const UnitDef unit_catalog[];
extern const BaseDim base_dims[];
extern const int n_base_dims;
extern const NamedDim named_dims[];
extern const Prefix prefixes[];
#endif
