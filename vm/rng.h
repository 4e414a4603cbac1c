/*
** vm/rng.h
** The Monte Carlo random number generator: xoshiro256** (Blackman & Vigna,
** 2018) seeded from one 64-bit seed through splitmix64.
**
** Reproducibility contract: for the same seed, rng_next, rng_uniform and
** rng_bounded give bit-identical streams on every machine and compiler (only
** 64-bit integer arithmetic and exact integer-to-double conversions are
** used; no libm). rng_normal (ziggurat) uses only exact arithmetic and
** constant tables on its fast path (~99% of draws); its rare wedge and tail
** paths call exp and log, which IEEE 754 does not require to be correctly
** rounded: glibc's (>= 2.28) are < 1 ulp and identical across builds of the
** same glibc, but another libm could flip a rare accept/reject decision or
** the last bit of a tail value, and with it the rest of the stream. Compile without
** -ffast-math and without FP contraction (ISO C mode, -std=c11, already sets
** -ffp-contract=off in GCC) to keep results portable.
*/
#ifndef DEAL_RNG_H
#define DEAL_RNG_H

#include <math.h>
#include <stdint.h>

#include "defaults.h"   /* DEAL_DEFAULT_SEED: the seed when the user gives none */

/* Generator state. Plain data: copy it to fork a stream (the copy repeats the
** original's output; call rng_jump on one of them to make them independent).
** Every variate is a pure function of the state, so the stream does not
** depend on how draws are split between calls. */
typedef struct deal_rng {
  uint64_t s[4];
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

/* Standard normal N(0,1) by the ziggurat method with 128 layers, in
** Doornik's ZIGNOR form (2005: layer index and abscissa from independent
** bits, which fixes the original Marsaglia-Tsang correlation), Marsaglia's
** exact tail for |x| > 3.4426. An exact rejection method: no approximation
** beyond the double-precision tables. */
double rng_normal(deal_rng *r);

/* Advances the state by 2^128 steps: equivalent to 2^128 calls of rng_next.
** Use it to make up to 2^128 non-overlapping streams from one seed (copy the
** state, jump the original, repeat). */
void rng_jump(deal_rng *r);

/* Advances by 2^192 steps: for 2^64 groups of rng_jump streams. */
void rng_long_jump(deal_rng *r);

/* Samples per chunk of a Monte Carlo stream. Part of the reproducibility
** contract: changing it changes every figure. */
#define DEAL_RNG_CHUNK 1024

/* The generator of one chunk of one stream. Each uncertain input draws from
** its own stream; sample i comes from chunk i / DEAL_RNG_CHUNK, drawn in
** order from the chunk's start. So any chunk can be drawn again, alone, on
** any thread, in any shard, and the samples do not depend on how a run is
** split into blocks (docs/architecture.md, "Monte Carlo engine"). The state
** is rng_seed of a mix of (seed, stream, chunk) that is one-to-one in
** (stream, chunk) for a given seed: two chunks of a run never share a
** state. */
void rng_seed_chunk(deal_rng *r, uint64_t seed, uint32_t stream, uint32_t chunk);


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

/* Ziggurat tables (rng.c) and the rare path of the normal generator. */
extern const double rng_zig_x_[129];
extern const double rng_zig_r_[128];
double rng_normal_slow_(deal_rng *r, uint64_t bits);

/* rng_normal, inlinable: one 64-bit draw gives the layer (bits 0-6) and a
** symmetric uniform u in (-1,1) (bits 12-63, odd multiples of 2^-52); ~99%
** of draws are accepted right here with one compare and one multiply. */
static inline double rng_normal_inl(deal_rng *r) {
  uint64_t b = rng_next_inl(r);
  unsigned i = (unsigned)(b & 127u);
  double u = ((double)(b >> 12) + 0.5) * 0x1.0p-51 - 1.0;  /* exact */
  if (fabs(u) < rng_zig_r_[i]) return u * rng_zig_x_[i];
  return rng_normal_slow_(r, b);
}

/* }====================================================== */

#endif
