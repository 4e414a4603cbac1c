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

/* `deal lsp` runs the model being edited after each change: few samples,
** so that a unit error shows within half a second, and limits that hold a
** model that loops or allocates without bound. */
#define DEAL_LSP_SAMPLES 2000L
#define DEAL_LSP_TIMEOUT 10.0
#define DEAL_LSP_MAX_MEMORY ((size_t)1 << 30)

#endif
