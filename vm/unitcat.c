/*
** vm/unitcat.c
** The unit catalog: every factor is an exact rational in base units, so
** 1.2 GW * 8760 h is exactly 10.512 TWh. yr is 365 d (8760 h) and month is
** yr/12 (730 h), the energy and cloud-pricing conventions. Counts and time
** take their plurals (chips, years); SI units take the small prefixes too
** (mWh, mA); `tok` takes the big ones for prices per token ($/Mtok).
*/
#include <stddef.h>
#include "unitcat.h"

const UnitDef unit_catalog[] = {
  /* name     factor        dimension          prefixes  kind */
  {"m",       "1",          "L",               PFX_SMALL,UK_PLAIN},
  {"g",       "1/1000",     "M",               PFX_SMALL,UK_PLAIN},
  {"s",       "1",          "T",               PFX_SMALL,UK_TIME},
  {"min",     "60",         "T",               0,        UK_TIME},
  {"h",       "3600",       "T",               0,        UK_TIME},
  {"hour",    "3600",       "T",               0,        UK_TIME},
  {"hours",   "3600",       "T",               0,        UK_TIME},
  {"hr",      "3600",       "T",               0,        UK_TIME},
  {"d",       "86400",      "T",               0,        UK_TIME},
  {"day",     "86400",      "T",               0,        UK_TIME},
  {"days",    "86400",      "T",               0,        UK_TIME},
  {"wk",      "604800",     "T",               0,        UK_TIME},
  {"week",    "604800",     "T",               0,        UK_TIME},
  {"weeks",   "604800",     "T",               0,        UK_TIME},
  {"month",   "2628000",    "T",               0,        UK_TIME},
  {"months",  "2628000",    "T",               0,        UK_TIME},
  {"yr",      "31536000",   "T",               0,        UK_TIME},
  {"year",    "31536000",   "T",               0,        UK_TIME},
  {"years",   "31536000",   "T",               0,        UK_TIME},
  {"A",       "1",          "I",               PFX_SMALL,UK_PLAIN},
  {"K",       "1",          "Th",              0,        UK_PLAIN},
  {"mol",     "1",          "N",               0,        UK_PLAIN},
  {"cd",      "1",          "J",               0,        UK_PLAIN},
  {"Hz",      "1",          "T-1",             PFX_SMALL,UK_PLAIN},
  {"W",       "1",          "M L2 T-3",        PFX_SMALL,UK_PLAIN},
  {"J",       "1",          "M L2 T-2",        PFX_SMALL,UK_PLAIN},
  {"Wh",      "3600",       "M L2 T-2",        PFX_SMALL,UK_PLAIN},
  {"bit",     "1",          "bit",             PFX_SI|PFX_IEC, UK_PLAIN},
  {"B",       "8",          "bit",             PFX_SI|PFX_IEC, UK_PLAIN},
  {"FLOP",    "1",          "FLOP",            PFX_SI,   UK_PLAIN},
  {"chip",    "1",          "chip",            0,        UK_COUNT},
  {"chips",   "1",          "chip",            0,        UK_COUNT},
  {"rack",    "1",          "rack",            0,        UK_COUNT},
  {"racks",   "1",          "rack",            0,        UK_COUNT},
  {"token",   "1",          "token",           0,        UK_COUNT},
  {"tokens",  "1",          "token",           0,        UK_COUNT},
  {"tok",     "1",          "token",           PFX_SI,   UK_PLAIN},   /* ktok, Mtok: $/Mtok */
  {"Btok",    "1000000000", "token",           0,        UK_PLAIN},
  {"$",       "1",          "USD",             0,        UK_MONEY},
  {"USD",     "1",          "USD",             0,        UK_MONEY},
  {"EUR",     "1",          "EUR",             0,        UK_MONEY},
  {"CNY",     "1",          "CNY",             0,        UK_MONEY},
  {"GBP",     "1",          "GBP",             0,        UK_MONEY},
  {"JPY",     "1",          "JPY",             0,        UK_MONEY},
  {"%",       "1/100",      "",                0,        UK_PLAIN},
  {"bp",      "1/10000",    "",                0,        UK_PLAIN},
  {"ppm",     "1/1000000",  "",                0,        UK_PLAIN},
  {NULL, NULL, NULL, 0, 0}
};

/* Base dimension symbols, in the order of the D_* enum, with the names
** analysts use and the unit shown when a value of that base is printed. */
const BaseDim base_dims[] = {
  {"L", "Length", "m"}, {"M", "Mass", "kg"}, {"T", "Time", "h"},
  {"I", "Current", "A"}, {"Th", "Temperature", "K"}, {"N", "Amount", "mol"},
  {"J", "Luminosity", "cd"}, {"bit", "Information", "B"},
  {"FLOP", "Compute", "FLOP"}, {"chip", "Chip", "chip"},
  {"rack", "Rack", "rack"}, {"token", "Token", "token"},
  {"USD", "Money[USD]", "$"}, {"EUR", "Money[EUR]", "EUR"},
  {"CNY", "Money[CNY]", "CNY"}, {"GBP", "Money[GBP]", "GBP"},
  {"JPY", "Money[JPY]", "JPY"},
};
const int n_base_dims = sizeof(base_dims) / sizeof(base_dims[0]);

/* Derived dimensions with names, and the unit family that displays them. */
const NamedDim named_dims[] = {
  {"Power",        "M L2 T-3",  "W",      "1 kW"},
  {"Energy",       "M L2 T-2",  "Wh",     "1 kWh"},
  {"Compute rate", "FLOP T-1",  "FLOP/s", "1 PFLOP/s"},
  {"Frequency",    "T-1",       "1/h",    "1/h"},
  {"Area",         "L2",        "m^2",    "1 m^2"},
  {"Speed",        "L T-1",     "m/s",    "1 m/s"},
  {NULL, NULL, NULL, NULL}
};

const Prefix prefixes[] = {
  {"Ki", 2, 10, PFX_IEC}, {"Mi", 2, 20, PFX_IEC}, {"Gi", 2, 30, PFX_IEC},
  {"Ti", 2, 40, PFX_IEC}, {"Pi", 2, 50, PFX_IEC}, {"Ei", 2, 60, PFX_IEC},
  {"\xC2\xB5", 10, -6, PFX_SMALL},
  {"k", 10, 3, PFX_SI}, {"M", 10, 6, PFX_SI}, {"G", 10, 9, PFX_SI},
  {"T", 10, 12, PFX_SI}, {"P", 10, 15, PFX_SI}, {"E", 10, 18, PFX_SI},
  {"Z", 10, 21, PFX_SI}, {"Y", 10, 24, PFX_SI},
  {"m", 10, -3, PFX_SMALL}, {"u", 10, -6, PFX_SMALL}, {"n", 10, -9, PFX_SMALL},
  {NULL, 0, 0, 0}
};
