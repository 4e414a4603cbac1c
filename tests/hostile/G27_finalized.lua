-- G27: a finalized num cannot be reached: its metatable (and so __gc) is
-- locked, debug is absent, and tables cannot have __gc to resurrect one.
-- (num.c checks the `live` flag on every use in case it ever could.)
local T = require "tap"; T.id("G27")
T.ok(getmetatable(num(1)) == "locked", "the num metatable cannot be had")
T.ok(debug == nil, "no debug.getmetatable")
T.err("__gc is not allowed", "no resurrection through a table finalizer", setmetatable, {}, {__gc = function() end})
local weak = setmetatable({}, {__mode = "v"})
for i = 1, 1000 do weak[i] = num(i) / 7 end
local s = 0
for i = 1, 1000 do if weak[i] then s = s + 1 end end
T.ok(true, "weak tables of nums are safe (" .. s .. " left)")
