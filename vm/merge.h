/*
** vm/merge.h
** `deal merge [--json] [-o FILE] PART...`: the parts of a sharded run
** (`deal --shard K/N --json`, part.h) merged into what the single run
** prints (merge.c; docs/scale.md).
*/
#ifndef DEAL_MERGE_H
#define DEAL_MERGE_H

/* argv[0] is "merge". Returns the exit status: 0, 1 (a claim... as the
** run; a part refused; results that differ between shards), 2 (usage). */
int merge_main(int argc, char **argv);
#endif
