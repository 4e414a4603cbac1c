#!/bin/sh
# make valgrind: run representative scripts under valgrind's memcheck and
# fail on any leak or memory error.
DEAL=${1:-./deal}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac    # the runs below change directory
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
status=0
run() {
  name=$1; shift
  valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible "$@" > "$T/out" 2> "$T/vg"
  rc=$?
  if [ $rc = 99 ] || ! grep -q "ERROR SUMMARY: 0 errors" "$T/vg"; then
    echo "not ok - valgrind $name"; grep -A20 'ERROR SUMMARY\|definitely\|Invalid' "$T/vg" | head -30
    status=1
  else
    echo "ok - valgrind $name: $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$T/vg"), $(grep -o 'All heap blocks were freed' "$T/vg" || grep 'definitely lost' "$T/vg" | sed 's/.*definitely/definitely/')"
  fi
}
cd "$(dirname "$0")/unit" || exit 1
run numbers.lua "$DEAL" numbers.lua
run literals.deal "$DEAL" literals.deal
run error "$DEAL" -e 'local x = 1 GW + 1 h'
run shadowing.deal "$DEAL" shadowing.deal
run "correlate out of memory" "$DEAL" --max-memory 12M --samples 200000 -e 'local a, b = 20k to 40k, 1.3 to 1.8
local c = correlate({a, b}, {{1, 0.7}, {0.7, 1}})'
cd ../.. || exit 1
for ex in examples/*.deal; do
  [ -f "$ex" ] && run "$ex" "$DEAL" --samples 2000 "$ex"
done
exit $status
