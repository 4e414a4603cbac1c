/*
** vm/defaults.h
** The figures a run starts from when the user gives none, and the bounds
** of what a user may ask for. One place for the code, the usage text
** (cli.c formats these numbers) and the error messages.
*/
#ifndef DEAL_DEFAULTS_H
#define DEAL_DEFAULTS_H

/* Seed of the Monte Carlo generator and of math.random (--seed, deal.seed,
** :seed). Changing it changes every published figure: don't. */
#define DEAL_DEFAULT_SEED 20260101ULL

/* Samples per uncertain value (--samples, deal.samples, :samples), and the
** most a run may ask for (100M doubles: 800 MB per value). The text is the
** same bound as it reads in messages. */
#define DEAL_DEFAULT_SAMPLES 100000L
#define DEAL_MAX_SAMPLES 100000000L
#define DEAL_MAX_SAMPLES_TEXT "100,000,000"
/* A sharded run (`deal --shard K/N`, docs/scale.md) may total more: each
** shard holds its own samples only, so the memory check is per shard.
** 1e12 keeps sample indices exact in a double (2^53) and chunk numbers in
** the generator's 32 bits (1e12 / 1024 < 2^32). */
#define DEAL_MAX_SHARD_SAMPLES 1000000000000L
#define DEAL_MAX_SHARD_SAMPLES_TEXT "1,000,000,000,000"

/* Memory budget of Lua and GMP together (--max-memory): for `deal`, and for
** each model of `deal check`. A check child also gets an address-space
** rlimit of DEAL_CHECK_AS_FACTOR times its budget, for what the budget does
** not count (stacks, libc). */
#define DEAL_DEFAULT_MAX_MEMORY ((size_t)4 << 30)
#define DEAL_CHECK_MAX_MEMORY ((size_t)1 << 30)
#define DEAL_CHECK_AS_FACTOR 2

/* Time limit in seconds (--timeout): none for `deal` (0), per model for
** `deal check`; the longest accepted. */
#define DEAL_DEFAULT_TIMEOUT 0.0
#define DEAL_CHECK_TIMEOUT 60.0
#define DEAL_MAX_TIMEOUT 1e6

/* `deal check --explain` reruns each model once per probe (an input pinned at
** one value): with at most this many samples (P to about 0.005), at most this
** many reruns per model in at most this many rounds (a scan, a first look
** beyond the range, then halving the intervals where verdicts flip: six
** halvings take a range-wide interval below the 2% the analysis stops at),
** and a time limit per model of
** DEAL_EXPLAIN_TIMEOUT unless --timeout is given. */
#define DEAL_EXPLAIN_SAMPLES 10000L
#define DEAL_EXPLAIN_MAX_RUNS 200
#define DEAL_EXPLAIN_PHASES 8
#define DEAL_EXPLAIN_TIMEOUT 600.0

/* Models `deal check` runs at once (-j): one by default, as many as this. */
#define DEAL_CHECK_JOBS 1L
#define DEAL_CHECK_MAX_JOBS 256

/* `deal lsp` runs the model being edited after each change: few samples,
** so that a unit error shows within half a second, and limits that hold a
** model that loops or allocates without bound. */
#define DEAL_LSP_SAMPLES 2000L
#define DEAL_LSP_TIMEOUT 10.0
#define DEAL_LSP_MAX_MEMORY ((size_t)1 << 30)

#endif
