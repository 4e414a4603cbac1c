#!/bin/sh
# bench/50_mc.sh [DEAL]: the reference deal model (chip_price = 20k to 40k,
# overhead = 1.3 to 1.8, units = 21e9 / (chip_price * overhead); P(units >=
# 1e6), mean, p5/p50/p95) in deal (.deal script), beside the hand-written C
# program bench/mc_peer.c (same kernels, no Lua) and Squiggle 0.10.0 (npm,
# installed on first use into .cache/squiggle), in one run: wall time, peak
# memory and ratios. Targets (issue 17): at 1M samples >= 50x faster than
# Squiggle and <= 1.0x the C program; at 100M samples <= 2x the C program
# and <= 1 GiB. 1M: best of 3; 100M: one run each (the C program alone
# holds 1.6 GB of samples). Squiggle runs at 1M only (at 100M it needs
# 12 GB and minutes). SQUIGGLE=0 skips Squiggle (no network); BIG=0 skips
# 100M. Rows give wall time, peak memory and CPU time (deal uses both
# cores, the C program one); the load is printed before and after, and at
# 1M the instruction counts (callgrind), which the load does not change.
cd "$(dirname "$0")/.." || exit 1
DEAL=${1:-./deal}
OUT=build/bench; mkdir -p "$OUT"
. bench/lib.sh
cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L bench/mc_peer.c vm/rng.c vm/dist.c vm/alloc.c -lgmp -lm -o "$OUT/mc_peer" || exit 1
cat > "$OUT/mc.deal" <<'DEAL'
local chip_price = 20k to 40k
local overhead = 1.3 to 1.8
local budget = 21e9
local units = budget / (chip_price * overhead)
print(("P(units >= 1e6) = %.8f (se %.8f)"):format(P(units >= 1e6), P.se(units >= 1e6)))
print("mean = " .. tostring(mean(units)))
local p5, p50, p95 = quantile(units, {0.05, 0.5, 0.95})
print(("p5 / p50 / p95 = %s / %s / %s"):format(p5, p50, p95))
DEAL

SQ=.cache/squiggle
CLI=$SQ/node_modules/@quri/squiggle-lang/dist/cli/index.js
if [ "${SQUIGGLE:-1}" != 0 ] && [ ! -f "$CLI" ] && command -v npm >/dev/null; then
  echo "installing @quri/squiggle-lang@0.10.0 into $SQ (once)"
  mkdir -p "$SQ" && (cd "$SQ" && npm init -y >/dev/null &&
    npm install --silent @quri/squiggle-lang@0.10.0 date-fns@4 >/dev/null 2>&1) ||
    echo "   (npm install failed: Squiggle skipped)"
fi
cat > "$OUT/deal.squiggle" <<'SQG'
chip_price = 20k to 40k
system_overhead = 1.3 to 1.8
budget = 21e9
units = budget / (chip_price * system_overhead)
{ p_million: 1 - cdf(units, 1e6), mean: mean(units), p05: quantile(units, 0.05),
  p50: quantile(units, 0.5), p95: quantile(units, 0.95) }
SQG

echo "   $(load)"
sizes="1000000"
[ "${BIG:-1}" != 0 ] && sizes="$sizes 100000000"
for n in $sizes; do
  runs=3; [ "$n" -gt 10000000 ] && runs=1
  echo "-- $n samples (best of $runs; wall includes start-up)"
  set -- $(measure $runs "$DEAL" --samples $n "$OUT/mc.deal"); dt=$1; dm=$(( $2 / 1024 )); dc=$3
  sed 's/^/   deal: /' "$OUT/last.txt"
  set -- $(measure $runs "$OUT/mc_peer" $n); ct=$1; cm=$(( $2 / 1024 )); cc=$3
  row deal "$dt" "$dm" "$dc" ""
  row "C peer" "$ct" "$cm" "$cc" "deal/C = $(ratio $dt $ct)x wall, $(ratio $dc $cc)x cpu (target <= $([ "$n" -gt 10000000 ] && echo 2 || echo 1.0)x$([ "$n" -gt 10000000 ] && echo ", deal <= 1024 MB"))"
  if [ -f "$CLI" ] && [ "$n" -le 1000000 ]; then
    set -- $(SAMPLE_COUNT=$n measure $runs node "$CLI" run "$OUT/deal.squiggle")
    if [ "$1" != fail ]; then
      row squiggle "$1" "$(( $2 / 1024 ))" "$3" "squiggle/deal = $(python3 -c "print(f'{$1 / $dt:.1f}x')") (target >= 50x)"
    else echo "   squiggle failed"; fi
  fi
  if [ "$n" -le 1000000 ]; then
    di=$(instructions "$DEAL" --samples $n "$OUT/mc.deal"); ci=$(instructions "$OUT/mc_peer" $n)
    [ -n "$di" ] && [ -n "$ci" ] && echo "   instructions: deal $di  C $ci  deal/C = $(ratio $di $ci)x"
  fi
  echo "   $(load)"
done
