-- Plain Lua whose meaning the translator must keep (run with mockrt.lua):
-- evaluation order, short circuits, varargs, conditions, names like `to`,
-- and line numbers seen by the program itself.
local trace = {}
local function t(tag, v) trace[#trace + 1] = tag; return v end
local function line() return debug.getinfo(2, "l").currentline end

-- left-to-right evaluation through operator calls
local r = t("a", 1) + t("b", 2) * t("c", 3) - t("d", 4) / t("e", 2)
print(r, table.concat(trace, "")); trace = {}
local cmp = t("x", 1) < t("y", 2) and t("z", 3) == 3
print(cmp, table.concat(trace, "")); trace = {}

-- short circuits must not evaluate the right side
local n = 0
local function bump() n = n + 1; return n end
local _ = false and bump()
_ = nil and bump() + 1
_ = 1 or bump()
_ = (1 or bump()) and (nil and bump())
print("bumps", n)
print(false and bump() or "right", nil or false, 0 and "zero is true")

-- and/or results: exactly one value, even from calls
local function two() return 1, 2 end
print(true and two())
print((true and two()))
print(select("#", true and two()), select("#", false or two()))

-- varargs inside and/or
local function va(...) return ... and select("#", ...), (...) or "none" end
print(va(), va(nil), va(5, 6))
local function va2(...) local a = ... or 0; return a + (... and 1 or 0) end
print(va2(), va2(10))

-- conditions: not binds tighter than comparisons
local a, b = 1, 2
if not a == b then print("wrong") else print("not a == b is false") end
if not (a == b) then print("not (a == b)") end
if a < b and not (a > b) or error("no") then print("cond ok") end
local k = 0
while not (k >= 3) do k = k + 1 end
repeat k = k - 1 until not (k > 0)
print("k", k)
if (a) + 1 == 2 then print("paren leaf") end
if not not a then print("double not") end

-- `to` as a name, field and method
local to = 5
local obj = {to = to, x = 1}
function obj:to2(u) return u .. self.to end
obj.to = obj.to + 1
print(to, obj.to, obj:to2("u"), obj["to"])
local s = {}
function s.to(x) return x * 2 end
print(s.to(21))

-- numeric for with computed bounds
local acc = 0
for i = a, b * 3, a + 0 do acc = acc + i end
print("for", acc)
for i = #"abc", 1, -1 do io.write(i, " ") end
print()

-- the program sees its own line numbers
print("line", line())
local l2 = line() +
  0
print("line", l2)
local ok, err = pcall(function()
  local x = {}
  return x.y.z   -- line 69
end)
print(ok, (err:gsub("^.-:(%d+):", "line %1:")))
print("line", (function() return line() end)())

-- long left-associative chain and a deep right-associative one
local sum = 1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1
print("chain", sum, 2^3^2, "a" .. "b" .. "c" .. 1 + 2)
