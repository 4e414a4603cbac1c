/* bench/h_gmp.c: exact H(N) with GMP mpq_t directly from C, the peer of
** the deal harmonic benchmark. */
#include <gmp.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  unsigned long n = argc > 1 ? strtoul(argv[1], 0, 10) : 20000;
  mpq_t s, t;
  mpq_init(s);
  mpq_init(t);
  for (unsigned long k = 1; k <= n; k++) {
    mpq_set_ui(t, 1, k);
    mpq_add(s, s, t);
  }
  printf("H(%lu): numerator %zu bits\n", n, mpz_sizeinbase(mpq_numref(s), 2));
  mpq_clear(s);
  mpq_clear(t);
  return 0;
}
