#!/bin/sh
# Start-up: ./deal -e '' beside lua5.4 -e '' (target: within 2x).
. bench/lib.sh
mkdir -p build/bench
run20() { i=0; while [ $i -lt 20 ]; do "$@"; i=$((i + 1)); done; }
td=$(best_of 5 run20 ./deal -e '')
tl=$(best_of 5 run20 lua5.4 -e '')
echo "   start-up x20: deal ${td}s  lua5.4 ${tl}s  ratio $(ratio $td $tl)x (target <= 2)"
