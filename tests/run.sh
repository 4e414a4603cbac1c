#!/bin/sh
# tests/run.sh DEAL: runs every test and ends with "N passed, N failed".
#   tests/SUITE/run.sh      suites: `sh run.sh DEAL` prints TAP lines
#                           (tests/lib/tap.sh)
#   tests/unit, tests/modules, tests/uncertainty: Lua and .deal scripts,
#                           each run by deal with the TAP library loaded
#                           (tests/lib/tap.lua; files named _* are helpers)
#   tests/golden/NAME.{deal,lua} with NAME.out (its stdout and stderr, as
#                           deal printed them) and optional NAME.rc (its exit
#                           status, default 0)
# A suite or script that exits non-zero or prints no TAP line is a failure.
# "ok - NAME # SKIP why" counts as skipped, not passed. Prints one line per
# suite or script, then the skipped checks, then every failure with its
# suite, name and diagnostic, then the total.
# TESTS=pattern runs only the suites, scripts and goldens whose path matches.
DEAL=${1:-./deal}
. "$(dirname "$0")/lib/tap.sh"
export DEAL
cd "$TAP_LIB/../.." || exit 2
mkdir "$TMP/logs"
pass=0; fail=0; skipped=0

# Counts the TAP lines in FILE for LABEL: a line of totals, and the skips
# and the failures (with their diagnostic lines) kept for the end.
tally() {
  label=$1 file=$2 secs=$3
  s=$(grep -c '^ok .*# *SKIP' "$file")
  p=$(($(grep -c '^ok ' "$file") - s)); f=$(grep -c '^not ok ' "$file")
  pass=$((pass + p)); fail=$((fail + f)); skipped=$((skipped + s))
  line="$p passed"
  [ "$f" -eq 0 ] || line="$line, $f FAILED"
  [ "$s" -eq 0 ] || line="$line, $s skipped"
  printf '%-40s %s (%s s)\n' "$label" "$line" "$secs"
  grep '^ok .*# *SKIP' "$file" | sed "s|^ok - |  [$label] |" >> "$TMP/skips"
  awk -v l="$label" '
    /^not ok / { sub(/^not ok - /, ""); print "  [" l "] " $0; d = 0; inn = 1; next }
    inn && /^#/ { if (d++ < 12) print "      " $0; next }
    { inn = 0 }' "$file" >> "$TMP/failures"
}

match() { [ -z "$TESTS" ] || echo "$1" | grep -q -- "$TESTS"; }
now() { date +%s; }

for suite in tests/*/run.sh; do
  match "$suite" || continue
  name=${suite#tests/}; name=${name%/run.sh}
  t0=$(now)
  sh "$suite" "$DEAL" > "$TMP/out" 2>&1
  relay "$suite" $? "$TMP/out" > "$TMP/logs/$name"
  tally "$name" "$TMP/logs/$name" $(($(now) - t0))
done

for t in tests/unit/* tests/modules/* tests/uncertainty/*; do
  case $t in */_*) continue ;; *.lua | *.deal) ;; *) continue ;; esac
  match "$t" || continue
  name=${t#tests/}
  t0=$(now)
  if grep -q '__deal\.\(ks\|sample\|spearman\|json\|json_parse\)(' "$t"; then
    # scripts that call the test hooks run on the test build (tests/hooks.sh)
    keep=$DEAL; DEAL=${DEAL_TEST:-$DEAL-test}
    deal_script "$t" > "$TMP/out" 2>&1; rc=$?
    DEAL=$keep
  else
    deal_script "$t" > "$TMP/out" 2>&1; rc=$?
  fi
  relay "$t" $rc "$TMP/out" > "$TMP/logs/run"
  tally "$name" "$TMP/logs/run" $(($(now) - t0))
done

: > "$TMP/logs/golden"
t0=$(now)
for t in tests/golden/*.deal tests/golden/*.lua; do
  [ -f "$t" ] || continue
  match "$t" || continue
  base=${t%.*}
  if [ ! -f "$base.out" ]; then nok "$t has no $base.out"; continue; fi
  want_rc=0; [ -f "$base.rc" ] && want_rc=$(cat "$base.rc")
  (cd tests/golden && timeout 60 "$DEAL" "${t##*/}") > "$TMP/golden.out" 2>&1; rc=$?
  [ $rc -eq "$want_rc" ] && cmp -s "$TMP/golden.out" "$base.out"
  check "$t prints $base.out" $? "exit $rc (want $want_rc); diff want got:
$(diff "$base.out" "$TMP/golden.out" | head -10)"
done >> "$TMP/logs/golden"
[ -s "$TMP/logs/golden" ] && tally golden "$TMP/logs/golden" $(($(now) - t0))

if [ -s "$TMP/skips" ]; then echo; echo "skipped:"; cat "$TMP/skips"; fi
if [ -s "$TMP/failures" ]; then echo; echo "failures:"; cat "$TMP/failures"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
