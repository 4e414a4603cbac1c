#!/bin/sh
# bench/70_model.sh [DEAL]: a realistic model (bench/model.deal: twelve
# uncertain inputs, three of them correlated, twenty derived figures,
# fourteen printed, sensitivity and four claims) beside the same model
# written in C (bench/model_peer.c), in one run. Targets (issue 17): at 1M
# samples <= 0.5 s and <= 1.5x the C version; at 10M <= 5 s and <= 1 GiB.
# 1M: best of 3; 10M: one run each. BIG=0 skips 10M. Wall time, peak
# memory and CPU time (deal uses both cores, the C version one), the
# machine's load before and after, and at 1M the instruction counts
# (callgrind), which the load does not change.
cd "$(dirname "$0")/.." || exit 1
DEAL=${1:-./deal}
OUT=build/bench; mkdir -p "$OUT"
. bench/lib.sh
cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L bench/model_peer.c vm/rng.c vm/dist.c vm/alloc.c -lgmp -lm \
  -o "$OUT/model_peer" || exit 1


echo "   $(load)"
sizes="1000000"
[ "${BIG:-1}" != 0 ] && sizes="$sizes 10000000"
for n in $sizes; do
  runs=3; [ "$n" -gt 1000000 ] && runs=1
  echo "-- $n samples (best of $runs; wall includes start-up)"
  set -- $(measure $runs "$DEAL" --samples $n bench/model.deal); dt=$1; dm=$(( $2 / 1024 )); dc=$3
  grep -E "^NPV|^P\(NPV|^  rate" "$OUT/last.txt" | sed 's/^/   deal: /'
  set -- $(measure $runs "$OUT/model_peer" $n); ct=$1; cm=$(( $2 / 1024 )); cc=$3
  grep -E "^NPV|^P\(NPV|^  rate" "$OUT/last.txt" | sed 's/^/   C:    /'
  if [ "$n" -le 1000000 ]; then target="deal <= 0.5 s and <= 1.5x"; else target="deal <= 5 s and <= 1024 MB"; fi
  row deal "$dt" "$dm" "$dc" ""
  row "C version" "$ct" "$cm" "$cc" "deal/C = $(ratio $dt $ct)x wall, $(ratio $dc $cc)x cpu (target: $target)"
  if [ "$n" -le 1000000 ]; then
    di=$(instructions "$DEAL" --samples $n bench/model.deal); ci=$(instructions "$OUT/model_peer" $n)
    [ -n "$di" ] && [ -n "$ci" ] && echo "   instructions: deal $di  C $ci  deal/C = $(ratio $di $ci)x"
  fi
  echo "   $(load)"
done
