-- stdlib/finance.lua: dated cash flows, discounting, NPV, IRR, loans,
-- depreciation, taxes and the payment waterfall.
--
-- Cash-flow series (monthly resolution, yearly tables), the spreadsheet's time-value functions
-- (NPV, XNPV, IRR, XIRR, MIRR, PMT, IPMT, PPMT, PV, FV, NPER, RATE, SLN, DDB, VDB) with the same
-- answers to 1e-9, every root of an IRR, payback, WACC, loan schedules with stub periods,
-- floating rates, fees and interest during construction, depreciation schedules (straight
-- line, declining balance, MACRS) with their tax shield, taxes on profit with losses carried
-- forward, and a payment waterfall across senior, mezzanine and equity. Every function takes
-- exact or uncertain values and keeps units: money (one currency per call), rates (plain
-- numbers, `8%`), durations (`5 yr`). docs/finance.md states the conventions in full.
--
-- **Conventions.** A list of flows is one flow per period, `flows[1]` at t = 0 (not
-- discounted; a spreadsheet's `NPV(r, B1:B9)` discounts its first value, so it equals
-- `finance.npv(r, {0, B1, ..., B9})`). Rates are per period for lists and per year,
-- effective, for everything dated: a series, XNPV and XIRR discount a flow t years out by
-- `(1 + r)^-t`, so a series' NPV at its own IRR is zero. Dates count days as the
-- spreadsheets do (ACT/365); a series counts months, a month being a twelfth of a year.
-- Loan rates are nominal per year and charged per payment period (`rate/12` a month), as
-- lenders quote them. An IRR is the spreadsheet's root: Newton's method from the guess
-- (10%); when it does not settle, the root nearest the guess; several roots give a
-- warning (or an error with `multiple = "error"`), none an error. The loan functions solve
-- `pv (1 + r)^n = pmt × ((1 + r)^n - 1) / r + fv`: a loan of `pv` repaid by `n` payments
-- of `pmt` leaves `fv` owed (payments positive; a spreadsheet writes them negative).
--
-- **Exactness.** Exact inputs give exact results where the maths allows: whole-period
-- discount factors, PMT, NPV, schedules and depreciation are exact rationals; fractional
-- powers (XNPV, a month's discount factor, MIRR) and roots (IRR) are approximate (`≈`).
-- Schedules round each payment to the cent (the last one closes the balance at exactly
-- $0); the time-value functions do not round, so they agree with a spreadsheet. Uncertain
-- values are computed per sample and never rounded.
--
-- `finance.need`, `finance.expect` and `finance.args` are the argument checks the other
-- modules use (stdlib/_shared.lua), public for user modules: their errors name the field
-- and what was expected, and point at the caller's line.
--
--   local loan = finance.amortize { principal = $25B, rate = 5.625%, term = 7 yr, start = "2027-06" }
--   loan:print()
--   print(loan:total_interest(), finance.pmt(5.625%, 7, $25B))
--   print(finance.irr { -100, 60, 60, -10 }, finance.irrs { -100, 230, -132 })
local S = require "_shared"
local R = require "_roots"
local F = {}

local USD = num "1 $"
F.USD = USD
local DIMLESS = units.dim(num(1))
local YEAR = num "1 yr"

-- comparisons that work per sample (plain Lua's would refuse uncertain values)
local _, _, _, _, _, _, _, _, EQ, NE, LT, LE, GT, GE, NOT, AND, OR = __deal.ops()
-- the language's per-sample functions (where, min, max, abs, exp, log, P, ...)
local U = setmetatable({}, { __index = function(_, k) return _ENV[k] end })

---------------------------------------------------------------------------
-- Argument checking (the stdlib's own checks, stdlib/_shared.lua, for user modules)
---------------------------------------------------------------------------

local iszero, isexact = S.iszero, S.isexact
local function isunc(x) return U.isuncertain(x) end

--- How a value reads in an error message: the string "x", 3 chip (a plain number), a rack...
-- @param x any value
-- @return text
-- example: print(finance.describe(num"3"), finance.describe("x"))
F.describe = S.describe

--- True only for an exact zero; an uncertain value is never zero (it is not compared).
-- @param x a number, quantity or uncertain value
-- @return boolean
-- example: print(finance.iszero(num"0 $"), finance.iszero(num"0.01 $"))   --> true  false
F.iszero = S.iszero

--- Checks that a value has the dimension of an example and returns it (numbers become nums).
-- @param x the value to check (a number, quantity or uncertain quantity)
-- @param example a quantity string naming the expected kind, e.g. "120 kW"
-- @param what the text that names the value in the error, e.g. "racks.new: field 'power'"
-- @param level error level as in error() (default 2: the caller of the caller)
-- @return x, converted with num() when it was a Lua number
-- example: print(finance.expect(num"120 kW", "100 kW", "my.fn: field 'power'"))
function F.expect(x, example, what, level)
  return (S.expect(x, example, what, (level or 2) + 1))
end

--- Reads field `name` of table `t`, checking it against an example quantity.
-- @param t the argument table
-- @param name the field name
-- @param example a quantity string naming the expected kind, e.g. "120 kW"
-- @param fname the public function being checked, e.g. "racks.new"
-- @param optional when true a missing field returns nil instead of raising
-- @param level error level (default 2: the caller of the function that calls need)
-- @return the checked value (or nil when optional and absent)
-- example: local p = finance.need({power = num"120 kW"}, "power", "120 kW", "my.fn")
function F.need(t, name, example, fname, optional, level)
  return (S.need(t, name, example, fname, optional, (level or 2) + 1))
end

--- Raises unless `t` is a table (the usual `f{...}` call style).
-- @param t the argument
-- @param fname the function name for the message
-- @return t
-- example: finance.args({}, "my.fn")
function F.args(t, fname, level)
  return (S.args(t, fname, (level or 2) + 1))
end

--- Rounds money to the cent (exact values only; uncertain values pass through).
-- @param x a Money[USD] quantity (or anything else, returned unchanged)
-- @return x rounded to $0.01
-- example: print(finance.cents(num"2/3 $"))   --> $0.67
function F.cents(x)
  if isexact(x) and units.same(x, USD) then
    return num.round(units.value(x, "$"), 2) * USD
  end
  return x
end
local cents = F.cents

--- An uncertain value with a 90% interval [lo, hi] (lognormal when both are positive); lo when lo == hi.
-- @param lo low end (a number or quantity)
-- @param hi high end (same dimension)
-- @return an uncertain value, as `lo to hi` in a .deal script
-- example: local price = finance.range(num"20000 $/chip", num"40000 $/chip")
function F.range(lo, hi)
  return (S.range(lo, hi))
end

-- "7.25%": a rate as analysts read it (the same value, shown in percent)
local function pct(x)
  return x:to "%"
end

-- A rate (a plain number) above -100%, exact or in every sample.
local function rate_arg(x, what)
  x = S.expect(x, "8%", what)
  if isunc(x) then
    local lo = U.min(x)
    if not (lo > -1) then
      S.fail(("%s must be above -100%% in every sample, got a sample at %s"):format(what, tostring(pct(lo))))
    end
  elseif not (x > -1) then
    S.fail(("%s must be above -100%%, got %s"):format(what, tostring(pct(x))))
  end
  return x
end

-- A positive number of periods (exact, or positive in every sample).
local function count_arg(n, what)
  n = S.expect(n, "5", what)
  local lo = isunc(n) and U.min(n) or n
  if not (lo > 0) then S.fail(("%s expected a positive number of periods, got %s"):format(what, S.describe(n))) end
  return n
end

-- x^e, exact when x is exact and e a whole number; otherwise a float
-- result (an exact rational of a long power would grow without need).
local function power(x, e)
  if isunc(x) or isunc(e) then return x ^ e end
  if num.isinteger(num(e)) and isexact(x) then return x ^ e end
  return num(num.tofloat(x) ^ num.tofloat(e))
end

-- The unit value of a flow's kind: $1 for USD, EUR 1 for euros, 1 for a
-- plain number; nil for anything else.
local function unit_of(x)
  local d = units.dim(x)
  if d == DIMLESS then return num(1) end
  local cur = tostring(d):match("^Money%[(%u+)%]$")
  if cur then return cur == "USD" and USD or num("1 " .. cur) end
end

-- An amount of money (any one currency) or a plain number.
local function amount_arg(x, what)
  if type(x) == "number" then x = num(x) end
  if x == nil then S.fail(what .. ": missing (expected an amount of money or a plain number, e.g. $1M)") end
  if not ((num.isnum(x) or isunc(x)) and unit_of(x)) then
    S.fail(("%s expected an amount of money or a plain number, got %s"):format(what, S.describe(x)))
  end
  return x
end

-- y in the kind of x (a plain exact 0 goes with any kind).
local function same_kind(y, x, what, xwhat)
  if not iszero(y) and not iszero(x) and not units.same(y, x) then
    S.fail(("%s (%s) must be in the unit of %s (%s)"):format(what, tostring(y), xwhat, tostring(x)))
  end
  if iszero(y) and not units.same(y, x) then return 0 * x end
  return y
end

-- The check every list-taking function shares: a non-empty list without
-- holes of money in one currency, or of plain numbers (a plain exact 0 goes
-- with any kind). Returns the values (Lua numbers as nums), the unit value,
-- and whether any is uncertain.
local function flowlist(flows, fn, what)
  what = what or "flows"
  if type(flows) ~= "table" or getmetatable(flows) ~= nil then
    S.fail(("%s: %s expected a list of amounts (money or plain numbers), got %s"):format(fn, what, S.describe(flows)))
  end
  local n = #flows
  for k in pairs(flows) do
    if math.type(k) ~= "integer" or k < 1 or k > n then
      S.fail(("%s: %s has a hole or a non-list key (%s): give one amount per period, 0 for none"):format(fn, what, S.describe(k)))
    end
  end
  if n == 0 then S.fail(("%s: %s is empty (expected at least one amount)"):format(fn, what)) end
  local out, unit, first, unc = {}, nil, nil, false
  for i = 1, n do
    local x = flows[i]
    if x == nil then
      S.fail(("%s: %s has a hole at [%d] (nil): give one amount per period, 0 for none"):format(fn, what, i))
    end
    if type(x) == "number" then x = num(x) end
    local u = (num.isnum(x) or isunc(x)) and unit_of(x)
    if not u then
      S.fail(("%s: %s[%d] expected an amount of money or a plain number, got %s"):format(fn, what, i, S.describe(x)))
    end
    out[i] = x
    unc = unc or isunc(x)
    if not (u == num(1) and iszero(x)) then
      if unit == nil then unit, first = u, i
      elseif not units.same(u, unit) then
        local plain = u == num(1) or unit == num(1)
        S.fail(("%s: %s[%d] is %s but %s[%d] is %s: %s")
               :format(fn, what, i, S.describe(x), what, first, S.describe(out[first]),
                       plain and "give every flow as money, or every flow as a plain number"
                             or "the flows of one calculation share one currency (convert with x:to \"$\")"))
      end
    end
  end
  unit = unit or num(1)
  for i = 1, n do
    if iszero(out[i]) then out[i] = out[i] * unit end
  end
  return out, unit, unc
end

-- Exact (or float) values as floats in the unit's base, for the root finders.
local function floats(vals, unit)
  local c = {}
  for i, x in ipairs(vals) do c[i] = num.tofloat(x / unit) end
  return c
end

-- Sample j of each value, as floats in the unit's base (exact values as they are).
local function sample_floats(vals, unit)
  local base = {}
  for i, x in ipairs(vals) do
    if not isunc(x) then base[i] = num.tofloat(x / unit) end
  end
  return function(j)
    local c = {}
    for i, x in ipairs(vals) do c[i] = base[i] or num.tofloat(x:sample(j) / unit) end
    return c
  end
end

---------------------------------------------------------------------------
-- Dates
---------------------------------------------------------------------------

--- Turns a date into a month index (year*12 + month-1).
-- @param d "2026", "2026-06", "2026-06-30", "2026-Q3", or a month index
-- @param fname the calling function (for errors)
-- @return an integer month index
-- example: print(finance.month "2026-06" - finance.month "2026-01")   --> 5
function F.month(d, fname, level)
  if math.type(d) == "integer" then return d end
  if type(d) == "string" then
    local y, m = d:match("^(%d%d%d%d)%-(%d%d)")
    if y then
      m = tonumber(m)
      if m >= 1 and m <= 12 then return tonumber(y) * 12 + m - 1 end
    end
    local yq, q = d:match("^(%d%d%d%d)%-?Q([1-4])$")
    if yq then return tonumber(yq) * 12 + (tonumber(q) - 1) * 3 end
    y = d:match("^(%d%d%d%d)$")
    if y then return tonumber(y) * 12 end
  end
  S.fail(("%s: expected a date like \"2026-06\" or \"2026-06-30\", got %s")
         :format(fname or "finance.month", S.describe(d)), level and level + 1)
end

--- Formats a month index as "YYYY-MM".
-- @param m a month index from finance.month
-- @return the text "YYYY-MM"
-- example: print(finance.monthname(finance.month "2026-06" + 7))   --> 2027-01
function F.monthname(m)
  return ("%04d-%02d"):format(m // 12, m % 12 + 1)
end

--- Converts a duration to a whole number of months (an error when it is not whole).
-- @param t a Time quantity (5 yr, 18 month) or a month count (integer)
-- @param what names the value in errors
-- @return integer months
-- example: print(finance.months(num"5 yr"), finance.months(num"1.5 yr"))   --> 60  18
function F.months(t, what, level)
  if math.type(t) == "integer" then return t end
  t = S.expect(t, "5 yr", what or "finance.months", level and level + 1)
  if isunc(t) then
    S.fail(("%s expected an exact duration (a schedule has a whole number of months), got %s")
           :format(what or "finance.months", tostring(t)), level and level + 1)
  end
  local v = units.value(t, "month")
  local m = num.tointeger(num.round(v, 0))
  if not m or math.abs(num.tofloat(v - m)) > 1e-9 then
    S.fail(("%s expected a whole number of months, got %s (%s months)")
           :format(what or "finance.months", tostring(t), num.format(v, 6)), level and level + 1)
  end
  return m
end

-- days from 1970-01-01 of a civil date (proleptic Gregorian), H. Hinnant's algorithm
local function civil(y, m, d)
  y = m <= 2 and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

local MDAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

--- The day number of an ISO date (days since 1970-01-01), checked: "2026-02-30" is an error.
-- @param d a date "YYYY-MM-DD"
-- @param what names the date in errors
-- @return an integer
-- example: print(finance.day "2008-03-01" - finance.day "2008-01-01")   --> 60
function F.day(d, what)
  what = what or "finance.day"
  local y, m, dd
  if type(d) == "string" then y, m, dd = d:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$") end
  if y then
    y, m, dd = tonumber(y), tonumber(m), tonumber(dd)
    local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
    if m >= 1 and m <= 12 and dd >= 1 and dd <= (m == 2 and leap and 29 or MDAYS[m]) then
      return civil(y, m, dd)
    end
    S.fail(("%s: %s is not a day of the calendar"):format(what, S.describe(d)))
  end
  S.fail(("%s expected a date like \"2008-01-01\" (year-month-day), got %s"):format(what, S.describe(d)))
end

--- Years between two ISO dates, counting days as the spreadsheets' XNPV and XIRR do (ACT/365).
-- @param from the first date
-- @param to the second date
-- @return (days between) / 365, exact
-- example: print(finance.yearfrac("2008-01-01", "2009-01-01"))   --> 366/365
function F.yearfrac(from, to)
  return num(F.day(to, "finance.yearfrac: to") - F.day(from, "finance.yearfrac: from")) / 365
end

-- Dates of a dated list: as many as the flows, valid, in order (the first
-- is t = 0). Returns times in years (exact rationals) and as floats.
local function datelist(dates, n, fn)
  if type(dates) ~= "table" or getmetatable(dates) ~= nil then
    S.fail(("%s: dates expected a list of dates like \"2008-01-01\", got %s"):format(fn, S.describe(dates)))
  end
  if #dates ~= n then
    S.fail(("%s: %d flows but %d dates (one date per flow)"):format(fn, n, #dates))
  end
  local t, tf, d0, prev = {}, {}, nil, nil
  for i = 1, n do
    local d = F.day(dates[i], ("%s: dates[%d]"):format(fn, i))
    if prev and d < prev then
      S.fail(("%s: dates[%d] (%s) is before dates[%d] (%s): dates must be in order, the first being the start")
             :format(fn, i, dates[i], i - 1, dates[i - 1]))
    end
    d0 = d0 or d
    prev = d
    t[i] = num(d - d0) / 365
    tf[i] = (d - d0) / 365
  end
  return t, tf
end

---------------------------------------------------------------------------
-- IRR: one rule for lists, dates and series
---------------------------------------------------------------------------

-- Options of the IRR functions: a guess, or { guess =, multiple =, missing =, quiet = }.
local function irr_options(o, fn)
  if o == nil or type(o) ~= "table" or getmetatable(o) ~= nil then o = { guess = o } end
  local guess = o.guess
  if guess == nil then guess = num "10%" end
  guess = S.expect(guess, "10%", fn .. ": guess")
  if isunc(guess) or not (guess > -1) then
    S.fail(("%s: guess expected an exact rate above -100%%, got %s"):format(fn, S.describe(guess)))
  end
  local multiple = S.oneof(o.multiple or "warn", { "warn", "error", "quiet" }, fn .. ": multiple")
  local missing = o.missing and S.expect(o.missing, "-100%", fn .. ": missing") or num(-1)
  return { guess = num.tofloat(guess), multiple = multiple, missing = num.tofloat(missing), quiet = o.quiet,
           shown_missing = pct(missing), report = o.report }
end

-- "-85.03%, 7.249%": roots as a list for messages
local function rootlist(all)
  local s = {}
  for i, r in ipairs(all) do s[i] = ("%.6g%%"):format(r * 100) end
  return table.concat(s, ", ")
end

-- Why there is no IRR: the flows never change sign, or the NPV stays on one side of zero.
local function noroot(fn, c, t, guess)
  local pos, neg = false, false
  for _, x in ipairs(c) do pos = pos or x > 0; neg = neg or x < 0 end
  if not (pos and neg) then
    S.fail(("%s: the flows never change sign (all are %s), so no rate makes their NPV zero")
           :format(fn, pos and ">= 0" or neg and "<= 0" or "zero"))
  end
  local f = 0
  for i, x in ipairs(c) do f = f + x * (1 + guess) ^ -t[i] end
  S.fail(("%s: no rate above -100%% makes the NPV of the flows zero (they change sign %d times, but the NPV stays %s zero)")
         :format(fn, R.changes(c), f < 0 and "below" or "above"))
end

-- The warning (or error) for flows with several IRRs.
local function several(fn, all, r, o)
  if o.multiple == "quiet" then return end
  local msg = ("%s: the flows have %d IRRs (%s); this is %s, the one Newton's method reaches from the guess %s as a spreadsheet's does (finance.irrs lists them all)")
              :format(fn, #all, rootlist(all), ("%.6g%%"):format(r * 100), ("%g%%"):format(o.guess * 100))
  if o.multiple == "error" then S.fail(msg) end
  S.warn(msg .. "; multiple = \"error\" makes this an error, \"quiet\" silences it")
end

-- The most sign changes the flows can have in one sample (an exact flow has
-- one sign; an uncertain one may take either).
local function max_changes(vals)
  local best = { [1] = 0, [-1] = 0 }      -- most changes ending in each sign
  local seen = false
  for _, x in ipairs(vals) do
    local lo, hi = x, x
    if isunc(x) then lo, hi = U.min(x), U.max(x) end
    local can = { [1] = hi > 0 * hi, [-1] = lo < 0 * lo }
    local nb = { [1] = best[1], [-1] = best[-1] }
    for _, s in ipairs { 1, -1 } do
      if can[s] then nb[s] = math.max(best[s], seen and best[-s] + 1 or 0) end
    end
    if can[1] or can[-1] then seen = true end
    best = nb
  end
  return math.max(best[1], best[-1])
end

-- The per-sample report: how many samples have no IRR (set to `missing`).
local function sample_report(fn, vals, info, o)
  if o.quiet then return end
  if info.missing > 0 then
    S.warn(("%s: %d of %d samples (%.3g%%) have no IRR; they count as %s (missing = ... sets another value)")
           :format(fn, info.missing, info.samples, 100 * info.missing / info.samples, tostring(o.shown_missing or pct(num(o.missing)))))
  end
  if o.multiple ~= "quiet" and max_changes(vals) >= 2 then
    S.warn(("%s: in some samples the flows change sign more than once and may have several IRRs; each sample takes the one Newton's method reaches from the guess (multiple = \"quiet\" silences this)"):format(fn))
  end
end

-- The IRR of values at times t (floats; tq exact times or nil for 0..n-1):
-- exact values give one rate, uncertain ones a rate per sample and a report.
local function solve_irr(fn, vals, unit, unc, t, o)
  if not unc then
    local c = floats(vals, unit)
    local r, all = R.choose(c, t, o.guess)
    if r == nil then noroot(fn, c, t, o.guess) end
    if #all > 1 then several(fn, all, r, o) end
    return pct(num(r))
  end
  local integral = true
  for i, x in ipairs(t) do integral = integral and x == i - 1 end
  local ev = integral and R.periodic(vals) or R.dated(vals, t)
  local rmin = -1 + math.max(10 ^ (-280 / math.max(t[#t], 1)), 1e-9)
  local sample = sample_floats(vals, unit)
  local r, info = R.solve(ev, function(j) return sample(j), t end, o.guess, rmin, unit, o.missing)
  sample_report(fn, vals, info, o)
  if o.report then return pct(r), info end
  return pct(r)
end

--- Internal rate of return of periodic flows: the rate per period that makes their NPV zero.
-- The spreadsheet's root: Newton's method from the guess; when it does not settle, the root
-- nearest the guess. Several roots give a warning naming them all (`multiple = "error"` makes it
-- an error, `"quiet"` silences it); flows without a root are an error. Uncertain flows give a
-- rate per sample; samples without one count as `missing` (default -100%) and are reported.
-- @param flows list of amounts, flows[1] at t = 0 (money in one currency, or plain numbers); a series is series:irr
-- @param opts optional guess (default 10%), or { guess =, multiple = "warn"|"error"|"quiet", missing = -100%, quiet = true, report = true }
-- @return the rate per period (≈, shown in %); with report = true and uncertain flows also { samples, missing, solved_one_by_one }
-- example: print(finance.irr { num"-100 $", num"60 $", num"60 $" }, finance.irr { -100, 60, 60, -10 })
function F.irr(flows, opts)
  local fn = "finance.irr"
  if getmetatable(flows) == F.Series then return flows:irr(opts) end
  local o = irr_options(opts, fn)
  local vals, unit, unc = flowlist(flows, fn)
  if #vals < 2 then S.fail(fn .. ": flows needs at least two amounts") end
  local t = {}
  for i = 1, #vals do t[i] = i - 1 end
  return solve_irr(fn, vals, unit, unc, t, o)
end

--- Every internal rate of return of exact periodic flows, ascending (empty when there is none).
-- Found by bracketing every sign change of the NPV between -100% and the bound beyond which one
-- flow outweighs the others, and every point where the NPV touches zero.
-- @param flows list of exact amounts, flows[1] at t = 0
-- @return a list of rates per period (≈, in %)
-- example: local r = finance.irrs { -100, 230, -132 }; print(#r, r[1], r[2])   --> 2  ≈10%  ≈20%
function F.irrs(flows)
  local fn = "finance.irrs"
  local vals, unit, unc = flowlist(flows, fn)
  if unc then S.fail(fn .. ": needs exact flows (for uncertain flows, finance.irr gives the IRR per sample)") end
  local t = {}
  for i = 1, #vals do t[i] = i - 1 end
  local out = {}
  for i, r in ipairs(R.all(floats(vals, unit), t)) do out[i] = pct(num(r)) end
  return out
end

--- Net present value of periodic flows; flows[1] is at t = 0 (not discounted).
-- A spreadsheet's NPV(r, v1, ..., vn) discounts v1 one period: it is finance.npv(r, {0, v1, ..., vn}).
-- @param rate the rate per period (e.g. 8%), above -100%; exact or uncertain
-- @param flows a list of amounts, one per period (money in one currency, or plain numbers); a series is series:npv
-- @return the present value, exact for exact inputs (not rounded: finance.cents rounds)
-- example: print(finance.npv(num"10%", { num"-100 $", num"60 $", num"60 $" }))   --> ≈$4.13 (500/121)
function F.npv(rate, flows)
  local fn = "finance.npv"
  if getmetatable(flows) == F.Series then return flows:npv(rate) end
  rate = rate_arg(rate, fn .. ": rate")
  local c = flowlist(flows, fn)
  local v = 1 / (1 + rate)
  local s = c[#c]
  for i = #c - 1, 1, -1 do s = s * v + c[i] end
  return s
end

--- Net present value of dated flows at an annual rate: each flow discounted by (1 + rate)^(days/365) from the first date.
-- @param rate annual effective rate (e.g. 9%)
-- @param flows list of amounts
-- @param dates list of ISO dates ("2008-01-01"), one per flow, in order; the first is t = 0
-- @return the present value at the first date (≈ unless every date is whole years apart)
-- example: print(finance.xnpv(num"9%", { -10000, 2750, 4250, 3250, 2750 }, { "2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01" }))   --> ≈2087
function F.xnpv(rate, flows, dates)
  local fn = "finance.xnpv"
  rate = rate_arg(rate, fn .. ": rate")
  local c = flowlist(flows, fn)
  local t = datelist(dates, #c, fn)
  local s = 0 * c[1]
  for i, x in ipairs(c) do s = s + x * power(1 + rate, -t[i]) end
  return s
end

--- Internal rate of return of dated flows, annual and effective (the spreadsheet's XIRR; days/365).
-- The same rule as finance.irr: Newton from the guess, else the root nearest it; several roots warn.
-- @param flows list of amounts
-- @param dates list of ISO dates, one per flow, in order
-- @param opts optional guess (default 10%) or { guess =, multiple =, missing =, quiet = } as for finance.irr
-- @return the annual rate (≈, in %); for uncertain flows also the samples' report
-- example: print(finance.xirr({ -10000, 2750, 4250, 3250, 2750 }, { "2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01" }))   --> ≈37.34%
function F.xirr(flows, dates, opts)
  local fn = "finance.xirr"
  local o = irr_options(opts, fn)
  local vals, unit, unc = flowlist(flows, fn)
  if #vals < 2 then S.fail(fn .. ": flows needs at least two amounts") end
  local _, tf = datelist(dates, #vals, fn)
  if tf[#tf] == 0 then S.fail(fn .. ": every flow is on the same day (no time for a rate to act)") end
  return solve_irr(fn, vals, unit, unc, tf, o)
end

--- Modified IRR: negative flows financed at one rate, positive ones reinvested at another (the spreadsheet's MIRR).
-- (FV of the positive flows at reinvest_rate / -PV of the negative ones at finance_rate)^(1/(n-1)) - 1.
-- @param flows list of amounts, flows[1] at t = 0 (at least one negative and one positive)
-- @param finance_rate rate per period paid on the money invested
-- @param reinvest_rate rate per period earned on the money returned
-- @param opts optional { missing = rate } for samples without a negative or a positive flow (default: an error)
-- @return the rate per period (≈, in %)
-- example: print(finance.mirr({ -120000, 39000, 30000, 21000, 37000, 46000 }, num"10%", num"12%"))   --> ≈12.61%
function F.mirr(flows, finance_rate, reinvest_rate, opts)
  local fn = "finance.mirr"
  local c, unit, unc = flowlist(flows, fn)
  finance_rate = rate_arg(finance_rate, fn .. ": finance_rate")
  reinvest_rate = rate_arg(reinvest_rate, fn .. ": reinvest_rate")
  local n = #c
  if n < 2 then S.fail(fn .. ": flows needs at least two amounts") end
  local zero = 0 * unit
  local fvpos, pvneg = zero, zero
  for i, x in ipairs(c) do
    fvpos = fvpos + U.max(x, zero) * (1 + reinvest_rate) ^ (n - i)
    pvneg = pvneg + U.min(x, zero) / (1 + finance_rate) ^ (i - 1)
  end
  if not unc then
    if iszero(pvneg) then S.fail(fn .. ": the flows have no negative amount (nothing is invested), so MIRR is undefined") end
    if iszero(fvpos) then S.fail(fn .. ": the flows have no positive amount (nothing comes back), so MIRR is -100%% only in the limit") end
    return pct(power(-fvpos / pvneg, num(1) / (n - 1)) - 1)
  end
  local bad = OR(EQ(pvneg, 0), EQ(fvpos, 0))
  local nbad = math.floor(U.P(bad) * __deal.samples() + 0.5)
  local miss = opts and opts.missing and S.expect(opts.missing, "-100%", fn .. ": missing")
  if nbad > 0 and not miss then
    S.fail(("%s: in %d samples the flows have no negative or no positive amount, so MIRR is undefined there; pass { missing = rate } to give them a value")
           :format(fn, nbad))
  end
  local ratio = U.where(bad, 1, -fvpos / U.where(bad, -unit, pvneg))
  local r = U.exp(U.log(ratio) / (n - 1)) - 1
  if nbad > 0 then r = U.where(bad, miss, r) end
  return pct(r)
end

--- Payback: when the cumulative flows first reach zero, in periods, interpolated within the period.
-- With a rate, the discounted payback (each flow discounted to t = 0 first).
-- @param flows list of amounts, flows[1] at t = 0
-- @param rate optional rate per period for the discounted payback
-- @param opts optional { missing = periods } for samples that never pay back (default: an error)
-- @return periods (a plain number; exact for exact flows without a rate)
-- example: print(finance.payback { -100, 30, 40, 50 }, finance.payback({ -100, 30, 40, 50, 20 }, num"10%"))   --> 2.6  3.154
function F.payback(flows, rate, opts)
  local fn = "finance.payback"
  local c, unit, unc = flowlist(flows, fn)
  if rate ~= nil then
    rate = rate_arg(rate, fn .. ": rate")
    local v = 1 / (1 + rate)
    for i = 2, #c do c[i] = c[i] * v ^ (i - 1) end
    unc = unc or isunc(rate)
  end
  local zero = 0 * unit
  if not unc then
    local cum = c[1]
    if cum >= zero then return num(0) end
    for i = 2, #c do
      local nxt = cum + c[i]
      if nxt >= zero then return (i - 2) + (-cum) / c[i] end
      cum = nxt
    end
    S.fail(("%s: the flows never pay back (the cumulative flows end at %s)"):format(fn, tostring(cum)))
  end
  -- per sample: the first period where the cumulative flows turn non-negative
  local cum = c[1]
  local done = GE(cum, zero)
  local pb = U.where(done, 0, -1)
  for i = 2, #c do
    local nxt = cum + c[i]
    local cross = AND(NOT(done), GE(nxt, zero))
    local frac = -cum / U.where(cross, c[i], unit)
    pb = U.where(cross, (i - 2) + frac, pb)
    done = OR(done, cross)
    cum = nxt
  end
  local never = math.floor((1 - U.P(done)) * __deal.samples() + 0.5)
  if never > 0 then
    local miss = opts and opts.missing and S.expect(opts.missing, "10", fn .. ": missing")
    if not miss then
      S.fail(("%s: in %d of %d samples the flows never pay back; pass { missing = periods } to count them as that (e.g. the horizon)")
             :format(fn, never, __deal.samples()))
    end
    pb = U.where(done, pb, miss)
  end
  return pb
end

--- Weighted average cost of capital: E/V x cost of equity + D/V x cost of debt x (1 - tax).
-- @param t.equity the equity (money, market value), t.debt the debt (money)
-- @param t.cost_of_equity the return equity requires (e.g. 12%)
-- @param t.cost_of_debt the interest rate on the debt (e.g. 6%)
-- @param t.tax the tax rate that makes interest deductible (default 0%)
-- @return the rate
-- example: print(finance.wacc { equity = num"40M $", debt = num"60M $", cost_of_equity = num"12%", cost_of_debt = num"6%", tax = num"21%" })   --> 7.644%
function F.wacc(t)
  local fn = "finance.wacc"
  S.args(t, fn)
  local e = S.need(t, "equity", "40M $", fn)
  local d = S.need(t, "debt", "60M $", fn)
  if not units.same(e, d) then S.fail(fn .. ": field 'debt' must be in the currency of field 'equity'") end
  local re = S.need(t, "cost_of_equity", "12%", fn)
  local rd = S.need(t, "cost_of_debt", "6%", fn)
  local tax = S.need(t, "tax", "21%", fn, true) or num(0)
  local v = e + d
  if iszero(v) then S.fail(fn .. ": equity + debt is zero") end
  return pct(e / v * re + d / v * rd * (1 - tax))
end

--- The effective annual rate of a nominal rate compounded m times a year (the spreadsheet's EFFECT).
-- @param nominal the nominal annual rate (e.g. 6%)
-- @param m compounding periods per year (e.g. 12)
-- @return (1 + nominal/m)^m - 1, exact for whole m
-- example: print(finance.effective(num"6%", 12))   --> ≈6.168%
function F.effective(nominal, m)
  nominal = S.expect(nominal, "6%", "finance.effective: nominal")
  m = count_arg(m, "finance.effective: m")
  return pct(power(1 + nominal / m, m) - 1)
end

--- The nominal annual rate compounded m times a year that gives an effective rate (the spreadsheet's NOMINAL).
-- @param effective the effective annual rate
-- @param m compounding periods per year
-- @return m x ((1 + effective)^(1/m) - 1)
-- example: print(finance.nominal(num"8%", 12))   --> ≈7.721%
function F.nominal(effective, m)
  effective = rate_arg(effective, "finance.nominal: effective")
  m = count_arg(m, "finance.nominal: m")
  return pct(m * (power(1 + effective, 1 / num(m)) - 1))
end

---------------------------------------------------------------------------
-- Loans and annuities: pv (1+r)^n = pmt s(n) + fv
---------------------------------------------------------------------------

--- Discounts an amount back by a number of years at an annual rate.
-- @param amount the future amount
-- @param rate annual rate (e.g. 8%)
-- @param years a Time (3 yr) or a number of years; fractional years give an approximate result
-- @return amount / (1 + rate)^years (exact for whole years)
-- example: print(finance.discount(num"1166.4 $", num"8%", num"2 yr"))   --> $1000
function F.discount(amount, rate, years)
  rate = rate_arg(rate, "finance.discount: rate")
  if type(years) ~= "number" and not (num.isnum(years) and units.dim(years) == DIMLESS) then
    years = units.value(S.expect(years, "1 yr", "finance.discount: years"), "yr")
  end
  return amount * power(1 + rate, -num(years))
end

--- Capital recovery factor: the level payment per period that repays 1 over n periods.
-- @param rate rate per period
-- @param n number of periods (a positive number; fractional periods give an approximate factor)
-- @return r(1+r)^n / ((1+r)^n - 1), exact for whole n
-- example: print(finance.crf(num"8%", 5))
function F.crf(rate, n)
  rate = rate_arg(rate, "finance.crf: rate")
  n = count_arg(n, "finance.crf: n")
  if iszero(rate) then return num(1) / n end
  local g = power(1 + rate, n)
  return rate * g / (g - 1)
end

-- The annuity equation pv (1+r)^n = pmt s (+ fv), solved for each unknown
-- without checks (the public functions check, then call these).
local function pmt_core(rate, n, pv, fv, due)
  if iszero(rate) then return (pv - fv) / n end
  local g = power(1 + rate, n)
  local p = (pv * g - fv) * rate / (g - 1)
  if due then p = p / (1 + rate) end
  return p
end

local function fv_core(rate, n, pmt, pv, due)
  if iszero(rate) then return pv - pmt * n end
  local g = power(1 + rate, n)
  local s = pmt * (g - 1) / rate
  if due then s = s * (1 + rate) end
  return pv * g - s
end

local function ipmt_core(rate, per, n, pv, fv, due)
  local p = pmt_core(rate, n, pv, fv, due)
  if not isunc(per) and num(per) == num(1) then
    if due then return 0 * p end
    return pv * rate
  end
  if due then return (fv_core(rate, per - 2, p, pv, true) - p) * rate end
  return fv_core(rate, per - 1, p, pv) * rate
end

-- the common arguments of the annuity functions: rate, periods, an amount
-- and an optional second amount of the same kind
local function annuity_args(fn, rate, n, x, xname, y, yname)
  rate = rate_arg(rate, fn .. ": rate")
  n = count_arg(n, fn .. ": n")
  x = amount_arg(x, fn .. ": " .. xname)
  y = y == nil and 0 * x or same_kind(amount_arg(y, fn .. ": " .. yname), x, fn .. ": " .. yname, xname)
  return rate, n, x, y
end

--- Level payment per period for a loan (positive for a positive principal).
-- The spreadsheet's PMT with the loan's signs: finance.pmt(r, n, pv, fv, due) = -PMT(r, n, pv, -fv, due).
-- @param rate rate per period (e.g. 6%/12 for monthly)
-- @param n number of periods
-- @param pv the principal
-- @param fv optional balance left owed at the end (balloon), default 0
-- @param due optional true for payments at the start of each period (in advance)
-- @return the payment, exact for exact inputs (schedules round it to the cent)
-- example: print(finance.pmt(num"6%", 10, num"1M $"))   --> ≈$135,868
function F.pmt(rate, n, pv, fv, due)
  rate, n, pv, fv = annuity_args("finance.pmt", rate, n, pv, "pv", fv, "fv")
  return pmt_core(rate, n, pv, fv, due)
end

--- Present value of n payments and a final amount: the loan they repay (-PV of the spreadsheet).
-- @param rate rate per period
-- @param n number of periods
-- @param pmt the payment per period
-- @param fv optional amount at the end (default 0)
-- @param due optional true for payments in advance
-- @return pmt x (1 - (1+r)^-n) / r (x (1+r) when due) + fv (1+r)^-n
-- example: print(finance.pv(num"6%", 10, num"135867.96 $"))
function F.pv(rate, n, pmt, fv, due)
  rate, n, pmt, fv = annuity_args("finance.pv", rate, n, pmt, "pmt", fv, "fv")
  if iszero(rate) then return pmt * n + fv end
  local v = power(1 + rate, -n)
  local a = pmt * (1 - v) / rate
  if due then a = a * (1 + rate) end
  return a + fv * v
end

--- Balance owed after n payments on a loan of pv (-FV of the spreadsheet with the payment negated).
-- @param rate rate per period
-- @param n number of periods
-- @param pmt the payment per period
-- @param pv optional the principal (default 0: then -fv is what the payments grow to)
-- @param due optional true for payments in advance
-- @return pv (1+r)^n - pmt x ((1+r)^n - 1) / r (x (1+r) when due)
-- example: print(finance.fv(num"5%", 3, num"100 $", num"272.32 $"))   --> about $0
function F.fv(rate, n, pmt, pv, due)
  rate, n, pmt, pv = annuity_args("finance.fv", rate, n, pmt, "pmt", pv, "pv")
  return fv_core(rate, n, pmt, pv, due)
end

--- Number of periods a payment takes to bring a loan of pv down to fv (the spreadsheet's NPER).
-- @param rate rate per period
-- @param pmt the payment per period
-- @param pv the principal
-- @param fv optional balance left (default 0)
-- @param due optional true for payments in advance
-- @return periods (≈; fractional when the last payment is partial)
-- example: print(finance.nper(num"1%", num"100 $", num"1000 $"))   --> ≈10.59
function F.nper(rate, pmt, pv, fv, due)
  local fn = "finance.nper"
  rate = rate_arg(rate, fn .. ": rate")
  pmt = amount_arg(pmt, fn .. ": pmt")
  pv = same_kind(amount_arg(pv, fn .. ": pv"), pmt, fn .. ": pv", "pmt")
  fv = fv == nil and 0 * pmt or same_kind(amount_arg(fv, fn .. ": fv"), pmt, fn .. ": fv", "pmt")
  if iszero(rate) then
    if iszero(pmt) then S.fail(fn .. ": a zero payment at a zero rate never repays anything") end
    return (pv - fv) / pmt
  end
  local k = due and pmt * (1 + rate) / rate or pmt / rate
  local g = (fv - k) / (pv - k)
  if not isunc(g) and not (g > 0) then
    S.fail(("%s: no number of periods works: a payment of %s %s"):format(fn, tostring(pmt),
      iszero(pv - k) and "only pays the interest" or "never brings the balance to fv"))
  end
  return U.log(g) / U.log(1 + rate)
end

--- The rate per period at which n payments repay a loan (the spreadsheet's RATE), by the IRR rule.
-- @param n number of periods (whole)
-- @param pmt the payment per period
-- @param pv the principal
-- @param fv optional balance left (default 0)
-- @param due optional true for payments in advance
-- @param guess optional starting rate (default 10%)
-- @return the rate per period (≈, in %)
-- example: print(finance.rate(10, num"135867.96 $", num"1M $"))   --> ≈6%
function F.rate(n, pmt, pv, fv, due, guess)
  local fn = "finance.rate"
  n = count_arg(n, fn .. ": n")
  if isunc(n) or not num.isinteger(n) then S.fail(fn .. ": n expected a whole number of periods, got " .. S.describe(n)) end
  pmt = amount_arg(pmt, fn .. ": pmt")
  pv = same_kind(amount_arg(pv, fn .. ": pv"), pmt, fn .. ": pv", "pmt")
  fv = fv == nil and 0 * pmt or same_kind(amount_arg(fv, fn .. ": fv"), pmt, fn .. ": fv", "pmt")
  n = num.tointeger(n)
  local flows = { pv }
  for i = 2, n + 1 do flows[i] = -pmt end
  if due then flows[1], flows[n + 1] = pv - pmt, 0 * pv end
  flows[n + 1] = flows[n + 1] - fv
  local ok, r = pcall(F.irr, flows, { guess = guess, multiple = "quiet" })
  if not ok then S.fail(fn .. ": " .. S.reason(r):gsub("^finance%.irr: ", "")) end
  return r
end

--- Interest paid with payment number per of a level-payment loan (-IPMT of the spreadsheet, payment negated).
-- @param rate rate per period
-- @param per the payment (1 to n)
-- @param n number of periods
-- @param pv the principal
-- @param fv optional balance left owed at the end (default 0)
-- @param due optional true for payments in advance (then the first payment holds no interest)
-- @return the interest in that payment
-- example: print(finance.ipmt(num"6%", 1, 10, num"1M $"))   --> $60000
function F.ipmt(rate, per, n, pv, fv, due)
  local fn = "finance.ipmt"
  rate, n, pv, fv = annuity_args(fn, rate, n, pv, "pv", fv, "fv")
  per = S.expect(per, "1", fn .. ": per")
  if not isunc(per) and not isunc(n) and (per < 1 or per > n) then
    S.fail(("%s: per expected a payment number from 1 to n (%s), got %s"):format(fn, tostring(n), tostring(per)))
  end
  return ipmt_core(rate, per, n, pv, fv, due)
end

--- Principal repaid with payment number per (payment - interest; -PPMT of the spreadsheet).
-- @param rate rate per period
-- @param per the payment (1 to n)
-- @param n number of periods
-- @param pv the principal
-- @param fv optional balance left owed (default 0)
-- @param due optional true for payments in advance
-- @return the principal in that payment
-- example: print(finance.ppmt(num"6%", 1, 10, num"1M $"))   --> ≈$75,868
function F.ppmt(rate, per, n, pv, fv, due)
  local fn = "finance.ppmt"
  rate, n, pv, fv = annuity_args(fn, rate, n, pv, "pv", fv, "fv")
  per = S.expect(per, "1", fn .. ": per")
  if not isunc(per) and not isunc(n) and (per < 1 or per > n) then
    S.fail(("%s: per expected a payment number from 1 to n (%s), got %s"):format(fn, tostring(n), tostring(per)))
  end
  return pmt_core(rate, n, pv, fv, due) - ipmt_core(rate, per, n, pv, fv, due)
end

---------------------------------------------------------------------------
-- Depreciation: the spreadsheet's SLN, DDB, VDB
---------------------------------------------------------------------------

-- cost, salvage and life checked as the spreadsheets check them
local function asset_args(fn, cost, salvage, life)
  cost = amount_arg(cost, fn .. ": cost")
  salvage = same_kind(amount_arg(salvage, fn .. ": salvage"), cost, fn .. ": salvage", "cost")
  life = count_arg(life, fn .. ": life")
  if not isunc(cost) and not isunc(salvage) then
    if cost < 0 * cost then S.fail(fn .. ": cost must not be negative, got " .. tostring(cost)) end
    if salvage < 0 * salvage or salvage > cost then
      S.fail(("%s: salvage expected a value from 0 to the cost (%s), got %s"):format(fn, tostring(cost), tostring(salvage)))
    end
  end
  return cost, salvage, life
end

--- Straight-line depreciation per period (the spreadsheet's SLN).
-- @param cost the asset's cost
-- @param salvage its value at the end
-- @param life periods (or a Time, giving money per unit of time)
-- @return (cost - salvage) / life
-- example: print(finance.sln(num"30000 $", num"7500 $", 10))   --> $2250
function F.sln(cost, salvage, life)
  local fn = "finance.sln"
  cost = amount_arg(cost, fn .. ": cost")
  salvage = same_kind(amount_arg(salvage, fn .. ": salvage"), cost, fn .. ": salvage", "cost")
  if type(life) == "number" then life = num(life) end
  if not (num.isnum(life) or isunc(life)) then S.fail(fn .. ": life expected a number of periods or a Time, got " .. S.describe(life)) end
  if not isunc(life) and not (life > 0 * life) then S.fail(fn .. ": life must be positive, got " .. tostring(life)) end
  return (cost - salvage) / life
end

-- The charge of period p of a declining balance at factor/life a period,
-- never below salvage (the spreadsheets' formula; no checks).
local function ddb_core(cost, salvage, life, period, factor)
  local rate = factor / life
  local full = GE(rate, 1)
  rate = U.min(rate, 1)
  local first = (not isunc(period) and num(period) == num(1)) and cost or 0 * cost
  local old = U.where(full, first, cost * power(1 - rate, period - 1))
  local new = cost * power(1 - rate, period)
  return U.max(U.min(old - new, old - salvage), 0 * cost)
end

--- Declining-balance depreciation in one period (the spreadsheet's DDB; factor 2 is double declining).
-- The charge is cost (1 - f/life)^(period-1) x f/life, never taking the book value below salvage.
-- @param cost, salvage, life the asset (life in periods)
-- @param period the period (1 to life; fractional periods follow the same formula)
-- @param factor optional rate factor (default 2)
-- @return the charge for that period
-- example: print(finance.ddb(num"2400 $", num"300 $", 10, 2))   --> $384
function F.ddb(cost, salvage, life, period, factor)
  local fn = "finance.ddb"
  cost, salvage, life = asset_args(fn, cost, salvage, life)
  period = S.expect(period, "1", fn .. ": period")
  factor = S.expect(factor or 2, "2", fn .. ": factor")
  if not isunc(factor) and not (factor > 0) then S.fail(fn .. ": factor must be positive, got " .. tostring(factor)) end
  if not isunc(period) and not isunc(life) and (period < 1 or period > life) then
    S.fail(("%s: period expected a value from 1 to life (%s), got %s"):format(fn, tostring(life), tostring(period)))
  end
  return ddb_core(cost, salvage, life, period, factor)
end

-- The charge of each whole period 1..last of a declining balance that
-- switches to straight line when that is larger (the spreadsheets' VDB).
local function vdb_periods(cost, salvage, life, factor, last, noswitch)
  local out = {}
  local left = cost - salvage          -- still to depreciate
  local switched, lia = false, nil
  for i = 1, last do
    local gda = ddb_core(cost, salvage, life, i, factor)
    if noswitch then
      out[i] = gda
    else
      local sl = left / (life - (i - 1))
      local now = AND(NOT(switched), GT(sl, gda))
      lia = lia and U.where(now, sl, lia) or sl
      switched = OR(switched, now)
      out[i] = U.where(switched, lia, gda)
      left = left - U.where(switched, 0 * gda, gda)
    end
  end
  return out
end

--- Depreciation between two points of an asset's life, declining balance switching to straight line (the spreadsheet's VDB).
-- Each whole period's charge is DDB's until straight line over the remaining life is larger;
-- a partial period counts in proportion (so VDB(a, b) + VDB(b, c) = VDB(a, c) for any a, b, c).
-- @param cost, salvage, life the asset (life in periods)
-- @param from the start (0 to life), to the end (from to life)
-- @param factor optional (default 2)
-- @param noswitch optional true to stay declining balance throughout
-- @return the depreciation over [from, to]
-- example: print(finance.vdb(num"2400 $", num"300 $", 10, 0, num"0.875", 1.5))   --> $315
function F.vdb(cost, salvage, life, from, to, factor, noswitch)
  local fn = "finance.vdb"
  cost, salvage, life = asset_args(fn, cost, salvage, life)
  from = S.expect(from, "0", fn .. ": from")
  to = S.expect(to, "1", fn .. ": to")
  factor = S.expect(factor or 2, "2", fn .. ": factor")
  if isunc(from) or isunc(to) or isunc(life) then S.fail(fn .. ": from, to and life must be exact") end
  if from < 0 or to < from or to > life then
    S.fail(("%s: expected 0 <= from <= to <= life (%s), got from %s and to %s"):format(fn, tostring(life), tostring(from), tostring(to)))
  end
  if not isunc(factor) and not (factor > 0) then S.fail(fn .. ": factor must be positive, got " .. tostring(factor)) end
  local last = num.tointeger(num.ceil(to))
  local d = vdb_periods(cost, salvage, life, factor, last, noswitch)
  local sum = 0 * cost
  for i = 1, last do
    local a, b = U.max(from, i - 1), U.min(to, i)
    if b > a then sum = sum + d[i] * (b - a) end
  end
  return sum
end

---------------------------------------------------------------------------
-- Cash-flow series
---------------------------------------------------------------------------

local Series = { __name = "cash-flow series" }
Series.__index = Series

-- The one place a flow is written: amount each month for n months from month m.
local function put(s, m, n, amount, label)
  s.entries[#s.entries + 1] = { m = m, n = n, amount = amount, label = label }
end

--- A new, empty dated cash-flow series (monthly resolution).
-- @param name optional name shown in tables
-- @return a series with :add, :add_monthly, :merge, :total, :by_year, :npv, :irr, :payback, :table
-- example: local s = finance.series "loan"; s:add("2026-01", num"-100 $"); print(s:total())
function F.series(name)
  if type(name) == "table" then name = name.name end
  return setmetatable({ name = name, entries = {} }, Series)
end

-- The series' currency so far, and the check that a new amount shares it.
local function same_currency(s, amount, what)
  local u = (num.isnum(amount) or isunc(amount)) and unit_of(amount)
  if not u or u == num(1) then
    if u and iszero(amount) then return end
    S.fail(("%s expected an amount of money (e.g. $1M), got %s"):format(what, S.describe(amount)))
  end
  s.unit = s.unit or u
  if not units.same(u, s.unit) then
    S.fail(("%s is %s but the series is in %s: one series has one currency (convert with x:to \"$\")")
           :format(what, tostring(amount), tostring(units.dim(s.unit))))
  end
end

--- Adds a one-off flow on a date (at the start of its month).
-- @param date the date (see finance.month)
-- @param amount money (signed)
-- @param label optional label (a column in :table)
-- @return the series
-- example: local s = finance.series(); s:add("2026-03", num"-5M $", "capex"); print(s:total())
function Series:add(date, amount, label)
  local m = F.month(date, "series:add")
  same_currency(self, amount, "series:add: amount")
  put(self, m, 1, cents(amount), label or self.name or "flow")
  return self
end

--- Adds the same flow every month for a number of months.
-- @param from the first month (a date)
-- @param months how many months (integer or Time, e.g. 5 yr)
-- @param amount money per month (signed)
-- @param label optional label
-- @return the series
-- example: local s = finance.series(); s:add_monthly("2026-01", num"1 yr", num"-10 $", "rent"); print(s:total())
function Series:add_monthly(from, months, amount, label)
  local m = F.month(from, "series:add_monthly")
  local n = F.months(months, "series:add_monthly: months")
  same_currency(self, amount, "series:add_monthly: amount")
  if n > 0 then
    put(self, m, n, cents(amount), label or self.name or "flow")
  end
  return self
end

--- Adds every flow of other series (or of a list of series) to this one.
-- @param other a series or a list of series
-- @param label optional label of the added flows: a string, or a function of each flow's label
-- @return the series
-- example: local a, b = finance.series(), finance.series(); b:add("2026", num"1 $"); a:merge(b); print(a:total())
function Series:merge(other, label)
  if getmetatable(other) == Series then other = { other } end
  for _, s in ipairs(other) do
    for _, e in ipairs(s.entries) do
      local l = e.label
      if type(label) == "function" then l = label(l) elseif label ~= nil then l = label end
      same_currency(self, e.amount, "series:merge: a flow")
      put(self, e.m, e.n, e.amount, l)
    end
  end
  return self
end

--- A copy with every amount multiplied by k (e.g. -1 to switch sides).
-- @param k a number (or quantity)
-- @return a new series
-- example: local s = finance.series(); s:add("2026", num"-3 $"); print(s:scaled(-1):total())
function Series:scaled(k)
  local r = F.series(self.name)
  for _, e in ipairs(self.entries) do
    put(r, e.m, e.n, e.amount * k, e.label)
  end
  r.unit = self.unit
  return r
end

-- months of entry e that fall in [a, b)
local function overlap(e, a, b)
  local lo = math.max(e.m, a or e.m)
  local hi = math.min(e.m + e.n, b or (e.m + e.n))
  return hi > lo and hi - lo or 0
end

--- The flows within [from, to), as a new series (a flow that straddles a date is cut there).
-- @param from first date included
-- @param to first date excluded
-- @return a new series
-- example: local s = finance.series(); s:add_monthly("2026-01", 24, num"-1 $"); print(s:within("2026-07", "2027-01"):total())   --> -$6
function Series:within(from, to)
  local a, b = F.month(from, "series:within"), F.month(to, "series:within")
  local r = F.series(self.name)
  for _, e in ipairs(self.entries) do
    local k = overlap(e, a, b)
    if k > 0 then put(r, math.max(e.m, a), k, e.amount, e.label) end
  end
  r.unit = self.unit
  return r
end

--- Sum of the flows, optionally only those in [from, to).
-- @param from optional first date included
-- @param to optional first date excluded
-- @return money (nil-safe: $0 when empty)
-- example: local s = finance.series(); s:add_monthly("2026-01", 24, num"-1 $"); print(s:total("2027"))
function Series:total(from, to)
  local a = from and F.month(from, "series:total") or nil
  local b = to and F.month(to, "series:total") or nil
  local sum = S.sum(self.entries, function(e)
    local k = overlap(e, a, b)
    if k > 0 then return e.amount * k end
  end)
  return sum or 0 * (self.unit or USD)
end

--- The first and last month with a flow (as month indexes).
-- @return first, last (nil when empty)
-- example: local s = finance.series(); s:add("2026-04", num"1 $"); print(finance.monthname(s:span()))
function Series:span()
  local lo, hi
  for _, e in ipairs(self.entries) do
    lo = math.min(lo or e.m, e.m)
    hi = math.max(hi or (e.m + e.n - 1), e.m + e.n - 1)
  end
  return lo, hi
end

--- Labels used in the series, in order of first appearance.
-- @return a list of strings
-- example: local s = finance.series(); s:add("2026", num"1 $", "a"); print(s:labels()[1])
function Series:labels()
  local seen, out = {}, {}
  for _, e in ipairs(self.entries) do
    if not seen[e.label] then seen[e.label] = true; out[#out + 1] = e.label end
  end
  return out
end

--- Totals per calendar year, overall and per label.
-- @return list of { year = 2026, total = money, by = { [label] = money } }
-- example: local s = finance.series(); s:add_monthly("2026-07", 12, num"-1 $", "rent"); for _, r in ipairs(s:by_year()) do print(r.year, r.total) end
function Series:by_year()
  local lo, hi = self:span()
  local rows = {}
  if not lo then return rows end
  for y = lo // 12, hi // 12 do
    local row = { year = y, by = {} }
    for _, e in ipairs(self.entries) do
      local k = overlap(e, y * 12, y * 12 + 12)
      if k > 0 then
        row.total = S.add(row.total, e.amount * k)
        row.by[e.label] = S.add(row.by[e.label], e.amount * k)
      end
    end
    row.total = row.total or 0 * (self.unit or USD)
    rows[#rows + 1] = row
  end
  return rows
end

-- (1 + rate)^(-k/12): the discount factor k months out (exact for whole years).
local function month_factor(rate, k)
  if k % 12 == 0 then return power(1 + rate, -(k // 12)) end
  return power(1 + rate, num(-k) / 12)
end

--- Present value of 1 a month for n months starting `from` months after t = 0, at an annual effective rate.
-- The discounting of series, levelised costs and chip-hours: sum over k < n of (1 + rate)^(-(from + k)/12).
-- @param rate annual effective rate (exact or uncertain)
-- @param from months from t = 0 to the first payment (an integer)
-- @param n number of monthly payments (default 1)
-- @return the factor (exact when every payment is whole years out, else ≈)
-- example: print(finance.month_factor(num"8%", 12), finance.month_factor(num"0%", 0, 60))   --> 25/27  60
function F.month_factor(rate, from, n)
  rate = rate_arg(rate, "finance.month_factor: rate")
  n = n or 1
  if math.type(from) ~= "integer" or math.type(n) ~= "integer" or n < 0 then
    S.fail("finance.month_factor: from and n expected whole numbers of months, got " .. S.describe(from) .. " and " .. S.describe(n))
  end
  if n == 0 then return num(0) end
  if n == 1 then return month_factor(rate, from) end
  if iszero(rate) then return num(n) end
  local v = month_factor(rate, 1)
  return month_factor(rate, from) * (1 - power(v, n)) / (1 - v)
end

--- Present value at an annual effective rate: a flow k months after the base is discounted by (1 + rate)^(-k/12).
-- The same convention as the series' IRR, XNPV and XIRR, so the NPV at the series' own IRR is zero.
-- @param rate annual effective discount rate (e.g. 8%)
-- @param base the date of t = 0 (default: the first month with a flow)
-- @return money (exact when every flow is whole years from the base, else ≈)
-- example: local s = finance.series(); s:add("2027-01", num"108 $"); print(s:npv(num"8%", "2026-01"))   --> $100
function Series:npv(rate, base)
  rate = rate_arg(rate, "series:npv: rate")
  local b = base and F.month(base, "series:npv") or (self:span())
  local zero = 0 * (self.unit or USD)
  if not b then return zero end
  local sum = S.sum(self.entries, function(e) return e.amount * F.month_factor(rate, e.m - b, e.n) end)
  return sum or zero
end

--- Monthly flows as a list (index 1 = first month), for IRR and plotting.
-- @return list of money, and the first month index
-- example: local s = finance.series(); s:add("2026-01", num"-1 $"); s:add("2026-03", num"2 $"); print(#s:monthly())
function Series:monthly()
  local lo, hi = self:span()
  local out = {}
  if not lo then return out, nil end
  local zero = 0 * (self.unit or USD)
  for i = 1, hi - lo + 1 do out[i] = zero end
  for _, e in ipairs(self.entries) do
    for k = 0, e.n - 1 do
      local i = e.m - lo + k + 1
      out[i] = out[i] + e.amount
    end
  end
  return out, lo
end

--- Internal rate of return of the series: annual and effective, the rate at which :npv is zero.
-- The rule of finance.irr (Newton from the guess, else the nearest root; several roots warn);
-- uncertain flows give a rate per sample.
-- @param opts optional guess (annual, default 10%) or { guess =, multiple =, missing =, quiet = }
-- @return the annual rate (≈, in %); for uncertain flows also the samples' report
-- example: local s = finance.series(); s:add("2026-01", num"-100 $"); s:add("2027-01", num"110 $"); print(s:irr())   --> ≈10%
function Series:irr(opts)
  local fn = "series:irr"
  local o = irr_options(opts, fn)
  local flows = self:monthly()
  if #flows < 2 then S.fail(fn .. ": the series needs flows in at least two months") end
  local vals, unit, unc = flowlist(flows, fn, "the monthly flows")
  -- solved per month (Horner), then read as an annual rate
  local monthly = { guess = (1 + o.guess) ^ (1 / 12) - 1, multiple = o.multiple,
                    missing = (1 + o.missing) ^ (1 / 12) - 1, quiet = o.quiet, report = true,
                    shown_missing = o.shown_missing }
  local t = {}
  for i = 1, #vals do t[i] = i - 1 end
  local m, info = solve_irr(fn, vals, unit, unc, t, monthly)
  if not unc then return pct(num((1 + num.tofloat(m)) ^ 12 - 1)) end
  local r = pct(U.exp(12 * U.log(U.max(1 + m, 1e-300))) - 1)   -- a -100% sample stays -100%
  if o.report then return r, info end
  return r
end

--- Payback of the series: months from its first flow until the cumulative flows reach zero, as a Time.
-- @param rate optional annual rate for the discounted payback
-- @param opts optional { missing = duration } for samples that never pay back
-- @return a Time (interpolated within the month)
-- example: local s = finance.series(); s:add("2026-01", num"-100 $"); s:add_monthly("2026-02", 12, num"10 $"); print(s:payback())   --> 10 month
function Series:payback(rate, opts)
  local flows = self:monthly()
  local r = rate and month_factor(rate_arg(rate, "series:payback: rate"), -1) - 1 or nil
  local o = opts and opts.missing and { missing = units.value(S.expect(opts.missing, "1 yr", "series:payback: missing"), "month") } or nil
  local ok, m = pcall(F.payback, flows, r, o)
  if not ok then S.fail((S.reason(m):gsub("^finance%.payback", "series:payback"))) end
  return (m * num "1 month"):to "month"
end

---------------------------------------------------------------------------
-- Tables: the one place numbers are formatted for them
---------------------------------------------------------------------------

-- A table cell: values through num.format with the table's options (none: as they
-- print; { cents = true }: $374,109.81); uncertain values show their mean only (print
-- them for the interval). The one place tables format numbers.
local function fmt(x, opts)
  if x == nil then return "" end
  if type(x) == "userdata" and isunc(x) then
    local ok, m = pcall(U.mean, x)
    if ok and m ~= nil then
      local s = tostring(m)
      if s:sub(1, 3) ~= "≈" then s = "≈" .. s end
      return s
    end
  end
  if num.isnum(x) then return num.format(x, opts) end
  return tostring(x)
end

--- Prints a table of rows with aligned columns (uncertain values show their mean, marked ≈).
-- @param headers a list of column titles
-- @param rows a list of lists (cells may be numbers, quantities or strings)
-- @param quiet when true, only returns the text
-- @param format optional num.format options for the cells, e.g. { cents = true } or { unit = "$M" }
-- @return the text (also printed unless quiet is true)
-- example: finance.tabulate({"year", "cost"}, {{2026, num"5M $"}, {2027, num"6.25M $"}}, false, { cents = true })
function F.tabulate(headers, rows, quiet, format)
  local w = {}
  local cells = { headers }
  for _, r in ipairs(rows) do cells[#cells + 1] = r end
  local text = {}
  local shown = {}
  for i, r in ipairs(cells) do
    shown[i] = {}
    for j = 1, #headers do
      local s = i == 1 and tostring(r[j]) or fmt(r[j], format)
      shown[i][j] = s
      w[j] = math.max(w[j] or 0, utf8.len(s) or #s)
    end
  end
  for i = 1, #cells do
    local line = {}
    for j = 1, #headers do
      local s = shown[i][j]
      local pad = string.rep(" ", w[j] - (utf8.len(s) or #s))
      line[j] = (j == 1 or i == 1) and (s .. pad) or (pad .. s)
    end
    text[#text + 1] = table.concat(line, "  ")
  end
  local out = table.concat(text, "\n")
  if not quiet then print(out) end
  return out
end

--- Prints (and returns) the yearly totals, one column per label.
-- @param quiet when true, only returns the text
-- @param format optional num.format options for the cells (e.g. { unit = "$M" })
-- @return the text of the table
-- example: local s = finance.series(); s:add_monthly("2026-07", 12, num"-1k $", "rent"); s:table()
function Series:table(quiet, format)
  local labels = self:labels()
  local headers = { "year" }
  for _, l in ipairs(labels) do headers[#headers + 1] = l end
  headers[#headers + 1] = "total"
  local rows = {}
  for _, r in ipairs(self:by_year()) do
    local row = { tostring(r.year) }
    for _, l in ipairs(labels) do row[#row + 1] = r.by[l] or "" end
    row[#row + 1] = r.total
    rows[#rows + 1] = row
  end
  rows[#rows + 1] = { "total" }
  for _, l in ipairs(labels) do
    rows[#rows][#rows[#rows] + 1] = S.sum(self.entries, function(e)
      if e.label == l then return e.amount * e.n end
    end)
  end
  rows[#rows][#rows[#rows] + 1] = self:total()
  return F.tabulate(headers, rows, quiet, format)
end

Series.__tostring = function(s)
  return ("cash-flow series%s (%d flows, total %s)"):format(s.name and (" '" .. s.name .. "'") or "",
    #s.entries, tostring(s:total()))
end
F.Series = Series

---------------------------------------------------------------------------
-- Floating rates
---------------------------------------------------------------------------

local Floating = { __name = "floating rate" }
Floating.__index = Floating

--- A floating rate: a base curve (each rate holds from its date to the next) plus a spread.
-- @param t.base a rate, or a list of { date, rate } in date order (rates exact or uncertain)
-- @param t.spread the margin over the base (e.g. 250bp), default 0
-- @return a rate for finance.amortize, waterfalls and tranches, with :at(date)
-- example: local sofr = finance.floating { base = { { "2026-01", num"4.3%" }, { "2027-01", num"3.8%" } }, spread = num"250bp" }; print(sofr:at "2026-06", sofr:at "2028-01")   --> 6.8%  6.3%
function F.floating(t)
  local fn = "finance.floating"
  S.args(t, fn)
  local spread = S.need(t, "spread", "250bp", fn, true) or num(0)
  local curve = {}
  if type(t.base) == "table" and getmetatable(t.base) == nil then
    for i, e in ipairs(t.base) do
      local what = ("%s: base[%d]"):format(fn, i)
      if type(e) ~= "table" then S.fail(what .. " expected { date, rate }, got " .. S.describe(e)) end
      local m = F.month(e.date or e[1], what)
      if i > 1 and m <= curve[i - 1].m then S.fail(what .. ": dates must be in increasing order") end
      curve[i] = { m = m, rate = S.expect(e.rate or e[2], "4%", what .. " rate") }
    end
    if #curve == 0 then S.fail(fn .. ": field 'base' is an empty curve") end
  else
    curve[1] = { m = -math.huge, rate = S.need(t, "base", "4.3%", fn) }
  end
  return setmetatable({ curve = curve, spread = spread }, Floating)
end

--- The rate in force at a date: the base's last value on or before it (its first before the curve starts) plus the spread.
-- @param date a date or month index
-- @return the annual rate
-- example: print(finance.floating{ base = num"4%", spread = num"2%" }:at "2030-01")   --> 6%
function Floating:at(date)
  local m = F.month(date, "floating:at")
  local r = self.curve[1].rate
  for _, e in ipairs(self.curve) do
    if e.m <= m then r = e.rate end
  end
  return pct(r + self.spread)
end
Floating.__tostring = function(f)
  return ("floating rate (%d base points + %s)"):format(#f.curve, tostring(pct(f.spread)))
end

--- True when x is a floating rate.
-- @param x any value
-- @return boolean
-- example: print(finance.isfloating(finance.floating{ base = num"4%" }), finance.isfloating(num"5%"))   --> true  false
function F.isfloating(x)
  return getmetatable(x) == Floating
end

-- A fixed or floating annual rate: the value at month m.
local function rate_at(rate, m)
  if getmetatable(rate) == Floating then return rate:at(m) end
  return rate
end

-- A loan's rate field: a plain rate or a finance.floating.
local function loan_rate(t, name, fn, optional)
  local r = t[name]
  if getmetatable(r) == Floating then return r end
  r = S.need(t, name, "6%", fn, optional)
  if r ~= nil then rate_arg(r, ("%s: field '%s'"):format(fn, name)) end
  return r
end

---------------------------------------------------------------------------
-- Schedules
---------------------------------------------------------------------------

local Schedule = { __name = "schedule" }
Schedule.__index = Schedule

local STEP = { year = 12, quarter = 3, month = 1 }

-- The payment periods of a term: whole periods of `step` months, then a
-- shorter last one for the months left (18 months yearly: 12 and 6).
local function periods_of(months, step)
  local out = {}
  local n = months // step
  for i = 1, n do out[i] = step end
  if months % step > 0 then out[#out + 1] = months % step end
  return out
end

--- Amortisation schedule of a loan: interest and principal each period, to the cent.
-- The rate is nominal per year, charged per period (rate x months/12); a term that is not a
-- whole number of periods ends with a shorter one (18 months yearly: 12, then 6). A floating
-- rate re-prices each period and an annuity re-levels its payment over the periods left.
-- @param t.principal the amount lent (money)
-- @param t.rate annual interest rate (e.g. 6%), or a finance.floating
-- @param t.term a Time (7 yr, 18 month)
-- @param t.period "year" (default), "quarter" or "month"
-- @param t.style "annuity" (level payments, default), "linear" (equal principal per month) or "bullet" (interest only, principal at the end)
-- @param t.start the first payment date (default "2026-01"); the loan is drawn one period before
-- @param t.fee optional upfront fee, a share of the principal (e.g. 1%), paid when drawn
-- @return a schedule: rows {date, opening, interest, principal, payment, closing}, :series(), :total_interest(), :all_in_rate()
-- example: local s = finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr" }; s:print()
function F.amortize(t)
  local fn = "finance.amortize"
  S.args(t, fn)
  local P = S.need(t, "principal", "1M $", fn)
  local rate = loan_rate(t, "rate", fn)
  local months = F.months(S.need(t, "term", "7 yr", fn), fn .. ": field 'term'")
  local period = S.oneof(t.period or "year", { "year", "quarter", "month" }, fn .. ": field 'period'")
  local step = STEP[period]
  if months < 1 then S.fail(fn .. ": field 'term' must be at least one month") end
  local style = t.style or "annuity"
  S.oneof(style, { "annuity", "linear", "bullet" }, fn .. ": field 'style'")
  local start = F.month(t.start or "2026-01", fn .. ": field 'start'")
  local fee = S.need(t, "fee", "1%", fn, true)
  local lens = periods_of(months, step)
  local n = #lens
  -- each period's end month and rate for the period (rate x months / 12)
  local ends, rates = {}, {}
  local m = start - step
  for i = 1, n do
    rates[i] = rate_at(rate, m) * lens[i] / 12
    m = m + lens[i]
    ends[i] = m
  end
  local floating = getmetatable(rate) == Floating
  local rows, bal, pay = {}, P, nil
  for i = 1, n do
    local interest = cents(bal * rates[i])
    local principal
    if i == n then
      principal = bal
    elseif style == "annuity" then
      -- the level payment that clears the balance over the periods left at
      -- the rates known now (once for a fixed rate, each period for a floating one)
      if floating or not pay then
        local pv, acc = 0, 1
        for k = i, n do
          local rk = floating and rates[i] * lens[k] / lens[i] or rates[k]
          acc = acc / (1 + rk)
          pv = pv + acc
        end
        pay = cents(bal / pv)
      end
      principal = pay - interest
    elseif style == "linear" then
      principal = cents(P * lens[i] / months)
    else
      principal = 0 * P
    end
    local closing = bal - principal
    rows[i] = { date = F.monthname(ends[i]), opening = bal, interest = interest,
                principal = principal, payment = interest + principal, closing = closing,
                rate = pct(rates[i] * 12 / lens[i]), months = lens[i] }
    bal = closing
  end
  return setmetatable({ rows = rows, principal = P, rate = rate, period = period, style = style,
                        name = t.name or "loan", drawn = F.monthname(start - step),
                        fee = fee and P * fee or nil }, Schedule)
end

--- Total interest paid over a schedule.
-- @return money
-- example: print(finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr" }:total_interest())
function Schedule:total_interest()
  return S.sum(self.rows, function(r) return r.interest end)
end

--- Payments (interest + principal) falling in a calendar year.
-- @param year the year (2027)
-- @return money
-- example: print(finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr" }:paid_in(2027))
function Schedule:paid_in(year)
  return S.sum(self.rows, function(r)
    if F.month(r.date) // 12 == year then return r.payment end
  end) or 0 * self.principal
end

--- The schedule as a cash-flow series from the borrower's side (payments and fees negative).
-- @param label optional label (default the schedule's name)
-- @return a series
-- example: print(finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr" }:series():total())
function Schedule:series(label)
  local s = F.series(label or self.name)
  if self.fee then s:add(self.drawn, -self.fee, "fees") end
  for _, r in ipairs(self.rows) do s:add(r.date, -r.payment, label or self.name) end
  return s
end

--- The lender's all-in yield: the annual effective IRR of lending the principal, receiving the fee and every payment.
-- @return the annual rate (≈, in %)
-- example: print(finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr", fee = num"1%" }:all_in_rate())
function Schedule:all_in_rate()
  local s = F.series(self.name)
  s:add(self.drawn, -self.principal + (self.fee or 0 * self.principal), "lent")
  for _, r in ipairs(self.rows) do s:add(r.date, r.payment, "repaid") end
  return s:irr { multiple = "quiet" }
end

--- Prints the schedule as a table, to the cent unless told otherwise (or uncertain).
-- @param quiet when true, only returns the text
-- @param format num.format options for the cells (default { cents = true } when the figures are known)
-- @return the text
-- example: finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr" }:print()
function Schedule:print(quiet, format)
  local rows, known = {}, true
  for _, r in ipairs(self.rows) do
    rows[#rows + 1] = { r.date, r.opening, r.interest, r.principal, r.payment, r.closing }
    known = known and num.isnum(r.payment)
  end
  -- to the cent; an uncertain schedule shows its means as they print
  return F.tabulate({ "date", "opening", "interest", "principal", "payment", "closing" }, rows, quiet,
                    format or (known and { cents = true } or nil))
end
Schedule.__tostring = function(s)
  return ("%s schedule: %s at %s, %d %s payments"):format(s.style, tostring(s.principal), tostring(s.rate), #s.rows, s.period)
end

--- Interest during construction: interest on each draw from its month to the commercial operation date, capitalised monthly.
-- @param t.draws list of { date, amount } (amounts drawn, money)
-- @param t.rate annual nominal rate (or a finance.floating), charged monthly at rate/12 and added to the balance
-- @param t.until the date the loan starts to be repaid (commercial operation)
-- @return the capitalised interest and the balance at that date (draws + interest)
-- example: local idc, bal = finance.idc { draws = { { "2026-01", num"60M $" }, { "2026-07", num"40M $" } }, rate = num"6%", ["until"] = "2027-01" }; print(idc, bal)
function F.idc(t)
  local fn = "finance.idc"
  S.args(t, fn)
  if type(t.draws) ~= "table" or #t.draws == 0 then
    S.fail(fn .. ": missing field 'draws' (a list of { \"2026-01\", $60M })")
  end
  local rate = loan_rate(t, "rate", fn)
  local stop = F.month(t["until"] or S.fail(fn .. ": missing field 'until' (the date repayment starts, e.g. \"2027-01\")"), fn .. ": field 'until'")
  local by = {}
  local drawn
  for i, d in ipairs(t.draws) do
    local what = ("%s: draws[%d]"):format(fn, i)
    if type(d) ~= "table" then S.fail(what .. " expected { date, amount }, got " .. S.describe(d)) end
    local m = F.month(d.date or d[1], what)
    if m > stop then S.fail(("%s is after field 'until'"):format(what)) end
    local a = S.expect(d.amount or d[2], "60M $", what .. " amount")
    by[m] = S.add(by[m], a)
    drawn = S.add(drawn, a)
    by.first = math.min(by.first or m, m)
  end
  local bal = 0 * drawn
  for m = by.first, stop - 1 do
    bal = bal + (by[m] or 0 * drawn)
    bal = bal * (1 + rate_at(rate, m) / 12)
  end
  bal = bal + (by[stop] or 0 * drawn)
  return bal - drawn, bal
end

---------------------------------------------------------------------------
-- Depreciation schedules, the tax shield, taxes
---------------------------------------------------------------------------

local Depreciation = { __name = "depreciation schedule" }
Depreciation.__index = Depreciation

-- IRS Publication 946 (2023), Appendix A, Table A-1: MACRS percentages by
-- recovery year, general depreciation system, half-year convention (200%
-- declining balance for 3- to 10-year property, 150% for 15 and 20 years).
-- Computers and servers are 5-year property (asset class 00.12).
local MACRS = {
  [3] = { "33.33", "44.45", "14.81", "7.41" },
  [5] = { "20.00", "32.00", "19.20", "11.52", "11.52", "5.76" },
  [7] = { "14.29", "24.49", "17.49", "12.49", "8.93", "8.92", "8.93", "4.46" },
  [10] = { "10.00", "18.00", "14.40", "11.52", "9.22", "7.37", "6.55", "6.55", "6.56", "6.55", "3.28" },
  [15] = { "5.00", "9.50", "8.55", "7.70", "6.93", "6.23", "5.90", "5.90", "5.91", "5.90", "5.91", "5.90", "5.91", "5.90", "5.91", "2.95" },
  [20] = { "3.750", "7.219", "6.677", "6.177", "5.713", "5.285", "4.888", "4.522", "4.462", "4.461", "4.462",
           "4.461", "4.462", "4.461", "4.462", "4.461", "4.462", "4.461", "4.462", "4.461", "2.231" },
}
F.MACRS = MACRS

-- The rows of a schedule: one charge per calendar year from y0, and the
-- book value after it.
local function yearly_rows(y0, charges, cost)
  local rows, book = {}, cost
  for i, c in ipairs(charges) do
    book = book - c
    rows[i] = { year = y0 + i - 1, charge = c, book = book }
  end
  return rows
end

-- Months in service in each calendar year for an asset placed in service
-- in month m0 with a life of `life` months (a rational: 66 for 5.5 years):
-- a part year first (from July: 6), whole years, then what is left.
local function service_years(m0, life)
  local out = {}
  local used = num(0)
  while used < life do
    local avail = #out == 0 and (12 - m0 % 12) or 12
    local k = life - used < avail and life - used or num(avail)
    out[#out + 1] = k
    used = used + k
  end
  return out
end

--- A depreciation schedule by calendar year: straight line (fractional lives and part years),
-- declining balance switching to straight line, or MACRS (IRS Publication 946, Table A-1).
-- Straight line charges (cost - salvage) / life for each month in service: 5.5 years from January
-- is five years and a half; from July the first year has six months. Declining balance charges
-- book x factor / life a year (in proportion to the months of a part year), switching to straight
-- line over the life left when that is larger. MACRS applies the table's half-year percentages to
-- the cost (salvage is ignored by MACRS, so giving one is an error).
-- @param t.cost the asset cost (money), t.salvage value left (default $0)
-- @param t.life useful life (a Time: 5 yr, 5.5 yr, 18 month); for MACRS t.class (3, 5, 7, 10, 15 or 20)
-- @param t.start the month placed in service (date, default "2026-01")
-- @param t.method "straight-line" (default), "declining" (with t.factor, default 2) or "macrs"
-- @return rows {year, charge, book} (charges rounded to the cent when exact; the last one absorbs rounding), with :print(), :total(), :shield(tax, rate)
-- example: for _, r in ipairs(finance.depreciation{ cost = num"1.1M $", life = num"5.5 yr" }) do print(r.year, r.charge, r.book) end
function F.depreciation(t)
  local fn = "finance.depreciation"
  S.args(t, fn)
  local cost = S.need(t, "cost", "1M $", fn)
  local method = S.oneof(t.method or "straight-line", { "straight-line", "declining", "macrs" }, fn .. ": field 'method'")
  local m0 = F.month(t.start or "2026", fn .. ": field 'start'")
  local y0 = m0 // 12
  if method == "macrs" then
    if t.salvage ~= nil then S.fail(fn .. ": MACRS ignores salvage value: drop field 'salvage'") end
    local class = t.class or (t.life and num.tointeger(units.value(S.need(t, "life", "5 yr", fn), "yr")))
    local tab = MACRS[class]
    if not tab then S.fail(fn .. ": field 'class' expected a MACRS recovery period of 3, 5, 7, 10, 15 or 20 (years), got " .. S.describe(t.class or t.life)) end
    local charges = {}
    for i, p in ipairs(tab) do charges[i] = cents(cost * num(p) / 100) end
    charges[#charges] = cost - (S.sum(charges, function(c, i) if i < #charges then return c end end) or 0 * cost)
    return setmetatable(yearly_rows(y0, charges, cost), Depreciation)
  end
  local salvage = S.need(t, "salvage", "0 $", fn, true) or 0 * cost
  local life = units.value(S.need(t, "life", "5 yr", fn), "month")
  if isunc(life) or not (life > 0) then S.fail(fn .. ": field 'life' expected a positive exact duration, got " .. S.describe(t.life)) end
  local parts = service_years(m0, life)
  local base = cost - salvage
  local charges = {}
  if method == "straight-line" then
    for i, k in ipairs(parts) do charges[i] = cents(base * k / life) end
  else
    local factor = S.need(t, "factor", "2", fn, true) or num(2)
    local rate = factor * 12 / life              -- per year
    local book, left, lia, switched = cost, life, nil, false
    for i, k in ipairs(parts) do
      local db = book * rate * k / 12
      local sl = (book - salvage) * k / left
      local now = AND(NOT(switched), GT(sl, db))
      switched = OR(switched, now)
      local c = U.where(switched, sl, db)
      c = U.min(c, book - salvage)
      charges[i] = cents(c)
      book = book - charges[i]
      left = left - k
    end
  end
  -- the last year takes what rounding left, so the book ends at the salvage value
  local sum = 0 * cost
  for i = 1, #charges - 1 do sum = sum + charges[i] end
  charges[#charges] = base - sum
  return setmetatable(yearly_rows(y0, charges, cost), Depreciation)
end

--- Total depreciation charged.
-- @return money
-- example: print(finance.depreciation{ cost = num"1M $", life = num"3 yr" }:total())
function Depreciation:total()
  return S.sum(self, function(r) return r.charge end)
end

--- The depreciation tax shield: tax rate x each year's charge, and its present value.
-- Each year's saving is counted at the end of its year, discounted to the start of the first year.
-- @param tax the tax rate (e.g. 21%)
-- @param rate optional annual discount rate (default 0%: the undiscounted total)
-- @return the present value of the savings, and rows { year, shield }
-- example: print(finance.depreciation{ cost = num"1M $", life = num"5 yr", method = "macrs" }:shield(num"21%", num"8%"))
function Depreciation:shield(tax, rate)
  tax = S.expect(tax, "21%", "depreciation:shield: tax")
  rate = rate and rate_arg(rate, "depreciation:shield: rate") or num(0)
  local rows, pv = {}, nil
  for i, r in ipairs(self) do
    rows[i] = { year = r.year, shield = r.charge * tax }
    pv = S.add(pv, rows[i].shield * power(1 + rate, -i))
  end
  return pv, rows
end

--- Prints the schedule.
-- @return the text
-- example: finance.depreciation{ cost = num"1M $", life = num"18 month", start = "2026-07" }:print()
function Depreciation:print(quiet)
  local rows = {}
  for _, r in ipairs(self) do rows[#rows + 1] = { tostring(r.year), r.charge, r.book } end
  return F.tabulate({ "year", "charge", "book value" }, rows, quiet)
end

--- Taxes on profit with losses carried forward: each year's loss offsets later profits.
-- @param t.profit list of taxable profits before loss relief, one per year (money; exact or uncertain)
-- @param t.rate the tax rate (e.g. 21%)
-- @param t.limit optional share of a year's profit that carried losses may offset (US rules since 2018: 80%), default 100%
-- @param t.losses optional losses carried in at the start (default 0)
-- @return rows { profit, relief, taxable, tax, carried }, and the total tax
-- example: local rows, total = finance.taxes { profit = { num"-100 $", num"60 $", num"80 $" }, rate = num"21%" }; print(rows[2].tax, rows[3].tax, total)   --> $0  $8.40  $8.40
function F.taxes(t)
  local fn = "finance.taxes"
  S.args(t, fn)
  local profits, unit = flowlist(t.profit, fn, "field 'profit'")
  local rate = S.need(t, "rate", "21%", fn)
  local limit = S.need(t, "limit", "80%", fn, true) or num(1)
  local zero = 0 * unit
  local carried = S.need(t, "losses", "0 $", fn, true) or zero
  local rows, total = {}, zero
  for i, p in ipairs(profits) do
    local relief = U.min(carried, U.max(p, zero) * limit)
    local taxable = U.max(p - relief, zero)
    local tax = taxable * rate
    carried = carried - relief + U.max(-p, zero)
    rows[i] = { profit = p, relief = relief, taxable = taxable, tax = tax, carried = carried }
    total = total + tax
  end
  return rows, total
end

---------------------------------------------------------------------------
-- The payment waterfall
---------------------------------------------------------------------------

local Waterfall = { __name = "waterfall" }
Waterfall.__index = Waterfall

local RANKS = { senior = 1, mezzanine = 2, junior = 3, equity = 4 }

-- The cash of each period: a list, a money rate (per year), or a series
-- (its flows in each period's months).
local function period_cash(cash, n, start, step, fn)
  local out = {}
  if getmetatable(cash) == Series then
    for i = 1, n do
      local a = start + (i - 1) * step
      out[i] = cash:total(a, a + step)
    end
  elseif type(cash) == "table" and getmetatable(cash) == nil then
    local vals = flowlist(cash, fn, "field 'cash'")
    if #vals < n then S.fail(("%s: field 'cash' has %d periods but the debt runs %d"):format(fn, #vals, n)) end
    for i = 1, #vals do out[i] = vals[i] end
  else
    local rate = S.expect(cash, "1B $/yr", fn .. ": field 'cash'")
    for i = 1, n do out[i] = (rate * step * num "1 month"):to "$" end
  end
  return out
end

-- The tranches of a waterfall, in payment order: rank, then list order.
local function tranches_of(list, fn, start, period)
  if type(list) ~= "table" or #list == 0 then
    S.fail(fn .. ": missing field 'tranches' (a list of { name =, rank = \"senior\", amount =, rate =, term = })")
  end
  local out = {}
  for i, tr in ipairs(list) do
    local what = ("%s: tranches[%d]"):format(fn, i)
    if type(tr) ~= "table" then S.fail(what .. " expected a table { name =, rank =, amount =, rate =, term = }, got " .. S.describe(tr)) end
    local rank = tr.rank or (tr.kind == "equity" and "equity") or (tr.senior and "senior") or "junior"
    S.oneof(rank, { "senior", "mezzanine", "junior", "equity" }, what .. ": field 'rank'")
    local x = { name = tr.name or rank, rank = rank, order = RANKS[rank] * 1000 + i,
                amount = S.need(tr, "amount", "25B $", what) }
    if rank ~= "equity" then
      -- a tranche may start later (after construction): on the same grid
      local first = tr.first and F.month(tr.first, what .. ": field 'first'") or start
      if first < start or (first - start) % STEP[period] ~= 0 then
        S.fail(("%s: field 'first' (%s) must be a payment date of the waterfall (every %d months from %s)")
               :format(what, F.monthname(first), STEP[period], F.monthname(start)))
      end
      local ok, s = pcall(F.amortize, { principal = x.amount, rate = tr.rate, term = tr.term, period = period,
        style = tr.amortisation or tr.style, start = first, name = x.name, fee = tr.fee })
      if not ok then S.fail(what .. ": " .. S.reason(s)) end
      x.schedule = s
      x.rate = tr.rate
      x.due_at = {}                 -- schedule rows by month
      for _, row in ipairs(s.rows) do x.due_at[F.month(row.date)] = row end
      x.last = F.month(s.rows[#s.rows].date)
    end
    out[#out + 1] = x
  end
  table.sort(out, function(a, b) return a.order < b.order end)
  return out
end

--- A payment waterfall: each period's cash pays taxes, then senior debt, then mezzanine and
-- junior debt, then equity. What a tranche cannot be paid is carried as arrears (accruing interest
-- at its rate) and paid first when cash allows; a lock-up keeps equity's share in the vehicle while
-- senior cover is below a threshold. Reports cover (DSCR) per period and equity's IRR. Cash, rates
-- and amounts may be uncertain: everything is then per sample.
-- @param t.start the first payment date (the debt is drawn and equity put in one period before)
-- @param t.period "year" (default), "quarter" or "month"
-- @param t.cash cash available for debt service each period (CFADS before tax): a list, a series, or a rate ($/yr)
-- @param t.tranches list of { name, rank = "senior"|"mezzanine"|"junior"|"equity", amount, rate (or finance.floating), term, amortisation, fee, first = date of its first payment (default t.start) }
-- @param t.tax optional { rate = 21%, depreciation = rows or list per period, limit = 80% }: tax on cash - interest - depreciation, losses carried forward
-- @param t.lockup optional senior cover below which nothing goes to equity (trapped cash is released once cover recovers, and at the end)
-- @param t.terminal optional value equity receives after the last period (e.g. the residual value of the assets)
-- @return a waterfall with rows per period, :print(), :equity_irr(), :min_dscr(), :shortfall(), :equity_flows()
-- example: local w = finance.waterfall { start = "2027-01", cash = num"30M $/yr", tranches = { { name = "senior", rank = "senior", amount = num"100M $", rate = num"6%", term = num"5 yr" }, { name = "equity", rank = "equity", amount = num"30M $" } } }; w:print(); print(w:min_dscr(), w:equity_irr())
function F.waterfall(t)
  local fn = "finance.waterfall"
  S.args(t, fn)
  local period = S.oneof(t.period or "year", { "year", "quarter", "month" }, fn .. ": field 'period'")
  local step = STEP[period]
  local start = F.month(t.start or "2026-01", fn .. ": field 'start'")
  local trs = tranches_of(t.tranches, fn, start, period)
  local n = 0
  local unit
  for _, x in ipairs(trs) do
    if x.schedule then n = math.max(n, (x.last - start) // step + 1) end
    unit = unit or unit_of(x.amount)
  end
  if n == 0 then S.fail(fn .. ": no debt tranche (a waterfall needs debt to pay before equity)") end
  local cash = period_cash(t.cash, n, start - step, step, fn)
  n = math.max(n, #cash)
  local zero = 0 * unit
  local tax = t.tax
  local taxrate, depr, taxlimit
  if tax ~= nil then
    S.args(tax, fn .. ": field 'tax'")
    taxrate = S.need(tax, "rate", "21%", fn .. ": field 'tax'")
    taxlimit = S.need(tax, "limit", "80%", fn .. ": field 'tax'", true) or num(1)
    depr = {}
    for i, r in ipairs(tax.depreciation or {}) do depr[i] = type(r) == "table" and r.charge or r end
  end
  local lockup = S.need(t, "lockup", "1.2", fn, true)
  local terminal = S.need(t, "terminal", "10M $", fn, true)
  local arrears, carried, trapped = {}, zero, zero
  local rows = {}
  for i = 1, n do
    local c = cash[i] or zero
    local row = { date = F.monthname(start + (i - 1) * step), cash = c, by = {} }
    -- what each debt tranche is owed this period: scheduled interest and
    -- principal, plus arrears grown by a period's interest
    local interest_due, senior_service, service = zero, zero, zero
    for _, x in ipairs(trs) do
      local s = x.schedule and x.due_at[start + (i - 1) * step]
      if x.schedule then
        local a = arrears[x.name] or zero
        if not iszero(a) then
          local r = rate_at(x.rate, start + (i - 1) * step - step) * step / 12
          a = a * (1 + r)
        end
        local due = a + (s and s.payment or zero)
        x.due = due
        arrears[x.name] = a
        interest_due = interest_due + (s and s.interest or zero)
        local sched = s and s.payment or zero
        service = service + sched
        if x.rank == "senior" then senior_service = senior_service + sched end
      end
    end
    -- taxes on this period's profit, losses carried forward
    local taxpaid = zero
    if taxrate then
      local profit = c - interest_due - (depr[i] or zero)
      local relief = U.min(carried, U.max(profit, zero) * taxlimit)
      taxpaid = U.max(profit - relief, zero) * taxrate
      carried = carried - relief + U.max(-profit, zero)
    end
    local avail = c - taxpaid
    row.tax = taxpaid
    row.cfads = avail
    for _, x in ipairs(trs) do
      if x.schedule then
        local paid = U.max(U.min(avail, x.due), zero)
        avail = avail - paid
        arrears[x.name] = x.due - paid
        row.by[x.name] = { due = x.due, paid = paid, arrears = arrears[x.name] }
      end
    end
    row.service = service
    row.dscr = not iszero(service) and row.cfads / service or nil
    row.senior_dscr = not iszero(senior_service) and row.cfads / senior_service or nil
    -- equity: what is left, unless the lock-up traps it
    local free = avail + trapped
    if lockup and row.senior_dscr then
      local open = GE(row.senior_dscr, lockup)
      row.to_equity = U.where(open, free, zero)
      trapped = U.where(open, zero, free)
    else
      row.to_equity, trapped = free, zero
    end
    if i == n then row.to_equity, trapped = row.to_equity + trapped, zero end
    row.trapped = trapped
    rows[i] = row
  end
  local equity = zero
  for _, x in ipairs(trs) do if x.rank == "equity" then equity = equity + x.amount end end
  return setmetatable({ rows = rows, tranches = trs, step = step, equity = equity, terminal = terminal,
                        start = start, zero = zero }, Waterfall)
end

--- Equity's flows: minus its contribution one period before the first payment, then each period's distribution (and the terminal value).
-- @return a list of money, one per period (flows[1] at the contribution)
-- example: local w = finance.waterfall { cash = { num"30M $", num"30M $" }, tranches = { { rank = "senior", amount = num"40M $", rate = num"5%", term = num"2 yr" }, { rank = "equity", amount = num"10M $" } } }; print(#w:equity_flows())   --> 3
function Waterfall:equity_flows()
  local out = { -self.equity }
  for i, r in ipairs(self.rows) do out[i + 1] = r.to_equity end
  if self.terminal then out[#out] = out[#out] + self.terminal end
  return out
end

--- Equity's IRR, annual and effective (per sample when anything is uncertain; the rule of finance.irr).
-- @param opts optional as for finance.irr
-- @return the annual rate (≈, in %)
-- example: local w = finance.waterfall { cash = num"30M $/yr", tranches = { { rank = "senior", amount = num"100M $", rate = num"6%", term = num"5 yr" }, { rank = "equity", amount = num"30M $" } } }; print(w:equity_irr())
function Waterfall:equity_irr(opts)
  if iszero(self.equity) then S.fail("waterfall:equity_irr: no equity tranche (rank = \"equity\") put money in") end
  local o = type(opts) == "table" and opts or { guess = opts }
  local per = 12 / self.step
  local g = o.guess and S.expect(o.guess, "10%", "waterfall:equity_irr: guess") or num "10%"
  local miss = o.missing and num.tofloat(S.expect(o.missing, "-100%", "waterfall:equity_irr: missing")) or -1
  local po = { guess = num((1 + num.tofloat(g)) ^ (1 / per) - 1), multiple = o.multiple, quiet = o.quiet, report = true,
               missing = num((1 + miss) ^ (1 / per) - 1) }
  local ok, r, info = pcall(F.irr, self:equity_flows(), po)
  if not ok then S.fail("waterfall:equity_irr: " .. S.reason(r):gsub("^finance%.irr: ", "")) end
  if isunc(r) then
    local y = pct(U.exp(per * U.log(U.max(1 + r, 1e-300))) - 1)   -- a -100% sample stays -100%
    if o.report then return y, info end
    return y
  end
  return pct(num((1 + num.tofloat(r)) ^ per - 1))
end

--- The lowest cover (DSCR) over the periods with debt service: all debt, or senior only.
-- @param senior optional true for senior cover
-- @return the ratio (per sample when uncertain: the minimum in each sample)
-- example: local w = finance.waterfall { cash = num"30M $/yr", tranches = { { rank = "senior", amount = num"100M $", rate = num"6%", term = num"5 yr" } } }; print(w:min_dscr())
function Waterfall:min_dscr(senior)
  local m
  for _, r in ipairs(self.rows) do
    local d = senior and r.senior_dscr or r.dscr
    if d then m = m and U.min(m, d) or d end
  end
  if m == nil then S.fail("waterfall:min_dscr: no period has " .. (senior and "senior " or "") .. "debt service") end
  return m
end

--- Debt service left unpaid at the end (arrears of every tranche after the last period).
-- @return money (0 when the cash paid everything)
-- example: local w = finance.waterfall { cash = num"10M $/yr", tranches = { { rank = "senior", amount = num"100M $", rate = num"6%", term = num"5 yr" } } }; print(w:shortfall())
function Waterfall:shortfall()
  local last = self.rows[#self.rows]
  local s = self.zero
  for _, v in pairs(last.by) do s = s + v.arrears end
  return s
end

--- Prints the waterfall: cash, tax, each tranche's payment, cover, and equity's share.
-- @return the text
-- example: finance.waterfall { cash = num"30M $/yr", tranches = { { name = "A", rank = "senior", amount = num"100M $", rate = num"6%", term = num"5 yr" }, { rank = "equity", amount = num"30M $" } } }:print()
function Waterfall:print(quiet)
  local headers = { "date", "cash", "tax" }
  local debt = {}
  for _, x in ipairs(self.tranches) do
    if x.schedule then debt[#debt + 1] = x.name; headers[#headers + 1] = x.name end
  end
  for _, h in ipairs { "DSCR", "senior DSCR", "to equity" } do headers[#headers + 1] = h end
  local rows = {}
  for _, r in ipairs(self.rows) do
    local row = { r.date, r.cash, r.tax }
    for _, name in ipairs(debt) do row[#row + 1] = r.by[name] and r.by[name].paid or "" end
    row[#row + 1] = r.dscr and (isunc(r.dscr) and r.dscr or num.round(r.dscr, 3)) or ""
    row[#row + 1] = r.senior_dscr and (isunc(r.senior_dscr) and r.senior_dscr or num.round(r.senior_dscr, 3)) or ""
    row[#row + 1] = r.to_equity
    rows[#rows + 1] = row
  end
  return F.tabulate(headers, rows, quiet)
end
Waterfall.__tostring = function(w)
  return ("waterfall (%d periods, %d tranches)"):format(#w.rows, #w.tranches)
end

return F
