/*
** vm/mcpart.h
** A shard's part of one value as JSON (cJSON), and back: its partial
** summary (mcstats.h's mc_summary_range) and its quantile grid
** (mcshard.h), the pieces a part file carries for each uncertain result.
**   {"n": samples, "shift": sample 0 of the run, "sum", "d1", "d2": exact
**    sums (xsum_text), "min", "max", "nonzero", "overflow": true|false,
**    "grid": {"top": power of two, "buckets": [[bucket, count, lo, hi], ...]}}
** Numbers are written so they read back as the same double. Reading checks
** everything a merge relies on and says what is wrong.
*/
#ifndef DEAL_MCPART_H
#define DEAL_MCPART_H
#include <stddef.h>
#include <cJSON.h>

#include "mcshard.h"
#include "mcstats.h"

/* The part as a JSON object; NULL when out of memory. */
cJSON *mc_part_json(const McSummary *s, const McGrid *g);
/* Reads a part into s and g (g allocated: mc_grid_free): 1, or 0 with the
** reason in why ("grid bucket 7: count 0"). */
int mc_part_read(const cJSON *j, McSummary *s, McGrid *g, char *why, size_t n);
#endif
