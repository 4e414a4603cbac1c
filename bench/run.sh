#!/bin/sh
# make bench: every bench/*.sh in turn, each printing its figures beside a
# peer measured in the same run. Benchmarks report; they never fail the build.
cd "$(dirname "$0")/.." || exit 1
mkdir -p build/bench
. bench/lib.sh
echo "== make bench on $(nproc) cores, $(load)"
for b in bench/[0-9]*.sh; do
  echo "== $b ($(load))"
  sh "$b" || echo "   (benchmark $b failed)"
done
echo "== done, $(load)"
