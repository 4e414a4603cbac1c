-- E24: conversions to Lua numbers never truncate silently.
local T = require "tap"; T.id("E24")
T.ok(num.tointeger(num(2)^64) == nil, "num.tointeger(2^64) is nil")
T.ok(num.tointeger(num(2)^62) == 1 << 62, "num.tointeger(2^62) is exact")
T.ok(num.tointeger(num"1/2") == nil, "num.tointeger(1/2) is nil")
T.ok(num.tofloat(num(2)^5000) == math.huge, "num.tofloat(2^5000) is inf (documented)")
T.ok(num.tofloat(-num(2)^5000) == -math.huge, "num.tofloat(-2^5000) is -inf")
T.ok(math.type(num.tointeger(num(-2)^63)) == "integer", "math.mininteger round-trips")
