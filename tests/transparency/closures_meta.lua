-- closures, upvalues shared between closures, metatables, method calls
local function counter(start, step)
  local n = start
  return function() n = n + step; return n end,
         function() return n end
end
local inc, get = counter(10, 5)
inc(); inc()
print(string.format("counter %d", get()))

-- closures capture per-iteration loop variables
local fns = {}
for i = 1, 3 do fns[i] = function() return i * 10 end end
print(fns[1](), fns[2](), fns[3]())

-- a vector class with the interesting metamethods
local Vec = {}
Vec.__index = Vec
local function vec(x, y) return setmetatable({x = x, y = y}, Vec) end
Vec.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
Vec.__sub = function(a, b) return vec(a.x - b.x, a.y - b.y) end
Vec.__mul = function(a, k) return vec(a.x * k, a.y * k) end
Vec.__unm = function(a) return vec(-a.x, -a.y) end
Vec.__eq = function(a, b) return a.x == b.x and a.y == b.y end
Vec.__lt = function(a, b) return a:len2() < b:len2() end
Vec.__le = function(a, b) return a:len2() <= b:len2() end
Vec.__concat = function(a, b) return tostring(a) .. "|" .. tostring(b) end
Vec.__call = function(self, k) return self.x * k + self.y end
Vec.__tostring = function(a) return string.format("(%d,%d)", a.x, a.y) end
Vec.__len = function() return 2 end
function Vec:len2() return self.x * self.x + self.y * self.y end
function Vec.new(x, y) return vec(x, y) end

local a, b = vec(1, 2), Vec.new(3, 4)
print(tostring(a + b), tostring(b - a), tostring(a * 3), tostring(-a))
print(a == vec(1, 2), a ~= b, a < b, b <= a, a > b, b >= a)
print(a .. b, a(10), #a, a:len2())
print(rawequal(a, vec(1, 2)), rawlen(a))

-- __index / __newindex functions, inheritance chains
local log = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return "default:" .. k end,
  __newindex = function(t, k, v) log[#log + 1] = k; rawset(t, k, v) end,
})
proxy.x = 1
proxy.y = nil
print(proxy.x, proxy.z, #log, log[1])
local Base = {greet = function(self) return "hello from " .. self.name end}
local Derived = setmetatable({name = "derived"}, {__index = Base})
local obj = setmetatable({}, {__index = Derived})
print(obj:greet(), obj.name)

-- recursive local functions and mutual recursion
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local is_even, is_odd
function is_even(n) if n == 0 then return true end return is_odd(n - 1) end
function is_odd(n) if n == 0 then return false end return is_even(n - 1) end
print(fib(20), is_even(10), is_odd(7))

-- and/or: short circuit and values
local calls = 0
local function touch(v) calls = calls + 1; return v end
local r1 = false and touch(1)
local r2 = nil or touch(2)
local r3 = 0 and touch(3) or touch(4)
local r4 = touch(nil) and touch(5) or "fallback"
print(r1, r2, r3, r4, calls)
print(1 and 2, nil and 1, false or nil, nil or false, not nil, not 0)
