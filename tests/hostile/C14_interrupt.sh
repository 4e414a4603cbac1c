# C14: Ctrl-C (SIGINT) interrupts a running model, also inside a coroutine and
# inside a pcall loop, with "interrupted!" (batch mode). The REPL side (back to
# the prompt, a second Ctrl-C, an idle prompt) is tested by tests/repl.
ID=C14; . ../lib/tap.sh
t() {
  printf '%s\n' "$2" > "$TMP/m.lua"
  "$DEAL" "$TMP/m.lua" > "$TMP/out" 2>&1 &
  pid=$!
  sleep 1; kill -INT $pid 2>/dev/null
  i=0; while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 $pid 2>/dev/null; then kill -KILL $pid; wait $pid 2>/dev/null; nok "$1: still running 5 s after SIGINT"; return; fi
  wait $pid; rc=$?
  if [ $rc = 1 ] && grep -q "interrupted!" "$TMP/out"; then ok "$1"; else nok "$1 # rc=$rc $(head -c 200 "$TMP/out")"; fi
}
t "loop" 'while true do end'
t "loop in a coroutine (no --timeout)" 'coroutine.wrap(function() while true do end end)()'
t "loop in a resumed coroutine" 'coroutine.resume(coroutine.create(function() while true do end end))'
t "pcall loop cannot swallow Ctrl-C" 'while true do pcall(function() while true do end end) end'
t "long pattern search" 'print(string.find(("a"):rep(1e5), ".*b"))'
