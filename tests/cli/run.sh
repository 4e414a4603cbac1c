#!/bin/sh
# The program's conventions (those of lua): options, arg, exit status,
# error format, text-only loading, Ctrl-C. Prints TAP lines.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
ROOT=$(cd "$TAP_LIB/../.." && pwd)
cd "$TMP" || exit 1

# run_expect_text NAME STATUS TEXT CMD...: the output (stdout and stderr)
# contains TEXT and the exit status is STATUS (tests/lib/tap.sh)

run_expect_text "-e runs .deal code" 0 "10.512 TWh" "$DEAL" -e 'print(1.2 GW * 8760 h)'
run_expect_text "issue example" 0 "true	1267650600228229401496703205376	2/3" \
  "$DEAL" -e 'print(num"0.1"+num"0.2" == num"0.3", num(2)^100, num.exact(num(2)/3))'
run_expect_text "several -e in order" 0 "3" "$DEAL" -e 'x = 1' -e 'x = x + 2' -e 'print(x)'
printf 'return { hello = function() return "hi" end }\n' > mymod.lua
run_expect_text "-l loads a module beside the current directory" 0 "hi" "$DEAL" -l mymod -e 'print(mymod.hello())'
printf 'print(select("#", ...), ...)\nprint(arg[0], arg[1], arg[2], arg[-1] ~= nil)\n' > args.lua
run_expect_text "script arguments in ... and arg" 0 "2	a	b" "$DEAL" args.lua a b
run_expect_text "arg[0] is the script" 0 "args.lua	a	b	true" "$DEAL" args.lua a b
run_expect_text "- runs stdin" 0 "6 GW" sh -c "echo 'print(2 * 3 GW)' | $DEAL -"
run_expect_text "--help" 0 "usage: deal" "$DEAL" --help
run_expect_text "-v" 0 "Dealscript" "$DEAL" -v
run_expect_text "unknown option is a usage error" 2 "unrecognized option '--bogus'" "$DEAL" --bogus
run_expect_text "missing option argument" 2 "option requires an argument" "$DEAL" -e
run_expect_text "bad --samples" 2 "bad --samples" "$DEAL" --samples 0 -e ''
# more samples than --max-memory can take: refused before anything runs,
# naming the limit and what fits
run_expect "--samples beyond --max-memory fails before work starts" 1 \
  "^deal: --samples 100000000 needs at least [0-9]+ MB .*--max-memory 64 MB allows at most [0-9,]+ samples$" \
  "$DEAL" --max-memory 64M --samples 100000000 -e 'print("ran")'
run_expect "... and deal.samples(N) at its line" 1 "^\(command line\):1:1: error: deal.samples\(100000000\) needs at least" \
  "$DEAL" --max-memory 256M -e 'deal.samples(100000000)'
run_expect_text "the same count fits the default limit" 0 "100000000" "$DEAL" -e 'print(deal.samples(100000000))'
run_expect_text "missing script" 1 "cannot open nosuch.deal" "$DEAL" nosuch.deal
printf 'local x = 1\nlocal y = nil + x\n' > err.lua
run_expect_text "runtime error: file:line:col: error: and traceback" 1 "err.lua:2:1: error: attempt to perform arithmetic on a nil value" "$DEAL" err.lua
run_expect_text "traceback printed" 1 "stack traceback:" "$DEAL" err.lua
printf 'x = = 1\n' > syn.lua
run_expect_text "syntax error in .lua" 1 "syn.lua:1:1: error: unexpected symbol near '='" "$DEAL" syn.lua
printf 'local a = 1\nlocal b = 2 +\n' > syn.deal
run_expect_text "syntax error in .deal" 1 "syn.deal:" "$DEAL" syn.deal
printf 'x = 1.2 GW + 10512 GWh\n' > dim.deal
run_expect_text "dimension error names the line" 1 "dim.deal:1:1: error: cannot add Power and Energy: 1.2 GW + 10,512 GWh (hint: multiply the left side by a Time, e.g. * 8760 h)" "$DEAL" dim.deal
run_expect_text "error object that is a table" 1 "(error object is a table value)" "$DEAL" -e 'error({})'
run_expect_text "error with __tostring" 1 "custom" "$DEAL" -e 'error(setmetatable({}, {__tostring = function() return "custom" end}))'
# binary chunks never load
lua5.4 -e 'io.write(string.dump(function() print("bytecode ran") end))' > bin.lua
run_expect_text "binary main script refused" 1 "attempt to load a binary chunk" "$DEAL" bin.lua
run_expect_text "load refuses binary" 0 "attempt to load a binary chunk" "$DEAL" -e 'f = io.open("bin.lua", "rb") s = f:read("a") print(load(s))'
run_expect_text "load with mode b stays text-only" 0 "attempt to load a binary chunk" "$DEAL" -e 'f = io.open("bin.lua", "rb") s = f:read("a") print(load(s, "x", "b"))'
cp bin.lua binmod.lua
run_expect_text "require refuses binary" 1 "attempt to load a binary chunk" "$DEAL" -e 'require "binmod"'
run_expect_text "string.dump is gone" 1 "attempt to call a nil value" "$DEAL" -e 'string.dump(print)'
# Ctrl-C interrupts a running script (a count hook, as lua.c)
"$DEAL" -e 'while true do end' > int.txt 2>&1 & pid=$!
sleep 0.5; kill -INT $pid; wait $pid; rc=$?
[ $rc = 1 ] && grep -q "interrupted!" int.txt
check "Ctrl-C interrupts with 'interrupted!'" $? "status $rc: $(head -2 int.txt)"
# integers where Lua needs integers
run_expect_text "exact integral results index tables and bound loops" 0 "1 2 3 xxx	b" \
  "$DEAL" -e 't = {"a", "b"} for i = 1, 6/2 do io.write(i, " ") end print(string.rep("x", 6/2), t[4/2])'
run_expect_text "integer arithmetic never wraps" 0 "4600000000000000000000000" "$DEAL" -e 'print(1000000 * 4600000000000000 * 1000)'
run_expect_text "maxinteger + 1 is exact" 0 "9223372036854775808" "$DEAL" -e 'print(math.maxinteger + 1)'
# one option parser for deal and deal check (vm/cli.c)
run_expect_text "-e with its value attached, as lua" 0 "attached" "$DEAL" -e'print("attached")'
run_expect_text "--seed=N as well as --seed N" 0 "7" "$DEAL" --seed=7 -e 'print(deal.seed())'
run_expect_text "a negative --seed is a usage error" 2 "bad --seed: -1" "$DEAL" --seed -1 -e ''
run_expect_text "a flag takes no value" 2 "option takes no argument: --trust" "$DEAL" --trust=1 -e ''
run_expect_text "-- ends the options: the script is named '-v'" 1 "cannot open -v" "$DEAL" -- -v
run_expect_text "deal check --help lists its options" 0 "--timeout S     time limit in seconds (default 60)" "$DEAL" check --help
run_expect_text "deal check: an option of deal only is unrecognized" 2 "deal check: unrecognized option '-e'" "$DEAL" check -e x .
run_expect_text "deal check: a missing value" 2 "deal check: option requires an argument: --seed" "$DEAL" check --seed
run_expect_text "deal check: bad --samples" 2 "deal check: bad --samples (1 to 100000000): 0" "$DEAL" check --samples 0 .
printf 'claim("two", 1 + 1 == 2)\n' > c.deal
run_expect_text "deal check takes --max-memory" 0 "1 claim: 1 hold, 0 fail" "$DEAL" check --max-memory 512M c.deal
run_expect_text "deal check: options after -- are paths" 2 "cannot open --json" "$DEAL" check -- --json
# the usage text and docs/cli.md give the same defaults (both from vm/defaults.h)
"$DEAL" --help > help.txt; "$DEAL" check --help > checkhelp.txt
python3 - help.txt checkhelp.txt "$ROOT/docs/cli.md" <<'PY'
import re, sys
doc = open(sys.argv[3], encoding="utf-8").read().replace(",", "")
bad, seen = [], 0
for f in sys.argv[1:3]:
    for line in open(f, encoding="utf-8"):
        m = re.match(r"  (--?[a-z-]+)( \S+)?\s.*\(default ([^;)]+)", line)
        if not m: continue
        opt, default = m.group(1), m.group(3).replace(",", "")
        seen += 1
        rows = [r for r in doc.split("\n") if r.startswith("| `" + opt)]
        if not any("default " + default in r for r in rows): bad.append(f"{opt} (default {default})")
if seen < 8: bad.append(f"only {seen} defaults found in the usage text")
print((f"ok - docs/cli.md gives every default of --help ({seen})" if not bad else
       "not ok - docs/cli.md lacks or contradicts: " + ", ".join(bad)))
PY
# test hooks live only in the test build (make deal-test): none in this binary
run_expect_text "no test hooks in __deal" 0 "nil	nil	nil" "$DEAL" -e 'print(__deal.ks, __deal.sample, __deal.spearman)'
for hook in DEAL_CHECK_CRASH DEAL_FAIL_AFTER DEAL_ALLOC_COUNT dist_ks; do
  if grep -q "$hook" "$DEAL"; then echo "not ok - $hook is not in the binary"; else echo "ok - $hook is not in the binary"; fi
done
run_expect_text "DEAL_FAIL_AFTER injects nothing" 0 "still fine" env DEAL_FAIL_AFTER=0 "$DEAL" -e 'print("still fine")'

# {====== edges of the command line (issue 12)
for t in nan inf -0 1e309 -inf 0; do
  run_expect_text "--timeout $t is refused" 2 "bad --timeout: $t" "$DEAL" --timeout "$t" -e 'print(1)'
  run_expect_text "deal check --timeout $t is refused" 2 "bad --timeout: $t" "$DEAL" check --timeout "$t" c.deal
done
"$DEAL" --help > help.txt
grep -q "deal check takes: --json --seed --samples --max-memory --timeout" help.txt && grep -qF "'deal check --help'" help.txt
check "--help names deal check's options and points to deal check --help" $? "$(tail -3 help.txt)"
run_expect "-e shows the claims table as a script does" 0 "^x +true +holds" "$DEAL" -e 'claim("x", true)'
run_expect "-e: the table comes after the code, once" 0 "^y +0\\.[0-9]+ +fails" "$DEAL" -e 'x = 1 to 2' -e 'claim("y", x > 3)'
# output that cannot be written is an error, not a success
if [ -w /dev/full ]; then
  run_expect_text "print to a full device exits 1" 1 "cannot write standard output" sh -c "'$DEAL' -e 'print(1)' > /dev/full"
  run_expect_text "io.write to a full device exits 1" 1 "cannot write standard output: No space left on device" sh -c "'$DEAL' -e 'io.write(1)' > /dev/full"
  run_expect_text "the REPL's pipe mode to a full device exits 1" 1 "cannot write standard output" sh -c "echo 'print(1)' | '$DEAL' > /dev/full"
  run_expect_text "deal check to a full device exits 1" 1 "deal check: cannot write standard output" sh -c "'$DEAL' check c.deal > /dev/full"
else
  skip "output to a full device is an error" "no writable /dev/full"
fi
# errors from library calls carry the model's line and the function's name,
# however the library function is reached (a wrapper, a metamethod, C code)
while IFS='|' read -r expr name; do
  "$DEAL" -e "$expr" > lib.txt 2>&1; rc=$?
  line=$(head -1 lib.txt)
  case $line in
    *"(command line):1:"*"'?'"*) good=1 ;;
    *"(command line):1:"*"$name"*) good=0 ;;
    *) good=1 ;;
  esac
  [ $rc -eq 1 ] || good=1
  check "library error names $name at the model's line: $expr" $good "status $rc: $line"
done <<'CASES'
string.format("%d", true)|'format'
("%d"):format(true)|bad argument #1 to 'format'
max(3 h, 1)|max
min("a", 1)|min
math.floor("x")|'floor'
math.sqrt("x")|'sqrt'
math.max()|'max'
tonumber(1, 99)|'tonumber'
string.rep()|'rep'
table.sort(nil)|'sort'
table.move(nil, 1, 2, 3)|'move'
table.insert(nil, 1)|'insert'
table.remove({}, 5)|'remove'
string.find(nil, "x")|'find'
string.gsub("x", "x", true)|'gsub'
string.gmatch(nil, "x")|'gmatch'
setmetatable(1, {})|'setmetatable'
load(1)|'load'
coroutine.wrap(1)|'wrap'
io.open({})|'open'
table.concat({{}})|'concat'
CASES
# }======

# {====== every diagnostic in the GNU form file:line:col: error: message
# (issue 16; the old "deal: file:line: msg" and deal check's "path: error:
# path:line: msg" were read by no editor)
printf 'local a = 1\nlocal p = 1kW\n' > col.deal
run_expect "a .deal syntax error keeps the translator's column" 1 "^col\\.deal:2:11: error: malformed number near '1kW'" "$DEAL" col.deal
printf 'x = 1\n  local y = x + nil\n' > rt.lua
run_expect "a runtime error knows its line: column 1" 1 "^rt\\.lua:2:1: error: attempt to perform arithmetic on a nil value" "$DEAL" rt.lua
run_expect "-e errors are at (command line)" 1 "^\\(command line\\):1:1: error: boom" "$DEAL" -e 'error("boom")'
run_expect "a message without a position keeps the program's name" 1 "^deal: cannot open nosuch\\.deal" "$DEAL" nosuch.deal
printf 'local x = 2\n\nclaim("x is big", x > 3)\nclaim("x is small", x < 3)\n' > fc.deal
"$DEAL" fc.deal > fc.out 2> fc.err; rc=$?
[ $rc -eq 0 ] && grep -qx 'fc.deal:3:1: error: claim fails: x is big' fc.err && ! grep -q 'x is small' fc.err \
  && grep -q '^x is big .* fails' fc.out
check "deal FILE: a failing claim is an error at its claim( line on stderr (exit 0: deal check is the gate)" $? \
  "status $rc; stderr: $(cat fc.err)"
run_expect "deal -e: a failing uncertain claim, with its P" 0 "^\\(command line\\):1:1: error: claim fails: y \\(P = 0\\.[0-9]+ < 0\\.9\\)" \
  "$DEAL" -e 'x = 1 to 2' -e 'claim("y", x > 1.9)'
# Lua shortens long chunk names to "...tail"; the diagnostic names the file
d="$TMP/a-rather-long-folder-name/another-long-folder-name/and-one-more"
mkdir -p "$d"; printf 'local x\nx = x + 1\n' > "$d/model-with-a-long-name.deal"
run_expect_text "a long path is given whole, not as Lua's ...tail" 1 "$d/model-with-a-long-name.deal:2:1: error: attempt to perform arithmetic on a nil value" \
  "$DEAL" "$d/model-with-a-long-name.deal"
printf 'claim("far away", false)\n' > "$d/claim.deal"
printf 'local a = 1\nlocal r = finance.irr({-100, 230, -132})\n' > warn.deal
run_expect "a library's warning is in the same form, at the model's line" 0 "^warn\\.deal:2:1: warning: finance\\.irr: the flows have 2 IRRs" "$DEAL" warn.deal
run_expect_text "deal check: a failing claim in a long path, given whole" 1 "$d/claim.deal:1:1: error: claim fails: far away" \
  "$DEAL" check "$d/claim.deal"
# }======
