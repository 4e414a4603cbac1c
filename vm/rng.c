/*
** vm/rng.c
** xoshiro256** with splitmix64 seeding, jumps, bounded integers and the
** polar normal. See rng.h for the reproducibility contract.
*/

#include <stdint.h>

#include "rng.h"


/* splitmix64 (Vigna): a good 64-bit mixer, used only to expand the seed so
** that close seeds (1, 2, 3...) still give unrelated states. */
static uint64_t splitmix64 (uint64_t *x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}


void rng_seed (deal_rng *r, uint64_t seed) {
  uint64_t x = seed;
  int i;
  for (i = 0; i < 4; i++)
    r->s[i] = splitmix64(&x);
  if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0)  /* cannot happen, but */
    r->s[0] = 1;  /* the all-zero state would be a fixed point */
  r->spare = 0.0;
  r->has_spare = 0;
}


uint64_t rng_next (deal_rng *r) {
  return rng_next_inl(r);
}


double rng_uniform (deal_rng *r) {
  return rng_uniform_inl(r);
}


/* High 64 bits of a 64x64 product, exact on every platform. */
static uint64_t mulhi64 (uint64_t a, uint64_t b, uint64_t *lo) {
#if defined(__SIZEOF_INT128__)
  unsigned __int128 p = (unsigned __int128)a * b;
  *lo = (uint64_t)p;
  return (uint64_t)(p >> 64);
#else
  uint64_t a0 = a & 0xffffffffu, a1 = a >> 32;
  uint64_t b0 = b & 0xffffffffu, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  *lo = a * b;
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
#endif
}


uint64_t rng_bounded (deal_rng *r, uint64_t n) {
  uint64_t lo, hi;
  if (n == 0) return 0;
  hi = mulhi64(rng_next_inl(r), n, &lo);
  if (lo < n) {  /* possibly in the biased zone: Lemire's exact test */
    uint64_t t = (0 - n) % n;  /* 2^64 mod n */
    while (lo < t)
      hi = mulhi64(rng_next_inl(r), n, &lo);
  }
  return hi;
}


double rng_normal (deal_rng *r) {
  return rng_normal_inl(r);
}


static void jump_with (deal_rng *r, const uint64_t poly[4]) {
  uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  int i, b;
  for (i = 0; i < 4; i++)
    for (b = 0; b < 64; b++) {
      if (poly[i] & (UINT64_C(1) << b)) {
        s0 ^= r->s[0];
        s1 ^= r->s[1];
        s2 ^= r->s[2];
        s3 ^= r->s[3];
      }
      (void)rng_next_inl(r);
    }
  r->s[0] = s0;
  r->s[1] = s1;
  r->s[2] = s2;
  r->s[3] = s3;
  r->has_spare = 0;
  r->spare = 0.0;
}


void rng_jump (deal_rng *r) {
  static const uint64_t JUMP[4] = {
    0x180ec6d33cfd0abaULL, 0xd5a61266f0c9392cULL,
    0xa9582618e03fc9aaULL, 0x39abdc4529b1661cULL };
  jump_with(r, JUMP);
}


void rng_long_jump (deal_rng *r) {
  static const uint64_t LONG_JUMP[4] = {
    0x76e15d3efefdcbbfULL, 0xc5004e441c522fb3ULL,
    0x77710069854ee241ULL, 0x39109bb02acbe635ULL };
  jump_with(r, LONG_JUMP);
}
