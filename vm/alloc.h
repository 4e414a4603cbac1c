/*
** vm/alloc.h
** The counting allocator shared by Lua and GMP, with a memory limit and
** fault injection for the out-of-memory sweep.
*/
#ifndef DEAL_ALLOC_H
#define DEAL_ALLOC_H
#include <stddef.h>

typedef struct Budget {
  size_t used, peak, limit;   /* limit 0 = none */
  long count, fail_after;     /* fail every allocation after fail_after (-1: never) */
} Budget;

extern Budget deal_budget;
void *deal_alloc(void *ud, void *ptr, size_t osize, size_t nsize);
/* Routes GMP through the same counter (GMP allocations never fail: limits
** are enforced before each GMP call by num_checkbits). */
void alloc_setup_gmp(void);
/* Bytes still available under the limit (SIZE_MAX when unlimited). */
size_t alloc_room(void);
#endif
