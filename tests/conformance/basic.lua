-- tests/conformance/basic.lua: a small conformance smoke test of Lua 5.4 as
-- the host builds it (deal --conformance: the production state with all
-- standard libraries). Lua's own suite (lua-5.4.4-tests) is the real check;
-- see docs/security.md. Prints "final OK" when every assertion holds.
local n = 0
local function check(c, what) n = n + 1; assert(c, what) end

-- closures and upvalues
local function counter() local i = 0 return function() i = i + 1 return i end end
local c1, c2 = counter(), counter()
c1(); c1()
check(c1() == 3 and c2() == 1, "closures keep separate upvalues")
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
check(fs[1]() == 1 and fs[3]() == 3, "a fresh loop variable per iteration")

-- varargs, select, table.pack/unpack
local function va(...) return select("#", ...), ... end
check(va(nil, nil) == 2, "select('#') counts nils")
local p = table.pack(1, nil, 3)
check(p.n == 3 and p[3] == 3, "table.pack")
check(select(-1, 1, 2, 3) == 3, "select with a negative index")

-- integers and floats
check(math.type(1) == "integer" and math.type(1.0) == "float", "math.type")
check(7 // 2 == 3 and -7 // 2 == -4 and 7 % -3 == -2 and 7.0 // 2 == 3.0, "floor division and modulo")
check(math.maxinteger + 1 == math.mininteger, "integer wrap-around")
check(1 / 0 == math.huge and -1 / 0 == -math.huge and (0/0) ~= (0/0), "IEEE floats")
check(3 | 5 == 7 and 3 & 5 == 1 and 3 ~ 5 == 6 and ~0 == -1 and 1 << 62 == 4611686018427387904 and -1 >> 63 == 1, "bitwise operators")
check(tostring(2^53) == "9.007199254741e+15" and string.format("%.0f", 2^53) == "9007199254740992", "float printing")
check(math.tointeger(3.0) == 3 and math.tointeger(3.5) == nil and tonumber("0x10") == 16 and tonumber("1e2") == 100.0, "conversions")
check("10" + 1 == 11 and "3" * "4" == 12, "string arithmetic coercion")

-- strings and patterns
check(("hello"):upper() == "HELLO" and ("abc"):rep(3, ",") == "abc,abc,abc" and ("abc"):byte(-1) == 99, "string basics")
check(("hello world"):find("o w") == 5 and ("x=1, y=22"):match("y=(%d+)") == "22", "find and match")
local words = {} for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w end
check(#words == 4 and words[4] == "fox", "gmatch")
check(("abc"):gsub("%w", "%0%0") == "aabbcc" and select(2, ("a,b,c"):gsub(",", ";")) == 2, "gsub")
check(("THE (quick) fox"):find("%((%a+)%)") == 5 and ("  x  "):match("^%s*(.-)%s*$") == "x", "captures and anchors")
check(("f(a(b)c)d"):match("%b()") == "(a(b)c)" and ("THE END"):find("%f[%a]%a+", 4) == 5, "%b and %f")
check(string.format("%5.2f|%-3d|%q|%x", 3.14159, 7, "a\nb", 255) == " 3.14|7  |\"a\\\nb\"|ff", "string.format")
check(string.pack("<i4", 1) == "\1\0\0\0" and string.unpack("<i4", "\1\0\0\0") == 1 and string.packsize("i4i8") == 12, "string.pack")
check(utf8.char(228, 8364) == "ä€" and utf8.len("ä€") == 2 and utf8.codepoint("€") == 8364, "utf8")

-- tables
local t = {5, 2, 8, 1}
table.sort(t); check(table.concat(t, " ") == "1 2 5 8", "table.sort")
table.sort(t, function(a, b) return a > b end); check(t[1] == 8, "table.sort with a comparator")
table.insert(t, 1, 0); table.remove(t); check(#t == 4 and t[1] == 0, "insert and remove")
check(table.concat(table.move({1, 2, 3}, 1, 3, 2), ",") == "1,1,2,3", "table.move")
check(#"" == 0 and #{1, 2, nil} >= 2, "length operator")
local cnt = 0 for k, v in pairs({a = 1, b = 2, 10, 20}) do cnt = cnt + 1 end
check(cnt == 4, "pairs visits every key")
check(next({}) == nil, "next of an empty table")

-- metatables
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x}, V) end
V.__eq = function(a, b) return a.x == b.x end
V.__lt = function(a, b) return a.x < b.x end
V.__le = function(a, b) return a.x <= b.x end
V.__tostring = function(a) return "V(" .. a.x .. ")" end
V.__len = function() return 42 end
V.__call = function(self, y) return self.x + y end
V.__concat = function(a, b) return tostring(a) .. tostring(b) end
V.__close = function() end
function V.get(self) return self.x end
local a, b = setmetatable({x = 1}, V), setmetatable({x = 2}, V)
check((a + b).x == 3 and a ~= b and a < b and a <= b and tostring(a) == "V(1)" and #a == 42 and a(10) == 11 and a .. "!" == "V(1)!" and a:get() == 1, "metamethods")
local ro = setmetatable({}, {__newindex = function() error("read-only") end, __metatable = "locked"})
check(not pcall(function() ro.x = 1 end) and getmetatable(ro) == "locked", "__newindex and __metatable")
local weak = setmetatable({}, {__mode = "k"})
weak[{}] = 1; collectgarbage(); collectgarbage()
check(next(weak) == nil, "weak keys are collected")
local fin = false
do setmetatable({}, {__gc = function() fin = true end}) end
collectgarbage(); collectgarbage()
check(fin, "__gc runs (conformance mode only: models may not set __gc)")

-- coroutines
local co = coroutine.create(function(x, y)
  local z = coroutine.yield(x + y)
  local w = coroutine.yield(z * 2)
  return w + 1
end)
local _, r1 = coroutine.resume(co, 1, 2)
local _, r2 = coroutine.resume(co, 10)
local _, r3 = coroutine.resume(co, 100)
check(r1 == 3 and r2 == 20 and r3 == 101 and coroutine.status(co) == "dead", "resume/yield")
local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
check(gen() + gen() + gen() == 6, "coroutine.wrap")
check(coroutine.isyieldable() == false and coroutine.running() ~= nil, "main thread")
local closed = false
local cc = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() closed = true end}) coroutine.yield() end)
coroutine.resume(cc)
check(coroutine.close(cc) and closed, "coroutine.close runs pending __close")

-- goto, to-be-closed variables, const
local i = 1
::top::
i = i + 1
if i < 5 then goto top end
check(i == 5, "goto")
for k = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
  end
  ::continue::
end
local order = {}
do
  local x <close> = setmetatable({}, {__close = function() order[#order + 1] = "x" end})
  local y <close> = setmetatable({}, {__close = function() order[#order + 1] = "y" end})
end
check(table.concat(order) == "yx", "to-be-closed variables close in reverse order")
local K <const> = 10
check(K == 10 and not load("local z <const> = 1; z = 2"), "const variables")

-- errors
local ok, e = pcall(error, {code = 7})
check(not ok and e.code == 7, "error with a table")
ok, e = pcall(function() local x = nil; return x.y end)
check(not ok and e:find("attempt to index a nil value", 1, true), "runtime error messages")
check(select(2, xpcall(function() error("x") end, function(m) return "h:" .. m end)):find("^h:"), "xpcall handler")
check(select(2, pcall(error)) == nil, "error with no value")
ok, e = pcall(string.rep)
check(not ok and e:find("bad argument #1 to '", 1, true), "argument errors name the function")

-- load with environments, string.dump round trip (binary: conformance only)
local env = {y = 5}
check(load("return y", "chunk", "t", env)() == 5, "load with env")
check(not load("return 1", "c", "b"), "mode 'b' refuses text")
local d = string.dump(function(q) return q * 2 end)
check(load(d, "d", "b")(21) == 42, "string.dump and binary load (conformance mode only)")

-- the host's additions are present here too
check(type(num) == "table" and num.exact(num"1/3" + num"1/6") == "1/2", "num is registered")

print(n .. " checks")
print("final OK")
