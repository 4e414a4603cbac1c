-- F26: equality as documented: Lua 5.4 calls __eq only when both operands
-- are userdata, so num(1) == 1 is false in plain Lua (docs/security.md).
local T = require "tap"; T.id("F26")
T.ok(num"1/2" == num"2/4", "num'1/2' == num'2/4'")
T.ok(num(1) == num"1.0", "num(1) == num'1.0'")
T.ok((num(1) == 1) == false, "num(1) == 1 is false in plain Lua (documented)")
T.ok(num(1) <= 1 and num(1) >= 1, "but <= and >= compare by value")
local t = {}
t[num(1)] = "a"; t[num(1)] = "b"
local n = 0 for _ in pairs(t) do n = n + 1 end
T.ok(n == 2, "equal nums are different table keys (documented)")
T.ok(num"1 kW" == num"1000 W", "quantities compare in base units")
T.ok((num"1 W" == num"1 Wh") == false, "different dimensions are unequal")
