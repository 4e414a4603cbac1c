# D15: memory bombs end with "not enough memory" at the configured cap; the
# model can go on afterwards and the memory is given back.
ID=D15; . ../lib/tap.sh
t() { printf '%s\n' "$2" > "$TMP/m.lua"; run_expect "$1" 1 "not enough memory" "$DEAL" --max-memory 256M "$TMP/m.lua"; }
t "string.rep 1 GB" 'local s = string.rep("x", 2^30)'
t "s = s .. s doubling" 'local s = "x" while true do s = s .. s end'
t "table with 1e9 entries" 'local t = {} for i = 1, 1e9 do t[i] = i end'
t "1e6 coroutines" 'local t = {} for i = 1, 1e6 do t[i] = coroutine.create(function() end) end'
t "1e7 live nums" 'local t = {} for i = 1, 1e7 do t[i] = num(i) / 3 end'
t "huge GMP numbers" 'local big = num(7)^(7*10^6) local t = {} for i = 1, 200 do t[i] = big + i end'
cat > "$TMP/after.lua" <<'L'
local ok, e = pcall(function() local s = "x" while true do s = s .. s end end)
print((not ok and tostring(e):find("not enough memory")) and "ok - D15 the bomb fails inside pcall" or "not ok - D15 the bomb fails inside pcall")
local ok2 = pcall(function() local s = string.rep("y", 100 * 2^20) return #s end)
print(ok2 and "ok - D15 100 MB can be had again afterwards (memory given back)" or "not ok - D15 100 MB can be had again afterwards")
L
"$DEAL" --max-memory 256M "$TMP/after.lua"
printf 'print(#string.rep("x", 2^28))\n' > "$TMP/def.lua"
run_expect "256 MB string fits the default limit (4 GiB)" 0 "268435456" "$DEAL" "$TMP/def.lua"
# The Monte Carlo engine's memory comes from the same budget. Correlation
# needs no scratch at all (a copula draws block by block) and 1M samples
# stream through 64 MB; sensitivity's ranks do need memory, and say so when
# the rest of the model has left too little, instead of going around the
# limit.
cat > "$TMP/corr.deal" <<'L'
local chips, overhead = 20k to 40k, 1.3 to 1.8
local c = correlate({chips, overhead}, {{1, 0.7}, {0.7, 1}})
sensitivity(21e9 / (chips * overhead))
L
run_expect "correlate and sensitivity of 1M samples fit in 64 MB" 0 "rank correlation" \
  "$DEAL" --max-memory 64M --samples 1000000 "$TMP/corr.deal"
sed 's/^local c = /local hog = {} for i = 1, 36 do hog[i] = string.rep("x", 2^20) .. i end -- /' \
  "$TMP/corr.deal" > "$TMP/sens.deal"
run_expect "sensitivity's ranks count against --max-memory" 1 "sensitivity: not enough memory" \
  "$DEAL" --max-memory 64M --samples 1000000 "$TMP/sens.deal"
run_expect "both fit a larger budget" 0 "rank correlation" \
  "$DEAL" --max-memory 256M --samples 1000000 "$TMP/sens.deal"
