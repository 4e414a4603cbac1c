#!/bin/sh
# Differential test: 10,000 random rational expressions (+ - * / ^ and
# comparisons, huge and tiny values) by deal and by Python's fractions.
DEAL=${1:-./deal}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
for seed in 1 2; do
  python3 "$(dirname "$0")/gen.py" $seed 5000 "$dir/exprs.lua" "$dir/want.txt" || { echo "not ok - diff seed $seed: generator failed"; continue; }
  "$DEAL" "$dir/exprs.lua" > "$dir/got.txt" 2>&1
  if cmp -s "$dir/got.txt" "$dir/want.txt"; then
    echo "ok - diff seed $seed: 5000 expressions agree with Python fractions"
  else
    echo "not ok - diff seed $seed: first differences:"
    diff "$dir/want.txt" "$dir/got.txt" | head -6 | sed 's/^/#   /'
  fi
done
