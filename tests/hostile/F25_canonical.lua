-- F25: every rational a model can see is canonical (gcd 1, positive
-- denominator), checked against a reference in plain Lua integers.
local T = require "tap"; T.id("F25")
T.ok(num.exact(num"2/4") == "1/2", "num'2/4' is 1/2")
T.ok(num.exact(num(6) / num(-4)) == "-3/2", "6 / -4 is -3/2")
T.ok(num.exact(num(0) / 5) == "0", "0 / 5 is 0")
T.ok(num.exact(num"-0") == "0", "-0 is 0")
local function gcd(a, b) while b ~= 0 do a, b = b, a % b end return math.abs(a) end
local function frac(n, d)      -- reference, small integers
  if d < 0 then n, d = -n, -d end
  local g = gcd(n, d); n, d = n // g, d // g
  return d == 1 and tostring(n) or (n .. "/" .. d)
end
math.randomseed(25)
local bad = 0
for i = 1, 3000 do
  local a, b, c, d = math.random(-999, 999), math.random(1, 999), math.random(-999, 999), math.random(1, 999)
  if math.random(2) == 1 then b = -b end
  local x, y = num(a) / b, num(c) / d
  local want = {frac(a * d + c * b, b * d), frac(a * d - c * b, b * d), frac(a * c, b * d)}
  local got = {num.exact(x + y), num.exact(x - y), num.exact(x * y)}
  if c ~= 0 then want[4] = frac(a * d, b * c); got[4] = num.exact(x / y) end
  for k = 1, #want do if want[k] ~= got[k] then bad = bad + 1 if bad < 3 then print("# ", a, b, c, d, k, want[k], got[k]) end end end
end
T.ok(bad == 0, "3000 random + - * / agree with the reference", bad)
