-- stdlib/_roots.lua: the rates r that make the NPV of dated flows zero,
-- sum c_i (1 + r)^-t_i = 0, for finance.irr, finance.xirr, finance.irrs and
-- the IRR of a series (finance.lua states the rule these implement).
--
-- Private. The flows are Lua floats c[i] at times t[i] (periods or years,
-- increasing). Three solvers:
-- - R.all(c, t): every real root in (-100%, inf). In u = log(1 + r) the NPV
--   times a positive factor is a sum of exponentials; beyond two bounds one
--   term outweighs all the others, so every root lies between them. One sign
--   change in the flows means exactly one root (Descartes' rule of signs for
--   sums of exponentials), found by bisection; more sign changes are searched
--   on a grid (dense where rates usually are), each sign change bisected and
--   each local minimum of |NPV| examined for a pair of close roots or a
--   double root (the NPV touching zero within 1e-12 of the flows' size).
-- - R.newton(c, t, guess): the spreadsheet's iteration, Newton in r from the
--   guess, run to full precision (spreadsheets stop after 20 steps).
-- - R.samples(ev, guess, ...): the same Newton on every Monte Carlo sample at
--   once, with the uncertain arithmetic, so that the result keeps the inputs
--   it depends on (sensitivity() still finds them); samples where it does not
--   converge are solved one by one with R.choose.
local R = {}

local fabs, exp, log, fmax, fmin = math.abs, math.exp, math.log, math.max, math.min

---------------------------------------------------------------------------
-- Scalar flows
---------------------------------------------------------------------------

-- The flows without zero flows at either end and with equal times merged:
-- neither changes the roots (a leading zero only multiplies the NPV by a
-- positive factor).
local function tidy(c, t)
  local cc, tt = {}, {}
  for i = 1, #c do
    local n = #tt
    if n > 0 and t[i] == tt[n] then cc[n] = cc[n] + c[i]
    else cc[n + 1], tt[n + 1] = c[i], t[i] end
  end
  local a, b = 1, #cc
  while a <= b and cc[a] == 0 do a = a + 1 end
  while b >= a and cc[b] == 0 do b = b - 1 end
  local c2, t2 = {}, {}
  for i = a, b do c2[#c2 + 1], t2[#t2 + 1] = cc[i], tt[i] end
  return c2, t2
end

--- Sign changes of a list of floats, zeros skipped (Descartes' bound on the roots).
function R.changes(c)
  local n, last = 0, 0
  for i = 1, #c do
    local s = c[i] > 0 and 1 or c[i] < 0 and -1 or 0
    if s ~= 0 then
      if last ~= 0 and s ~= last then n = n + 1 end
      last = s
    end
  end
  return n
end

-- The NPV at u = log(1 + r) times exp(T u), T the last time for u < 0 and
-- the first for u >= 0, so that no term overflows; and the sum of the terms'
-- sizes (the scale against which the value is small or not).
local function g(c, t, u)
  local T = u < 0 and t[#t] or t[1]
  local s, a = 0.0, 0.0
  for i = 1, #c do
    local w = exp((T - t[i]) * u)
    s = s + c[i] * w
    a = a + fabs(c[i]) * w
  end
  return s, a
end

-- Bounds on u beyond which the first (above) or last (below) flow outweighs
-- the others, so the sign is that flow's: no root lies outside. Kept within
-- the range of doubles (r up to about 1e300).
local function bounds(c, t)
  local n = #c
  local restlo, resthi = 0, 0
  for i = 2, n do resthi = resthi + fabs(c[i]) end
  for i = 1, n - 1 do restlo = restlo + fabs(c[i]) end
  local hi = log(fmax(resthi / fabs(c[1]), 1)) / (t[2] - t[1]) + 1
  local lo = -(log(fmax(restlo / fabs(c[n]), 1)) / (t[n] - t[n - 1]) + 1)
  return fmax(lo, -690), fmin(hi, 690)
end

-- Bisection in u between a and b (signs differ), to the last bit.
local function bisect(c, t, a, b)
  local ga = g(c, t, a)
  for _ = 1, 200 do
    local m = (a + b) / 2
    if m == a or m == b then break end
    local gm = g(c, t, m)
    if gm == 0 then return m end
    if (gm < 0) == (ga < 0) then a, ga = m, gm else b = m end
  end
  return (a + b) / 2
end

-- The NPV and its derivative at r, as a spreadsheet computes them.
local function npv_d(c, t, r)
  local f, d = 0.0, 0.0
  for i = 1, #c do
    local w = (1 + r) ^ -t[i]
    f = f + c[i] * w
    d = d - t[i] * c[i] * w / (1 + r)
  end
  return f, d
end

-- One or two Newton steps in r from a bracketed root, for the last digits
-- (kept only if they stay close: bisection in u already has them nearly).
local function polish(c, t, r)
  for _ = 1, 3 do
    local f, d = npv_d(c, t, r)
    if d == 0 or f ~= f then break end
    local s = f / d
    if not (fabs(s) <= 1e-6 * (1 + fabs(r))) then break end
    r = r - s
    if fabs(s) <= 1e-16 * (1 + fabs(r)) then break end
  end
  return r
end

-- Examines a local minimum of |g| between a and b (no sign change seen):
-- golden-section search for the extremum; two roots if the sign flips
-- there, a double root if it touches zero, nothing otherwise.
local function examine(c, t, a, b, out)
  local sign = g(c, t, (a + b) / 2) < 0 and -1 or 1
  local function h(u) return sign * g(c, t, u) end
  local k = (math.sqrt(5) - 1) / 2
  local x1, x2 = b - k * (b - a), a + k * (b - a)
  local h1, h2 = h(x1), h(x2)
  for _ = 1, 100 do
    if b - a <= 1e-14 * (1 + fabs(a)) then break end
    if h1 < h2 then b, x2, h2 = x2, x1, h1; x1 = b - k * (b - a); h1 = h(x1)
    else a, x1, h1 = x1, x2, h2; x2 = a + k * (b - a); h2 = h(x2) end
    if h1 < 0 or h2 < 0 then break end
  end
  local m = h1 < h2 and x1 or x2
  local v, scale = g(c, t, m)
  if sign * v < 0 then
    out[#out + 1] = bisect(c, t, a, m)
    out[#out + 1] = bisect(c, t, m, b)
  elseif fabs(v) <= 1e-12 * scale then
    out[#out + 1] = m
  end
end

-- The grid in u: dense (step 0.01) for r from -99.9% to about 1900%, coarser
-- outside. Roots closer than a step are found by examining the dips of |NPV|.
local function grid(lo, hi)
  local pts = {}
  local function span(a, b, h)
    if b <= a then return end
    local n = math.ceil((b - a) / h)
    for k = 0, n - 1 do pts[#pts + 1] = a + (b - a) * k / n end
  end
  local dlo, dhi = fmax(lo, -7), fmin(hi, 3)
  span(lo, fmin(dlo, hi), 0.05)
  span(dlo, dhi, 0.01)
  span(fmax(dhi, lo), hi, 0.05)
  pts[#pts + 1] = hi
  return pts
end

--- Every real root in (-1, inf) of sum c[i] (1 + r)^-t[i], ascending.
function R.all(c, t)
  c, t = tidy(c, t)
  if #c < 2 or R.changes(c) == 0 then return {} end
  local lo, hi = bounds(c, t)
  local us = {}
  if R.changes(c) == 1 then
    us[1] = bisect(c, t, lo, hi)
  else
    local pts = grid(lo, hi)
    local gv = {}
    for i, u in ipairs(pts) do gv[i] = g(c, t, u) end
    for i = 2, #pts do
      local a, b = gv[i - 1], gv[i]
      if b == 0 then us[#us + 1] = pts[i]
      elseif a ~= 0 and (a < 0) ~= (b < 0) then us[#us + 1] = bisect(c, t, pts[i - 1], pts[i]) end
      if i < #pts then
        local nb = gv[i + 1]
        if b ~= 0 and (a < 0) == (b < 0) and (b < 0) == (nb < 0) and fabs(b) < fabs(a) and fabs(b) <= fabs(nb) then
          examine(c, t, pts[i - 1], pts[i + 1], us)
        end
      end
    end
  end
  table.sort(us)
  local roots = {}
  for _, u in ipairs(us) do
    local r = polish(c, t, math.expm1 and math.expm1(u) or (exp(u) - 1))
    if r > -1 and (#roots == 0 or fabs(r - roots[#roots]) > 1e-12 * (1 + fabs(r))) then roots[#roots + 1] = r end
  end
  return roots
end

--- Newton in r from the guess, as spreadsheets iterate it (without their
--- 20-step limit); the root, or nil when it leaves (-1, inf) or does not settle.
function R.newton(c, t, guess)
  local r = guess
  for _ = 1, 100 do
    local f, d = npv_d(c, t, r)
    if d == 0 or f ~= f or d ~= d or fabs(f) == math.huge then return nil end
    local s = f / d
    r = r - s
    if not (r > -1) or r ~= r or fabs(r) == math.huge then return nil end
    if fabs(s) <= 1e-15 * (1 + fabs(r)) or f == 0 then return r end
    if fabs(s) <= 1e-12 * (1 + fabs(r)) then
      local f2, d2 = npv_d(c, t, r)
      if d2 ~= 0 and f2 == f2 then
        local r2 = r - f2 / d2
        if r2 > -1 and fabs(r2 - r) <= fabs(s) then r = r2 end
      end
      return r
    end
  end
  return nil
end

--- The root nearest the guess, or nil: a scan outwards from the guess on
--- both sides at once (steps in u = log(1 + r)), each sign change bisected
--- and each dip of |NPV| examined; it stops once both sides are further
--- from the guess than the nearest root found (distance in r). Cheaper than
--- R.all when only that root is wanted (one sample).
function R.nearest(c, t, guess)
  c, t = tidy(c, t)
  if #c < 2 or R.changes(c) == 0 then return nil end
  local lo, hi = bounds(c, t)
  local u0 = fmin(fmax(log(1 + guess), lo), hi)
  local g0 = g(c, t, u0)
  if g0 == 0 then return polish(c, t, exp(u0) - 1) end
  local function dist(u) return fabs(exp(u) - 1 - guess) end
  local h = 0.02
  local found                                  -- the nearest root so far (r)
  local sides = { { u = u0, g = g0, dir = -1, lim = lo }, { u = u0, g = g0, dir = 1, lim = hi } }
  while true do
    local live = false
    for _, sd in ipairs(sides) do
      if sd.u ~= sd.lim and not (found and dist(sd.u) >= fabs(found - guess)) then
        live = true
        local u = sd.u + sd.dir * h * (1 + fabs(sd.u - u0))
        if (sd.dir < 0 and u < sd.lim) or (sd.dir > 0 and u > sd.lim) then u = sd.lim end
        local gu = g(c, t, u)
        local roots = {}
        if gu == 0 then roots[1] = u
        elseif (gu < 0) ~= (sd.g < 0) then roots[1] = bisect(c, t, fmin(sd.u, u), fmax(sd.u, u))
        elseif sd.prev and fabs(sd.g) < fabs(sd.prev) and fabs(sd.g) <= fabs(gu) then
          examine(c, t, fmin(sd.prevu, u), fmax(sd.prevu, u), roots)
        end
        for _, x in ipairs(roots) do
          local r = polish(c, t, exp(x) - 1)
          if r > -1 and (not found or fabs(r - guess) < fabs(found - guess)) then found = r end
        end
        sd.prev, sd.prevu, sd.u, sd.g = sd.g, sd.u, u, gu
      end
    end
    if not live then break end
  end
  return found
end

--- The rule for one set of flows: Newton from the guess when it settles on
--- a root, else the root nearest the guess. Returns the root (or nil) and the
--- list of all roots (nil when only one can exist and Newton found it).
function R.choose(c, t, guess)
  local cc = tidy(c, t)
  local r = R.newton(c, t, guess)
  if r and R.changes(cc) <= 1 then return r, { r } end
  local all = R.all(c, t)
  if r then
    for i, x in ipairs(all) do
      if fabs(x - r) <= 1e-9 * (1 + fabs(r)) then all[i] = r; return r, all end
    end
    -- a root the grid missed (closer to another than it resolves): keep it
    all[#all + 1] = r
    table.sort(all)
    return r, all
  end
  local best
  for _, x in ipairs(all) do
    if not best or fabs(x - guess) < fabs(best - guess) then best = x end
  end
  return best, all
end

---------------------------------------------------------------------------
-- Uncertain flows: Newton on every sample at once
---------------------------------------------------------------------------

local _, _, _, _, _, _, _, _, EQ, _, LT, _, GT, _, NOT, AND, OR = __deal.ops()
-- the per-sample functions of the language (math's would refuse samples)
local U = setmetatable({}, { __index = function(_, k) return _ENV[k] end })

--- Newton in r on all samples together. ev(r) returns the NPV and its
--- derivative d NPV / d r at r (uncertain or exact), ev(r, true) also the
--- sum of the terms' sizes. Returns the uncertain root and the condition
--- "this sample converged without leaving [rmin, 1e6]"; rmin keeps the
--- discount factors finite. zero is the NPV's unit (a derivative that is
--- exactly 0 becomes a tiny one of that unit, never a division by zero).
function R.samples(ev, guess, rmin, zero)
  local n = __deal.samples()
  local rmax = 1e6
  local r = guess
  local out = false                   -- samples that left [rmin, rmax]
  local last, stall, step = nil, 0, nil
  for it = 1, 60 do
    local f, d = ev(r)
    d = U.where(EQ(d, 0), zero * 1e-300, d)
    step = f / d
    local rn = r - step
    out = OR(out, OR(LT(rn, rmin), GT(rn, rmax)))
    r = U.min(U.max(rn, rmin), rmax)
    local left = math.floor(U.P(GT(U.abs(step), 1e-12 * (1 + U.abs(r)))) * n + 0.5)
    if left == 0 then break end
    if left == last then stall = stall + 1 else stall = 0 end
    if stall >= 4 and it >= 12 then break end
    last = left
  end
  local f, _, scale = ev(r, true)
  local settled = NOT(GT(U.abs(step), 1e-9 * (1 + U.abs(r))))
  return r, AND(NOT(out), AND(settled, NOT(GT(U.abs(f), 1e-9 * scale))))
end

--- The evaluator of periodic flows c[1..n] at t = 0..n-1 (Horner in 1/(1 + r)).
function R.periodic(c)
  return function(r, withscale)
    local v = 1 / (1 + r)
    local n = #c
    local p, q = c[n], 0 * c[n]
    local a = withscale and U.abs(c[n]) or nil
    for i = n - 1, 1, -1 do
      q = q * v + p
      p = p * v + c[i]
      if a then a = a * v + U.abs(c[i]) end
    end
    return p, -q * v * v, a
  end
end

--- The evaluator of flows c[i] at times t[i] (in periods or years).
function R.dated(c, t)
  return function(r, withscale)
    local L = U.log(1 + r)
    local f, s, a = 0 * c[1], 0 * c[1], withscale and 0 * c[1] or nil
    for i = 1, #c do
      local w = U.exp(-t[i] * L)
      f = f + c[i] * w
      s = s + t[i] * c[i] * w
      if a then a = a + U.abs(c[i]) * w end
    end
    return f, -s / (1 + r), a
  end
end

--- The per-sample rule: Newton on all samples (ev), then samples that did
--- not settle solved one by one (floats(j) gives sample j's flows and
--- times) with R.choose. Returns the uncertain root and counts: samples
--- without a root (set to `missing`) and samples solved one by one.
function R.solve(ev, floats, guess, rmin, zero, missing)
  local r, ok = R.samples(ev, guess, rmin, zero)
  local n = __deal.samples()
  local fix, nfix, nmiss = nil, 0, 0
  for j = 1, U.P(ok) < 1 and n or 0 do     -- nothing to fix when every sample settled
    if not ok:sample(j) then
      fix = fix or {}
      local c, t = floats(j)
      local x = R.newton(c, t, guess) or R.nearest(c, t, guess)
      if x == nil then x, nmiss = missing, nmiss + 1 end
      fix[j] = x
      nfix = nfix + 1
    end
  end
  if fix then
    for j = 1, n do fix[j] = fix[j] or 0.0 end
    r = U.where(ok, r, U.samples(fix))
  end
  return r, { samples = n, missing = nmiss, solved_one_by_one = nfix }
end

return R
