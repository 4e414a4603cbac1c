# bench/lib.sh: timing helpers. best_of N CMD... prints the best wall time
# in seconds of N runs (the minimum is the least noisy estimate on a
# shared machine).
best_of() {
  n=$1; shift
  best=""
  i=0
  while [ $i -lt "$n" ]; do
    t0=$(date +%s.%N)
    "$@" > /dev/null 2>&1
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc -l 2>/dev/null || python3 -c "print($t1 - $t0)")
    if [ -z "$best" ] || [ "$(python3 -c "print(1 if $t < $best else 0)")" = 1 ]; then best=$t; fi
    i=$((i + 1))
  done
  printf '%.4f' "$best"
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
