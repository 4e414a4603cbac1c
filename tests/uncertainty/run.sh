#!/bin/sh
# tests/uncertainty/run.sh DEAL: the uncertain-value tests (.deal and .lua
# scripts here that print TAP lines). Always exits 0; a script that dies
# is reported as a "not ok" line. Scripts that call the test hooks
# (__deal.ks, __deal.sample, __deal.spearman) run on the test build.
DEAL=${1:-deal}
cd "$(dirname "$0")" || exit 0
. ../hooks.sh
for t in *.deal *.lua; do
  [ -f "$t" ] || continue
  [ "$t" = testlib.lua ] && continue
  bin=$DEAL
  grep -q '__deal\.\(ks\|sample\|spearman\)(' "$t" && bin=$DEAL_TEST
  out=$(timeout 120 "$bin" "$t" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^(not )?ok '
  if [ $rc -ne 0 ]; then
    echo "not ok - $t exited with status $rc"
    printf '%s\n' "$out" | tail -3 | sed 's/^/# /'
  fi
done
exit 0
