-- C11: __gc in a script metatable is refused at setmetatable; the host never
-- hangs in lua_close (this script ends, so the run must end too).
local T = require "tap"; T.id("C11")
T.err("__gc is not allowed", "setmetatable with __gc refused", setmetatable, {}, {__gc = function() while true do end end})
T.err("__gc is not allowed", "__gc = false still refused", setmetatable, {}, {__gc = false})
local mt = setmetatable({}, {__index = function(_, k) if k == "__gc" then return function() while true do end end end end})
T.noerr("__gc hidden behind __index is not a finalizer (Lua looks it up raw)", setmetatable, {}, mt)
local mt2 = {}
local obj = setmetatable({}, mt2)
mt2.__gc = function() while true do end end     -- too late: never marked
obj = nil
T.ok(true, "__gc added after setmetatable has no effect (the run ends)")
