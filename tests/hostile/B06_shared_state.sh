# B6: the string metatable is locked; what a model changes (string, math,
# globals, the num library) does not reach the next model run.
ID=B06; . ../lib/tap.sh
cat > "$TMP/evil.lua" <<'L'
print(getmetatable("") == false and "ok - B06 getmetatable('') is false" or "not ok - B06 getmetatable('') is false")
local ok = pcall(function() getmetatable("").__index.upper = function() return "pwned" end end)
print(not ok and "ok - B06 the string metatable cannot be reached" or "not ok - B06 the string metatable cannot be reached")
string.upper = function() return "pwned" end
math.floor = nil
num.exact = nil
_G.print2 = print
print(("abc"):upper() == "pwned" and "ok - B06 a model may change its own string table" or "not ok - B06 a model may change its own string table")
L
cat > "$TMP/next.lua" <<'L'
print(("abc"):upper() == "ABC" and "ok - B06 the next run sees Lua's string.upper" or "not ok - B06 the next run sees Lua's string.upper")
print(math.floor(1.5) == 1 and num.exact(num"1/3") == "1/3" and print2 == nil and "ok - B06 the next run sees fresh math, num and globals" or "not ok - B06 the next run sees fresh math, num and globals")
L
"$DEAL" "$TMP/evil.lua"; "$DEAL" "$TMP/next.lua"
cat > "$TMP/units.lua" <<'L'
units.define("zorb", "3 W")
print(num"2 zorb" == num"6 W" and "ok - B06 units.define works in its run" or "not ok - B06 units.define works in its run")
L
cat > "$TMP/units2.lua" <<'L'
print(pcall(num, "2 zorb") == false and "ok - B06 a unit defined by another run is unknown" or "not ok - B06 a unit defined by another run is unknown")
L
"$DEAL" "$TMP/units.lua"; "$DEAL" "$TMP/units2.lua"
# successive models in one process tree: deal check runs a folder in order
mkdir "$TMP/models"
cat > "$TMP/models/a.deal" <<'L'
string.upper = function() return "pwned" end
math.floor = nil
num.exact = nil
units.define("zorb", "3 W")
leaked = true
claim("the first model changed its own libraries", ("abc"):upper() == "pwned")
L
cat > "$TMP/models/b.deal" <<'L'
claim("string.upper is Lua's", ("abc"):upper() == "ABC")
claim("math.floor and num.exact are there", math.floor ~= nil and num.exact ~= nil)
claim("no global of the first model", rawget(_G, "leaked") == nil)
claim("no unit of the first model", not pcall(num, "2 zorb"))
L
run_expect "deal check: what a model changes does not reach the next model" 0 \
  "5 claims: 5 hold, 0 fail; 2 files, 0 errors" "$DEAL" check "$TMP/models"
