#!/bin/sh
# The program's conventions (those of lua): options, arg, exit status,
# error format, text-only loading, Ctrl-C. Prints TAP lines.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
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
run_expect_text "missing script" 1 "cannot open nosuch.deal" "$DEAL" nosuch.deal
printf 'local x = 1\nlocal y = nil + x\n' > err.lua
run_expect_text "runtime error: file:line and traceback" 1 "deal: err.lua:2: attempt to perform arithmetic on a nil value" "$DEAL" err.lua
run_expect_text "traceback printed" 1 "stack traceback:" "$DEAL" err.lua
printf 'x = = 1\n' > syn.lua
run_expect_text "syntax error in .lua" 1 "deal: syn.lua:1:" "$DEAL" syn.lua
printf 'local a = 1\nlocal b = 2 +\n' > syn.deal
run_expect_text "syntax error in .deal" 1 "syn.deal:" "$DEAL" syn.deal
printf 'x = 1.2 GW + 10512 GWh\n' > dim.deal
run_expect_text "dimension error names the line" 1 "dim.deal:1: cannot add Power and Energy: 1.2 GW + 10,512 GWh (hint: multiply the left side by a Time, e.g. * 8760 h)" "$DEAL" dim.deal
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
