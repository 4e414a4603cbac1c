-- tests/conformance/longcalls.lua: string.rep, table.sort, move, insert
-- and remove as the host wraps them (vm/longcalls.c: checked against the
-- time limit, a C sort for long arrays of numbers) must give Lua's own
-- results and errors. tests/conformance/run.sh runs it under lua5.4 and
-- under deal and compares the output line by line.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = tostring(t[i]) end
  print(table.concat(t, " | "))
end

local function try(label, f, ...)
  local r = table.pack(pcall(f, ...))
  if r[1] then show(label, "ok", table.unpack(r, 2, r.n))
  else show(label, "error", r[2]) end
end

-- a digest of a list: its length, its ends, whether it is in order, a sum
local function digest(t, lt)
  lt = lt or function(a, b) return a < b end
  local sorted, sum = true, 0
  for i = 2, #t do if lt(t[i], t[i - 1]) then sorted = false break end end
  for i = 1, #t do sum = (sum + (type(t[i]) == "number" and t[i] or #tostring(t[i]))) % 1e15 end
  return ("n=%d first=%s last=%s sorted=%s sum=%.17g"):format(#t, tostring(t[1]), tostring(t[#t]), tostring(sorted), sum)
end

-- (string.rep("", 2^62) is not here: Lua's own runs 2^62 empty copies, for
-- ever; tests/hostile/C12 checks deal's, which returns "" at once.)
print("string.rep")
for _, c in ipairs{{"ab", 3}, {"ab", 3, ","}, {"", 5}, {"", 5, "-"}, {"x", 0}, {"x", -3}, {"x", 1, ","},
                   {"", 1, ","}, {"abc", 2, ""}, {3, 2}, {"a", 2.0}} do
  try("rep " .. table.concat({tostring(c[1]), tostring(c[2]), tostring(c[3])}, ","), string.rep, table.unpack(c))
end
try("rep big", function() return #("xyz"):rep(100000, "--") end)
try("rep too large", string.rep, "x", 2^40)
try("rep too large sep", string.rep, "", 2^40, "ab")
try("rep bad n", string.rep, "x", 1.5)
try("rep no n", string.rep, "x")
try("rep method", function() return ("x"):rep() end)

print("table.sort")
local function lcg(seed) local x = seed return function() x = (x * 1103515245 + 12345) % 2147483648 return x end end
for _, n in ipairs{0, 1, 2, 10, 1000, 100000, 250000} do
  local r = lcg(n + 1)
  local ints, floats, strs = {}, {}, {}
  for i = 1, n do
    local v = r()
    ints[i] = v - 1073741824
    floats[i] = (v - 1073741824) / 7.25
    strs[i] = tostring(v % 100000)
  end
  table.sort(ints); print("ints", n, digest(ints))
  table.sort(floats); print("floats", n, digest(floats))
  table.sort(strs); print("strings", n, digest(strs))
  local desc = {}
  for i = 1, n do desc[i] = ints[i] end
  table.sort(desc, function(a, b) return a > b end)
  print("desc", n, digest(desc, function(a, b) return a > b end))
end
do  -- integers and floats mixed (no equal pairs), and extremes
  local t = {}
  for i = 1, 200000 do t[i] = i % 2 == 0 and i or i + 0.5 end
  t[#t + 1] = math.maxinteger; t[#t + 1] = math.mininteger; t[#t + 1] = -math.huge; t[#t + 1] = math.huge
  table.sort(t); print("mixed", digest(t))
  local u = {}
  for i = 1, 150000 do u[i] = (i * 7919) % 150001 end
  u[1000] = math.maxinteger; u[2000] = math.mininteger
  table.sort(u); print("int extremes", digest(u), math.type(u[1]), math.type(u[#u]))
end
do  -- a long array with a hole, a string among numbers, a table with a metatable
  local t = {}
  for i = 1, 120000 do t[i] = 120000 - i end
  t[5] = "x"
  try("sort string among numbers", table.sort, t)
  local p = setmetatable({}, {__index = function(_, k) return k <= 120000 and (k * 31) % 1000 or nil end,
                               __len = function() return 0 end})
  try("sort proxy", table.sort, p)
  local m = setmetatable({}, {__name = "thing"})
  for i = 1, 110000 do m[i] = (i * 13) % 110000 end
  table.sort(m); print("metatable", digest(m))
end
try("sort nil", table.sort, nil)
try("sort bad comp", table.sort, {3, 2, 1}, 42)
try("sort C order", function() local t = {"b", "a", "c"} table.sort(t, rawequal) return #t end)
try("sort method", function() local t = {} t.sort = table.sort t:sort(5) end)

print("table.move")
do
  local function seq(n) local t = {} for i = 1, n do t[i] = i end return t end
  for _, c in ipairs{{10, 1, 10, 3}, {10, 3, 10, 1}, {200000, 1, 200000, 2}, {200000, 2, 200000, 1},
                     {200000, 1, 150000, 70000}, {200000, 70000, 200000, 1}, {200000, 1, 100000, 100001}} do
    local n, f, e, t = table.unpack(c)
    local a = seq(n)
    table.move(a, f, e, t)
    print("move", n, f, e, t, digest(a, function() return false end))
  end
  local a, b = seq(200000), {}
  table.move(a, 1, 200000, 5, b)
  print("move to other", digest(b, function() return false end), b[4], b[5], b[200004])
  try("move too many", table.move, {}, -1, math.maxinteger, 1)
  try("move wrap", table.move, {}, 1, 100000, math.maxinteger - 10)
  try("move nil", table.move, nil, 1, 2, 3)
  try("move empty range", function() return #table.move(seq(3), 5, 1, 1) end)
end

print("table.insert and table.remove")
do
  local t = {}
  for i = 1, 5 do table.insert(t, i) end
  table.insert(t, 1, 0); table.insert(t, 7, 99); table.insert(t, 3, "m")
  show("inserted", table.concat(t, ","))
  show("removed", table.remove(t), table.remove(t, 1), table.remove(t, 2), table.concat(t, ","))
  try("insert position", table.insert, {1, 2}, 5, "x")
  try("insert position 0", table.insert, {1, 2}, 0, "x")
  try("insert args", table.insert, {1, 2}, 1, 2, 3)
  try("insert one arg", table.insert, {})
  try("insert nil", table.insert, nil, 1)
  try("remove position", table.remove, {1, 2}, 5)
  try("remove empty", function() local e = {} return table.remove(e), #e end)
  try("remove at n+1", function() local e = {1, 2} return table.remove(e, 3), #e end)
  try("remove at 0 of empty", table.remove, {}, 0)
  local big = {}
  for i = 1, 200000 do big[i] = i end
  table.insert(big, 1, 0); show("long insert", #big, big[1], big[2], big[200001])
  show("long remove", table.remove(big, 1), #big, big[1], big[200000])
  local lying = setmetatable({}, {__len = function() return 3 end})
  table.insert(lying, 1, "a"); show("lying len", rawget(lying, 1), rawget(lying, 4))
end
print("done")
