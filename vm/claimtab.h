/*
** vm/claimtab.h
** The claims table that `deal FILE` prints after a run and `deal check`
** prints per model: one layout rule for both (claimtab.c).
*/
#ifndef DEAL_CLAIMTAB_H
#define DEAL_CLAIMTAB_H
#include <stddef.h>
#include <lua.h>

typedef struct ClaimRow {
  const char *text;      /* what the claim says */
  const char *p;         /* the P column: "0.97", "true" */
  const char *verdict;   /* "holds (≥ 0.9)", "fails" */
} ClaimRow;

/* The table as text without a final newline: a header, then a row per
** claim. The text column is as wide as the longest claim, from 40 to 60
** characters; a longer claim wraps at spaces onto indented lines, so no
** text is lost and the columns stay aligned. Writes the text and a NUL
** into out when not NULL; returns its length (call with NULL to size out). */
size_t claimtab_render(const ClaimRow *rows, size_t n, char *out);

/* __deal.claims_render({{text, p, verdict}, ...}) for prelude_claims.lua. */
int claimtab_lua(lua_State *L);
#endif
