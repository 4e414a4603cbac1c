#!/bin/sh
# tests/oom/sweep.sh [DEAL]: the allocation-failure sweep (make oom-sweep runs
# it on ./deal-asan-test, the ASan build with the test hooks). For each model
# in tests/oom/corpus, and for each N from 0 until the model runs as it does
# without injection, runs it with DEAL_FAIL_AFTER=N (every allocation after
# the Nth fails; vm/alloc.c) under ASan+UBSan with leak checking. A run fails
# the sweep if it aborts, panics, dies of a signal, or if a sanitizer reports
# anything (leaks included). STRIDE=k tests every k-th N; JOBS (default 2)
# runs in parallel under nice. Prints one line per model and a total; exits
# 1 on any failure.
DEAL=${1:-./deal-asan-test}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
STRIDE=${STRIDE:-1}
JOBS=${JOBS:-2}
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:exitcode=99:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:exitcode=98"
export DEAL HERE OUT

total=0; failed=0
for m in "$HERE"/corpus/*.lua "$HERE"/corpus/*.deal; do
  [ -f "$m" ] || continue
  name=$(basename "$m")
  (cd "$HERE/corpus" && "$DEAL" "$name" > "$OUT/want" 2>&1); wantrc=$?
  count=$(cd "$HERE/corpus" && DEAL_ALLOC_COUNT=1 "$DEAL" "$name" 2>&1 >/dev/null | sed -n 's/^deal: \([0-9]*\) allocations$/\1/p' | tail -1)
  [ -n "$count" ] || { echo "$name: cannot count allocations"; failed=$((failed + 1)); continue; }
  seq 0 "$STRIDE" "$count" | xargs -P "$JOBS" -I{} nice sh -c '
    m=$0; n=$1; o="$OUT/$(basename "$m").$n"
    (cd "$HERE/corpus" && DEAL_FAIL_AFTER=$n timeout 120 "$DEAL" "$(basename "$m")" > "$o" 2>&1); rc=$?
    if [ $rc -gt 2 ] || grep -qE "PANIC|AddressSanitizer|LeakSanitizer|runtime error:" "$o"; then
      echo "bad N=$n rc=$rc $(grep -m1 -E "PANIC|ERROR|SUMMARY|runtime error" "$o")"
      cp "$o" "$OUT/../oomfail.$(basename "$m").$n" 2>/dev/null
    fi
    rm -f "$o"' "$m" {} > "$OUT/res.$name"
  # the run at N = count must behave as without injection
  (cd "$HERE/corpus" && DEAL_FAIL_AFTER=$count "$DEAL" "$name" > "$OUT/last" 2>&1); lastrc=$?
  nbad=$(grep -c '^bad' "$OUT/res.$name")
  runs=$(( count / STRIDE + 1 ))
  total=$((total + runs))
  same=yes; [ $lastrc = $wantrc ] || same=no
  echo "$name: $runs runs (N = 0..$count step $STRIDE), $nbad failures, completes at N=$count: $same"
  head -5 "$OUT/res.$name"
  [ "$nbad" -eq 0 ] && [ $same = yes ] || failed=$((failed + 1))
done
echo "oom sweep: $total injected runs, $failed model(s) failed"
[ $failed -eq 0 ]
