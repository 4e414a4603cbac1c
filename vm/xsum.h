/*
** vm/xsum.h
** Exact sums of doubles: a fixed-point accumulator wide enough for every
** finite double, so adding is associative and commutative. The Monte Carlo
** engine adds per-chunk partial sums into one of these per thread and merges
** them at the end: a mean does not depend on the block size, the number of
** threads or the order in which blocks finish (docs/architecture.md, "Monte
** Carlo engine"), and partial sums of shards merge to the same bits.
*/
#ifndef DEAL_XSUM_H
#define DEAL_XSUM_H
#include <stdint.h>

/* Limb j holds the bits of weight 2^(32 j - 1074) (bit 0 of limb 0 is the
** smallest subnormal). Limbs are signed 64-bit with 32 bits of headroom, so
** carries are propagated only every 2^30 additions. 66 limbs cover every
** double; two more absorb carries of sums of up to 2^62 terms. */
#define XSUM_LIMBS 68

typedef struct XSum {
  int64_t limb[XSUM_LIMBS];
  uint32_t adds;               /* additions since the last carry pass */
} XSum;

void xsum_init(XSum *s);
/* Adds a finite x (the caller checks: inf and NaN have no fixed point). */
void xsum_add(XSum *s, double x);
/* s += t, exactly. */
void xsum_merge(XSum *s, const XSum *t);
/* The sum times 2^-scale, rounded once to the nearest double (ties to
** even); +-inf when it does not fit. scale > 0 brings a sum that overflows
** a double back in range (a mean of huge values). */
double xsum_round(const XSum *s, int scale);
/* The sum divided by n (n >= 1): rounded sum over n, the sum first scaled
** down when it alone would overflow. */
double xsum_mean(const XSum *s, double n);
#endif
