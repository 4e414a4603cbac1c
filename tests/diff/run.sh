#!/bin/sh
# Differential test: 10,000 random rational expressions (+ - * / ^ and
# comparisons, huge and tiny values) by deal and by Python's fractions.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
dir=$TMP
for seed in 1 2; do
  python3 "$(dirname "$0")/gen.py" $seed 5000 "$dir/exprs.lua" "$dir/want.txt" > "$dir/gen.log" 2>&1 ||
    { nok "diff seed $seed: generator failed" "$(tail -5 "$dir/gen.log")"; continue; }
  "$DEAL" "$dir/exprs.lua" > "$dir/got.txt" 2>&1
  cmp -s "$dir/got.txt" "$dir/want.txt"
  check "diff seed $seed: 5000 expressions agree with Python fractions" $? \
    "first differences:
$(diff "$dir/want.txt" "$dir/got.txt" | head -6)"
done
