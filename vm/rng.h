/*
** vm/rng.h
** The Monte Carlo random number generator: xoshiro256** (Blackman & Vigna,
** 2018) seeded from one 64-bit seed through splitmix64.
**
** Reproducibility contract: for the same seed, rng_next, rng_uniform and
** rng_bounded give bit-identical streams on every machine and compiler (only
** 64-bit integer arithmetic and one exact integer-to-double conversion are
** used; no libm). rng_normal (Marsaglia polar) additionally uses sqrt, which
** IEEE 754 requires to be correctly rounded, and log, which is not required
** to be: glibc's log (>= 2.28) is accurate to < 1 ulp and gives the same
** results on every x86-64/aarch64 build of the same glibc, but a different
** libm could differ in the last bit of a few normal variates. Compile without
** -ffast-math and without FP contraction (ISO C mode, -std=c11, already sets
** -ffp-contract=off in GCC) to keep results portable.
*/
#ifndef DEAL_RNG_H
#define DEAL_RNG_H

#include <math.h>
#include <stdint.h>

/* The seed used when the user gives none (--seed, :seed). */
#define DEAL_DEFAULT_SEED 20260101ULL

/* Generator state. Plain data: copy it to fork a stream (the copy repeats the
** original's output; call rng_jump on one of them to make them independent).
** spare/has_spare cache the second normal of a polar pair so that the normal
** stream is one sequence no matter how calls are split. */
typedef struct deal_rng {
  uint64_t s[4];
  double spare;
  int has_spare;
} deal_rng;

/* Seeds the state: s[0..3] are four successive splitmix64 outputs of seed
** (never all zero), as recommended by the xoshiro authors. Any seed is fine,
** including 0. */
void rng_seed(deal_rng *r, uint64_t seed);

/* Next raw 64-bit output of xoshiro256**. */
uint64_t rng_next(deal_rng *r);

/* Uniform double in the open interval (0,1): the top 53 bits of rng_next
** times 2^-53, redrawing the single all-zero value (probability 2^-53), so the
** result is a multiple of 2^-53 in [2^-53, 1-2^-53]. Never 0 (safe for log)
** and never 1. */
double rng_uniform(deal_rng *r);

/* Unbiased integer in [0, n) for n >= 1 (Lemire's multiply-and-reject
** method: no modulo bias, almost never more than one draw). Returns 0 if
** n == 0. */
uint64_t rng_bounded(deal_rng *r, uint64_t n);

/* Standard normal N(0,1) by the Marsaglia polar method (exact distribution,
** no trigonometric approximation). Values come in pairs; the second one is
** kept in the state and returned by the next call. */
double rng_normal(deal_rng *r);

/* Advances the state by 2^128 steps: equivalent to 2^128 calls of rng_next.
** Use it to make up to 2^128 non-overlapping streams from one seed (copy the
** state, jump the original, repeat). Clears the cached spare normal. */
void rng_jump(deal_rng *r);

/* Advances by 2^192 steps: for 2^64 groups of rng_jump streams. */
void rng_long_jump(deal_rng *r);


/*
** {======================================================
** Inline versions for hot loops (vm/dist.c fills millions of samples).
** They are the definitions: rng_next/rng_uniform above call them, so the
** two forms always give identical streams.
** =======================================================
*/

static inline uint64_t rng_rotl_(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

/* rng_next, inlinable. */
static inline uint64_t rng_next_inl(deal_rng *r) {
  uint64_t *s = r->s;
  uint64_t result = rng_rotl_(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rng_rotl_(s[3], 45);
  return result;
}

/* rng_uniform, inlinable. */
static inline double rng_uniform_inl(deal_rng *r) {
  uint64_t k;
  do {
    k = rng_next_inl(r) >> 11;
  } while (k == 0);  /* probability 2^-53: keeps the result strictly > 0 */
  return (double)k * 0x1.0p-53;
}

/* rng_normal, inlinable: Marsaglia polar with the spare kept in r. */
static inline double rng_normal_inl(deal_rng *r) {
  double u, v, s, f;
  if (r->has_spare) {
    r->has_spare = 0;
    return r->spare;
  }
  do {
    u = 2.0 * rng_uniform_inl(r) - 1.0;  /* exact: uniform is k*2^-53 */
    v = 2.0 * rng_uniform_inl(r) - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  f = sqrt(-2.0 * log(s) / s);
  r->spare = v * f;
  r->has_spare = 1;
  return u * f;
}

/* }====================================================== */

#endif
