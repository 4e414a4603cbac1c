-- G29: many arguments or results: a stack error, never an overwrite.
local T = require "tap"; T.id("G29")
local t = {} for i = 1, 1e6 do t[i] = i end
T.err("too many results", "num.exact(table.unpack(1e6))", function() return num.exact(table.unpack(t)) end)
T.err("too many", "print(table.unpack(1e6))", function() print(table.unpack(t)) end)
T.err("", "string.char(table.unpack(1e6))", function() return string.char(table.unpack(t)) end)
local s = {} for i = 1, 1e5 do s[i] = num(i) end
T.noerr("math.max over 1e5 nums", function() return math.max(table.unpack(s, 1, 1e5)) end)
T.noerr("select('#', table.unpack 1e5)", function() return select("#", table.unpack(t, 1, 1e5)) end)
local big = {} for i = 1, 40 do big[i] = "(%w)" end
T.err("too many captures", "40 captures", string.find, ("a"):rep(50), table.concat(big))
