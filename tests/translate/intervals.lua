local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"0.5","2.5"};
local n = 10
for i = 1, 3000000 do
  local x = i * 3 + 7
  local y <const> = -x
  if x % 2 == 0 then s = __add(s, x // 2) else s = __sub(s, 1) end
  t[i] = i - 1 < n, y * 2, __div(i, 2), __pow(i, 2)
end
for j = __for(n), __for(n * 2), -1 do u = j + (j - 1) * 2 end

for i = 1, 10 do i = __add(i, 1) end

for i = 1, __for(#t) do z = __add(i, 1) end
for i = 1, __for(m) do z = __mul(i, 2) end
for i = 1, 10, __for(__K[1]) do z = __add(i, 1) end

local a = 5
local b = __add(a, 1)
local f = function() a = __K[2] end
z = __mul(b, 2)

local c = 1
do local c = x; z = __add(c, 1) end
z = c + 1
local function h(c) return __add(c, 1) end
local self = 1
function t:m() return __add(self, 1) end
function t.k() return self + 1 end
local g = 1
function g() end
z = __add(g, 1)
repeat local r = 1 until r + 1 > 2
local q, w, e = 1, 2
w, zz = 3, 4
z = __add(__add(q, w), e)

local big = 4503599627370496
z = big + big, __mul(big, 4), __sub(-big - big, 1)

if __ceq(x, n) then elseif c ~= q then elseif __cne(x, y) then elseif a < c then end
while n - 1 >= c and q == 1 do end
