#!/bin/sh
# Exact harmonic sum H(20000) = sum 1/k: deal beside C+GMP and Python
# fractions. Targets: within 1.5x of C+GMP, at least 5x faster than Python.
. bench/lib.sh
mkdir -p build/bench
cc -O2 -o build/bench/h_gmp bench/h_gmp.c -lgmp || exit 1
cat > build/bench/h.lua <<'LUA'
local s, one = num(0), num(1)
for k = 1, 20000 do s = s + one / k end
print(("H(20000) exact: numerator %d digits"):format(#num.exact(s):match("^%d+")))
LUA
printf 'local s = 0\nfor k = 1, 20000 do s = s + 1/k end\nprint(num.isexact(s))\n' > build/bench/h.deal
td=$(best_of 3 ./deal build/bench/h.lua)
tdd=$(best_of 3 ./deal build/bench/h.deal)
tc=$(best_of 3 build/bench/h_gmp 20000)
tp=$(best_of 1 python3 bench/h_fractions.py 20000)
echo "   H(20000): deal script (.deal, s = s + 1/k) ${tdd}s  C+GMP ${tc}s  Python fractions ${tp}s  (plain-Lua num API: ${td}s)"
echo "   deal/C = $(ratio $tdd $tc)x (target <= 1.5)   Python/deal = $(ratio $tp $tdd)x (target >= 5)"
# Instruction counts do not depend on the machine's load (callgrind).
if command -v valgrind >/dev/null; then
  ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -n 's/.*refs: *//p' | tr -d ,; }
  id=$(ir ./deal build/bench/h.deal); ic=$(ir build/bench/h_gmp 20000)
  echo "   instructions: deal $id  C+GMP $ic  deal/C = $(ratio $id $ic)x"
fi
