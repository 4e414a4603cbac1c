#!/bin/sh
# tests/run.sh DEAL: runs every test and ends with "N passed, N failed".
#   tests/*/run.sh          suites; each prints TAP lines (ok - name / not ok - name)
#   tests/unit/*.{lua,deal} scripts run by deal; they print TAP lines too
#   tests/modules/*         likewise (the domain library)
#   tests/golden/*.{deal,lua} with NAME.out (expected stdout+stderr) and
#                           optional NAME.rc (expected exit status, default 0)
# A suite or script that exits non-zero (or prints no TAP line) is a failure.
# Set TESTS=pattern to run only matching files.
DEAL=${1:-./deal}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
export DEAL
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
OUT=$(mktemp -d); trap 'rm -rf "$OUT"' EXIT
pass=0; fail=0
failed_list=""

note_fail() { fail=$((fail + 1)); failed_list="$failed_list
  $1"; }

# count TAP lines of file $2 produced by $1 (a label); sets n (not in a
# subshell, so the totals survive)
count_tap() {
  p=$(grep -c '^ok ' "$2"); f=$(grep -c '^not ok ' "$2")
  pass=$((pass + p)); fail=$((fail + f))
  grep '^not ok ' "$2" | sed "s|^|  [$1] |" >> "$OUT/failures"
  n=$((p + f))
}

match() { [ -z "$TESTS" ] || echo "$1" | grep -q -- "$TESTS"; }

for suite in tests/*/run.sh; do
  [ -f "$suite" ] || continue
  match "$suite" || continue
  name=$(basename "$(dirname "$suite")")
  printf '%s ' "$name" >&2
  sh "$suite" "$DEAL" > "$OUT/$name.log" 2>&1; rc=$?
  count_tap "$name" "$OUT/$name.log"
  if [ $rc -ne 0 ]; then note_fail "$suite exited with status $rc"; tail -5 "$OUT/$name.log" >> "$OUT/failures"; fi
done

for t in tests/unit/*.lua tests/unit/*.deal tests/modules/*.lua tests/modules/*.deal; do
  [ -f "$t" ] || continue
  case $(basename "$t") in t.lua|testlib.lua|_*) continue ;; esac
  match "$t" || continue
  log="$OUT/$(echo "$t" | tr / _).log"
  (cd "$(dirname "$t")" && timeout 120 "$DEAL" "$(basename "$t")") > "$log" 2>&1; rc=$?
  count_tap "$t" "$log"
  if [ $rc -ne 0 ] || [ "$n" -eq 0 ]; then
    note_fail "$t exited with status $rc after $n checks"
    tail -5 "$log" | sed 's/^/      /' >> "$OUT/failures"
  fi
done

for t in tests/golden/*.deal tests/golden/*.lua; do
  [ -f "$t" ] || continue
  match "$t" || continue
  base=${t%.*}
  [ -f "$base.out" ] || { note_fail "$t has no $base.out"; continue; }
  want_rc=0; [ -f "$base.rc" ] && want_rc=$(cat "$base.rc")
  (cd tests/golden && timeout 60 "$DEAL" "$(basename "$t")") > "$OUT/golden.out" 2>&1; rc=$?
  if [ $rc -eq "$want_rc" ] && cmp -s "$OUT/golden.out" "$base.out"; then
    pass=$((pass + 1))
  else
    note_fail "$t (exit $rc, want $want_rc)"
    diff "$base.out" "$OUT/golden.out" | head -10 | sed 's/^/      /' >> "$OUT/failures"
  fi
done

echo >&2
if [ -s "$OUT/failures" ] || [ -n "$failed_list" ]; then
  echo "failures:"
  [ -n "$failed_list" ] && echo "$failed_list" | sed '/^$/d'
  cat "$OUT/failures" 2>/dev/null
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
