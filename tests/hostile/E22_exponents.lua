-- E22: negative, float and string exponents.
local T = require "tap"; T.id("E22")
T.ok(num.exact(num(2)^-2) == "1/4", "num(2)^-2 is exactly 1/4")
local r = num(2)^2.5
T.ok(not num.isexact(r), "num(2)^2.5 is inexact")
T.ok(num(2)^2.0 == num(4), "an integral float exponent is exact")
T.ok(pcall(function() return num(2)^"3" end), "a numeric string exponent follows Lua's string coercion")
T.err("attempt to perform arithmetic", "a non-numeric string exponent", function() return num(2)^"x" end)
T.err("attempt to perform arithmetic", "a table exponent", function() return num(2)^{} end)
T.err("cannot raise to a power with a unit", "a quantity exponent", function() return num(2)^num"1 W" end)
-- whole exponents of 2^61 and more: exact for bases 0, 1, -1 (never the float path), too large otherwise
T.eq(num(-1)^((1 << 61) + 1), "-1", "num(-1)^(2^61+1) is exactly -1")
T.ok(num.isexact(num(-1)^((1 << 61) + 1)), "and exact")
T.eq(num(-1)^(num(2)^70 + 1), "-1", "num(-1)^(2^70+1) is -1")
T.eq(num(0)^(num(2)^70), "0", "0^(2^70) is 0")
T.err("attempt to divide by zero", "0^-(2^70)", function() return num(0)^-(num(2)^70) end)
T.err("number too large", "2^(2^70)", function() return num(2)^(num(2)^70) end)
T.err("not a real number", "(-1)^(2^70 + 1/2)", function() return num(-1)^(num(2)^70 + num"1/2") end)
