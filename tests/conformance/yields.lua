-- tests/conformance/yields.lua: the sandbox's wrapped xpcall, pairs (__pairs), coroutine.wrap and
-- coroutine.resume must let coroutines yield through them as Lua's do (compared with lua5.4).
local co = coroutine.wrap(function()
  local ok, v = xpcall(function() local x = coroutine.yield("y1") return x * 2 end, debug and debug.traceback or function(m) return m end)
  coroutine.yield(ok and v)
  local t = setmetatable({}, {__pairs = function(t) coroutine.yield("y2") return next, {a = 1}, nil end})
  for k, v in pairs(t) do coroutine.yield(k .. v) end
  return "done"
end)
print(co(), co(21), co(), co(), co())
print(pcall(pairs))
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end error("end of gen") end)
print(gen(), gen(), gen(), pcall(gen))
local co2 = coroutine.create(function(a) local b = coroutine.yield(a + 1) error({code = b}) end)
print(coroutine.resume(co2, 1))
local ok, e = coroutine.resume(co2, 7)
print(ok, type(e), e.code, coroutine.status(co2), (coroutine.close(co2)))
print(select("#", coroutine.resume(coroutine.create(function() return 1, 2, 3 end))))
print(pcall(coroutine.wrap(function() error("wrapped", 0) end)))
print(pcall(coroutine.wrap(function() error("with position") end)))
