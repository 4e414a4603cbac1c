/*
** vm/uexpr.c
** Unit names and unit expressions. Names are strict: a name is a catalog
** unit, a prefix plus a unit that accepts it, or a unit a script declared.
** An unknown name is never split into other units ("chip" is not c*hip).
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uexpr.h"
#include "unitcat.h"

#define MAXUSER 64
typedef struct UserUnit { char name[32]; mpq_t factor; Dim dim; int kind; } UserUnit;
static UserUnit user_units[MAXUSER];
static int n_user;
static int n_userdims;
static char userdim_names[NDIM - D_USER0][32];

static Dim cat_dims[128];
static size_t cat_len[128];      /* strlen of each name: unit_find runs per print */
static int cat_ready;
/* The named dimensions (Power, Energy...) and their display units, parsed
** once: every product of quantities asks for them. */
#define MAXNAMED 16
static Dim named_dimv[MAXNAMED];
static UExpr named_unit[MAXNAMED];
static int n_named;

/* Parses "M L2 T-3" into a Dim over base_dims (and user dims). */
static void parse_dimspec(const char *s, Dim *d) {
  memset(d, 0, sizeof *d);
  while (*s) {
    while (*s == ' ') s++;
    const char *b = s;
    while (*s && *s != ' ' && !(*s == '-' || isdigit((unsigned char)*s))) s++;
    size_t n = (size_t)(s - b);
    int e = 1;
    if (*s == '-' || isdigit((unsigned char)*s)) e = (int)strtol(s, (char **)&s, 10);
    for (int k = 0; k < n_base_dims; k++)
      if (strlen(base_dims[k].sym) == n && strncmp(base_dims[k].sym, b, n) == 0)
        d->e[k] += (int8_t)e;
  }
}

static void cat_init(void) {
  if (cat_ready) return;
  for (int i = 0; unit_catalog[i].name; i++) {
    parse_dimspec(unit_catalog[i].dim, &cat_dims[i]);
    cat_len[i] = strlen(unit_catalog[i].name);
  }
  cat_ready = 1;                   /* before uexpr_parse below, which calls us */
  char err[8];
  for (n_named = 0; named_dims[n_named].name && n_named < MAXNAMED; n_named++) {
    parse_dimspec(named_dims[n_named].dim, &named_dimv[n_named]);
    if (uexpr_parse(named_dims[n_named].unit, strlen(named_dims[n_named].unit), &named_unit[n_named], err, sizeof err))
      named_unit[n_named].n = 0;
  }
}

const Dim *uexpr_named_dim(int k) {
  cat_init();
  return k >= 0 && k < n_named ? &named_dimv[k] : NULL;
}

void units_reset(void) {
  for (int i = 0; i < n_user; i++) mpq_clear(user_units[i].factor);
  n_user = 0;
  n_userdims = 0;
}

static int find_exact(const char *name, size_t len) {
  cat_init();
  for (int i = 0; unit_catalog[i].name; i++)
    if (cat_len[i] == len && memcmp(unit_catalog[i].name, name, len) == 0)
      return i;
  for (int i = 0; i < n_user; i++)
    if (strlen(user_units[i].name) == len && memcmp(user_units[i].name, name, len) == 0)
      return -(i + 1);
  return 1 << 20;   /* not found */
}

int unit_find(const char *name, size_t len, UFactor *f) {
  int d = find_exact(name, len);
  f->exp = 1;
  f->pfx = -1;
  if (d != (1 << 20)) { f->def = d; return 1; }
  for (int p = 0; prefixes[p].text; p++) {
    size_t pl = strlen(prefixes[p].text);
    if (len <= pl || memcmp(name, prefixes[p].text, pl) != 0) continue;
    int u = find_exact(name + pl, len - pl);
    if (u == (1 << 20) || u < 0) continue;
    if ((unit_catalog[u].prefixes & prefixes[p].cls) != prefixes[p].cls) continue;
    f->def = u;
    f->pfx = p;
    return 1;
  }
  return 0;
}

int unit_name_known(const char *name, size_t len) {
  UFactor f;
  return unit_find(name, len, &f);
}

int unit_is_currency(const char *name, size_t len) {
  UFactor f;
  return unit_find(name, len, &f) && f.pfx < 0 && f.def >= 0 &&
         unit_catalog[f.def].kind == UK_MONEY && name[0] != '$';
}

int uexpr_kind(const UFactor *f) {
  return f->def >= 0 ? unit_catalog[f->def].kind : user_units[-f->def - 1].kind;
}
int uexpr_prefixable(const UFactor *f) {
  return f->def >= 0 && (unit_catalog[f->def].prefixes & PFX_SI) && unit_catalog[f->def].kind != UK_TIME;
}
const char *uexpr_name(const UFactor *f) {
  return f->def >= 0 ? unit_catalog[f->def].name : user_units[-f->def - 1].name;
}

static void factor_dim(const UFactor *f, Dim *d) {
  cat_init();
  *d = f->def >= 0 ? cat_dims[f->def] : user_units[-f->def - 1].dim;
}

void uexpr_dim(const UExpr *u, Dim *d) {
  memset(d, 0, sizeof *d);
  for (int i = 0; i < u->n; i++) {
    Dim fd;
    factor_dim(&u->f[i], &fd);
    for (int k = 0; k < NDIM; k++) d->e[k] += (int8_t)(fd.e[k] * u->f[i].exp);
  }
}

void uexpr_factor(const UExpr *u, mpq_t out) {
  mpq_t t;
  mpz_t p;
  mpq_init(t);
  mpz_init(p);
  mpq_set_ui(out, 1, 1);
  for (int i = 0; i < u->n; i++) {
    const UFactor *f = &u->f[i];
    if (f->def >= 0) mpq_set_str(t, unit_catalog[f->def].factor, 10);
    else mpq_set(t, user_units[-f->def - 1].factor);
    mpq_canonicalize(t);
    if (f->pfx >= 0) {
      const Prefix *px = &prefixes[f->pfx];
      mpz_ui_pow_ui(p, (unsigned long)px->base, (unsigned long)abs(px->exp));
      if (px->exp > 0) mpz_mul(mpq_numref(t), mpq_numref(t), p);
      else mpz_mul(mpq_denref(t), mpq_denref(t), p);
      mpq_canonicalize(t);
    }
    for (int k = 0; k < abs(f->exp); k++) {
      if (f->exp > 0) mpq_mul(out, out, t); else mpq_div(out, out, t);
    }
  }
  mpz_clear(p);
  mpq_clear(t);
}

static void factor_text(const UFactor *f, int absexp, char *buf, size_t n) {
  const char *px = f->pfx >= 0 ? prefixes[f->pfx].text : "";
  if (absexp == 1) snprintf(buf, n, "%s%s", px, uexpr_name(f));
  else snprintf(buf, n, "%s%s^%d", px, uexpr_name(f), absexp);
}

void uexpr_text(const UExpr *u, char *buf, size_t n) {
  size_t len = 0;
  char part[64];
  buf[0] = '\0';
  int nnum = 0;
  for (int i = 0; i < u->n; i++) {
    if (u->f[i].exp <= 0) continue;
    factor_text(&u->f[i], u->f[i].exp, part, sizeof part);
    len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s", nnum++ ? "\xC2\xB7" : "", part);
  }
  if (nnum == 0 && u->n > 0) len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "1");
  for (int i = 0; i < u->n; i++) {
    if (u->f[i].exp >= 0) continue;
    factor_text(&u->f[i], -u->f[i].exp, part, sizeof part);
    len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "/%s", part);
  }
}

/* Appends factor f (exponent scaled by sign) to out, merging equal units. */
static int push_factor(UExpr *out, UFactor f, int sign) {
  f.exp *= sign;
  for (int i = 0; i < out->n; i++)
    if (out->f[i].def == f.def && out->f[i].pfx == f.pfx) {
      out->f[i].exp += f.exp;
      return 1;
    }
  if (out->n >= UEXPR_MAXF) return 0;
  out->f[out->n++] = f;
  return 1;
}

/* Merges factors of equal dimension into the first of them (kWh^-1 * MWh
** cancels, kW * MW is kW^2): the value is in base units, so this changes
** the display only. Drops zero exponents. */
static void merge_equal(UExpr *u) {
  for (int i = 0; i < u->n; i++) {
    if (u->f[i].exp == 0) continue;
    Dim a, b;
    factor_dim(&u->f[i], &a);
    if (dim_iszero(&a)) continue;
    for (int j = i + 1; j < u->n; j++) {
      if (u->f[j].exp == 0) continue;
      factor_dim(&u->f[j], &b);
      if (dim_eq(&a, &b)) { u->f[i].exp += u->f[j].exp; u->f[j].exp = 0; }
    }
  }
  int k = 0;
  for (int i = 0; i < u->n; i++) if (u->f[i].exp != 0) u->f[k++] = u->f[i];
  u->n = k;
}

/* Two factors are of one family when they share a base dimension: GW and
** 1/kWh share M L2, GW and h share T, h and 1/MWh share T. */
static int tangled(const Dim *a, const Dim *b) {
  for (int k = 0; k < NDIM; k++) if (a->e[k] && b->e[k]) return 1;
  return 0;
}

/* Replaces each group of factors of one family (joined transitively) by
** the unit of the group's joint dimension when that takes fewer factors:
** GW/kWh is 1/h, so $0.06/kWh * 1 GW shows as $60,000/h; GW*h is Wh
** (printed TWh); h/MWh is 1/MW; but J/m stays (kg·m/h^2 is longer). A
** replacement of one prefixable unit keeps the SI prefix of a member
** whose exponent has the same sign ($ / (GW*h) is $/GWh). Returns 0 when
** the result does not fit (the caller then keeps the unsimplified form). */
static int untangle(UExpr *u) {
  int grp[UEXPR_MAXF];
  Dim c[UEXPR_MAXF];
  for (int i = 0; i < u->n; i++) {
    factor_dim(&u->f[i], &c[i]);
    for (int k = 0; k < NDIM; k++) {
      int e = c[i].e[k] * u->f[i].exp;
      if (e > DIM_MAXEXP || e < -DIM_MAXEXP) return 0;
      c[i].e[k] = (int8_t)e;
    }
    grp[i] = i;
  }
  for (int i = 0; i < u->n; i++)
    for (int j = i + 1; j < u->n; j++) {
      if (grp[i] == grp[j] || !tangled(&c[i], &c[j])) continue;
      int lo = grp[i] < grp[j] ? grp[i] : grp[j], hi = grp[i] + grp[j] - lo;
      for (int k = 0; k < u->n; k++) if (grp[k] == hi) grp[k] = lo;
    }
  UExpr out;
  out.n = 0;
  for (int i = 0; i < u->n; i++) {
    int members = 0;
    for (int k = 0; k < u->n; k++) members += grp[k] == i;
    if (members == 0) continue;
    if (members == 1) { if (!push_factor(&out, u->f[i], 1)) return 0; continue; }
    Dim joint;
    for (int b = 0; b < NDIM; b++) {
      int e = 0;
      for (int k = 0; k < u->n; k++) if (grp[k] == i) e += c[k].e[b];
      if (e > DIM_MAXEXP || e < -DIM_MAXEXP) return 0;
      joint.e[b] = (int8_t)e;
    }
    UExpr a;
    uexpr_auto(&joint, &a);
    if (a.n >= members) {                       /* not simpler: keep the group */
      for (int k = 0; k < u->n; k++) if (grp[k] == i && !push_factor(&out, u->f[k], 1)) return 0;
      continue;
    }
    if (a.n == 1 && abs(a.f[0].exp) == 1 && uexpr_prefixable(&a.f[0]))
      for (int k = 0; k < u->n; k++) {
        if (grp[k] != i || u->f[k].pfx < 0 || (u->f[k].exp > 0) != (a.f[0].exp > 0)) continue;
        char nm[48];
        UFactor t;
        snprintf(nm, sizeof nm, "%s%s", prefixes[u->f[k].pfx].text, uexpr_name(&a.f[0]));
        if (unit_find(nm, strlen(nm), &t) && t.def == a.f[0].def) { a.f[0].pfx = t.pfx; break; }
      }
    for (int k = 0; k < a.n; k++) if (!push_factor(&out, a.f[k], 1)) return 0;
  }
  *u = out;
  return 1;
}

/* Money leads: "$10.00·chip", not "10 chip·$". */
static void money_first(UExpr *u) {
  UExpr s;
  s.n = 0;
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < u->n; i++)
      if ((uexpr_kind(&u->f[i]) == UK_MONEY && u->f[i].exp > 0) == (pass == 0)) s.f[s.n++] = u->f[i];
  *u = s;
}

int uexpr_combine(UExpr *out, const UExpr *a, const UExpr *b, int sign) {
  UExpr r;
  r.n = 0;
  for (int i = 0; i < a->n; i++) if (!push_factor(&r, a->f[i], 1)) return 0;
  for (int i = 0; i < b->n; i++) if (!push_factor(&r, b->f[i], sign)) return 0;
  merge_equal(&r);
  UExpr t = r;
  if (untangle(&t)) r = t;
  merge_equal(&r);
  money_first(&r);
  *out = r;
  return 1;
}

/* Display for a bare dimension: a named family when it matches exactly,
** else one factor per base dimension (money first, time last). */
void uexpr_auto(const Dim *d, UExpr *u) {
  static const int order[] = {D_USD, D_EUR, D_CNY, D_GBP, D_JPY, D_FLOP, D_BIT,
                              D_CHIP, D_RACK, D_TOKEN, D_LENGTH, D_MASS,
                              D_CURRENT, D_TEMP, D_AMOUNT, D_LUMINOUS, D_TIME};
  Dim rest = *d;
  u->n = 0;
  cat_init();
  for (int i = 0; i < n_named; i++)
    if (named_unit[i].n > 0 && dim_eq(&named_dimv[i], d)) { *u = named_unit[i]; return; }
  /* Energy or power inside a compound ($/kWh, $/W, 1/Wh): factor out the
  ** one that leaves the fewest other dimensions. */
  static const char *const inner[] = {"Wh", "W"};
  int bestnz = NDIM + 1;
  for (int k = 0; k < 2; k++) {
    Dim nd;
    UFactor f;
    unit_find(inner[k], strlen(inner[k]), &f);
    factor_dim(&f, &nd);
    for (int s = -1; s <= 1; s += 2) {
      Dim r = *d;
      int nz = 0;
      for (int i = 0; i < NDIM; i++) { r.e[i] = (int8_t)(r.e[i] - s * nd.e[i]); nz += r.e[i] != 0; }
      if (r.e[D_LENGTH] == 0 && r.e[D_MASS] == 0 && nz < bestnz) {
        f.exp = s;
        u->f[0] = f;
        u->n = 1;
        rest = r;
        bestnz = nz;
      }
    }
  }

  for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
    int b = order[k];
    if (!rest.e[b]) continue;
    UFactor f;
    unit_find(base_dims[b].unit, strlen(base_dims[b].unit), &f);
    if (b == D_MASS) f.exp = rest.e[b];
    f.exp = rest.e[b];
    if (b == D_BIT) {  /* information shows in bytes */
      f.exp = rest.e[b];
    }
    if (u->n < UEXPR_MAXF) u->f[u->n++] = f;
  }
  for (int b = D_USER0; b < D_USER0 + n_userdims; b++) {
    if (!rest.e[b]) continue;
    for (int i = 0; i < n_user; i++) {
      Dim one = {{0}};
      one.e[b] = 1;
      if (dim_eq(&user_units[i].dim, &one) && mpq_cmp_ui(user_units[i].factor, 1, 1) == 0) {
        UFactor f = {-(i + 1), -1, rest.e[b]};
        if (u->n < UEXPR_MAXF) u->f[u->n++] = f;
        break;
      }
    }
  }
  /* numerator factors first, so "1/h" rarely leads */
  UExpr s = {0, {{0, 0, 0}}};
  for (int i = 0; i < u->n; i++) if (u->f[i].exp > 0) s.f[s.n++] = u->f[i];
  for (int i = 0; i < u->n; i++) if (u->f[i].exp < 0) s.f[s.n++] = u->f[i];
  *u = s;
}

static int is_namechar(unsigned char c, int first) {
  return isalpha(c) || c == '_' || c >= 0x80 || (!first && isdigit(c));
}

const char *uexpr_parse(const char *s, size_t len, UExpr *u, char *err, size_t errsz) {
  size_t i = 0;
  int sign = 1;
  u->n = 0;
  if (len == 1 && s[0] == '1') return NULL;                 /* "1": no unit (plain) */
  if (len >= 2 && s[0] == '1' && s[1] == '/') { i = 1; }   /* "1/h" */
  else if (len == 0) { snprintf(err, errsz, "empty unit"); return err; }
  else goto factor;
  for (;;) {
    if (i >= len) break;
    if (s[i] == '/') { sign = -1; i++; }
    else if (s[i] == '*') { sign = 1; i++; }
    else if (i + 1 < len && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xB7) { sign = 1; i += 2; }
    else { snprintf(err, errsz, "unexpected '%c' in unit '%.*s'", s[i], (int)len, s); return err; }
  factor:;
    size_t b = i;
    if (i < len && (s[i] == '$' || s[i] == '%')) i++;
    else while (i < len && is_namechar((unsigned char)s[i], i == b) &&
                !((unsigned char)s[i] == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xB7))
      i++;                                 /* a middle dot separates units */
    if (i == b) { snprintf(err, errsz, "malformed unit '%.*s'", (int)len, s); return err; }
    UFactor f;
    if (!unit_find(s + b, i - b, &f)) {
      char sug[48];
      if (units_suggest(s + b, i - b, sug, sizeof sug))
        snprintf(err, errsz, "unknown unit '%.*s' (did you mean '%s'?)", (int)(i - b), s + b, sug);
      else
        snprintf(err, errsz, "unknown unit '%.*s'", (int)(i - b), s + b);
      return err;
    }
    if (i < len && s[i] == '^') {
      char *e;
      char num[8] = {0};
      size_t j = i + 1, k = 0;
      if (j < len && s[j] == '-') num[k++] = s[j++];
      while (j < len && isdigit((unsigned char)s[j]) && k < 6) num[k++] = s[j++];
      long x = strtol(num, &e, 10);
      if (*e || k == 0 || x == 0 || labs(x) > DIM_MAXEXP) {
        snprintf(err, errsz, "bad exponent in unit '%.*s'", (int)len, s);
        return err;
      }
      f.exp = (int)x;
      i = j;
    }
    if (!push_factor(u, f, sign)) { snprintf(err, errsz, "unit '%.*s' is too long", (int)len, s); return err; }
  }
  /* Every exponent of the dimension must fit a Dim (kW^10 is fine; m^99 *
  ** m^99 is not), as arith_dim demands of values. */
  for (int b = 0; b < NDIM; b++) {
    long e = 0;
    for (int k = 0; k < u->n; k++) {
      Dim fd;
      factor_dim(&u->f[k], &fd);
      e += (long)fd.e[b] * u->f[k].exp;
      if (labs((long)fd.e[b] * u->f[k].exp) > DIM_MAXEXP) e = DIM_MAXEXP + 1;
    }
    if (labs(e) > DIM_MAXEXP) { snprintf(err, errsz, "unit exponent too large in '%.*s'", (int)len, s); return err; }
  }
  /* The factor is built with GMP later: refuse one beyond the size cap
  ** now (a declared unit of 1e9999999 W raised to ^9). */
  double bits = 0;
  for (int k = 0; k < u->n; k++) {
    const UFactor *g = &u->f[k];
    double fb = g->def >= 0 ? 64 : (double)(mpz_sizeinbase(mpq_numref(user_units[-g->def - 1].factor), 2) +
                                           mpz_sizeinbase(mpq_denref(user_units[-g->def - 1].factor), 2));
    if (g->pfx >= 0) fb += abs(prefixes[g->pfx].exp) * (prefixes[g->pfx].base == 2 ? 1 : 3.33);
    bits += fb * abs(g->exp);
  }
  if (bits > (double)(1UL << 25)) {
    snprintf(err, errsz, "number too large (unit '%.*s' has a factor of about %.0f bits)", (int)len, s, bits);
    return err;
  }
  return NULL;
}

/* {====== scripts' own dimensions and units ====== */
/* A name scripts may give a new unit: the grammar of unit expressions
** (a letter or '_', then letters, digits, '_'), not a unit already. */
static int new_unit_name(const char *name, char *err, size_t n) {
  size_t len = strlen(name);
  UFactor f;
  int ok = len > 0 && len < 32;
  for (size_t i = 0; ok && i < len; i++) ok = is_namechar((unsigned char)name[i], i == 0);
  if (!ok) { snprintf(err, n, "bad unit name '%s' (a letter, then letters, digits or _)", name); return 0; }
  if (unit_find(name, len, &f)) { snprintf(err, n, "unit '%s' already exists", name); return 0; }
  return 1;
}

/* A dimension name is new when no dimension has it and it is no unit
** (units.check(x, "Power") must mean one thing). */
static int new_dim_name(const char *name, char *err, size_t n) {
  UFactor f;
  int taken = strcmp(name, "Number") == 0;
  for (int b = 0; b < n_base_dims && !taken; b++) taken = strcmp(base_dims[b].name, name) == 0;
  for (int k = 0; named_dims[k].name && !taken; k++) taken = strcmp(named_dims[k].name, name) == 0;
  for (int k = 0; k < n_userdims && !taken; k++) taken = strcmp(userdim_names[k], name) == 0;
  if (name[0] == '\0' || strlen(name) >= 32) { snprintf(err, n, "bad dimension name '%s'", name); return 0; }
  if (taken) { snprintf(err, n, "dimension '%s' already exists", name); return 0; }
  if (unit_find(name, strlen(name), &f)) { snprintf(err, n, "'%s' is a unit, not a new dimension name", name); return 0; }
  return 1;
}

/* The user unit called name, or NULL. */
static const UserUnit *user_unit(const char *name) {
  int i = find_exact(name, strlen(name));
  return i < 0 ? &user_units[-i - 1] : NULL;
}

/* Declaring the same dimension or unit again is no change: a model run
** twice in one session (the REPL's :reload) declares them again. */
int units_user_dimension(const char *name, const char *unit, char *err, size_t n) {
  const UserUnit *same = user_unit(unit);
  for (int k = 0; same && k < n_userdims; k++)
    if (strcmp(userdim_names[k], name) == 0 && same->kind == UK_COUNT && same->dim.e[D_USER0 + k] == 1)
      return 1;
  if (n_userdims >= NDIM - D_USER0 || n_user >= MAXUSER) {
    snprintf(err, n, "too many dimensions (at most %d)", NDIM - D_USER0);
    return 0;
  }
  if (!new_dim_name(name, err, n) || !new_unit_name(unit, err, n)) return 0;
  int d = D_USER0 + n_userdims;
  snprintf(userdim_names[n_userdims++], 32, "%s", name);
  UserUnit *u = &user_units[n_user++];
  snprintf(u->name, sizeof u->name, "%s", unit);
  mpq_init(u->factor);
  mpq_set_ui(u->factor, 1, 1);
  memset(&u->dim, 0, sizeof u->dim);
  u->dim.e[d] = 1;
  u->kind = UK_COUNT;
  return 1;
}

int units_user_define(const char *name, const mpq_t factor, const Dim *d, char *err, size_t n) {
  const UserUnit *same = user_unit(name);
  if (same && same->kind == UK_PLAIN && dim_eq(&same->dim, d) && mpq_equal(same->factor, factor)) return 1;
  if (n_user >= MAXUSER) { snprintf(err, n, "too many units (at most %d)", MAXUSER); return 0; }
  if (!new_unit_name(name, err, n)) return 0;
  if (mpq_sgn(factor) <= 0) { snprintf(err, n, "a unit must be a positive amount"); return 0; }
  UserUnit *u = &user_units[n_user++];
  snprintf(u->name, sizeof u->name, "%s", name);
  mpq_init(u->factor);
  mpq_set(u->factor, factor);
  u->dim = *d;
  u->kind = UK_PLAIN;
  return 1;
}

const char *units_userdim_name(int d) {
  return (d >= D_USER0 && d < D_USER0 + n_userdims) ? userdim_names[d - D_USER0] : NULL;
}
/* }====== */

/* Levenshtein distance, bounded: names are short. */
static int distance(const char *a, size_t na, const char *b, size_t nb) {
  int row[40];
  if (na >= 39 || nb >= 39) return 99;
  for (size_t j = 0; j <= nb; j++) row[j] = (int)j;
  for (size_t i = 1; i <= na; i++) {
    int prev = row[0];
    row[0] = (int)i;
    for (size_t j = 1; j <= nb; j++) {
      int cur = row[j];
      int sub = prev + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]) ? 1 : 0);
      if (a[i - 1] != b[j - 1] && tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1])) sub = prev + 1;
      int best = sub;
      if (row[j] + 1 < best) best = row[j] + 1;
      if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
      row[j] = best;
      prev = cur;
    }
  }
  return row[nb];
}

const char *units_name_at(int i, char *buf, size_t n, Dim *d) {
  cat_init();
  int ncat = 0;
  while (unit_catalog[ncat].name) ncat++;
  if (i < ncat) {
    snprintf(buf, n, "%s", unit_catalog[i].name);
    if (d) *d = cat_dims[i];
    return buf;
  }
  i -= ncat;
  if (i < n_user) {
    snprintf(buf, n, "%s", user_units[i].name);
    if (d) *d = user_units[i].dim;
    return buf;
  }
  i -= n_user;
  /* prefixed forms of the prefixable units */
  for (int u = 0; u < ncat; u++) {
    for (int p = 0; prefixes[p].text; p++) {
      if ((unit_catalog[u].prefixes & prefixes[p].cls) != prefixes[p].cls) continue;
      if (prefixes[p].exp < 0 && unit_catalog[u].kind != UK_TIME) continue;
      if (prefixes[p].exp > 18 || prefixes[p].text[0] == '\xC2') continue;
      if (i-- == 0) {
        snprintf(buf, n, "%s%s", prefixes[p].text, unit_catalog[u].name);
        if (d) *d = cat_dims[u];
        return buf;
      }
    }
  }
  return NULL;
}

const char *units_suggest(const char *name, size_t len, char *buf, size_t n) {
  static const struct { const char *bad, *good; } special[] = {
    {"FLOPS", "FLOP/s"}, {"flops", "FLOP/s"}, {"petaflops", "PFLOP/s"},
    {"PFLOPS", "PFLOP/s"}, {"TFLOPS", "TFLOP/s"}, {"EFLOPS", "EFLOP/s"},
    {"GFLOPS", "GFLOP/s"}, {"KB", "kB' (1000 B) or 'KiB' (1024 B)"},
    {"kwh", "kWh"}, {"KWh", "kWh"}, {"kw", "kW"}, {"KW", "kW"}, {"usd", "USD"},
    {"GPU", "chip"}, {"GPUs", "chip"}, {"TPU", "chip"}, {"TPUs", "chip"},
  };
  for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
    if (strlen(special[i].bad) == len && memcmp(special[i].bad, name, len) == 0) {
      snprintf(buf, n, "%s", special[i].good);
      return buf;
    }
  int best = 3;
  char cand[48];
  const char *found = NULL;
  for (int i = 0; units_name_at(i, cand, sizeof cand, NULL); i++) {
    int dd = distance(name, len, cand, strlen(cand));
    if (dd < best || (dd == best && found == NULL && dd <= 1)) {
      best = dd;
      snprintf(buf, n, "%s", cand);
      found = buf;
    }
  }
  return (found && best <= (len <= 3 ? 1 : 2)) ? found : NULL;
}
