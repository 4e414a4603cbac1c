# H36: two instances on one model directory at once: no interference (models
# only read; the shared history file is the REPL's, tests/repl).
ID=H36; . ../lib/tap.sh
mkdir "$TMP/m"
awk 'BEGIN { for (i = 1; i <= 50000; i++) print i "," i * 3 }' > "$TMP/m/data.csv"
cat > "$TMP/m/model.lua" <<'L'
local s = num(0)
for line in io.lines("data.csv") do local a, b = line:match("(%d+),(%d+)") s = s + num(b) / a end
print(s)
L
( cd "$TMP/m" && "$DEAL" model.lua > ../a.out 2>&1 ) &
( cd "$TMP/m" && "$DEAL" model.lua > ../b.out 2>&1 ) &
wait
cmp -s "$TMP/a.out" "$TMP/b.out" && grep -q '^150000$' "$TMP/a.out" && ok "two concurrent runs agree (150000)" || nok "two concurrent runs agree: $(cat "$TMP/a.out" "$TMP/b.out" | head -c 200)"
