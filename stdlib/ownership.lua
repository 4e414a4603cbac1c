-- stdlib/ownership.lua: the levelised cost of owning a chip, and buying
-- against renting on the same basis.
--
-- What an hour of an owned chip costs, levelised with the cost of capital, and how it compares
-- with renting one. `deal.owner_cost` and `deal.buy_vs_rent` are these functions under their
-- older names.
--
-- **One convention: monthly levelised cost.** A cost per chip-hour is the present value of the
-- costs over the present value of the chip-hours, both counted month by month at the month's
-- start and discounted at an annual effective rate, `(1 + r)^(-k/12)` for month k: the
-- convention of finance series and of `deal:cost_per_chip_hour(true)`, so that a model's deal
-- and its owner's cost agree to the cent, and a flat rental levelises to its own rate.
-- Capital: `(capex - PV(residual)) / PV(chip-hours)`, the capex paid when the chip arrives and
-- the residual value received when its life ends. At 8%, a $25k TPU over 5 years costs
-- $0.685 per chip-hour of capital (`$25,000 / (730 h x 49.96)`), not $25,000 / 43,800 h =
-- $0.571 (no cost of capital), and not the $0.715 of a yearly capital recovery factor, which
-- collects each year's capital at the year's end and so charges half a year's interest more.
--
-- **What an hour includes.** Capital; the facility (build cost per MW of IT recovered over the
-- facility's life at the same rate, or colocation per kW of IT per month); power (IT nameplate x
-- average load x PUE x price); opex (staff, spares, network, storage, software: each a share of
-- capex per year or money per chip per year). IT power comes from the chain
-- (stdlib/watts.lua) when a chip or rack is given. Costs are per *installed* chip-hour; `used`
-- divides by utilisation (the share of hours sold or used) and goodput (the share of used
-- hours that do useful work), the cost of an hour that earns.
--
--   local own = ownership.cost { chip = "tpu-v7", capex = $25k/chip, life = 5 yr, rate = 8%,
--                                pue = 1.2, power_price = $0.07/kWh, colo = $150/kW/month,
--                                opex = { staff = 2%, spares = 1%, software = $500/chip/yr },
--                                utilisation = 70%, goodput = 90% }
--   print(own.capital, own.colo, own.power, own.opex, own.total, own.used)
--   local r = ownership.vs_rent { own = own, rent = $1.60/chip/h }
--   print(r.own, r.rent, r.saving, r.cheaper)
local S = require "_shared"
local F = require "finance"
local PW = require "watts"
local REF = require "catalog_sites"

local ownership = {}

local MONTH = num "1 month"
local YEAR = num "1 yr"
local PER = "$/chip/h"
local ZERO = num "0 $/chip/h"

-- sum over k < n of (1 + rate)^(-k/12): the present value of 1 a month for n months
-- (n a whole number: finance.month_factor, exact where it can be; otherwise the closed form)
local function annuity(rate, n)
  if math.type(n) == "integer" then return F.month_factor(rate, 0, n) end
  if S.iszero(rate) then return n end
  local v = (1 + rate) ^ (num(-1) / 12)
  return (1 - v ^ n) / (1 - v)
end

-- (1 + rate)^(-n/12): the discount factor n months out
local function discount(rate, n)
  if math.type(n) == "integer" then return F.month_factor(rate, n) end
  return (1 + rate) ^ (-n / 12)
end

-- a duration as months: an integer when whole and exact, else a plain (maybe uncertain) number
local function months(t, fn, field, default)
  local v = S.need(t, field, "5 yr", fn, true) or num(default)
  local m = units.value(v, "month")
  if S.isexact(m) then
    if not (m > 0) then S.fail(("%s: field '%s' must be a positive duration, got %s"):format(fn, field, tostring(v))) end
    local i = num.tointeger(m)
    if i then return i end
  end
  return m
end

local function checkrate(rate, fn)
  if S.isexact(rate) and not (rate > -1) then
    S.fail(("%s: field 'rate' must be above -100%%, got %s"):format(fn, tostring(rate)))
  end
  return rate
end

-- opex per chip-hour: a share of capex per year, or a table of named items
local function opex_of(t, capex, fn)
  local o = t.opex
  if o == nil then return ZERO, {} end
  local function one(x, what)
    if type(x) == "number" or (num.isnum(x) or type(x) == "userdata") and units.same(x, num(1)) then
      return (capex * S.expect(x, "3%", what) / YEAR):to(PER)
    end
    return (S.expect(x, "500 $/chip/yr", what) * 1):to(PER)
  end
  if type(o) ~= "table" or num.isnum(o) then return one(o, fn .. ": field 'opex'"), {} end
  local parts, total = {}, nil
  local names = {}
  for k in pairs(o) do
    if type(k) ~= "string" then S.fail(fn .. ": field 'opex' expected a share (5%) or a table { staff = 2%, software = $500/chip/yr, ... }") end
    names[#names + 1] = k
  end
  table.sort(names)
  for _, k in ipairs(names) do
    parts[k] = one(o[k], ("%s: opex.%s"):format(fn, k))
    total = S.add(total, parts[k])
  end
  return total or ZERO, parts
end

--- The levelised cost of owning one chip, per chip-hour, with its parts (see the module notes).
-- @param t.capex price per chip in a finished system, server and network share included ($/chip), required
-- @param t.chip optional chip or rack (or key): IT power from the chain and its average load (watts.load)
-- @param t.it_power IT power per chip at nameplate (kW/chip; t.power is the same field), when no chip is given
-- @param t.life useful life (default 5 yr; may be uncertain), t.rate cost of capital (default 8%)
-- @param t.residual value at the end of life: a share of capex (20%) or money per chip (default 0)
-- @param t.pue (default: sites.reference.pue, 1.3), t.load average draw as a share of nameplate (default: the chip's watts.load, else 100%), t.power_price ($/kWh)
-- @param t.build_cost facility capex per MW of IT ($/MW) with t.facility_life (default 15 yr); or t.colo ($/kW/month of IT)
-- @param t.opex a share of capex per year (3%) or { staff =, spares =, network =, storage =, software =, ... }, each a share of capex per year or $/chip/yr
-- @param t.utilisation share of hours used or sold (default 100%); t.goodput share of used hours doing useful work (default 100%)
-- @return { capital, facility, colo, power, opex, opex_parts, other (= opex), total (per installed chip-hour), used (per useful chip-hour), hours (PV of one chip's hours), it_power, load, pue }
-- example: local c = ownership.cost{ capex = num"25000 $/chip", life = num"5 yr", rate = num"8%" }; print(c.capital)   --> ≈$0.685/chip/h
function ownership.cost(t)
  local fn = "ownership.cost"
  S.args(t, fn)
  local capex = S.need(t, "capex", "40000 $/chip", fn)
  local n = months(t, fn, "life", "60 month")
  local rate = checkrate(S.need(t, "rate", "8%", fn, true) or num "8%", fn)
  local residual = t.residual
  if residual == nil then residual = 0 * capex
  elseif type(residual) == "number" or units.same(residual, num(1)) then residual = capex * S.need(t, "residual", "20%", fn)
  else residual = S.need(t, "residual", "5000 $/chip", fn) end

  local it
  if t.chip ~= nil then
    if t.it_power ~= nil or t.power ~= nil then S.fail(fn .. ": give either 'chip' (IT power from the chain) or 'it_power', not both") end
    it = PW.it(t.chip)
  else
    local field = t.it_power ~= nil and "it_power" or "power"
    local need = t.power_price ~= nil or t.build_cost ~= nil or t.colo ~= nil
    it = S.need(t, field, "1.7 kW/chip", fn, not need)
    if it then S.atlevel(it, "it", ("%s: field '%s'"):format(fn, field)) end
  end
  local pue = S.need(t, "pue", "1.2", fn, true) or REF.pue.value
  local load = S.need(t, "load", "80%", fn, true) or (t.chip ~= nil and PW.load(t.chip)) or num(1)
  local price = S.need(t, "power_price", "0.06 $/kWh", fn, true)
  local build = S.need(t, "build_cost", "11.7M $/MW", fn, true)
  local colo = S.need(t, "colo", "184 $/kW/month", fn, true)
  if build and colo then S.fail(fn .. ": give either 'build_cost' (own the building) or 'colo' (rent it), not both") end
  local fmonths = months(t, fn, "facility_life", "180 month")
  local util = S.need(t, "utilisation", "60%", fn, true) or num(1)
  local goodput = S.need(t, "goodput", "90%", fn, true) or num(1)

  local out = { it_power = it, load = load, pue = pue, utilisation = util, goodput = goodput, rate = rate }
  out.hours = (MONTH * annuity(rate, n)):to "h"
  out.capital = ((capex - residual * discount(rate, n)) / out.hours):to(PER)
  out.facility = build and (build * it / (MONTH * annuity(rate, fmonths))):to(PER) or ZERO
  out.colo = colo and (colo * it):to(PER) or ZERO
  out.power = price and (it * load * pue * price):to(PER) or ZERO
  out.opex, out.opex_parts = opex_of(t, capex, fn)
  out.other = out.opex
  out.total = out.capital + out.facility + out.colo + out.power + out.opex
  out.used = out.total / (util * goodput)
  return out
end

--- Buying against renting on the same basis: the cost of a useful chip-hour each way.
-- Owning pays for every installed hour, so its cost per useful hour is total / (utilisation x
-- goodput); a reserved (take-or-pay) rental likewise pays idle hours: rate / (utilisation x
-- goodput); an on-demand rental (take_or_pay = false) pays only the hours used: rate / goodput.
-- A rental rate already includes power and the building, so it is compared with the owner's total.
-- @param t.own the owner's cost: an ownership.cost table or a cost per installed chip-hour, required
-- @param t.rent the rental rate per chip-hour, required
-- @param t.utilisation, t.goodput (default: those of the ownership.cost table, else 100%)
-- @param t.take_or_pay false for an on-demand rental (default true: reserved capacity)
-- @return { own, rent (both per useful chip-hour), saving = rent - own, ratio = own / rent, cheaper = "own"|"rent"|nil (nil when uncertain), breakeven = the utilisation at which an on-demand rental costs the same }
-- example: local r = ownership.vs_rent{ own = num"1.10 $/chip/h", rent = num"2 $/chip/h", utilisation = num"50%", take_or_pay = false }; print(r.own, r.rent, r.cheaper, r.breakeven)
function ownership.vs_rent(t)
  local fn = "ownership.vs_rent"
  S.args(t, fn)
  local own = t.own
  local util0, good0
  if type(own) == "table" and not num.isnum(own) then
    if own.total == nil then S.fail(fn .. ": field 'own' expected an ownership.cost{...} table or a cost per chip-hour") end
    util0, good0 = own.utilisation, own.goodput
    own = own.total
  end
  own = S.expect(own, "1.5 $/chip/h", fn .. ": field 'own'")
  local rent = S.need(t, "rent", "2 $/chip/h", fn)
  local util = S.need(t, "utilisation", "60%", fn, true) or util0 or num(1)
  local good = S.need(t, "goodput", "90%", fn, true) or good0 or num(1)
  local reserved = t.take_or_pay ~= false
  local r = { own = (own / (util * good)):to(PER), utilisation = util, goodput = good }
  r.rent = ((reserved and rent / (util * good)) or rent / good):to(PER)
  r.saving = r.rent - r.own
  r.ratio = r.own / r.rent
  if S.isexact(r.saving) then r.cheaper = r.saving > 0 * r.saving and "own" or "rent" end
  r.breakeven = own / rent
  return r
end

return ownership
