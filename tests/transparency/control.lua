-- varargs, multiple assignment, goto, loops, nested functions
local function count(...) return select('#', ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
local function pack2(...) local t = table.pack(...) return t.n, t[1], t[t.n] end
print(pack2("a", "b", "c"))
print(select(2, "a", "b", "c"), select(-1, "a", "b", "c"))
local function pass(...) return ... end
print(pass(1, 2, 3), (pass(1, 2, 3)))
local function tail(n, ...) if n == 0 then return ... end return tail(n - 1, n, ...) end
print(tail(4))
local function first_or(...) return ... or "none" end
print(first_or(), first_or(false), first_or(7))
local t = {pass(1, 2), pass(3, 4)}
print(#t, t[1], t[2], t[3])
print(table.unpack({1, 2, 3}, 2))

-- multiple assignment evaluates all right sides before assigning
local a, b, c = 1, 2
a, b = b, a
print(a, b, c)
local i = 1
local arr = {10, 20, 30}
i, arr[i] = i + 1, 99
print(i, arr[1], arr[2])

-- goto: continue and breaking out of nested loops
local out = {}
for k = 1, 6 do
  if k % 2 == 0 then goto continue end
  out[#out + 1] = k
  ::continue::
end
print(table.concat(out, ","))
for x = 1, 3 do
  for y = 1, 3 do
    if x * y == 4 then goto done end
  end
end
::done::
print("escaped")

-- while / repeat, with locals visible in the until condition
local n, steps = 27, 0
while n ~= 1 do
  if n % 2 == 0 then n = n // 2 else n = 3 * n + 1 end
  steps = steps + 1
end
print("collatz 27:", steps)
local k = 0
repeat local sq = k * k; k = k + 1 until sq >= 50
print("repeat:", k)
while true do k = k + 1 if k > 20 then break end end
print("break:", k)

-- nested functions and upvalues across levels
local function outer(x)
  local function middle(y)
    local function inner(z) return x + y + z end
    return inner
  end
  return middle
end
print(outer(1)(2)(3))

-- if / elseif chains with mixed conditions
local function classify(v)
  if type(v) ~= "number" then return "nan"
  elseif v < 0 and v > -10 then return "small negative"
  elseif not (v >= 0) then return "negative"
  elseif v == 0 or v ~= v then return "zero"
  else return "positive" end
end
print(classify(-5), classify(-50), classify(0), classify(3), classify("x"))

-- a <close> variable and a <const>
local LIMIT <const> = 3
do
  local res <close> = setmetatable({}, {__close = function() print("closed") end})
  print("in scope", LIMIT)
end
print("after scope")
