-- tests/finance/compare.lua DIR: deal's finance functions against what
-- LibreOffice Calc computed for the same cases (DIR/cases.lua, written by
-- spreadsheet.py; DIR/cases.csv, written by soffice from cases.fods).
-- Run by run.sh as `deal --trust compare.lua DIR`. Prints TAP: per spreadsheet
-- function, whether every case agrees within 1e-9 (relative), with the
-- largest relative error measured, and each documented disagreement.
--
-- A disagreement is accepted only for a reason this script verifies:
--   no-convergence  LibreOffice gives Err:523 (its Newton stops after 20
--                   steps) and deal's rate is a root: the NPV there is zero
--                   to 1e-9 of the flows' size;
--   below -100%     LibreOffice's Newton left (-100%, inf) and returned a
--                   rate at or below -100%, which is no rate of return
--                   ((1 + r)^-t is undefined or flips sign there);
--   rounding        the case has an exact value (the spreadsheet's formula
--                   in rational arithmetic, by spreadsheet.py) and deal's
--                   answer is it to 1e-12 while LibreOffice's double
--                   arithmetic lost digits (typically (1+r)^n x pv minus the
--                   payments' sum, two nearly equal large numbers);
--   another root    several rates make the NPV zero; LibreOffice's and
--                   deal's are both roots, and deal's is the one nearer the
--                   guess (the documented rule) after Newton from the guess
--                   failed (LibreOffice's XIRR then restarts from -99%);
-- Anything else is a failure. For fractional VDB periods deal prorates each
-- period's charge, so VDB(0, a) + VDB(a, b) = VDB(0, b); the script prints
-- LibreOffice's own sums for the same assets as evidence that it agrees.
local dir = assert(arg[1], "usage: deal --trust compare.lua DIR")
local cases = dofile(dir .. "/cases.lua")
local TOL = 1e-9

-- the CSV's first column, row by row: a number, or LibreOffice's error text
local lo = {}
local r = 0
for line in io.lines(dir .. "/cases.csv") do
  r = r + 1
  local first = line:match("^([^,]*)")
  -- rates come formatted as percent ("7.25025079530054%"): 15 digits either way
  local pct = first:match("^(.-)%%$")
  lo[r] = tonumber(first) or (pct and tonumber(pct) and tonumber(pct) / 100) or first
end

local function N(s) return num(s) end
local function L(t)
  local o = {}
  for i, x in ipairs(t) do o[i] = num(x) end
  return o
end
local quiet = { multiple = "quiet" }

-- deal's answer to each spreadsheet formula, with the spreadsheet's signs
local ours = {
  NPV = function(a) local f = L(a[2]); table.insert(f, 1, num(0)); return finance.npv(N(a[1]), f) end,
  IRR = function(a) return finance.irr(L(a[1]), { guess = a[2] and N(a[2]) or nil, multiple = "quiet" }) end,
  XNPV = function(a) return finance.xnpv(N(a[1]), L(a[2]), a[3]) end,
  XIRR = function(a) return finance.xirr(L(a[1]), a[2], quiet) end,
  MIRR = function(a) return finance.mirr(L(a[1]), N(a[2]), N(a[3])) end,
  PMT = function(a) return -finance.pmt(N(a[1]), N(a[2]), N(a[3]), -N(a[4]), a[5] == "1") end,
  IPMT = function(a) return -finance.ipmt(N(a[1]), N(a[2]), N(a[3]), N(a[4]), -N(a[5]), a[6] == "1") end,
  PPMT = function(a) return -finance.ppmt(N(a[1]), N(a[2]), N(a[3]), N(a[4]), -N(a[5]), a[6] == "1") end,
  PV = function(a) return finance.pv(N(a[1]), N(a[2]), -N(a[3]), -N(a[4]), a[5] == "1") end,
  FV = function(a) return -finance.fv(N(a[1]), N(a[2]), -N(a[3]), N(a[4]), a[5] == "1") end,
  NPER = function(a) return finance.nper(N(a[1]), -N(a[2]), N(a[3]), -N(a[4]), a[5] == "1") end,
  RATE = function(a) return finance.rate(N(a[1]), -N(a[2]), N(a[3]), -N(a[4]), a[5] == "1") end,
  SLN = function(a) return finance.sln(N(a[1]), N(a[2]), N(a[3])) end,
  DDB = function(a) return finance.ddb(N(a[1]), N(a[2]), N(a[3]), N(a[4]), N(a[5])) end,
  VDB = function(a) return finance.vdb(N(a[1]), N(a[2]), N(a[3]), N(a[4]), N(a[5]), N(a[6]), a[7] == "1") end,
  EFFECT = function(a) return finance.effective(N(a[1]), N(a[2])) end,
  NOMINAL = function(a) return finance.nominal(N(a[1]), N(a[2])) end,
}

-- The flows and times of a rate case, to check that a rate is a root.
local function npv_at(c, rate)
  local a = c.args
  local flows, times = {}, {}
  if c.fn == "IRR" then
    for i, x in ipairs(a[1]) do flows[i], times[i] = tonumber(x), i - 1 end
  elseif c.fn == "XIRR" then
    local d0 = finance.day(a[2][1])
    for i, x in ipairs(a[1]) do flows[i], times[i] = tonumber(x), (finance.day(a[2][i]) - d0) / 365 end
  elseif c.fn == "RATE" then
    -- the flows finance.rate solves: the loan, then the payments and fv
    local n, pmt, pv, fv = tonumber(a[1]), tonumber(a[2]), tonumber(a[3]), tonumber(a[4])
    flows[1], times[1] = pv + (a[5] == "1" and pmt or 0), 0
    for i = 1, n do flows[#flows + 1], times[#times + 1] = (a[5] == "1" and i == n) and 0 or pmt, i end
    flows[#flows] = flows[#flows] + fv
  end
  local s, size = 0, 0
  for i, x in ipairs(flows) do
    local w = (1 + rate) ^ -times[i]
    s, size = s + x * w, size + math.abs(x * w)
  end
  return s, size
end

local stats, order = {}, {}
local function stat(fn)
  if not stats[fn] then
    stats[fn] = { n = 0, agree = 0, maxerr = 0, documented = {}, failed = {}, refused = 0, exact = 0, exacterr = 0, inexact = {} }
    order[#order + 1] = fn
  end
  return stats[fn]
end

local function relerr(a, b)
  if a == b then return 0 end
  return math.abs(a - b) / math.max(math.abs(a), math.abs(b))
end

-- the guess of a rate case (10% when none is given)
local function guess_of(c)
  if c.fn == "IRR" then return c.args[2] and tonumber(c.args[2]) or 0.1 end
  return 0.1
end

-- VDB's additivity in LibreOffice for the same asset: VDB(0,a) + VDB(a,b) - VDB(0,b)
local vdb_rows = {}
for _, c in ipairs(cases) do
  if c.fn == "VDB" then vdb_rows[table.concat(c.args, "|")] = lo[c.row] end
end
local function lo_vdb(a, from, to)
  local k = { a[1], a[2], a[3], from, to, a[6], a[7] }
  return vdb_rows[table.concat(k, "|")]
end

local total = 0
for _, c in ipairs(cases) do
  local s = stat(c.fn)
  s.n = s.n + 1
  total = total + 1
  local ok, v = pcall(ours[c.fn], c.args)
  local mine = ok and num.tofloat(v) or nil
  local theirs = lo[c.row]
  local what = ("row %d %s(%s)"):format(c.row, c.fn, (table.concat((function()
    local t = {}
    for i, x in ipairs(c.args) do t[i] = type(x) == "table" and ("{" .. table.concat(x, ",") .. "}") or tostring(x) end
    return t end)(), "; "):sub(1, 160)))
  local ex = c.exact and tonumber(c.exact)
  if ex and mine then
    local e = relerr(mine, ex)
    s.exact, s.exacterr = s.exact + 1, math.max(s.exacterr, e)
    if e > 1e-12 then s.inexact[#s.inexact + 1] = ("%s: deal %.17g, exact %s"):format(what, mine, c.exact) end
  end
  if type(theirs) == "number" and mine then
    local err = relerr(mine, theirs)
    local israte = c.fn == "IRR" or c.fn == "XIRR" or c.fn == "RATE"
    if err <= TOL then
      s.agree = s.agree + 1
      s.maxerr = math.max(s.maxerr, err)
    elseif ex and relerr(mine, ex) <= 1e-12 then
      s.documented[#s.documented + 1] = ("%s: LibreOffice %.15g, deal %.15g, exact %s (LibreOffice's double arithmetic lost digits)"):format(what, theirs, mine, c.exact)
    elseif israte and theirs <= -1 then
      s.documented[#s.documented + 1] = ("%s: LibreOffice %.15g (at or below -100%%: no rate of return), deal %.15g"):format(what, theirs, mine)
    elseif israte and (function()
        local f1, s1 = npv_at(c, mine)
        local f2, s2 = npv_at(c, theirs)
        local gs = guess_of(c)
        return math.abs(f1) <= 1e-9 * s1 and math.abs(f2) <= 1e-9 * s2 and math.abs(mine - gs) < math.abs(theirs - gs)
      end)() then
      s.documented[#s.documented + 1] = ("%s: LibreOffice %.15g, deal %.15g: both are roots; deal's is nearer the guess %g (Newton from the guess fails)")
                                        :format(what, theirs, mine, guess_of(c))
    else
      s.failed[#s.failed + 1] = ("%s: LibreOffice %.15g, deal %.15g, relative error %.3g"):format(what, theirs, mine, err)
    end
  elseif type(theirs) == "number" then
    s.failed[#s.failed + 1] = ("%s: LibreOffice %.15g, deal raised: %s"):format(what, theirs, tostring(v))
  elseif mine then
    local f, size = 0, 1
    if c.fn == "IRR" or c.fn == "XIRR" or c.fn == "RATE" then f, size = npv_at(c, mine) end
    if theirs == "Err:523" and math.abs(f) <= 1e-9 * size then
      s.documented[#s.documented + 1] = ("%s: LibreOffice Err:523 (no convergence in 20 Newton steps), deal %.15g (NPV there %.2g of the flows' size)")
                                        :format(what, mine, math.abs(f) / size)
    else
      s.failed[#s.failed + 1] = ("%s: LibreOffice %s, deal %.15g"):format(what, tostring(theirs), mine)
    end
  else
    s.refused = s.refused + 1          -- both refuse (e.g. flows without a root)
  end
end

print(("%s %d spreadsheet cases in %d functions (at least 500)"):format(total >= 500 and "ok -" or "not ok -", total, #order))
for _, fn in ipairs(order) do
  local s = stats[fn]
  local name = ("%s: %d of %d cases agree within 1e-9 (largest relative error %.2g)%s%s"):format(fn, s.agree, s.n, s.maxerr,
    s.refused > 0 and (", " .. s.refused .. " refused by both") or "",
    #s.documented > 0 and (", " .. #s.documented .. " documented disagreements") or "")
  print((#s.failed == 0 and "ok - " or "not ok - ") .. name)
  for _, f in ipairs(s.failed) do print("#   " .. f) end
  for _, d in ipairs(s.documented) do print("# documented: " .. d) end
  if s.exact > 0 then
    print((#s.inexact == 0 and "ok - " or "not ok - ") .. ("%s: deal equals the exact value of the spreadsheet's formula (Python fractions) in %d cases (largest relative error %.2g)")
          :format(fn, s.exact, s.exacterr))
    for _, f in ipairs(s.inexact) do print("#   " .. f) end
  end
end
-- LibreOffice's VDB at fractional starts, split in two: additive as deal's
local shown = 0
for _, c in ipairs(cases) do
  local a = c.args
  if c.fn == "VDB" and a[4] ~= "0" and math.floor(tonumber(a[4])) ~= tonumber(a[4]) then
    local x, y, z = lo_vdb(a, "0", a[4]), lo[c.row], lo_vdb(a, "0", a[5])
    if type(x) == "number" and type(y) == "number" and type(z) == "number" and shown < 6 then
      print(("# LibreOffice VDB(0,%s) + VDB(%s,%s) - VDB(0,%s) = %.3g of %s for cost %s, salvage %s, life %s, factor %s%s")
            :format(a[4], a[4], a[5], a[5], x + y - z, z, a[1], a[2], a[3], a[6], a[7] == "1" and ", no switch" or ""))
      shown = shown + 1
    end
  end
end
