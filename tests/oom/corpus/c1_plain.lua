-- OOM corpus: plain Lua with closures, strings, tables, coroutines, nums and a caught error.
local function counter() local n = 0 return function() n = n + 1 return n end end
local c = counter() c() c()
local t = {}
for i = 1, 50 do t[#t + 1] = ("item %d"):format(i) end
local s = table.concat(t, ","):gsub("item", "x")
local co = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
co(1) co(5)
local ok, e = pcall(function() error({code = 1}) end)
local h = num(0)
for k = 1, 30 do h = h + num(1) / k end
print(#s, c(), ok, type(e), h)
for k, v in pairs({a = 1, b = 2}) do io.write(k, v, " ") end print()
