/*
** vm/units.h
** Quantities: nums with a dimension and a display unit. The middle layer of
** the numeric core, over nums (num.h) and unit expressions (uexpr.h):
** units.c names dimensions, reads quantity text, combines display units
** and converts currencies; qtyfmt.c prints. The `units` library that
** scripts see is lunits.c.
*/
#ifndef DEAL_UNITS_H
#define DEAL_UNITS_H
#include <stddef.h>
#include <lua.h>
#include "num.h"

/* {====== dimensions and values (units.c) ====== */
/* Name of a dimension as analysts say it: "Power", "Energy", "Money[USD]",
** "Chip·Time"; writes into buf and returns it. */
const char *dim_name(const Dim *d, char *buf, size_t n);
/* Dimension from a name ("Power", "Chip", "Number") or a unit string
** ("kW"); 0 when it is neither. */
int units_dimfromspec(const char *spec, Dim *d);
/* Dimension of the value at i: a num, a Lua number (plain) or anything
** with a __dim metamethod (uncertain values). */
Dim units_valuedim(lua_State *L, int i);
/* Raises "cannot add Power and Energy: a + b (hint: ...)" for the values at
** a and b (nums, samples or numbers). verb: "add", "subtract", "compare". */
int units_mismatch(lua_State *L, const char *verb, const char *sym, int a, int b);
/* }====== */

/* {====== quantity text (units.c in, qtyfmt.c out) ====== */
/* Pushes a num parsed from "1.2 GW", "$21B", "EUR 3M", "5%", and from
** whatever num_pushtext prints ("≈$1.45M", "$10.00·chip", "0.5/h",
** "10,512 GWh"); a bad text raises "<what>: <reason> in '<text>'". */
Num *units_pushparse(lua_State *L, const char *s, size_t len, const char *what);

/* How a value is shown: the options of x:format{} (docs/display.md). */
typedef struct NumFmt {
  int sig;        /* significant digits; 0: the default rules */
  int decimals;   /* digits after the point; -1: the default rules */
  int cents;      /* money amounts in full, to the cent */
  int sep;        /* thousands separator character; 0: none; -1: the default */
  int scale;      /* K/M/B/T power (0..4) for money and counts; -1: automatic */
  int mark;       /* "≈" before a rounded or inexact value: 0, 1; -1: unless
                  ** the precision was chosen (sig, decimals, cents) */
} NumFmt;
/* tostring of the num at i: "10.512 TWh", "$21.0B", "≈0.6667". */
void num_pushtext(lua_State *L, int i);
/* The text of the num at i with the options f (NULL: tostring's). */
void num_pushformat(lua_State *L, int i, const NumFmt *f);
/* The unit the num at i prints in ("MW", "$/MWh"; "" for a plain number). */
void num_pushunit(lua_State *L, int i);
/* f = the factor of the unit the num at i prints in (1 h: 3600 s; $: 1):
** num.floor, num.ceil and num.round of a quantity work in it. */
void num_shownfactor(lua_State *L, int i, mpq_t f);
/* }====== */

/* {====== display units of products and quotients (units.c) ====== */
/* Display text of a product (sign +1), quotient (-1) or power (db NULL,
** sign = exponent) of unit-carrying values; "" when the result is plain.
** Used by nums and by samples alike. */
void units_combine(const Dim *da, const char *dispa, const Dim *db, const char *dispb,
                   int sign, const Dim *dr, char *text, size_t tn);
/* Sets the display unit of the num at r, the result of the nums at a and b
** (b == 0: a power, sign = exponent), whose dimension is already set. */
void num_combine_display(lua_State *L, int r, int a, int b, int sign);
/* }====== */

/* {====== currencies and FX (units.c) ====== */
/* A new Lua state: forgets the units, dimensions and FX table that scripts
** declared in the previous one. */
void units_open(void);
/* The normalised FX table on top ("EURUSD" -> num, date = ...) becomes
** the one conversions use (pops it). */
void units_setfx(lua_State *L);
int units_hasfx(void);
/* The base dimension of the one currency in d (its exponent in *exp), or -1
** when d has none or several. */
int units_currency(const Dim *d, int *exp);
/* Converts n in place into the currency of target with the FX table.
** Returns 0 (n untouched) when the dimensions differ by more than one
** currency or there is no table; raises when the table lacks the pair. */
int units_fx_convert(lua_State *L, Num *n, const Dim *target);
/* }====== */
#endif
