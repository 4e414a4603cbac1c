/*
** vm/alloc.c
** One budget for Lua and GMP memory. Lua's allocator may fail (Lua turns it
** into "not enough memory"); GMP's must not (GMP aborts), so GMP growth is
** checked against the budget before each call instead (num_checkbits).
*/
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE 1            /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <gmp.h>
#include "alloc.h"

Budget deal_budget = {0, 0, 0, 0, -1};

#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_BLOCK ((size_t)4 << 20)   /* deal_alloc maps blocks from this size */
#define BIG_BLOCK ((size_t)1 << 20)    /* alloc_any maps blocks from this size */

size_t alloc_pages_size(size_t bytes) {
  return bytes > SIZE_MAX - HUGE_PAGE ? 0 : (bytes + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
}

/* A mapping of `size` (a multiple of 2 MB) on a 2 MB boundary, advised for
** huge pages: map 2 MB more, trim both ends. */
static void *map_pages(size_t size) {
  char *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return NULL;
  size_t head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
  if (head) munmap(p, head);
  if (HUGE_PAGE - head) munmap(p + head + size, HUGE_PAGE - head);
  p += head;
#ifdef MADV_HUGEPAGE
  madvise(p, size, MADV_HUGEPAGE);     /* advice only: fine if refused */
#endif
  return p;
}

/* Blocks below HUGE_BLOCK come from malloc; bigger ones are mappings (a
** table of a million entries, the translator's arrays), whose pages cost
** one fault per 2 MB instead of one per 4 KB (see alloc_pages in alloc.h).
** The budget counts the sizes Lua asks for, either way. */
static void *resize(void *ptr, size_t osize, size_t nsize) {
  int obig = ptr && osize >= HUGE_BLOCK, nbig = nsize >= HUGE_BLOCK;
  if (!obig && !nbig) return realloc(ptr, nsize);
  if (obig && nbig && alloc_pages_size(osize) == alloc_pages_size(nsize)) return ptr;
  void *p = nbig ? map_pages(alloc_pages_size(nsize)) : malloc(nsize);
  if (!p) return NULL;
  if (ptr) memcpy(p, ptr, osize < nsize ? osize : nsize);
  if (obig) munmap(ptr, alloc_pages_size(osize));
  else free(ptr);
  return p;
}

void *deal_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  Budget *b = ud;
  if (ptr == NULL) osize = 0;          /* osize is a type tag then */
  if (nsize == 0) {
    if (ptr && osize >= HUGE_BLOCK) munmap(ptr, alloc_pages_size(osize));
    else free(ptr);
    b->used -= osize;
    return NULL;
  }
  if (nsize > osize) {
    b->count++;                        /* growths, counted for the OOM sweep */
    if (b->fail_after >= 0 && b->count > b->fail_after) return NULL;
    if (b->limit && b->used - osize + nsize > b->limit) return NULL;
  }
  void *p = resize(ptr, osize, nsize);
  if (p) {
    b->used = b->used - osize + nsize;
    if (b->used > b->peak) b->peak = b->used;
  }
  return p;
}

/* Counts a growth of n bytes in the budget, or refuses it. */
static int budget_grow(size_t n) {
  deal_budget.count++;
  if (deal_budget.fail_after >= 0 && deal_budget.count > deal_budget.fail_after) return 0;
  if (deal_budget.limit && deal_budget.used + n > deal_budget.limit) return 0;
  deal_budget.used += n;
  if (deal_budget.used > deal_budget.peak) deal_budget.peak = deal_budget.used;
  return 1;
}

void *alloc_pages(size_t bytes) {
  size_t size = alloc_pages_size(bytes);
  if (size == 0 || !budget_grow(size)) return NULL;
  void *p = map_pages(size);
  if (!p) deal_budget.used -= size;
  return p;
}

void free_pages(void *p, size_t bytes) {
  size_t size = alloc_pages_size(bytes);
  if (!p) return;
  munmap(p, size);
  deal_budget.used -= size;
}

void *alloc_any(size_t bytes) {
  return bytes >= BIG_BLOCK ? alloc_pages(bytes) : deal_alloc(&deal_budget, NULL, 0, bytes ? bytes : 1);
}

void free_any(void *p, size_t bytes) {
  if (!p) return;
  if (bytes >= BIG_BLOCK) free_pages(p, bytes);
  else deal_alloc(&deal_budget, p, bytes ? bytes : 1, 0);
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
