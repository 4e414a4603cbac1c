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

/* Big buffers (the Monte Carlo engine's values and scratch): whole
** mappings in multiples of 2 MB, advised for transparent huge pages, and
** counted in the budget (the limit and the fault injection apply). A fresh
** 4 KB page costs a fault on first touch, and on a virtual machine a fault
** can cost tens of microseconds (37 us measured on the project's 2-core
** VM: more than drawing a hundred samples); one huge page replaces 512 of
** them. alloc_pages_size is what a request really takes (0: too big). */
void *alloc_pages(size_t bytes);
void free_pages(void *p, size_t bytes);
size_t alloc_pages_size(size_t bytes);
/* deal_alloc below 1 MB, alloc_pages from there; free with the same size. */
void *alloc_any(size_t bytes);
void free_any(void *p, size_t bytes);
#endif
