-- C13: huge powers are refused before GMP runs; printing the largest
-- number the host builds is quick (rounded, never 10 million digits).
local T = require "tap"; T.id("C13")
T.err("number too large", "num(3)^200000000 refused", function() return num(3)^200000000 end)
T.err("number too large", "num(10)^(10^9) refused", function() return num(10)^(10^9) end)
local t0 = os.clock()
local big = num(3)^(10^7)                              -- about 15.8 million bits
local s = tostring(big)
T.ok(#s < 40, "tostring of a 4.8-million-digit number is rounded", s)
T.ok(os.clock() - t0 < 20, "building and printing it takes seconds, not minutes", os.clock() - t0)
T.err("too long to print", "num.exact of it refuses (4 M digit cap)", num.exact, big)
