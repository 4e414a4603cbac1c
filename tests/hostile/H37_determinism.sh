# H37: the same model twice gives byte-identical output, across processes:
# pairs over string keys (hash seeds differ per process; the sandbox's pairs
# is ordered), math.random (seeded from --seed), and the example models.
ID=H37; . ../lib/tap.sh
ROOT=$(cd ../.. && pwd)
cat > "$TMP/p.lua" <<'L'
local t = {}
for _, k in ipairs{"alpha", "beta", "gamma", "delta", "eps", "zeta", "eta", "theta", "iota", "kappa", 3, 1, 2.5, true} do t[k] = 1 end
local o = {} for k in pairs(t) do o[#o + 1] = tostring(k) end
print(table.concat(o, " "))
print(math.random(1, 10^9), math.random())
print(num"1/3" * 3, num"1.2 GW" * num"2 h")
L
same=0
"$DEAL" "$TMP/p.lua" > "$TMP/1" 2>&1
for i in 2 3 4 5; do "$DEAL" "$TMP/p.lua" > "$TMP/$i" 2>&1; cmp -s "$TMP/1" "$TMP/$i" || same=1; done
check "pairs over string keys and math.random: 5 runs identical" $same
grep -q '^1 2.5 3 alpha beta delta eps eta gamma iota kappa theta zeta true$' "$TMP/1" && ok "pairs order: numbers, strings, booleans" || nok "pairs order: $(head -1 "$TMP/1")"
"$DEAL" --seed 7 "$TMP/p.lua" > "$TMP/s7" 2>&1
cmp -s "$TMP/1" "$TMP/s7" && nok "--seed changes math.random" || ok "--seed changes math.random"
for m in "$ROOT"/examples/*.deal; do
  [ -f "$m" ] || continue
  n=$(basename "$m")
  (cd "$(dirname "$m")" && timeout 100 "$DEAL" --samples 2000 "$n" > "$TMP/x1" 2>&1; echo "rc=$?" >> "$TMP/x1")
  (cd "$(dirname "$m")" && timeout 100 "$DEAL" --samples 2000 "$n" > "$TMP/x2" 2>&1; echo "rc=$?" >> "$TMP/x2")
  cmp -s "$TMP/x1" "$TMP/x2" && ok "examples/$n twice: identical" || nok "examples/$n twice: identical ($(diff "$TMP/x1" "$TMP/x2" | head -3 | tr '\n' ' '))"
done
