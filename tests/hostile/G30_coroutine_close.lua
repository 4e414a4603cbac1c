-- G30: nested coroutine.close chains (lua/lua 1e64c139, SIGSEGV in Debian's
-- 5.4.4) give an error; so does the same chain through coroutine.wrap.
local T = require "tap"; T.id("G30")
local coro = false
for i = 1, 100000 do
  local previous = coro
  coro = coroutine.create(function()
    local cc <close> = setmetatable({}, {__close = function()
      if previous then assert(coroutine.close(previous)) end
    end})
    coroutine.yield()
  end)
  assert(coroutine.resume(coro))
end
local ok, err = coroutine.close(coro)
T.ok(not ok and tostring(err):find("nested too deeply", 1, true), "close chain of 1e5: an error, not a crash", tostring(err):sub(-60))
local f = false
for i = 1, 100000 do
  local previous = f
  f = coroutine.wrap(function()
    local cc <close> = setmetatable({}, {__close = function() if previous then previous() end end})
    coroutine.yield()
    error("x")
  end)
  f()
end
local ok2, err2 = pcall(f)
T.ok(not ok2 and tostring(err2):find("stack overflow", 1, true), "wrap/error chain of 1e5: an error, not a crash", tostring(err2):sub(-60))
local depth = 0
local function rec() depth = depth + 1 return coroutine.wrap(rec)() end
local ok3, err3 = pcall(rec)
T.ok(not ok3 and tostring(err3):find("overflow", 1, true), "deep coroutine.wrap recursion: C stack overflow error", tostring(err3):sub(-60))
