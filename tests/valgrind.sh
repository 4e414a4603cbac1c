#!/bin/sh
# make valgrind: run representative scripts under valgrind's memcheck and
# fail on any leak or memory error, or on a script that does not run as it
# does without valgrind (its exit status; a test script's own checks).
DEAL=${1:-./deal}
. "$(dirname "$0")/lib/tap.sh"
T=$TMP
status=0
# run NAME STATUS CMD...: CMD under memcheck must exit with STATUS
run() {
  name=$1 want=$2; shift 2
  valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible "$@" > "$T/out" 2> "$T/vg"
  rc=$?
  if [ $rc = 99 ] || ! grep -q "ERROR SUMMARY: 0 errors" "$T/vg"; then
    nok "valgrind $name" "$(grep -A20 'ERROR SUMMARY\|definitely\|Invalid' "$T/vg" | head -30)"
    status=1
  elif [ $rc != "$want" ] || grep -q '^not ok' "$T/out"; then
    nok "valgrind $name: exit $rc (want $want)" "$(grep -v '^ok' "$T/out" | head -10)"
    status=1
  else
    ok "valgrind $name: $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$T/vg"), $(grep -o 'All heap blocks were freed' "$T/vg" || grep 'definitely lost' "$T/vg" | sed 's/.*definitely/definitely/')"
  fi
}
cd "$TAP_LIB" || exit 1            # where `deal -l tap` finds the TAP library
run numbers.lua 0 "$DEAL" -l tap ../unit/numbers.lua
run literals.deal 0 "$DEAL" -l tap ../unit/literals.deal
run error 1 "$DEAL" -e 'local x = 1 GW + 1 h'
run shadowing.deal 0 "$DEAL" -l tap ../unit/shadowing.deal
run edge_numbers.deal 0 "$DEAL" -l tap ../unit/edge_numbers.deal     # errors raised between GMP calls
run nonfinite.deal 0 "$DEAL" -l tap ../uncertainty/nonfinite.deal
run "Monte Carlo engine out of memory" 1 "$DEAL" --max-memory 12M --samples 200000 -e 'local a, b = 20k to 40k, 1.3 to 1.8
local c = correlate({a, b}, {{1, 0.7}, {0.7, 1}})
local hog = {} for i = 1, 3e5 do hog[i] = i end
sensitivity(a * b)'
cd ../.. || exit 1
for ex in examples/*.deal; do
  [ -f "$ex" ] && run "$ex" 0 "$DEAL" --samples 2000 "$ex"
done
exit $status
