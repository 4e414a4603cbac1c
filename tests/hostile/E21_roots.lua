-- E21: square roots and fractional powers of negative numbers are errors.
local T = require "tap"; T.id("E21")
T.err("negative argument", "num.sqrt(-4)", num.sqrt, -4)
T.err("not a real number", "num(-8)^(1/3)", function() return num(-8)^(1/3) end)
T.err("not a real number", "num(-4)^0.5", function() return num(-4)^0.5 end)
T.ok(num.sqrt(num(4)) == num(2) and num.isexact(num.sqrt(num"9/4")), "exact roots stay exact")
T.ok(num.tofloat(num.sqrt(2)) > 1.414, "inexact roots are marked inexact")
local r = num.sqrt(num(10)^401)
T.ok(r ~= num(0) or false, "num.sqrt of a number beyond float range is not 0", tostring(r))
