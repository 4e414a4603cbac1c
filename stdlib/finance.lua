-- stdlib/finance.lua: dated cash flows, discounting, NPV, IRR, PMT,
-- amortisation and depreciation.
--
-- Dated cash-flow series (monthly resolution, yearly tables), NPV, IRR, PMT, CRF,
-- amortisation schedules, straight-line depreciation and discounting. Dates and
-- signs follow the conventions all modules share (`:help modules`). Rates are plain
-- numbers per year (`8%`); monthly periods use rate/12, yearly periods the rate itself.
--
-- **Rounding policy.** Everything is exact where the maths allows: discount factors
-- `(1 + r)^-t` with whole periods, annuity factors, PMT and CRF are exact rationals. Money that
-- a schedule produces (each period's interest, principal and payment, depreciation charges,
-- NPVs, each cash flow added to a series) is rounded to the cent with `num.round`, so a
-- 30-year monthly schedule keeps small rationals (the last period absorbs the rounding and
-- closes the balance at exactly $0). Monthly discounting uses `rate/12` (nominal monthly
-- compounding), which keeps factors exact. IRR is solved numerically and is approximate (`≈`).
-- Uncertain values are never rounded.
--
-- `finance.need`, `finance.expect` and `finance.args` are the argument checks the other
-- modules use (stdlib/_shared.lua), public for user modules: their errors name the field
-- and what was expected, and point at the caller's line.
--
--   local loan = finance.amortize { principal = $25B, rate = 5.625%, term = 7 yr, start = "2027-06" }
--   loan:print()
--   print(loan:total_interest(), finance.pmt(5.625%, 7, $25B))
local S = require "_shared"
local F = {}

local USD = num "1 $"
F.USD = USD

---------------------------------------------------------------------------
-- Argument checking (the stdlib's own checks, stdlib/_shared.lua, for user modules)
---------------------------------------------------------------------------

local iszero, isexact = S.iszero, S.isexact

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

---------------------------------------------------------------------------
-- Dates (month resolution)
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

--- Converts a duration to a whole number of months.
-- @param t a Time quantity (5 yr, 18 month) or a month count (integer)
-- @param what names the value in errors
-- @return integer months
-- example: print(finance.months(num"5 yr"))   --> 60
function F.months(t, what, level)
  if math.type(t) == "integer" then return t end
  t = S.expect(t, "5 yr", what or "finance.months", level and level + 1)
  local m = num.tointeger(num.round(units.value(t, "month"), 0))
  return m
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
-- @return a series with :add, :add_monthly, :merge, :total, :by_year, :npv, :irr, :table
-- example: local s = finance.series "loan"; s:add("2026-01", num"-100 $"); print(s:total())
function F.series(name)
  if type(name) == "table" then name = name.name end
  return setmetatable({ name = name, entries = {} }, Series)
end

--- Adds a one-off flow on a date.
-- @param date the date (see finance.month)
-- @param amount money (signed)
-- @param label optional label (a column in :table)
-- @return the series
-- example: local s = finance.series(); s:add("2026-03", num"-5M $", "capex"); print(s:total())
function Series:add(date, amount, label)
  local m = F.month(date, "series:add")
  S.expect(amount, "1 $", "series:add: amount")
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
  S.expect(amount, "1 $", "series:add_monthly: amount")
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
  return sum or 0 * USD
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
    row.total = row.total or 0 * USD
    rows[#rows + 1] = row
  end
  return rows
end

--- Net present value at an annual rate, discounting monthly (rate/12) to a base date.
-- @param rate annual discount rate (e.g. 8%)
-- @param base the date of t = 0 (default: the first month with a flow)
-- @return money, rounded to the cent when exact
-- example: local s = finance.series(); s:add("2027-01", num"108 $"); print(s:npv(num"8%", "2026-01"))
function Series:npv(rate, base)
  rate = S.expect(rate, "8%", "series:npv: rate")
  local b = base and F.month(base, "series:npv") or (self:span())
  if not b then return 0 * USD end
  local v = 1 / (1 + rate / 12)
  local sum = S.sum(self.entries, function(e)
    local t = e.m - b
    if e.n == 1 then return e.amount * v ^ t end
    if iszero(rate) then return e.amount * e.n end
    return e.amount * v ^ t * (1 - v ^ e.n) / (1 - v)
  end)
  return cents(sum or 0 * USD)
end

--- Monthly flows as a list (index 1 = first month), for IRR and plotting.
-- @return list of money, and the first month index
-- example: local s = finance.series(); s:add("2026-01", num"-1 $"); s:add("2026-03", num"2 $"); print(#s:monthly())
function Series:monthly()
  local lo, hi = self:span()
  local out = {}
  if not lo then return out, nil end
  for i = 1, hi - lo + 1 do out[i] = 0 * USD end
  for _, e in ipairs(self.entries) do
    for k = 0, e.n - 1 do
      local i = e.m - lo + k + 1
      out[i] = out[i] + e.amount
    end
  end
  return out, lo
end

--- Internal rate of return of the series, as an annual rate (approximate).
-- @return the annual IRR (≈), from the monthly IRR compounded: (1+m)^12 - 1
-- example: local s = finance.series(); s:add("2026-01", num"-100 $"); s:add("2027-01", num"110 $"); print(s:irr())
function Series:irr()
  local flows = self:monthly()
  local m = F.irr(flows)
  return (1 + m) ^ 12 - 1
end

-- a table cell: values through num.format with the table's options (none: as they print;
-- { cents = true }: $374,109.81); uncertain values show their mean only (print them for the interval)
local function fmt(x, opts)
  if x == nil then return "" end
  if type(x) == "userdata" and not isexact(x) and type(rawget(_G, "mean")) == "function" then
    local ok, m = pcall(mean, x)
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
  for _, r in ipairs(cells) do
    for j = 1, #headers do
      local s = fmt(r[j], format)
      w[j] = math.max(w[j] or 0, utf8.len(s) or #s)
    end
  end
  for i, r in ipairs(cells) do
    local line = {}
    for j = 1, #headers do
      local s = fmt(r[j], format)
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
-- Time value of money
---------------------------------------------------------------------------

--- Net present value of periodic flows; flows[1] is at t = 0 (not discounted).
-- @param rate the rate per period (e.g. 8%)
-- @param flows a list of amounts, one per period
-- @return the present value (money rounded to the cent when exact)
-- example: print(finance.npv(num"10%", { num"-100 $", num"60 $", num"60 $" }))   --> $4.13
function F.npv(rate, flows)
  rate = S.expect(rate, "8%", "finance.npv: rate")
  if type(flows) ~= "table" then
    S.fail("finance.npv: expected a list of amounts as second argument, got " .. S.describe(flows))
  end
  local v = 1 / (1 + rate)
  return cents(S.sum(flows, function(x, i) return x * v ^ (i - 1) end) or 0)
end

--- Discounts an amount back by a number of years at an annual rate.
-- @param amount the future amount
-- @param rate annual rate (e.g. 8%)
-- @param years a Time (3 yr) or a number of years; fractional years give an approximate result
-- @return amount / (1 + rate)^years
-- example: print(finance.discount(num"1166.4 $", num"8%", num"2 yr"))   --> $1000
function F.discount(amount, rate, years)
  rate = S.expect(rate, "8%", "finance.discount: rate")
  if type(years) ~= "number" then
    years = units.value(S.expect(years, "1 yr", "finance.discount: years"), "yr")
  end
  local n = num.tointeger(years)
  return cents(amount / (1 + rate) ^ (n or years))
end

-- n as a positive integer, or an error naming fname
local function periods(n, fname)
  if math.type(n) ~= "integer" then n = num.tointeger(n) end
  if not n or n <= 0 then S.fail(fname .. ": n expected a positive whole number of periods") end
  return n
end

--- Capital recovery factor: the level payment per period that repays 1 over n periods.
-- @param rate rate per period
-- @param n number of periods (integer)
-- @return r(1+r)^n / ((1+r)^n - 1), exact
-- example: print(finance.crf(num"8%", 5))
function F.crf(rate, n)
  rate = S.expect(rate, "8%", "finance.crf: rate")
  n = periods(n, "finance.crf")
  if iszero(rate) then return num(1) / n end
  local g = (1 + rate) ^ n
  return rate * g / (g - 1)
end

--- Level payment per period for a loan (positive for a positive principal).
-- @param rate rate per period (e.g. 6%/12 for monthly)
-- @param n number of periods
-- @param pv the principal
-- @param fv optional balance left at the end (balloon), default 0
-- @return the payment, rounded to the cent when exact
-- example: print(finance.pmt(num"6%", 10, num"1M $"))   --> $135867.96
function F.pmt(rate, n, pv, fv)
  rate = S.expect(rate, "8%", "finance.pmt: rate")
  n = periods(n, "finance.pmt")
  S.expect(pv, "1 $", "finance.pmt: pv")
  fv = fv or 0 * pv
  if iszero(rate) then return cents((pv - fv) / n) end
  local g = (1 + rate) ^ n
  return cents((pv * g - fv) * rate / (g - 1))
end

--- Internal rate of return of periodic flows (approximate: bisection on floats).
-- @param flows list of amounts (flows[1] at t = 0); needs a sign change
-- @return the rate per period (≈), or nil when no rate in (-99%, 1000%) solves NPV = 0
-- example: print(finance.irr({ num"-100 $", num"60 $", num"60 $" }))
function F.irr(flows)
  local xs = {}
  for i, x in ipairs(flows) do
    if not num.isnum(x) and type(x) ~= "number" then
      S.fail("finance.irr: needs exact flows; take mean(...) of uncertain amounts first")
    end
    local ok, v = pcall(function() return num.tofloat(units.same(x, USD) and units.value(x, "$") or x) end)
    xs[i] = ok and v or num.tofloat(x)
  end
  local function f(r)
    local s, d = 0.0, 1.0
    for i = 1, #xs do s = s + xs[i] / d; d = d * (1 + r) end
    return s
  end
  local lo, hi = -0.99, 10.0
  local flo, fhi = f(lo), f(hi)
  if flo * fhi > 0 then return nil end
  for _ = 1, 200 do
    local mid = (lo + hi) / 2
    local fm = f(mid)
    if (fm < 0) == (flo < 0) then lo, flo = mid, fm else hi = mid end
  end
  return num((lo + hi) / 2)
end

---------------------------------------------------------------------------
-- Schedules
---------------------------------------------------------------------------

local Schedule = { __name = "schedule" }
Schedule.__index = Schedule

--- Amortisation schedule of a loan: interest and principal each period, to the cent.
-- @param t.principal the amount lent (money)
-- @param t.rate annual interest rate (e.g. 6%)
-- @param t.term a Time (7 yr)
-- @param t.period "year" (default) or "month" (monthly uses rate/12)
-- @param t.style "annuity" (level payments, default), "linear" (equal principal) or "bullet" (interest only, principal at the end)
-- @param t.start the first payment date (default "2026-01")
-- @return a schedule: rows {date, opening, interest, principal, payment, closing}, :series(), :total_interest()
-- example: local s = finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr" }; s:print()
function F.amortize(t)
  local fn = "finance.amortize"
  S.args(t, fn)
  local P = S.need(t, "principal", "1M $", fn)
  local rate = S.need(t, "rate", "6%", fn)
  local months = F.months(S.need(t, "term", "7 yr", fn), fn .. ": field 'term'")
  local period = S.oneof(t.period or "year", { "year", "month" }, fn .. ": field 'period'")
  local step = period == "year" and 12 or 1
  local n = months // step
  if n < 1 then S.fail(fn .. ": field 'term' is shorter than one " .. period) end
  local r = period == "year" and rate or rate / 12
  local style = t.style or "annuity"
  local start = F.month(t.start or "2026-01", fn)
  S.oneof(style, { "annuity", "linear", "bullet" }, fn .. ": field 'style'")
  local pay = style == "annuity" and F.pmt(r, n, P) or nil
  local rows, bal = {}, P
  for i = 1, n do
    local interest = cents(bal * r)
    local principal
    if i == n then
      principal = bal
    elseif style == "annuity" then
      principal = pay - interest
    elseif style == "linear" then
      principal = cents(P / n)
    else
      principal = 0 * P
    end
    local closing = bal - principal
    rows[i] = { date = F.monthname(start + (i - 1) * step), opening = bal, interest = interest,
                principal = principal, payment = interest + principal, closing = closing }
    bal = closing
  end
  return setmetatable({ rows = rows, principal = P, rate = rate, period = period, style = style,
                        name = t.name or "loan" }, Schedule)
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
  end) or 0 * USD
end

--- The schedule as a cash-flow series from the borrower's side (payments negative).
-- @param label optional label (default the schedule's name)
-- @return a series
-- example: print(finance.amortize{ principal = num"1M $", rate = num"6%", term = num"3 yr" }:series():total())
function Schedule:series(label)
  local s = F.series(label or self.name)
  for _, r in ipairs(self.rows) do s:add(r.date, -r.payment, label or self.name) end
  return s
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

--- Straight-line depreciation: equal charges per year down to a salvage value.
-- @param t.cost the asset cost (money)
-- @param t.life useful life (a Time: 5 yr)
-- @param t.salvage value left at the end (default $0)
-- @param t.start first year (date, default "2026")
-- @return rows {year, charge, book} (charges rounded to the cent; the last one absorbs rounding)
-- example: for _, r in ipairs(finance.depreciation{ cost = num"1M $", life = num"3 yr" }) do print(r.year, r.charge, r.book) end
function F.depreciation(t)
  local fn = "finance.depreciation"
  S.args(t, fn)
  local cost = S.need(t, "cost", "1M $", fn)
  local months = F.months(S.need(t, "life", "5 yr", fn), fn .. ": field 'life'")
  local salvage = S.need(t, "salvage", "0 $", fn, true) or 0 * USD
  local years = months // 12
  if years < 1 then S.fail(fn .. ": field 'life' must be at least 1 yr") end
  local y0 = F.month(t.start or "2026", fn) // 12
  local charge = cents((cost - salvage) / years)
  local rows, book = {}, cost
  for i = 1, years do
    local c = (i == years) and (book - salvage) or charge
    book = book - c
    rows[i] = { year = y0 + i - 1, charge = c, book = book }
  end
  return rows
end

return F
