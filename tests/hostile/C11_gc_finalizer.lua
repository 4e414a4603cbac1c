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
-- (if it had one, the run would never end: run.sh's timeout reports that)
-- the same with a finalizer that leaves a mark, collected during the run
local ran = false
local mt3 = {}
local held = setmetatable({ setmetatable({}, mt3) }, { __mode = "v" })
mt3.__gc = function() ran = true end
local gone = T.gc_until(function() return held[1] == nil end)
T.ok(gone and not ran, "__gc added after setmetatable is not called when the object is collected",
     ("collected: %s, finalizer ran: %s"):format(gone, ran))
