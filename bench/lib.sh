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

# measure N CMD...: "wall_seconds max_rss_kb cpu_seconds" of the fastest
# of N runs (cpu: user + system, all threads), or "fail" (GNU time; the
# output goes to $OUT/last.txt).
measure() {
  runs=$1; shift
  best=""; mem=""; cpu=""
  r=0
  while [ $r -lt "$runs" ]; do
    /usr/bin/time -f "%e %M %U %S" -o "$OUT/time.txt" "$@" > "$OUT/last.txt" 2>&1 || { echo "fail"; return; }
    read -r t m u s < "$OUT/time.txt"
    if [ -z "$best" ] || [ "$(python3 -c "print(int($t < $best))")" = 1 ]; then
      best=$t; mem=$m; cpu=$(python3 -c "print(f'{$u + $s:.2f}')")
    fi
    r=$((r + 1))
  done
  echo "$best $mem $cpu"
}
# row NAME SECONDS MB CPU NOTE: one line of a time-and-memory table (CPU:
# user + system seconds of all threads).
row() { printf '%-10s %8s s %8s MB %8s s cpu   %s\n' "$1" "$2" "$3" "$4" "$5"; }
# load: the machine's load averages, to print beside the figures (other
# work on a shared machine slows wall times; instruction counts do not
# change with it).
load() { uptime | sed 's/.*load average: */load average /'; }
# instructions CMD...: instructions the command executes, all threads
# (callgrind), or nothing without valgrind. Slow (about 50x): 1M samples.
instructions() {
  command -v valgrind >/dev/null || return 0
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d ,
}
