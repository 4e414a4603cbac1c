/*
** vm/registry.h
** Keys of the host's values in the Lua registry: one name for each, so
** that the file that stores a value and the files that read it agree.
*/
#ifndef DEAL_REGISTRY_H
#define DEAL_REGISTRY_H

#define REG_OPTIONS   "deal.options"    /* HostOptions userdata (state.c; host_options) */
#define REG_MODELDIR  "deal.modeldir"   /* directory of the running model (host.c) */
#define REG_READROOTS "deal.readroots"  /* resolved path -> is a directory (load.c) */
#define REG_LOADED    "deal.loaded"     /* modules loaded by require (stdlib.c) */
#define REG_MC        "deal.mc"         /* the Monte Carlo generator (samples.c) */
#define REG_INPUTS    "deal.inputs"     /* weak table: input id -> samples (samples.c) */
/* While a shard's part writer defers texts (samples_defer): the uncertain
** values whose plain text became a token, in order (samples.c). */
#define REG_DEFERRED  "deal.deferred"
#define REG_CONDS     "deal.conds"      /* weak table: condition key -> samples (samples.c) */
/* The value a function has just printed in full (sensitivity's tornado):
** the REPL does not echo it again (pretty.c); cleared before each input. */
#define REG_SHOWN     "deal.shown"
#define REG_RESULTS   "deal.results"    /* the running model's bindings (results.c) */
/* The REPL's table (repl.c): `lua` is stdlib/repl.lua's module; `units` and
** `chips` the names cached at start-up for completion (complete.c). */
#define REG_REPL      "deal.repl"
/* The language server's module, stdlib/_lsp.lua (lsp.c). */
#define REG_LSP       "deal.lsp"

#endif
