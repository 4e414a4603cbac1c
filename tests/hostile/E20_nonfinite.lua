-- E20: NaN and infinities never reach GMP.
local T = require "tap"; T.id("E20")
T.err("has no exact value", "num(0/0)", num, 0/0)
T.err("has no exact value", "num(math.huge)", num, math.huge)
T.err("has no exact value", "num(-math.huge)", num, -math.huge)
T.err("has no exact value", "num(1) + 0/0", function() return num(1) + 0/0 end)
T.err("has no exact value", "num(1) * math.huge", function() return num(1) * math.huge end)
T.err("has no exact value", "math.huge < num(1)", function() return math.huge < num(1) end)
T.err("result too large", "num(10)^400.5", function() return num(10)^400.5 end)
