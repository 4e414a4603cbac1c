# C9: endless loops, also in a coroutine, a __close handler and a pcall loop,
# stop at --timeout with "exceeded time limit" (a Lua error: exit 1).
ID=C09; . ../lib/tap.sh
t() {
  printf '%s\n' "$2" > "$TMP/m.lua"
  start=$(date +%s)
  run_expect "$1" 1 "exceeded time limit" "$DEAL" --timeout 1 "$TMP/m.lua"
  el=$(( $(date +%s) - start ))
  [ $el -le 3 ] && ok "$1 stopped within 3 s ($el s)" || nok "$1 stopped within 3 s ($el s)"
}
t "while true" 'while true do end'
t "loop in a coroutine" 'coroutine.wrap(function() while true do end end)()'
t "loop in coroutine.resume" 'print(coroutine.resume(coroutine.create(function() while true do end end))) while true do end'
t "loop in a __close handler" 'do local x <close> = setmetatable({}, {__close = function() while true do end end}) end'
t "pcall loop cannot swallow it" 'while true do pcall(function() while true do end end) end'
t "pcall of error() in a loop" 'while true do pcall(error, "x") end'
t "loop in a .deal model" 'local i = 0 while true do i = i + 1 end'
printf 'x = 0\nwhile true do\n  x = x + 1\nend\n' > "$TMP/m.deal"
run_expect ".deal while loop" 1 "exceeded time limit" "$DEAL" --timeout 1 "$TMP/m.deal"
