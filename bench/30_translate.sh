#!/bin/sh
# Translating 1 MB of .deal (target <= 50 ms), beside luac5.4 parsing the
# Lua it becomes; and a scalar loop as .deal beside the same loop as .lua
# (target <= 5x).
. bench/lib.sh
mkdir -p build/bench
sh bench/translate_input.sh build/bench/tr.deal 1048576 >/dev/null
./deal --translate build/bench/tr.deal > build/bench/tr.lua
tt=$(best_of 5 ./deal --translate build/bench/tr.deal)
te=$(best_of 5 ./deal -e '')
tl=$(best_of 5 luac5.4 -p build/bench/tr.lua)
echo "   translate 1 MB: $(python3 -c "print(f'{($tt - $te) * 1000:.1f}')") ms (whole process ${tt}s minus start-up ${te}s; target <= 50 ms); luac5.4 -p of the output: ${tl}s"
cat > build/bench/loop.lua <<'LUA'
local s = 0
for i = 1, 3000000 do
  local x = i * 3 + 7
  if x % 2 == 0 then s = s + x // 2 else s = s - 1 end
end
print(s)
LUA
cp build/bench/loop.lua build/bench/loop.deal
a=$(./deal build/bench/loop.lua); b=$(./deal build/bench/loop.deal)
[ "$a" = "$b" ] || echo "   (loop results differ: $a vs $b)"
tlua=$(best_of 3 ./deal build/bench/loop.lua)
tdeal=$(best_of 3 ./deal build/bench/loop.deal)
echo "   scalar loop 3M iterations: .lua ${tlua}s  .deal ${tdeal}s  ratio $(ratio $tdeal $tlua)x (target <= 5)"
