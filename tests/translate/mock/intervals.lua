-- Native integer arithmetic (range inference) must keep Lua's meaning and
-- structure: mixes of native operators, calls, shadowing and assignments.
local n = 10
local s = 0
for i = 1, 100 do
  local x = i * 3 + 7
  local y <const> = -x
  if x % 2 == 0 then s = s + x // 2 else s = s - 1 end
  if i - 1 < n and y * 2 ~= -x - x + 1 then s = s + y % 7 end
end
print(s)
for j = n, n * 2, 3 do print(j + (j - 1) * 2, j - -j, - -j, -j ^ 2, 2 ^ -j) end
for i = 1, 3 do i = i * 2.5; print(i + 1) end
local a = 5
local b = a + 1
local f = function() a = 2.5 end
f()
print(a + 1, b * 2, a - b)
local c = 1
do local c = 2.5; print(c + 1) end
print(c + 1, c == 1, c < 2, (c + 1) * 2 == 4)
local function h(c) return c + 1 end
print(h(0.5), h(2))
local q, w, e = 1, 2
w = 2.5
print(q + w, q - 1 == 0, e)
local big = 4503599627370496
print(big + big, big * 4, -big - big - 1, big * big)
repeat local r = 1 until r + 1 > 1
print(7 // 2 * 3 + 7 % 2 - 1, (7 // 2) * (3 + 7) % 4)
