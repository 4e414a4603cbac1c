#!/bin/sh
# tests/mc/run.sh: builds and runs the Monte Carlo kernel tests (vm/rng.c,
# vm/dist.c, and vm/alloc.c whose budget the kernels' scratch memory comes
# from) and passes on their TAP lines. Always exits 0: the project
# runner counts "ok"/"not ok" lines; a build failure, or a test program that
# exits non-zero or prints no check, is a "not ok" line.
. "$(dirname "$0")/../lib/tap.sh"
cd "$TAP_LIB/../.." || exit 0
CC=${CC:-cc}
OUT=build/mc
mkdir -p "$OUT"
if ! $CC -std=c11 -Wall -Wextra -Werror -O2 -D_POSIX_C_SOURCE=200809L -DDEAL_TEST_HOOKS \
    tests/mc/test_dist.c vm/rng.c vm/dist.c vm/alloc.c -lgmp -lm -o "$OUT/test_dist" \
    2>"$OUT/build.log"; then
  echo "not ok - mc: build test_dist # see $OUT/build.log"
  sed 's/^/# /' "$OUT/build.log"
  exit 0
fi
echo "ok - mc: build test_dist"
"$OUT/test_dist" > "$TMP/out" 2>&1
relay "mc: test_dist" $? "$TMP/out"
exit 0
