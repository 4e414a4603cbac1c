/*
** vm/check.c
** `deal check PATH...`: runs every .deal model under the paths and gates
** on their claims.
*/
#include <stdio.h>

int check_main(int argc, char **argv) {
  (void)argc; (void)argv;
  fprintf(stderr, "deal check: not available yet\n");
  return 2;
}
