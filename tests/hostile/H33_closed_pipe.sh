# H33: stdout a closed pipe; very large output.
ID=H33; . ../lib/tap.sh
printf 'for i = 1, 1e7 do print(i) end\n' > "$TMP/m.lua"
start=$(date +%s)
( "$DEAL" "$TMP/m.lua"; echo "rc=$?" > "$TMP/rc" ) | head -1 > /dev/null
el=$(( $(date +%s) - start ))
rc=$(cut -d= -f2 "$TMP/rc")
# batch mode has no unsaved state: ending on SIGPIPE (141) as Unix filters do, or on an error, is fine; hanging is not
[ $el -le 20 ] && { [ "$rc" = 141 ] || [ "$rc" -le 2 ]; } && ok "| head -1 ends promptly (rc=$rc, $el s)" || nok "| head -1 ends promptly (rc=$rc, $el s)"
printf 'print(string.rep("x", 100 * 2^20))\n' > "$TMP/big.lua"
"$DEAL" "$TMP/big.lua" > "$TMP/big.out" 2>&1; rc=$?
sz=$(wc -c < "$TMP/big.out")
[ $rc = 0 ] && [ "$sz" -eq 104857601 ] && ok "a 100 MB print is written whole under the memory limit" || nok "100 MB print rc=$rc size=$sz"
run_expect "a 100 MB print at a 64 MB cap is refused" 1 "not enough memory" "$DEAL" --max-memory 64M "$TMP/big.lua"
