-- numbers.lua: the exact number type from plain Lua (issue 2).
local T = require "tap"
local ok, eq, raises = T.ok, T.eq, T.raises

-- constructors
eq(num(3), "3", "num from an integer")
ok(num(0.1) == num"0.1", "a float enters through its shortest decimal")
ok(not num.isexact(num(0.1)), "a float is marked inexact")
eq(num"0.1", "0.1", "decimal string")
eq(num"-1.5e9", "-1500000000", "exponent string")
eq(num.exact(num"2/3"), "2/3", "fraction string")
eq(num"1_000_000", "1000000", "underscore separators")
eq(num"010", "10", "leading zeros are decimal, not octal")
eq(num"+5", "5", "explicit plus sign")
eq(num"-0", "0", "minus zero is zero")
eq(num.exact(num"2/4"), "1/2", "fractions are canonical")
for _, bad in ipairs{"1.2.3", "", "-", "1 2 3", " 42", "42 ", "0x1F", "1e", "abc", "1/0x"} do
  raises(function() return num(bad) end, ("malformed number '%s'"):format(bad), "rejects '" .. bad .. "'")
end
raises(function() return num"1/0" end, "division by zero", "rejects 1/0")
raises(function() return num(0/0) end, "no exact value", "rejects nan")
raises(function() return num(math.huge) end, "no exact value", "rejects inf")
raises(function() return num{} end, "bad argument #1", "rejects a table")

-- arithmetic with nums and Lua numbers on either side
local a, b = num"1/3", num"1/6"
eq(a + b, "0.5", "1/3 + 1/6")
eq(num.exact(1 - a), "2/3", "integer - num")
eq(num.exact(a * 3), "1", "num * integer")
eq(num.exact(2 / num(3)), "2/3", "integer / num")
eq(num"0.1" + num"0.2", "0.3", "0.1 + 0.2 is exactly 0.3")
ok(num"0.1" + num"0.2" == num"0.3", "== between nums compares values")
eq(num(-7) // 2, "-4", "// floors like Lua")
eq(num(-7) % 2, "1", "% floors like Lua")
eq(num(7) % -2, "-1", "% takes the divisor's sign")
eq(num"7.5" // 2, "3", "// of a decimal")
eq(-num"2.5", "-2.5", "unary minus")
eq(num(2)^100, "1267650600228229401496703205376", "2^100 exact")
eq(num.exact(num(2)^-3), "1/8", "negative exponent exact")
eq(num.exact(num"2/3"^3), "8/27", "power of a fraction")
ok(not num.isexact(num(2)^0.5), "non-integer exponent is approximate")
eq(num(2)^0.5, "≈1.414", "sqrt 2 printed rounded")
eq(num.exact(num(1) + 0.5), "3/2", "float operand converted exactly")
ok(not num.isexact(num(1) + 0.5), "float operand makes the result inexact")
eq(num(10) ^ 30 * num(10) ^ -30, "1", "huge times tiny")

-- comparisons with numbers on either side
ok(num(1) < 2, "num < integer")
ok(2 > num(1), "integer > num")
ok(num"0.5" <= 0.5, "num <= float")
ok(not (num"2/3" < num"0.6666"), "exact comparison of close values")
ok(num(1) ~= 1, "documented: plain Lua never calls __eq between num and number")

-- errors that GMP would turn into signals
raises(function() return num(1) / 0 end, "attempt to divide by zero", "x / 0")
raises(function() return num(1) // 0 end, "attempt to divide by zero", "x // 0")
raises(function() return num(1) % 0 end, "attempt to divide by zero", "x % 0")
raises(function() return num(0) ^ -1 end, "attempt to divide by zero", "0 ^ -1")
raises(function() return num(2) ^ (2^40) end, "number too large", "2^(2^40) refused before GMP")
raises(function() return num(10) ^ (2^62) end, "number too large", "10^(2^62) refused")
raises(function() return num(-8) ^ 0.5 end, "not a real number", "negative base, fractional exponent")
raises(function() return num(1) + {} end, "attempt to perform arithmetic on a table value", "num + table")
raises(function() return num(1) < "x" end, "attempt to compare", "num < string")

-- printing
eq(num"10.512", "10.512", "terminating decimal in full")
eq(num(2) / 3, "≈0.6667", "non-terminating decimal rounded and marked")
eq(num(1) / 1024, "0.0009765625", "long but terminating")
eq(num.format(num(2) / 3, 10), "0.6666666667", "num.format digits")
eq(num.format(num"123456.789", 3), "123000", "num.format rounds to significant digits")
eq(num(10)^40, "10000000000000000000000000000000000000000", "big integers print in full")
eq(num(1) / num(10)^50, "1e-50", "tiny exact values in scientific notation")
eq(num(1) / 3 / num(10)^50, "≈3.333e-51", "tiny rounded values")

-- helpers
eq(num.floor(num"-2.5"), "-3", "floor")
eq(num.ceil(num"-2.5"), "-2", "ceil")
eq(num.round(num"2.5"), "3", "round half away from zero")
eq(num.round(num"-2.5"), "-3", "round negative half")
eq(num.round(num"3.14159", 2), "3.14", "round to digits")
eq(num.tofloat(num"1/4"), "0.25", "tofloat")
eq(math.type(num.tointeger(num(6) / 3)), "integer", "tointeger of an integral num")
eq(num.tointeger(num"2.5"), "nil", "tointeger of a fraction is nil")
ok(num.isinteger(num(6) / 3), "isinteger")
ok(num.isexact(num(1) / 3), "isexact of a fraction")
eq(getmetatable(num(1)), "locked", "metatable is locked")
raises(function() setmetatable(num(1), {}) end, "bad argument", "cannot replace the metatable")
eq(num"1.5" .. " GW", "1.5 GW", "concatenation")
