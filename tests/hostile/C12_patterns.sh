# C12: pathological patterns: refused by the wrapper limits or stopped by the
# time limit; nothing runs unbounded.
ID=C12; . ../lib/tap.sh
printf 'print(string.find(("a"):rep(1e5), ".*b"))\n' > "$TMP/a.lua"
start=$(date +%s)
run_expect "('a'):rep(1e5):find('.*b') stopped by the time limit" 1 "exceeded time limit" "$DEAL" --timeout 2 "$TMP/a.lua"
el=$(( $(date +%s) - start )); [ $el -le 5 ] && ok ".*b stopped within 5 s ($el s)" || nok ".*b stopped within 5 s ($el s)"
printf 'print(("a"):rep(1e4):find(".-.-.-.-b$"))\n' > "$TMP/b.lua"
run_expect ".-.-.-.-b\$ refused at once" 1 "pattern too complex" "$DEAL" "$TMP/b.lua"
printf 'print(("a"):rep(1e4):match("^(.-)(.-)(.-)b$"))\n' > "$TMP/c.lua"
run_expect "anchored ^(.-)(.-)(.-)b\$ refused at once" 1 "pattern too complex" "$DEAL" "$TMP/c.lua"
printf 'print(#(("x"):rep(1e6):gsub("x", ("y"):rep(1000))))\n' > "$TMP/d.lua"
run_expect "gsub with a 1 GB result hits the memory limit" 1 "not enough memory" "$DEAL" --max-memory 256M "$TMP/d.lua"
printf 'for _ in ("a"):rep(1e5):gmatch("a*b") do end\n' > "$TMP/e.lua"
run_expect "gmatch with quadratic work stopped by the time limit" 1 "exceeded time limit" "$DEAL" --timeout 1 "$TMP/e.lua"
cat > "$TMP/f.lua" <<'L'
local s = ("key = value\n"):rep(20000)
local n = 0 for k, v in s:gmatch("(%w+) = (%w+)\n") do n = n + 1 end
local t = s:gsub("%s+", " ")
print(n == 20000 and #t == 240000 and "ok - C12 ordinary patterns on 240 KB work" or "not ok - C12 ordinary patterns on 240 KB work " .. n .. " " .. #t)
L
"$DEAL" "$TMP/f.lua"
printf 'local s = ("a"):rep(4e6) print(s:find(("a"):rep(2e6) .. "b", 1, true))\n' > "$TMP/p.lua"
run_expect "a plain find that is n*m in Lua is linear here (memmem)" 0 "^nil" "$DEAL" --timeout 2 "$TMP/p.lua"
# one long C call that no hook reaches (string.rep of 2 GB) stops at the
# limit at the model's line with status 1; it used to run on until the
# watchdog's status 124 without a line (more in C12_slow_steps.sh)
printf 'local s = string.rep("a", 1e9, "b")\n' > "$TMP/w.lua"
start=$(date +%s)
run_expect "string.rep of 2 GB stops at the limit at its line (status 1)" 1 "w\\.lua:1:1: error: exceeded time limit \\(0\\.5 s" "$DEAL" --timeout 0.5 "$TMP/w.lua"
el=$(( $(date +%s) - start )); [ $el -le 4 ] && ok "stopped within 4 s ($el s)" || nok "stopped within 4 s ($el s)"
