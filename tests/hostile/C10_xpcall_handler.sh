# C10: xpcall with a looping message handler still terminates.
ID=C10; . ../lib/tap.sh
printf 'print(xpcall(function() while true do end end, function() while true do end end))\n' > "$TMP/a.lua"
run_expect "xpcall(loop, looping handler)" 1 "exceeded time limit" "$DEAL" --timeout 1 "$TMP/a.lua"
printf 'while true do xpcall(function() while true do end end, function(e) return e end) end\n' > "$TMP/b.lua"
run_expect "xpcall in a loop cannot swallow it" 1 "exceeded time limit" "$DEAL" --timeout 1 "$TMP/b.lua"
printf 'print(xpcall(function() error("x") end, function(m) return "handled " .. m end))\n' > "$TMP/c.lua"
run_expect "ordinary handlers still run" 0 "handled" "$DEAL" --timeout 5 "$TMP/c.lua"
printf 'print(xpcall(function() error("x") end, function() while true do end end))\n' > "$TMP/d.lua"
run_expect "a looping handler of an ordinary error" "" "" "$DEAL" --timeout 1 "$TMP/d.lua"
