#!/bin/sh
# The program's conventions (those of lua): options, arg, exit status,
# error format, text-only loading, Ctrl-C. Prints TAP lines.
DEAL=${1:-./deal}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1

# check NAME EXPECTED-STATUS EXPECTED-TEXT CMD...: output (stdout+stderr)
# must contain the text and the status must match.
check() {
  name=$1 want_rc=$2 want=$3; shift 3
  "$@" > out.txt 2>&1; rc=$?
  if [ "$rc" = "$want_rc" ] && grep -qF -- "$want" out.txt; then echo "ok - $name"
  else echo "not ok - $name (status $rc, want $want_rc; output: $(head -c 300 out.txt | tr '\n' '|'))"; fi
}

check "-e runs .deal code" 0 "10.512 TWh" "$DEAL" -e 'print(1.2 GW * 8760 h)'
check "issue example" 0 "true	1267650600228229401496703205376	2/3" \
  "$DEAL" -e 'print(num"0.1"+num"0.2" == num"0.3", num(2)^100, num.exact(num(2)/3))'
check "several -e in order" 0 "3" "$DEAL" -e 'x = 1' -e 'x = x + 2' -e 'print(x)'
printf 'return { hello = function() return "hi" end }\n' > mymod.lua
check "-l loads a module beside the current directory" 0 "hi" "$DEAL" -l mymod -e 'print(mymod.hello())'
printf 'print(select("#", ...), ...)\nprint(arg[0], arg[1], arg[2], arg[-1] ~= nil)\n' > args.lua
check "script arguments in ... and arg" 0 "2	a	b" "$DEAL" args.lua a b
check "arg[0] is the script" 0 "args.lua	a	b	true" "$DEAL" args.lua a b
check "- runs stdin" 0 "6 GW" sh -c "echo 'print(2 * 3 GW)' | $DEAL -"
check "--help" 0 "usage: deal" "$DEAL" --help
check "-v" 0 "Dealscript" "$DEAL" -v
check "unknown option is a usage error" 2 "unrecognized option '--bogus'" "$DEAL" --bogus
check "missing option argument" 2 "option requires an argument" "$DEAL" -e
check "bad --samples" 2 "bad --samples" "$DEAL" --samples 0 -e ''
check "missing script" 1 "cannot open nosuch.deal" "$DEAL" nosuch.deal
printf 'local x = 1\nlocal y = nil + x\n' > err.lua
check "runtime error: file:line and traceback" 1 "deal: err.lua:2: attempt to perform arithmetic on a nil value" "$DEAL" err.lua
check "traceback printed" 1 "stack traceback:" "$DEAL" err.lua
printf 'x = = 1\n' > syn.lua
check "syntax error in .lua" 1 "deal: syn.lua:1:" "$DEAL" syn.lua
printf 'local a = 1\nlocal b = 2 +\n' > syn.deal
check "syntax error in .deal" 1 "syn.deal:" "$DEAL" syn.deal
printf 'x = 1.2 GW + 10512 GWh\n' > dim.deal
check "dimension error names the line" 1 "dim.deal:1: cannot add Power and Energy: 1.2 GW + 10,512 GWh (hint: multiply the left side by a Time, e.g. * 8760 h)" "$DEAL" dim.deal
check "error object that is a table" 1 "(error object is a table value)" "$DEAL" -e 'error({})'
check "error with __tostring" 1 "custom" "$DEAL" -e 'error(setmetatable({}, {__tostring = function() return "custom" end}))'
# binary chunks never load
lua5.4 -e 'io.write(string.dump(function() print("bytecode ran") end))' > bin.lua
check "binary main script refused" 1 "attempt to load a binary chunk" "$DEAL" bin.lua
check "load refuses binary" 0 "attempt to load a binary chunk" "$DEAL" -e 'f = io.open("bin.lua", "rb") s = f:read("a") print(load(s))'
check "load with mode b stays text-only" 0 "attempt to load a binary chunk" "$DEAL" -e 'f = io.open("bin.lua", "rb") s = f:read("a") print(load(s, "x", "b"))'
cp bin.lua binmod.lua
check "require refuses binary" 1 "attempt to load a binary chunk" "$DEAL" -e 'require "binmod"'
check "string.dump is gone" 1 "attempt to call a nil value" "$DEAL" -e 'string.dump(print)'
# Ctrl-C interrupts a running script (a count hook, as lua.c)
"$DEAL" -e 'while true do end' > int.txt 2>&1 & pid=$!
sleep 0.5; kill -INT $pid; wait $pid; rc=$?
if [ $rc = 1 ] && grep -q "interrupted!" int.txt; then echo "ok - Ctrl-C interrupts with 'interrupted!'"
else echo "not ok - Ctrl-C (status $rc: $(cat int.txt | head -2))"; fi
# integers where Lua needs integers
check "exact integral results index tables and bound loops" 0 "1 2 3 xxx	b" \
  "$DEAL" -e 't = {"a", "b"} for i = 1, 6/2 do io.write(i, " ") end print(string.rep("x", 6/2), t[4/2])'
check "integer arithmetic never wraps" 0 "4600000000000000000000000" "$DEAL" -e 'print(1000000 * 4600000000000000 * 1000)'
check "maxinteger + 1 is exact" 0 "9223372036854775808" "$DEAL" -e 'print(math.maxinteger + 1)'
# one option parser for deal and deal check (vm/cli.c)
check "-e with its value attached, as lua" 0 "attached" "$DEAL" -e'print("attached")'
check "--seed=N as well as --seed N" 0 "7" "$DEAL" --seed=7 -e 'print(deal.seed())'
check "a negative --seed is a usage error" 2 "bad --seed: -1" "$DEAL" --seed -1 -e ''
check "a flag takes no value" 2 "option takes no argument: --trust" "$DEAL" --trust=1 -e ''
check "-- ends the options: the script is named '-v'" 1 "cannot open -v" "$DEAL" -- -v
check "deal check --help lists its options" 0 "--timeout S     time limit in seconds (default 60)" "$DEAL" check --help
check "deal check: an option of deal only is unrecognized" 2 "deal check: unrecognized option '-e'" "$DEAL" check -e x .
check "deal check: a missing value" 2 "deal check: option requires an argument: --seed" "$DEAL" check --seed
check "deal check: bad --samples" 2 "deal check: bad --samples (1 to 100000000): 0" "$DEAL" check --samples 0 .
printf 'claim("two", 1 + 1 == 2)\n' > c.deal
check "deal check takes --max-memory" 0 "1 claim: 1 hold, 0 fail" "$DEAL" check --max-memory 512M c.deal
check "deal check: options after -- are paths" 2 "cannot open --json" "$DEAL" check -- --json
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
check "no test hooks in __deal" 0 "nil	nil	nil" "$DEAL" -e 'print(__deal.ks, __deal.sample, __deal.spearman)'
for hook in DEAL_CHECK_CRASH DEAL_FAIL_AFTER DEAL_ALLOC_COUNT dist_ks; do
  if grep -q "$hook" "$DEAL"; then echo "not ok - $hook is not in the binary"; else echo "ok - $hook is not in the binary"; fi
done
check "DEAL_FAIL_AFTER injects nothing" 0 "still fine" env DEAL_FAIL_AFTER=0 "$DEAL" -e 'print("still fine")'
