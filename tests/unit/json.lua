-- tests/unit/json.lua: vm/json.c through the test hooks __deal.json (Lua ->
-- JSON text) and __deal.json_parse (JSON text -> Lua, with the error's
-- line and column): what the exports and the language server rely on.
local T = require "tap"
local function J(...) return __deal.json(...) end
local function P(...) return __deal.json_parse(...) end

T.eq(J({ 1, 2, 3 }), "[1,2,3]", "a sequence is an array")
T.eq(J({}), "[]", "an empty table is an empty array")
T.eq(J({ b = 1, a = true, c = "x" }), '{"a":true,"b":1,"c":"x"}', "object keys in byte order")
T.eq(J({ kind = "k", line = 3, name = "n", raw = {}, z = 1 }, true), '{"name":"n","line":3,"kind":"k","z":1}',
     "the order list first; '-raw' leaves raw out")
T.eq(J({ [1] = "a", [3] = "c" }), '{"1":"a","3":"c"}', "a table with holes is an object with number keys")
T.eq(J(0.1), "0.1", "0.1: the shortest text that reads back")
T.eq(J(1 / 3 + 0.0), "0.3333333333333333", "1/3: 16 digits")
T.eq(J(2 ^ 53 + 0.0), "9007199254740992", "2^53 as an integer")
T.ok(tonumber(J(5e-324)) == 5e-324, "the smallest subnormal reads back", J(5e-324))
T.eq(J(math.huge), "null", "infinity is null")
T.eq(J(-math.huge), "null", "-infinity is null")
T.eq(J(0 / 0.0), "null", "NaN is null")
T.eq(J(-0.0), "-0", "negative zero")
T.eq(J('a "quote" \\ and\nnewline\t'), '"a \\"quote\\" \\\\ and\\nnewline\\t"', "string escapes")
T.eq(J("caf\xC3\xA9 \xE2\x89\x88"), '"caf\xC3\xA9 \xE2\x89\x88"', "valid UTF-8 stays")
T.eq(J("bad \xFF end"), '"bad \xEF\xBF\xBD end"', "an invalid byte becomes U+FFFD")
T.eq(J("nul\0byte"), '"nul\xEF\xBF\xBDbyte"', "a NUL becomes U+FFFD")
T.eq(J("\xED\xA0\x80"), '"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"', "a UTF-16 surrogate is invalid UTF-8")
T.eq(J("\xC0\xAF"), '"\xEF\xBF\xBD\xEF\xBF\xBD"', "an overlong form is invalid")
T.eq(J({ ["\xFF"] = 1 }), '{"\xEF\xBF\xBD":1}', "keys are made valid too")
T.eq(J({ x = { y = { z = {} } } }), '{"x":{"y":{"z":[]}}}', "nesting")
local cyc = {}
cyc.self = cyc
T.err("contains itself", "a cycle is an error", J, cyc)
local deep = {}
for _ = 1, 150 do deep = { deep } end
T.err("nested deeper than 100", "nesting beyond 100 is an error", J, deep)
T.eq(J(num "1.2 GW"), '"1.2 GW"', "other values as their tostring text")

local v = P('{"a": [1, 2.5, "x", true, null, {"b": -3e2}], "c": 18014398509481984}')
T.ok(v and v.a[1] == 1 and math.type(v.a[1]) == "integer", "parse: integers are Lua integers")
T.ok(v and v.a[2] == 2.5 and v.a[3] == "x" and v.a[4] == true and v.a[5] == nil and v.a[6].b == -300,
     "parse: numbers, strings, booleans, null, nested objects")
T.ok(v and math.type(v.c) == "float", "parse: an integer beyond 2^53 (2^54) stays a float")
local function perr(text, want, name)
  local r, e = P(text)
  T.ok(r == nil and tostring(e):find(want, 1, true), name, tostring(e))
end
perr('{"a": 1,\n  "b": }', "line 2, column 8", "parse error: its line and column")
perr('{"a": 1', "line 1", "parse error: unfinished object")
perr('[1, 2] 3', "unexpected text after the value", "parse error: text after the value")
perr('', "line 1, column 1", "parse error: empty text")
local s = J({ name = "x", vals = { 1, 0.1, 1e300 }, s = "caf\xC3\xA9" })
local back = P(s)
T.ok(back and back.name == "x" and back.vals[2] == 0.1 and back.vals[3] == 1e300 and back.s == "caf\xC3\xA9",
     "round trip: written then parsed gives the same values", s)
T.done()
