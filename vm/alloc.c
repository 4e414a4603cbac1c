/*
** vm/alloc.c
** One budget for Lua and GMP memory. Lua's allocator may fail (Lua turns it
** into "not enough memory"); GMP's must not (GMP aborts), so GMP growth is
** checked against the budget before each call instead (num_checkbits).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <gmp.h>
#include "alloc.h"

Budget deal_budget = {0, 0, 0, 0, -1};

void *deal_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Budget *b = ud;
  if (ptr == NULL) osize = 0;          /* osize is a type tag then */
  if (nsize == 0) {
    free(ptr);
    b->used -= osize;
    return NULL;
  }
  if (nsize > osize) {
    b->count++;                        /* growths, counted for the OOM sweep */
    if (b->fail_after >= 0 && b->count > b->fail_after) return NULL;
    if (b->limit && b->used - osize + nsize > b->limit) return NULL;
  }
  void *p = realloc(ptr, nsize);
  if (p) {
    b->used = b->used - osize + nsize;
    if (b->used > b->peak) b->peak = b->used;
  }
  return p;
}

size_t alloc_room(void) {
  if (!deal_budget.limit) return SIZE_MAX;
  return deal_budget.used >= deal_budget.limit ? 0 : deal_budget.limit - deal_budget.used;
}

/* GMP's functions: count, never fail (a failure here is a true OOM of the
** machine, where aborting with a message is all that is left). */
static void *g_alloc(size_t n) {
  void *p = malloc(n);
  if (!p) { fputs("deal: out of memory in GMP\n", stderr); abort(); }
  deal_budget.used += n;
  return p;
}
static void *g_realloc(void *p, size_t o, size_t n) {
  void *q = realloc(p, n);
  if (!q) { fputs("deal: out of memory in GMP\n", stderr); abort(); }
  deal_budget.used = deal_budget.used - o + n;
  if (deal_budget.used > deal_budget.peak) deal_budget.peak = deal_budget.used;
  return q;
}
static void g_free(void *p, size_t n) {
  free(p);
  deal_budget.used -= n;
}

void alloc_setup_gmp(void) { mp_set_memory_functions(g_alloc, g_realloc, g_free); }
