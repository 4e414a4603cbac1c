-- coroutines, pcall/error with tables, error positions
local function where(msg) return (tostring(msg):gsub("^[^:]*:(%d+):", "line %1:")) end

local gen = coroutine.wrap(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print(gen(1, 2), gen(10), gen(3, 4))

local co = coroutine.create(function(...)
  local args = table.pack(...)
  for i = 1, args.n do coroutine.yield(i, args[i]) end
  error({code = 42})
end)
while true do
  local ok, i, v = coroutine.resume(co, "x", "y")
  if not ok then print("coroutine error code", i.code) break end
  if coroutine.status(co) == "dead" then break end
  print("yielded", i, v)
end
print(coroutine.status(co), coroutine.isyieldable())

-- producer / consumer
local function producer()
  return coroutine.wrap(function()
    for i = 1, 3 do coroutine.yield("item" .. i) end
    return nil
  end)
end
local items = {}
for item in producer() do items[#items + 1] = item end
print(table.concat(items, " "))

-- error values of every kind
print(type(select(2, pcall(error, {msg = "table"}))))
print(select(2, pcall(error, {msg = "t2"})).msg)
print(pcall(error, "plain", 0))
print(pcall(error, nil))
print(pcall(error))
local ok, err = pcall(function() error("with position") end)
print(ok, where(err))
ok, err = pcall(function() local x = nil; return x.field end)
print(ok, where(err))
ok, err = pcall(function() return 1 + {} end)
print(ok, (where(err):gsub("%(.*", "")))
ok, err = pcall(function() error(setmetatable({}, {__tostring = function() return "custom" end})) end)
print(ok, tostring(err))
print(xpcall(function() error("deep") end, function(m) return "handled: " .. where(m) end))
print(select("#", pcall(function() return 1, 2, 3 end)))

-- error levels point at the caller's line
local function check(v) if not v then error("check failed", 2) end end
ok, err = pcall(function()
  check(false)   -- this line is reported
end)
print(where(err))
