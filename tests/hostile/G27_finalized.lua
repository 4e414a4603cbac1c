-- G27: a finalized num cannot be reached: its metatable (and so __gc) is
-- locked, debug is absent, and tables cannot have __gc to resurrect one.
-- (num.c checks the `live` flag on every use in case it ever could.)
local T = require "tap"; T.id("G27")
T.ok(getmetatable(num(1)) == "locked", "the num metatable cannot be had")
T.ok(debug == nil, "no debug.getmetatable")
T.err("__gc is not allowed", "no resurrection through a table finalizer", setmetatable, {}, {__gc = function() end})
local weak, keep = setmetatable({}, {__mode = "v"}), {}
for i = 1, 1000 do weak[i] = num(i) / 7; if i % 2 == 0 then keep[i] = weak[i] end end
local function left() local s = 0 for i = 1, 1000 do if weak[i] then s = s + 1 end end return s end
T.ok(T.gc_until(function() return left() == 500 end), "the collector takes the nums only a weak table holds", left() .. " left")
local intact = 0      -- i/7 in lowest terms: 7 is prime
for i = 2, 1000, 2 do
  if weak[i] and num.exact(weak[i]) == (i % 7 == 0 and tostring(i // 7) or i .. "/7") then intact = intact + 1 end
end
T.eq(intact, 500, "the 500 nums still held are in the weak table, intact")
