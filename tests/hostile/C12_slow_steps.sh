# C12 (single slow steps): work that runs long inside one step, where the
# count hook never fires, stops at --timeout with "exceeded time limit" at
# the model's file:line and exit status 1 (not the watchdog's status 124
# without a line): string doubling, table growth, a sort, big exact
# numbers, string.rep, table.move and a shift behind a lying __len; Ctrl-C
# reaches them too; string.rep("", 2^62) returns at once.
ID=C12; . ../lib/tap.sh

# slow NAME TIMEOUT LINE MODEL: stops with the limit at line LINE (a number,
# or a grep -E class such as "[23]") within TIMEOUT + 2 s, with status 1
slow() {
  printf '%s\n' "$4" > "$TMP/m.deal"
  start=$(date +%s)
  "$DEAL" --timeout "$2" "$TMP/m.deal" > "$TMP/out" 2>&1; rc=$?
  el=$(( $(date +%s) - start ))
  grep -qE "m\.deal:$3:[0-9]*:? *(error: )?exceeded time limit \($2 s" "$TMP/out" && [ $rc -eq 1 ]
  check "$1: exceeded time limit at line $3, status 1" $? "status $rc; $(head -c 300 "$TMP/out")"
  [ $el -le $(( ${2%.*} + 2 )) ]
  check "$1: stopped within $2 + 2 s ($el s)" $?
}

slow "doubling strings in a loop" 1 3 'local s
while true do
  s = "x" for i = 1, 27 do s = s .. s end
end'
slow "a table growing to a rehash of millions" 1 2 'local t = {}
for i = 1, 1e9 do t[i] = i end'
slow "sorting 10^7 numbers again and again" 1 "[2-5]" 'local t = {}
for i = 1, 1e7 do t[i] = (i * 7919) % 1000003 end
while true do
  table.sort(t)
  t[1], t[#t] = t[#t], t[1]
end'
slow "sorts with an order written in C" 1 "[23]" 'local t = {} for i = 1, 1e6 do t[i] = i % 1000 end
while true do
  table.sort(t, rawequal)
end'
slow "big exact divisions" 1 "[123]" 'local x = num(3)^10000000
local y = num(7)^5000000
while true do local q = x // y end'
slow "string.rep of hundreds of megabytes in a loop" 1 2 'while true do
  local s = ("x"):rep(2^28)
end'
slow "table.move of 2^62 slots" 1 1 'table.move({}, 1, 2^62, 2)'
slow "table.insert behind a lying __len" 1 2 'local t = setmetatable({}, {__len = function() return 2^53 end})
table.insert(t, 1, "x")'

# string.rep with an empty result or an impossible size: at once
run_expect_text "string.rep(\"\", 2^62) returns \"\" at once" 0 "0 0" timeout 10 "$DEAL" -e 'print(#string.rep("", 2^62) .. " " .. #string.rep("", 2^62, ""))'
run_expect "string.rep(\"ab\", 2^62) is refused at once" 1 "resulting string too large" timeout 10 "$DEAL" -e 'print(#string.rep("ab", 2^62))'
run_expect "load() of a 128 MB chunk is refused (parsing is one C call)" 0 "chunk too large" \
  timeout 60 "$DEAL" -e 'print(select(2, load(("x=1 "):rep(2^25))))'

# Ctrl-C inside one long step: "interrupted!" at the step's line. The model
# says when the step starts; SIGINT follows at once.
intr() {
  printf '%s\n' "$2" > "$TMP/i.deal"
  "$DEAL" "$TMP/i.deal" > "$TMP/iout" 2>&1 &
  pid=$!
  i=0; while ! grep -q '^go' "$TMP/iout" && [ $i -lt 300 ] && kill -0 $pid 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
  kill -INT $pid 2>/dev/null
  i=0; while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 $pid 2>/dev/null; then kill -KILL $pid; wait $pid 2>/dev/null; nok "$1: still running 5 s after SIGINT"; return; fi
  wait $pid; rc=$?
  grep -qE "i\.deal:$3:.*interrupted!" "$TMP/iout" && [ $rc -eq 1 ]
  check "$1: interrupted! at line $3" $? "status $rc; $(head -c 300 "$TMP/iout")"
}
intr "Ctrl-C in a sort of 2*10^7 numbers" 'local t = {}
for i = 1, 2e7 do t[i] = (i * 7919) % 1000003 end
io.write("go\n") io.stdout:flush()
table.sort(t)' 4
intr "Ctrl-C in table.move of 2^62 slots" 'io.write("go\n") io.stdout:flush()
table.move({}, 1, 2^62, 2)' 2

# --translate reads as the loader does: a FIFO or a device is refused
mkfifo "$TMP/fifo.deal"
run_expect "--translate of a FIFO is refused without blocking" 1 "not a regular file" timeout 10 "$DEAL" --translate "$TMP/fifo.deal"
run_expect "--translate of /dev/zero is refused" 1 "not a regular file" timeout 10 "$DEAL" --translate /dev/zero
