# D17: error objects of every kind are reported safely at top level; a memory
# error while formatting still says "not enough memory".
ID=D17; . ../lib/tap.sh
t() { printf '%s\n' "$3" > "$TMP/m.lua"; run_expect "$1" 1 "$2" "$DEAL" "$TMP/m.lua"; }
t "error({})" "error object is a table value" 'error({})'
t "error(nil)" "nil" 'error(nil)'
t "error(42)" "42" 'error(42)'
t "__tostring that errors" "error object is a table value" 'error(setmetatable({}, {__tostring = function() error("again") end}))'
t "__tostring returning a table" "table" 'error(setmetatable({}, {__tostring = function() return {} end}))'
t "__tostring returning a string" "custom message" 'error(setmetatable({}, {__tostring = function() return "custom message" end}))'
t "error(num)" "1/3|0.3333" 'error(num"1/3")'
t "error in a coroutine with a table" "table" 'coroutine.wrap(function() error({}) end)()'
printf 'error(string.rep("x", 200 * 2^20))\n' > "$TMP/big.lua"
run_expect "a 200 MB error message at a 256 MB cap" fail "" "$DEAL" --max-memory 256M "$TMP/big.lua"
printf 'local t = {} for i = 1, 1e9 do t[i] = {} end\n' > "$TMP/oom.lua"
run_expect "memory error reported without a traceback" 1 "not enough memory" "$DEAL" --max-memory 64M "$TMP/oom.lua"
