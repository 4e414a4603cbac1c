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
