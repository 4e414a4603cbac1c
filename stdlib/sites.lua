-- stdlib/sites.lua: data-center campuses.
--
-- Data-center campuses: critical IT power, PUE, power price, build cost per MW, phases with
-- online dates. `sites.reference` holds sourced reference figures (Cushman & Wakefield build
-- cost, Uptime PUE, EIA power prices, CBRE colocation rates, NVIDIA's cost per GW, server
-- lifetimes).
--
-- `it_power` is the critical IT load; the facility draws it_power x PUE. `load`
-- is the average draw as a share of IT capacity (default 100%). Yearly energy
-- uses yr = 8760 h.
--
--   local campus = sites.new { name = "Abilene", pue = 1.2, power_price = $0.06/kWh,
--                              build_cost = sites.typical("build_cost", true),
--                              phases = { { online = "2026-06", it_power = 400 MW },
--                                         { online = "2027-06", it_power = 800 MW } } }
--   print(campus.it_power, campus:racks(racks.get "gb200-nvl72"), campus:energy(), campus:capex())
--   print(campus:energy(2026), campus:power_cost(2027))
local S = require "_shared"
local F = require "finance"
local racks = require "racks"

local sites = {}

local Site = { __name = "site" }
local methods = {}
Site.__index = methods

local YEAR = num "1 yr"
local MONTH = num "1 month"

--- Reference figures (build cost per MW, PUE, power prices, colocation rates) with sources.
-- Each entry has value, lo, hi, what, kind, date and source.
-- example: print(sites.reference.build_cost.value, sites.reference.build_cost.source.title)
sites.reference = require "catalog_sites"

--- A reference figure as a value: the range lo to hi when the sources give one, else the value.
-- @param name an entry of sites.reference ("build_cost", "pue", "power_price", "colocation", ...)
-- @param central when true, the central value instead of the range
-- @return the value (uncertain for a range)
-- example: print(sites.typical("build_cost", true))   --> $11.7M/MW
function sites.typical(name, central)
  local e = sites.reference[name]
  if not e then
    local keys = {}
    for k in pairs(sites.reference) do keys[#keys + 1] = k end
    table.sort(keys)
    S.fail(("sites.typical: unknown figure %s (known: %s)"):format(S.describe(name), table.concat(keys, ", ")))
  end
  if central or not e.lo then return e.value end
  return S.range(e.lo, e.hi)
end

--- A data-center campus.
-- @param t.it_power critical IT power (e.g. 1 GW); defaults to the sum of the phases
-- @param t.pue power usage effectiveness (default 1.2)
-- @param t.power_price price of electricity (e.g. $0.06/kWh or $40/MWh)
-- @param t.build_cost capex per MW of critical IT (e.g. $11.7M/MW), optional
-- @param t.load average draw as a share of IT capacity (default 100%)
-- @param t.phases list of { online = "2026-06", it_power = 300 MW }; or t.online = "2026-06" for one phase
-- @param t.name a label
-- @return a site with :racks(), :chips(), :energy(), :power_cost(), :capex(), :online(), :cashflows()
-- example: local s = sites.new{ name = "Campus", it_power = num"1 GW", pue = num"1.2", power_price = num"0.06 $/kWh", build_cost = num"11.7M $/MW", online = "2026-06" }; print(s:energy(), s:capex())
function sites.new(t)
  local fn = "sites.new"
  S.args(t, fn)
  local s = { name = t.name or "site" }
  s.pue = S.need(t, "pue", "1.2", fn, true) or num "1.2"
  s.load = S.need(t, "load", "80%", fn, true) or num(1)
  s.power_price = S.need(t, "power_price", "0.06 $/kWh", fn, true)
  s.build_cost = S.need(t, "build_cost", "11.7M $/MW", fn, true)
  s.it_power = S.need(t, "it_power", "1 GW", fn, t.phases ~= nil)
  s.phases = {}
  if t.phases ~= nil then
    if type(t.phases) ~= "table" or #t.phases == 0 then
      S.fail(fn .. ": field 'phases' expected a list of { online = \"2026-06\", it_power = 300 MW }, got " .. S.describe(t.phases))
    end
    for i, p in ipairs(t.phases) do
      local what = ("%s: phases[%d]"):format(fn, i)
      if type(p) ~= "table" then S.fail(what .. " expected { online = \"2026-06\", it_power = 300 MW }, got " .. S.describe(p)) end
      local m = F.month(p.online, what .. ".online")
      s.phases[i] = { online = F.monthname(m), m = m, it_power = S.need(p, "it_power", "300 MW", what) }
    end
    -- the total in the order given (before sorting by date)
    s.it_power = s.it_power or S.sum(s.phases, function(p) return p.it_power end)
    table.sort(s.phases, function(a, b) return a.m < b.m end)
  else
    local m = F.month(t.online or "2026-01", fn .. ": field 'online'")
    s.phases[1] = { online = F.monthname(m), m = m, it_power = s.it_power }
  end
  return setmetatable(s, Site)
end

--- True when x is a site.
-- @param x any value
-- @return boolean
-- example: print(sites.is(sites.new{ it_power = num"10 MW" }))   --> true
function sites.is(x)
  return getmetatable(x) == Site
end

--- How many racks of a kind fit in the IT power (whole racks when exact).
-- @param rack a rack (racks.get / racks.new)
-- @return racks (8333 rack: it_power / the rack's power per rack)
-- example: print(sites.new{ it_power = num"1 GW" }:racks(racks.get "gb200-nvl72"))   --> 8.333k rack
function methods:racks(rack)
  if not racks.is(rack) then
    S.fail("site:racks: expected a rack (racks.get \"gb200-nvl72\"), got " .. S.describe(rack))
  end
  local n = self.it_power / rack:power()
  if num.isnum(n) and num.isexact(n) then n = num.floor(n) end
  return n
end

--- How many chips fit: racks that fit x chips per rack.
-- @param rack a rack
-- @return chips
-- example: print(sites.new{ it_power = num"1 GW" }:chips(racks.get "gb200-nvl72"))
function methods:chips(rack)
  return self:racks(rack) * rack.count
end

--- Power drawn from the grid at full build-out: IT power x load x PUE.
-- @return a Power
-- example: print(sites.new{ it_power = num"1 GW", pue = num"1.3" }:facility_power())   --> 1.3 GW
function methods:facility_power()
  return self.it_power * self.load * self.pue
end

--- IT power online at a date (sum of the phases online by then).
-- @param date a date ("2027-01")
-- @return a Power
-- example: local s = sites.new{ phases = { { online = "2026-06", it_power = num"300 MW" }, { online = "2027-06", it_power = num"700 MW" } } }; print(s:online "2027-01")
function methods:online(date)
  local m = F.month(date, "site:online")
  return S.sum(self.phases, function(p)
    if p.m <= m then return p.it_power end
  end) or 0 * self.it_power
end

-- IT power·months online within calendar year y
local function itmonths(self, y)
  return S.sum(self.phases, function(p)
    local k = math.max(0, math.min(12, (y + 1) * 12 - math.max(p.m, y * 12)))
    if k > 0 then return p.it_power * k end
  end)
end

--- Energy drawn in a year: at full build-out, or in a calendar year given the phases.
-- @param year optional calendar year (2027)
-- @return Energy (TWh)
-- example: print(sites.new{ it_power = num"1 GW", pue = num"1.2" }:energy())   --> 10.5 TWh
function methods:energy(year)
  local e
  if year == nil then
    e = self:facility_power() * YEAR
  else
    local pm = itmonths(self, year)
    if not pm then return num "0 TWh" end
    e = pm * self.load * self.pue * MONTH
  end
  return e:to "TWh"
end

--- Cost of the energy in a year (needs power_price).
-- @param year optional calendar year
-- @return money per year
-- example: print(sites.new{ it_power = num"1 GW", pue = num"1.2", power_price = num"0.06 $/kWh" }:power_cost())
function methods:power_cost(year)
  if self.power_price == nil then
    S.fail(("site '%s' has no power_price; pass power_price = ... (e.g. $0.06/kWh) to sites.new"):format(self.name))
  end
  return self:energy(year) * self.power_price
end

--- Capital cost of building the site: build_cost x IT power.
-- @return money
-- example: print(sites.new{ it_power = num"1 GW", build_cost = num"11.7M $/MW" }:capex())   --> $11.7B
function methods:capex()
  if self.build_cost == nil then
    S.fail(("site '%s' has no build_cost; pass build_cost = ... (e.g. $11.7M/MW) to sites.new"):format(self.name))
  end
  return self.build_cost * self.it_power
end

--- Cash flows of owning the site, from the owner's side (payments negative).
-- Build capex at each phase's online date and electricity each month from then until the horizon.
-- @param until_date the end (first month excluded), e.g. "2031-01"
-- @return a finance series with labels "site capex" and "power"
-- example: local s = sites.new{ it_power = num"100 MW", power_price = num"0.05 $/kWh", build_cost = num"10M $/MW", online = "2026-01" }; s:cashflows("2028-01"):table()
function methods:cashflows(until_date)
  local stop = F.month(until_date or "2031-01", "site:cashflows")
  local s = F.series(self.name)
  for _, p in ipairs(self.phases) do
    if self.build_cost then s:add(p.m, -(self.build_cost * p.it_power), "site capex") end
    if self.power_price and stop > p.m then
      local monthly = p.it_power * self.load * self.pue * MONTH * self.power_price
      s:add_monthly(p.m, stop - p.m, -monthly, "power")
    end
  end
  return s
end

--- Capacity at a date: IT power online.
-- @param date a date
-- @return { power = IT power online }
-- example: print(sites.new{ it_power = num"1 GW", online = "2026-06" }:capacity("2026-07").power)
function methods:capacity(date)
  return { power = self:online(date) }
end

Site.__tostring = function(s)
  return ("%s: %s IT, PUE %s, %d phase(s) from %s"):format(s.name, tostring(s.it_power), tostring(s.pue),
    #s.phases, s.phases[1] and s.phases[1].online or "?")
end

sites.Site = Site
return sites
