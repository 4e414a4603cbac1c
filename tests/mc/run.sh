#!/bin/sh
# tests/mc/run.sh DEAL: the Monte Carlo kernels and engine.
#   test_dist.c    vm/rng.c and vm/dist.c (and vm/alloc.c, whose budget the
#                  kernels' scratch memory comes from)
#   test_engine.c  the engine without Lua: exact sums, the same bits for
#                  every block size and thread count, quantiles and ranks
#                  against sorts, the copula, where NaN is reported
#   split.deal     the same through deal: its output must be byte-identical
#                  under every DEAL_MC_BLOCK, DEAL_MC_THREADS and
#                  DEAL_MC_CACHE (streaming) setting
# Always exits 0: the project runner counts "ok"/"not ok" lines; a build
# failure, or a test program that exits non-zero or prints no check, is a
# "not ok" line.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
cd "$TAP_LIB/../.." || exit 0
. tests/hooks.sh
CC=${CC:-cc}
OUT=build/mc
mkdir -p "$OUT"
ENGINE="vm/xsum.c vm/mcgraph.c vm/mcexec.c vm/mcstats.c vm/mcrank.c"
for t in test_dist test_engine; do
  if ! $CC -std=c11 -Wall -Wextra -Werror -O2 -D_POSIX_C_SOURCE=200809L -DDEAL_TEST_HOOKS \
      tests/mc/$t.c $ENGINE vm/rng.c vm/dist.c vm/alloc.c -lgmp -lm -pthread -o "$OUT/$t" \
      2>"$OUT/$t.log"; then
    echo "not ok - mc: build $t # see $OUT/$t.log"
    sed 's/^/# /' "$OUT/$t.log"
    continue
  fi
  echo "ok - mc: build $t"
  "$OUT/$t" > "$TMP/out" 2>&1
  relay "mc: $t" $? "$TMP/out"
done

# split.deal under every setting, against the first run
ref=""
for block in 1024 4096 65536; do
  for threads in 1 2 3; do
    for cache in 0 ""; do
      DEAL_MC_BLOCK=$block DEAL_MC_THREADS=$threads DEAL_MC_CACHE=$cache \
        "$DEAL_TEST" tests/mc/split.deal > "$TMP/split.$block.$threads.$cache" 2>&1
      rc=$?
      f="$TMP/split.$block.$threads.$cache"
      if [ -z "$ref" ]; then
        ref=$f
        [ $rc -eq 0 ] && [ "$(grep -c '' "$f")" -gt 20 ]
        check "mc: split.deal runs (block $block, $threads thread(s), cache ${cache:-default})" $? "$(head -5 "$f")"
        continue
      fi
      cmp -s "$ref" "$f"
      check "mc: split.deal is the same bits with blocks of $block, $threads thread(s), cache ${cache:-default}" $? \
        "$(diff "$ref" "$f" | head -6)"
    done
  done
done
exit 0
