-- stdlib/schedule.lua: capacity over time: construction, grid connection,
-- energisation ramps and chip deliveries, quarter by quarter.
--
-- Capacity over time, so that "20 GW by 2028" is a schedule a claim can test. A schedule holds
-- projects; each project is a block of IT capacity that
--
-- - starts construction at `start`;
-- - gets its first power when both the building (`build`, default Epoch's 1 to 3.6 years to
--   a gigawatt: `sites.typical "build_time"`) and the grid connection (`interconnect`, from the
--   same start; default none, for a site with power already there or generated on site) are done;
-- - energises linearly over `ramp` months (default 0: all at once);
-- - and, when it names its chips, is usable only as far as chips have been delivered
--   (`delivery`: dated shares, or a linear ramp from `delivery_start` over `delivery_ramp`).
--
-- Durations may be uncertain (`18 month to 36 month`): capacity at a date is then uncertain too,
-- and `P(plan:by "2028" >= 20 GW)` is the chance the target is met. Capacity "at" a date is
-- what is online at the start of that month; `plan:by "2028"` is what is online at the end of
-- 2028 (`by "2028-Q2"`: the end of June).
--
--   local plan = schedule.new { name = "platform" }
--   plan:add { name = "Texas", power = 1.2 GW, start = "2026-01", build = 18 month to 30 month,
--              interconnect = 18 month to 48 month, ramp = 6 month }
--   plan:add { name = "Ohio", power = 800 MW, start = "2026-06", build = 24 month, ramp = 12 month }
--   plan:table("2026-Q1", "2029-Q4")
--   print(plan:by "2028", P(plan:by "2028" >= 2 GW))
local S = require "_shared"
local F = require "finance"
local PW = require "watts"
local REF = require "catalog_sites"

local schedule = {}

local Schedule = { __name = "schedule" }
local methods = {}
Schedule.__index = methods

local ZERO_W = num "0 W"
-- comparisons that work per sample (plain Lua's refuse uncertain values)
local GE = select(14, __deal.ops())

-- a duration in months as a plain number (exact or uncertain); nil stays nil
local function months(t, field, fn, default)
  local v = S.need(t, field, "18 month", fn, true)
  if v == nil then v = default end
  if v == nil then return nil end
  return units.value(v, "month")
end

--- A schedule: projects of IT capacity with construction, grid and delivery times.
-- @param t.name a label
-- @return a schedule with :add{}, :online(date), :by(period), :chips(date), :quarters(from, to), :table(from, to), :reach(level)
-- example: local s = schedule.new{ name = "plan" }; s:add{ name = "A", power = num"1 GW", start = "2026-01", build = num"24 month" }; print(s:online "2028-01")   --> 1 GW
function schedule.new(t)
  t = t or {}
  S.args(t, "schedule.new")
  return setmetatable({ name = t.name or "schedule", projects = {} }, Schedule)
end

-- the deliveries of a project: a list of { m, share } or a linear ramp
local function deliveries(p, t, fn)
  if t.delivery ~= nil then
    if type(t.delivery) ~= "table" or #t.delivery == 0 then
      S.fail(fn .. ": field 'delivery' expected a list of { \"2026-Q4\", 25% }, got " .. S.describe(t.delivery))
    end
    local sum = num(0)
    p.delivery = {}
    for i, d in ipairs(t.delivery) do
      local what = ("%s: delivery[%d]"):format(fn, i)
      if type(d) ~= "table" then S.fail(what .. " expected { \"2026-Q4\", 25% }, got " .. S.describe(d)) end
      local share = S.expect(d.share or d[2], "25%", what .. " share")
      p.delivery[i] = { m = F.month(d.date or d[1], what), share = share }
      if S.isexact(share) then sum = sum + share end
    end
    if sum ~= num(1) then S.fail(("%s: field 'delivery' shares add up to %s, expected 100%%"):format(fn, tostring(sum))) end
  elseif t.delivery_start ~= nil then
    p.delivery_start = F.month(t.delivery_start, fn .. ": field 'delivery_start'")
    p.delivery_ramp = months(t, "delivery_ramp", fn, num "12 month")
  end
end

--- Adds a project: IT capacity with its construction start, build and grid-connection times, ramp and deliveries.
-- @param t.power IT capacity at nameplate (e.g. 1 GW), required; t.name a label
-- @param t.start construction start (a date), required
-- @param t.build months from start to first power (default: sites.typical "build_time", 12 to 43 months); t.interconnect grid connection from start (default: none)
-- @param t.ramp months from first power to full power (default 0)
-- @param t.chip a chip or rack (for chips online), with t.chips (how many) and t.delivery (a list of { date, share }) or t.delivery_start and t.delivery_ramp (default 12 month)
-- @return the project { name, power, start, ready (the month power is first ready, a month index, maybe uncertain) }
-- example: local s = schedule.new(); local p = s:add{ name = "A", power = num"1 GW", start = "2026-01", build = num"18 month", interconnect = num"24 month" }; print(finance.monthname(p.ready))   --> 2028-01
function methods:add(t)
  local fn = "schedule:add"
  S.args(t, fn)
  local p = { name = t.name or ("project " .. (#self.projects + 1)) }
  p.power = S.atlevel(S.need(t, "power", "1 GW", fn), "it", fn .. ": field 'power'")
  if t.start == nil then S.fail(fn .. ": missing field 'start' (the construction start, e.g. \"2026-06\")") end
  p.start = F.month(t.start, fn .. ": field 'start'")
  p.build = months(t, "build", fn, S.range(REF.build_time.lo, REF.build_time.hi))
  p.interconnect = months(t, "interconnect", fn)
  p.ramp = months(t, "ramp", fn, num "0 month")
  local wait = p.interconnect and max(p.build, p.interconnect) or p.build
  p.ready = p.start + wait
  if S.isexact(p.ready) and num.tointeger(p.ready) then p.ready = num.tointeger(p.ready) end
  if t.chip ~= nil then
    p.per_chip = PW.it(t.chip)
    p.chips = S.need(t, "chips", "1000000 chip", fn)
    deliveries(p, t, fn)
  elseif t.chips ~= nil then
    S.fail(fn .. ": field 'chips' needs field 'chip' (which chips, for their IT power)")
  end
  self.projects[#self.projects + 1] = p
  return p
end

-- clamp x to [0, 1], per sample
local function clamp01(x)
  return min(max(x, 0), 1)
end

-- share of a project's power ready at month index m (start of month)
local function ready_share(p, m)
  local ramp = p.ramp
  if S.iszero(ramp) then
    local d = m - p.ready
    if S.isexact(d) then return d >= num(0) and num(1) or num(0) end
    return where(GE(d, 0), 1, 0)
  end
  return clamp01((m - p.ready) / ramp)
end

-- share of a project's chips delivered by month index m (start of month)
local function delivered_share(p, m)
  if p.delivery then
    return S.sum(p.delivery, function(d) if d.m < m then return d.share end end) or num(0)
  end
  if p.delivery_start then
    if S.iszero(p.delivery_ramp) then return m > p.delivery_start and num(1) or num(0) end
    return clamp01((m - p.delivery_start) / p.delivery_ramp)
  end
  return num(1)
end

-- IT power a project has usable at month index m
local function project_online(p, m)
  local ready = p.power * ready_share(p, m)
  if not p.per_chip then return ready end
  local chips_ready = p.chips * delivered_share(p, m) * p.per_chip
  return min(ready, chips_ready)
end

--- IT capacity online at the start of a month (summed over projects; uncertain when durations are).
-- @param date a date ("2028-01")
-- @return a Power (IT, nameplate)
-- example: local s = schedule.new(); s:add{ power = num"1 GW", start = "2026-01", build = num"12 month", ramp = num"12 month" }; print(s:online "2027-07")   --> 500 MW
function methods:online(date)
  local m = F.month(date, "schedule:online")
  local total = S.sum(self.projects, function(p) return project_online(p, m) end) or ZERO_W
  return S.tag(total * 1, "it")
end

-- the month after the period a date names: "2028" -> 2029-01, "2028-Q2" -> 2028-07, "2028-06" -> 2028-07
local function after(period, fn)
  local m = F.month(period, fn)
  if type(period) == "string" then
    if period:match("^%d%d%d%d$") then return m + 12 end
    if period:match("Q[1-4]$") then return m + 3 end
  end
  return m + 1
end

--- IT capacity online by the end of a year, quarter or month ("2028", "2028-Q2", "2028-06").
-- @param period the period
-- @return a Power
-- example: local s = schedule.new(); s:add{ power = num"20 GW", start = "2026-07", build = num"18 month" }; print(s:by "2027", s:by "2028")   --> 0 W  20 GW
function methods:by(period)
  return self:online(F.monthname(after(period, "schedule:by")))
end

--- Chips usable at the start of a month (projects that name their chips).
-- @param date a date
-- @return chips
-- example: local s = schedule.new(); s:add{ power = num"100 MW", start = "2026-01", build = num"6 month", chip = "h100", chips = num"50000 chip", delivery = { { "2026-06", num"50%" }, { "2026-09", num"50%" } } }; print(s:chips "2026-08", s:chips "2026-12")
function methods:chips(date)
  local m = F.month(date, "schedule:chips")
  return S.sum(self.projects, function(p)
    if p.per_chip then return project_online(p, m) / p.per_chip end
  end) or num "0 chip"
end

-- the quarter of a month index, "2027-Q3"
local function quarter(m)
  return ("%04d-Q%d"):format(m // 12, (m % 12) // 3 + 1)
end

--- Capacity at the end of each quarter, with what each quarter added.
-- @param from first quarter ("2026-Q1" or a date), to last quarter
-- @return rows { quarter, online, added } (online at the quarter's end)
-- example: local s = schedule.new(); s:add{ power = num"1 GW", start = "2026-01", build = num"12 month", ramp = num"6 month" }; for _, r in ipairs(s:quarters("2026-Q4", "2027-Q3")) do print(r.quarter, r.online, r.added) end
function methods:quarters(from, to)
  local a = F.month(from, "schedule:quarters")
  local b = F.month(to, "schedule:quarters")
  a = a - a % 3
  local rows, prev = {}, self:online(F.monthname(a))
  for m = a, b, 3 do
    local v = self:online(F.monthname(m + 3))
    rows[#rows + 1] = { quarter = quarter(m), online = v, added = v - prev }
    prev = v
  end
  return rows
end

--- Prints the quarterly table: IT capacity online at each quarter's end and what the quarter added (in GW).
-- @param from first quarter; to last quarter
-- @param quiet when true, only returns the text
-- @return the text
-- example: local s = schedule.new(); s:add{ power = num"1 GW", start = "2026-01", build = num"12 month", ramp = num"6 month" }; s:table("2026-Q4", "2027-Q3")
function methods:table(from, to, quiet)
  local rows = {}
  for _, r in ipairs(self:quarters(from, to)) do
    rows[#rows + 1] = { r.quarter, r.online:to "GW", r.added:to "GW" }
  end
  return F.tabulate({ "quarter", "IT online", "added" }, rows, quiet)
end

--- When capacity first reaches a level: for each quarter, the chance it has by the quarter's end.
-- @param level a Power (e.g. 20 GW)
-- @param from first quarter, to last quarter
-- @return rows { quarter, p }, and the first quarter where p reaches 50% (nil if none)
-- example: local s = schedule.new(); s:add{ power = num"1 GW", start = "2026-01", build = num"12 month" to num"24 month" }; local rows, median = s:reach(num"1 GW", "2026-Q4", "2028-Q4"); print(median)
function methods:reach(level, from, to)
  level = S.expect(level, "20 GW", "schedule:reach: level")
  local rows, median = {}, nil
  for _, r in ipairs(self:quarters(from, to)) do
    local p = P(GE(r.online, level))
    rows[#rows + 1] = { quarter = r.quarter, p = p }
    if not median and p >= 0.5 then median = r.quarter end
  end
  return rows, median
end

Schedule.__tostring = function(s)
  return ("schedule '%s' (%d projects)"):format(s.name, #s.projects)
end

schedule.Schedule = Schedule
return schedule
