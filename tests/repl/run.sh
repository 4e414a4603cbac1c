#!/bin/sh
# tests/repl/run.sh DEAL: the REPL driven in a pseudo-terminal (tmux) and
# through a pipe. Prints TAP lines (ok - ... / not ok - ...), exits 0.
#
# Each terminal session runs in a private tmux server (-L dealtest$$) with an
# empty HOME and its own history file; the server is killed at the end.
# Text is sent with `send-keys -l` (literally: "end" is otherwise the End key).
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
T=$TMP
SOCK=dealtest$$
mkdir -p "$T/home"
at_exit 'tmux -L "$SOCK" kill-server 2>/dev/null'

# {====== terminal sessions
S=0
screen() { tmux -L "$SOCK" capture-pane -p -J -S -2000 -t "s$S"; }
# waitfor TEXT [SECONDS]: 0 when TEXT (fixed string) is on the screen
waitfor() {
  i=0; n=$(( ${2:-5} * 10 ))
  while [ $i -lt "$n" ]; do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1; i=$((i + 1))
  done
  return 1
}
# start [ENV...]: a new session running deal (its exit status is printed)
start() {
  S=$((S + 1))
  tmux -L "$SOCK" new-session -d -s "s$S" -x 120 -y 40 \
    "env HOME=$T/home DEAL_HISTORY=$T/hist INPUTRC=/dev/null $* '$DEAL'; echo EXITED \$?; sleep 60"
  waitfor '> ' 10
}
type_() { tmux -L "$SOCK" send-keys -t "s$S" -l "$1"; }
key() { tmux -L "$SOCK" send-keys -t "s$S" "$@"; }
# line TEXT: types TEXT and Enter, then waits for the next prompt to settle
line() { type_ "$1"; key Enter; sleep 0.3; }
count() { screen | grep -cF -- "$1"; }
# }======

if ! command -v tmux >/dev/null 2>&1; then
  skip "terminal tests" "tmux not installed"
else
  start
  check "banner and prompt on a terminal" $?

  # completion: a module field (unique: appends a space), then use it
  type_ 'chips.g'; key Tab; sleep 0.3; type_ '"h100"'; key Enter
  waitfor 'h100 · ' 5
  check "Tab completes a module field (chips.g -> chips.get) and a catalog entry prints as a card" $? "$(screen | tail -20)"
  waitfor '> chips.get "h100"' 1
  check "the completed line reads chips.get \"h100\"" $?

  # completion: catalog keys inside chips.get "..."
  type_ 'chips.get "tpu-v'; key Tab; key Tab; sleep 0.3
  waitfor 'tpu-v7' 3
  check "Tab inside chips.get \"tpu-v lists catalog keys" $? "$(screen | tail -8)"
  key C-u; sleep 0.2

  # completion: a method through the metatable's __index (x:ex -> x:exact)
  line 'x = num "1.2 GW"'
  type_ 'x:ex'; key Tab; sleep 0.3; type_ '()'; key Enter
  waitfor '> x:exact ()' 3
  check "Tab completes a method of a num (x:ex -> x:exact)" $? "$(screen | tail -5)"
  # the first Tab inserts the common part (x:to), readline lists on the next two
  type_ 'x:t'; key Tab; sleep 0.2; key Tab; key Tab; sleep 0.3
  waitfor 'tointeger' 3
  check "Tab lists the methods of a num (x:t -> to, tofloat, tointeger)" $? "$(screen | tail -5)"
  key C-u; sleep 0.2

  # completion: units after a number
  type_ 'e = 2 GW'; key Tab; key Tab; sleep 0.3
  waitfor 'GWh' 3
  check "Tab after a number lists units (2 GW -> GW GWh)" $? "$(screen | tail -5)"
  type_ 'h'; key Enter; sleep 0.3
  type_ 'y = 3 Gbi'; key Tab; sleep 0.3
  waitfor '> y = 3 Gbit' 3
  check "Tab completes a unique unit (3 Gbi -> 3 Gbit)" $? "$(screen | tail -5)"
  key C-u; sleep 0.2

  # completion: private stdlib modules (_shared, _doc) are not offered as globals
  type_ '_sh'; key Tab; key Tab; sleep 0.3
  ! screen | grep -q '_shared'
  check "Tab does not offer the private module _shared" $? "$(screen | tail -5)"
  key C-u; sleep 0.2

  # :load completes paths with their folder (not from the current one)
  mkdir -p "$T/models/sub"
  echo 'alpha_total = 2 GW' > "$T/models/alpha.deal"
  echo 'beta_total = 3 GW' > "$T/models/beta.deal"
  type_ ":load $T/models/a"; key Tab; sleep 0.3
  screen | grep -qF ":load $T/models/alpha.deal"
  check ":load DIR/a<Tab> completes the file inside DIR" $? "$(screen | tail -3)"
  key Enter; sleep 0.3
  line 'alpha_total'
  waitfor '= 2 GW' 3
  check "the completed :load path loads" $? "$(screen | tail -4)"
  type_ ":load $T/models/s"; key Tab; sleep 0.3
  screen | grep -qE ":load $T/models/sub/\$"
  check ":load DIR/s<Tab> completes a folder with / and no space" $? "$(screen | tail -3)"
  key C-u; sleep 0.2
  type_ ":load \"$T/models/b"; key Tab; sleep 0.3
  screen | grep -qF ":load \"$T/models/beta.deal\""
  check ":load \"DIR/b<Tab> completes inside the quotes and closes them" $? "$(screen | tail -3)"
  key C-u; sleep 0.2

  # completion runs no user code
  line 'q = setmetatable({}, {__index = function(t, k) hits = (hits or 0) + 1 end})'
  type_ 'q.a'; key Tab; key Tab; sleep 0.3; key C-u; sleep 0.2
  line 'hits == nil'
  waitfor '= true' 3
  check "completion does not call __index functions" $? "$(screen | tail -5)"

  # multi-line input
  line 'function f(n)'
  line '  return n * 2'
  line 'end'
  line 'f(21)'
  waitfor '= 42' 3
  check "a multi-line function definition continues on >> and runs" $? "$(screen | tail -8)"
  [ "$(count '>>   return n * 2')" -ge 1 ]
  check "the continuation prompt is >>" $?

  # _ and ans
  line '6 * 7'
  line '_ + 1'
  waitfor '= 43' 3
  check "_ holds the last result" $? "$(screen | tail -4)"

  # pretty printing: cycles, no metamethods
  line 't = {1, 2, {a = "x"}, name = "n"}; t.self = t'
  line 't'
  waitfor '= { 1, 2, { a = "x" }, name = "n", self = <cycle> }' 3
  check "tables print with a cycle mark" $? "$(screen | tail -4)"
  line 'p = setmetatable({k = 1}, {__index = function() error("ran") end, __pairs = function() error("ran") end})'
  line 'p'
  waitfor '= { k = 1 }' 3
  r=$?; [ "$(count 'ran')" -eq 1 ] || r=1   # only the typed line
  check "printing a table runs none of its metamethods" $r "$(screen | tail -4)"

  # errors print once and the session keeps its state
  line 'error("boom")'
  line 'x2 = 5'
  line 'x2 + 1'
  waitfor '= 6' 3
  r=$?; [ "$(count 'boom')" -eq 2 ] || r=1   # the typed line and the message
  check "an error prints once and the session goes on" $r "$(screen | tail -8)"

  # Ctrl-C interrupts a running loop, and the session goes on
  line 'while true do end'
  sleep 0.5; key C-c
  waitfor 'interrupted!' 5
  check "Ctrl-C interrupts while true do end" $? "$(screen | tail -6)"
  line 'x2 * 2'
  waitfor '= 10' 3
  check "the session goes on after the interrupt, state kept" $? "$(screen | tail -6)"

  # Ctrl-C at the prompt clears the line; in a continuation, drops it
  type_ 'garbage garbage'; key C-c; sleep 0.3
  line '40 + 2 + 100'
  waitfor '= 142' 3
  check "Ctrl-C at the prompt clears the line" $? "$(screen | tail -6)"
  line 'if true then'
  key C-c; sleep 0.3
  line '1 + 2 + 300'
  waitfor '= 303' 3
  check "Ctrl-C on the >> prompt drops the unfinished statement" $? "$(screen | tail -6)"

  line 'while false do'
  key C-d; sleep 0.3
  line '2 + 2 + 400'
  waitfor '= 404' 3
  r=$?; screen | grep -qF "'end' expected near <eof>" || r=1
  check "Ctrl-D on the >> prompt reports what is missing and the session goes on" $r "$(screen | tail -6)"

  line ':help chips.get'
  waitfor 'Looks up a chip by key or alias' 3
  check ":help shows a stdlib doc comment" $? "$(screen | tail -6)"

  key C-d
  waitfor 'EXITED 0' 5
  check "Ctrl-D leaves with status 0" $? "$(screen | tail -4)"

  # history: written per entry, multi-line entries as one escaped line
  grep -qxF 'x2 = 5' "$T/hist"
  check "history file written" $? "$(cat "$T/hist" 2>&1 | head -20)"
  grep -qxF 'function f(n)\n  return n * 2\nend' "$T/hist"
  check "a multi-line entry is one history line with \\n escaped" $?
  grep -qxF 'while true do end' "$T/hist"
  check "history survives errors and Ctrl-C" $?

  # history read back by a second session: Up, and Ctrl-R search
  start
  key Up; sleep 0.3
  waitfor '> :help chips.get' 3
  check "a second session reads the history back (Up)" $? "$(screen | tail -3)"
  key C-u; key C-r; type_ '40 + 2 +'; sleep 0.3; key Enter
  waitfor '= 142' 3
  check "Ctrl-R finds an entry of the first session" $? "$(screen | tail -4)"
  key C-d
  waitfor 'EXITED 0' 5

  # the history file is capped
  i=0; : > "$T/hist"
  while [ $i -lt 1100 ]; do echo "old_$i = $i" >> "$T/hist"; i=$((i + 1)); done
  start
  line 'capped = 1'
  key C-d; waitfor 'EXITED 0' 5
  n=$(wc -l < "$T/hist")
  [ "$n" -le 1001 ] && [ "$n" -ge 1000 ] && tail -1 "$T/hist" | grep -qxF 'capped = 1' \
    && ! grep -qxF 'old_0 = 0' "$T/hist"
  check "the history file is trimmed to 1000 entries (kept the newest)" $? "lines: $n"

  # an unwritable history file: one warning, the session goes on
  start "DEAL_HISTORY=$T/no/such/dir/hist"
  line 'w = 1'
  line 'w + 41'
  waitfor '= 42' 3
  r=$?; [ "$(count 'cannot write history')" -eq 1 ] || r=1
  check "an unwritable history file warns once" $r "$(screen | tail -6)"
  key C-d; waitfor 'EXITED 0' 5

  # the history file is opened as models are: a device or a FIFO is refused
  # with a warning (getline on /dev/zero read for ever; a FIFO blocked open)
  mkfifo "$T/hfifo"
  for h in /dev/zero "$T/hfifo"; do
    start "DEAL_HISTORY=$h"
    r=$?
    line 'h = 20'
    line 'h * 2 + 2'
    waitfor '= 42' 3 || r=1
    [ "$(count 'not a regular file')" -eq 1 ] || r=1
    check "history file $h: a warning, then a working session" $r "$(screen | tail -6)"
    key C-d; waitfor 'EXITED 0' 5
    check "history file $h: the session ends normally" $? "$(screen | tail -3)"
  done
fi

# {====== not a terminal
out=$(printf 'x = 2\nx * 3 GW\n' | "$DEAL" 2>&1)
[ "$out" = "6 GW" ]
check "pipe: 'x = 2; x * 3 GW' prints 6 GW" $? "got: $out"

out=$(printf '1, "a", nil\nfunction g(n)\n  return n + 1\nend\ng(1)\n' | "$DEAL" 2>&1)
[ "$out" = "$(printf '1\ta\tnil\n2')" ]
check "pipe: values tab separated, multi-line input, no prompts" $? "got: $out"

out=$(printf 'error("bad")\n40 + 2\n' | "$DEAL" 2>"$T/err")
[ "$out" = "42" ] && grep -q '^stdin:1:1: error: bad' "$T/err"
check "pipe: an error goes to stderr and input goes on" $? "got: $out / $(cat "$T/err")"

out=$(printf 't = {1, {2, 3}}\nt\n' | "$DEAL" 2>&1)
[ "$out" = "{ 1, { 2, 3 } }" ]
check "pipe: tables pretty-printed" $? "got: $out"

printf 'x = 1\nx\n:help\n:units Power\n' | "$DEAL" > "$T/pipe.out" 2>&1
! grep -q "$(printf '\033')" "$T/pipe.out" && ! grep -q '^> ' "$T/pipe.out"
check "pipe: no escape codes, no prompts" $?
[ ! -e "$T/home/.deal_history" ]
check "pipe: no history file" $?

out=$(printf 'function h()\n  return 1\n' | "$DEAL" 2>&1)
echo "$out" | grep -q "'end' expected"
check "pipe: end of input inside a statement reports what is missing" $? "got: $out"

# :complete LINE: what Tab offers, for editors without readline (the Emacs
# REPL buffer): the offset of the word, the candidates, an empty line
out=$(printf '6 * 7\nchipset = 1\n:complete y = chips.g\n:complete z = 1.2 GW\n:complete :he\n:complete   chip\n_\n' | "$DEAL" 2>&1)
want=$(printf '42\n4\nchips.get\n\n8\nGW\nGWh\n\n0\n:help\n\n2\nchips\nchipset\n\n42')
[ "$out" = "$want" ]
check "pipe: :complete prints the offset, the candidates and an empty line; _ is untouched" $? "got: $out"
out=$(cd "$T/models" && printf ':complete :load su\n:complete :l "a\n:complete x = chips.get "h1\n:complete nothing_like_this\n' | "$DEAL" 2>&1)
want=$(printf '6\nsub/\n\n4\nalpha.deal\n\n15\nh100\n\n0')
[ "$out" = "$want" ]
check "pipe: :complete offers folders, files in quotes and catalog keys" $? "got: $out"

# :help knows every distribution function, and each example it shows runs
r=0; bad=
for f in normal lognormal uniform triangular pert beta gamma chance discrete mixture samples correlate where; do
  h=$(printf ':help %s\n' "$f" | "$DEAL" 2>&1)
  case $h in "$f"*) ;; *) r=1; bad="$bad $f:no-entry";; esac
  printf '%s\n' "$h" | grep -o 'e\.g\. .*' | sed 's/^e\.g\. //; s/; .*//' > "$T/eg"
  while IFS= read -r eg; do
    "$DEAL" -e "capex = 1 to 2; delay = 3 to 9; demand = 5 chip to 9 chip; supply = 6 chip to 8 chip
print($eg)" > "$T/eg.out" 2>&1 || { r=1; bad="$bad $f:$eg:$(cat "$T/eg.out")"; }
  done < "$T/eg"
done
check "pipe: :help has an entry for each distribution function and its examples run" $r "$bad"

# :seed and :samples in a fresh session: `deal` is loaded on first use, so
# they must see the run's settings, not a missing module
out=$(printf ':seed\n:samples\n' | "$DEAL" 2>&1)
[ "$out" = "$(printf '20260101\n100000')" ] && [ "$out" = "$("$DEAL" -e 'print(deal.seed()) print(deal.samples())')" ]
check "pipe: :seed and :samples in a fresh session show the defaults (20260101, 100000)" $? "got: $out"
out=$(printf ':seed 7\nmean(normal(0, 1))\n' | "$DEAL" 2>&1)
want=$("$DEAL" --seed 7 -e 'print(mean(normal(0, 1)))' 2>&1)
[ -n "$out" ] && [ "$out" = "$want" ]
check "pipe: :seed N in a fresh session reseeds as --seed N does" $? "got: $out, want: $want"
# sensitivity prints its tornado; the REPL does not echo the table it returns as well, and
# a table kept in a variable still shows when asked for (issue 12)
out=$(printf 'x = 1 to 2\ny = x * 2 + (3 to 4)\nsensitivity(y)\ns = sensitivity(y, true)\n#s\n' | "$DEAL" 2>&1)
echo "$out" | grep -q '^sensitivity of y (rank correlation)' && ! echo "$out" | grep -q 'rho =' &&
  [ "$(echo "$out" | tail -1)" = 2 ]
check "pipe: sensitivity shows the tornado once, not its raw table" $? "got: $out"
out=$(printf 'mean(1000k to 2000k)\nP((1 to 2) > 5)\n' | "$DEAL" 2>&1)
[ "$out" = "$(printf '\342\211\2101.45M\n\342\211\2100')" ]
check "pipe: statistics print like values (no 1447000, no 0.0)" $? "got: $out"

# a model that declares its units can be run again (:reload): the same
# declaration twice is no change; a different one stays an error
printf 'units.dimension("Seat", "seat")\nunits.define("server", "8 chip")\nprint(3 seat)\n' > "$T/seats.deal"
out=$(cd "$T" && printf ':load seats.deal\n:reload\n2 seat + 1 server / 1 chip * 0 seat\n' | "$DEAL" 2>&1)
[ "$out" = "$(printf '3 seat\n3 seat\n2 seat')" ]
check "pipe: :reload of a model that declares units.dimension and units.define" $? "got: $out"
# }======
exit 0
