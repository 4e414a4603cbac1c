/*
** vm/xsum.c
** Exact sums of doubles (see xsum.h). A double is m 2^e with an integer
** |m| < 2^53 and e >= -1074, so x = m 2^(p - 1074) with p = e + 1074 >= 0:
** m shifted left by p is an integer, added limb by limb.
*/
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "xsum.h"

#define LIMB_BITS 32
#define LIMB_MASK UINT64_C(0xffffffff)
#define CARRY_EVERY (UINT32_C(1) << 30)


void xsum_init(XSum *s) {
  memset(s, 0, sizeof *s);
}


/* Carries: every limb but the top one into [0, 2^32), the top one signed.
** Floor division keeps negative limbs right (-1 = -2^32 + (2^32 - 1)). */
static void carry(int64_t *limb) {
  for (int j = 0; j < XSUM_LIMBS - 1; j++) {
    int64_t c = limb[j] >= 0 ? limb[j] / 4294967296 : -((-limb[j] + 4294967295) / 4294967296);
    limb[j] -= c * 4294967296;
    limb[j + 1] += c;
  }
}


void xsum_add(XSum *s, double x) {
  uint64_t u;
  memcpy(&u, &x, sizeof u);
  unsigned ex = (unsigned)(u >> 52) & 0x7ff;
  uint64_t m = u & ((UINT64_C(1) << 52) - 1);
  if (m == 0 && ex == 0) return;                 /* +0 and -0 */
  unsigned p = ex ? ex - 1 : 0;                  /* subnormals: p = 0 */
  if (ex) m |= UINT64_C(1) << 52;
  unsigned j = p / LIMB_BITS, sh = p % LIMB_BITS;
  uint64_t lo = m << sh, hi = sh ? m >> (64 - sh) : 0;   /* m 2^sh, 85 bits */
  int64_t d0 = (int64_t)(lo & LIMB_MASK), d1 = (int64_t)(lo >> 32), d2 = (int64_t)hi;
  if (u >> 63) { d0 = -d0; d1 = -d1; d2 = -d2; }
  s->limb[j] += d0;
  s->limb[j + 1] += d1;
  s->limb[j + 2] += d2;
  if (++s->adds >= CARRY_EVERY) { carry(s->limb); s->adds = 0; }
}


void xsum_merge(XSum *s, const XSum *t) {
  XSum c = *t;
  carry(s->limb);
  carry(c.limb);                                 /* both limbs < 2^32: no overflow */
  for (int j = 0; j < XSUM_LIMBS; j++) s->limb[j] += c.limb[j];
  s->adds = 1;
}


/* Bits [lo, lo + count) of the magnitude (count <= 56; bits below 0 and
** above the top are 0). */
static uint64_t bits_at(const uint64_t *mag, int lo, int count) {
  uint64_t r = 0;
  for (int k = 0; k < count; k++) {
    int p = lo + k;
    if (p < 0 || p >= XSUM_LIMBS * LIMB_BITS) continue;
    r |= ((mag[p / LIMB_BITS] >> (p % LIMB_BITS)) & 1) << k;
  }
  return r;
}


/* Whether any bit below position `below` is set. */
static int any_below(const uint64_t *mag, int below) {
  if (below <= 0) return 0;
  int j = below / LIMB_BITS, r = below % LIMB_BITS;
  for (int k = 0; k < j; k++) if (mag[k]) return 1;
  return r && (mag[j] & ((UINT64_C(1) << r) - 1)) != 0;
}


double xsum_round(const XSum *s, int scale) {
  int64_t limb[XSUM_LIMBS];
  uint64_t mag[XSUM_LIMBS];
  memcpy(limb, s->limb, sizeof limb);
  carry(limb);
  int neg = limb[XSUM_LIMBS - 1] < 0;
  if (neg) {                                     /* magnitude of a negative sum */
    for (int j = 0; j < XSUM_LIMBS; j++) limb[j] = -limb[j];
    carry(limb);
  }
  int top = -1;
  for (int j = 0; j < XSUM_LIMBS; j++) {
    mag[j] = (uint64_t)limb[j];
    if (mag[j]) top = j;
  }
  if (top < 0) return 0.0;
  int b = top * LIMB_BITS + 31;                  /* the highest set bit (limbs < 2^32) */
  while (!((mag[top] >> (b % LIMB_BITS)) & 1)) b--;
  /* the result's last bit: 53 bits below the top, never finer than the
  ** smallest subnormal of the scaled value */
  int ulp = b - 52 > scale ? b - 52 : scale;
  uint64_t m = bits_at(mag, ulp, b - ulp + 1);
  int half = ulp > 0 ? (int)((mag[(ulp - 1) / LIMB_BITS] >> ((ulp - 1) % LIMB_BITS)) & 1) : 0;
  int sticky = any_below(mag, ulp - 1);
  if (half && (sticky || (m & 1))) m++;          /* to nearest, ties to even */
  double r = ldexp((double)m, ulp - 1074 - scale);
  return neg ? -r : r;
}


double xsum_mean(const XSum *s, double n) {
  double sum = xsum_round(s, 0);
  if (isfinite(sum)) return sum / n;
  int k = 0;
  frexp(n, &k);                                  /* n < 2^k */
  return ldexp(xsum_round(s, k) / n, k);
}
