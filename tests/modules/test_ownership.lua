-- tests/modules/test_ownership.lua: the levelised cost of owning (one monthly convention,
-- the same as a deal's), its parts, and buying against renting on the same basis.
-- Expected values are closed forms worked out here in plain floating point.
local T = require "tap"

local H = num"1 $/chip/h"
local function pv(rate, n)             -- sum over k < n of (1 + rate)^(-k/12)
  local a = 0
  for k = 0, n - 1 do a = a + (1 + rate) ^ (-k / 12) end
  return a
end

-- capital: $25k at 8% over 60 months of 730 h: 25000 / (730 x 49.9643) = $0.68542
local c8 = ownership.cost { capex = num"25000 $/chip", life = num"5 yr", rate = num"8%" }
T.near(c8.capital, num(25000 / (730 * pv(0.08, 60))) * H, num"1e-9 $/chip/h", "capital: capex over the PV of its chip-hours")
T.near(c8.capital, num"0.68542 $/chip/h", num"0.00001 $/chip/h", "about $0.685 per chip-hour")
T.near(c8.hours, num(730 * pv(0.08, 60)) * num"1 h", num"1e-6 h", "hours: the PV of one chip's 43,800 hours")
local c0 = ownership.cost { capex = num"40000 $/chip", life = num"5 yr", rate = num"0%" }
T.eq(c0.capital, num"40000 $/chip" / num"43800 h", "at 0% the capital is capex / hours")
local res = ownership.cost { capex = num"25000 $/chip", life = num"5 yr", rate = num"8%", residual = num"5000 $/chip" }
T.near(res.capital, num((25000 - 5000 * 1.08 ^ -5) / (730 * pv(0.08, 60))) * H, num"1e-9 $/chip/h", "a residual value in money: its PV comes off")

-- every part, at 0% so that each is a plain division
local o = ownership.cost { capex = num"40000 $/chip", life = num"5 yr", rate = num"0%", it_power = num"1 kW/chip",
                           pue = num"1.2", load = num"50%", power_price = num"0.10 $/kWh",
                           build_cost = num"10M $/MW", facility_life = num"15 yr",
                           opex = { staff = num"2%", software = num"876 $/chip/yr" },
                           utilisation = num"50%", goodput = num"80%" }
T.eq(o.facility, num"10000 $/chip" / num"131400 h", "facility: $10M/MW x 1 kW over 15 years of hours")
T.eq(o.power, num"0.06 $/chip/h", "power: 1 kW x 50% load x PUE 1.2 x $0.10/kWh")
T.eq(o.opex_parts.staff, num"800 $/chip" / num"8760 h", "staff: 2% of $40k a year")
T.eq(o.opex_parts.software, num"0.1 $/chip/h", "software: $876 a year")
T.eq(o.opex, o.opex_parts.staff + o.opex_parts.software, "opex is the sum of its items")
T.eq(o.total, o.capital + o.facility + o.colo + o.power + o.opex, "total is the sum of the parts")
T.eq(o.used, o.total / num"0.4", "a useful hour: total / (utilisation x goodput)")
local colo = ownership.cost { capex = num"40000 $/chip", rate = num"0%", it_power = num"1 kW/chip", colo = num"146 $/kW/month" }
T.eq(colo.colo, num"0.2 $/chip/h", "colocation: $146/kW/month x 1 kW over 730 h")
local f8 = ownership.cost { capex = num"1 $/chip", rate = num"8%", it_power = num"1 kW/chip", build_cost = num"10M $/MW" }
T.near(f8.facility, num(10000 / (730 * pv(0.08, 180))) * H, num"1e-9 $/chip/h", "the facility levelised over its 15 years at the same rate")

-- the chain: a chip gives IT power and its average load
local tpu = ownership.cost { chip = "tpu-v7", capex = num"25000 $/chip", pue = num"1.2", power_price = num"0.08 $/kWh" }
T.eq(tpu.it_power, watts.it "tpu-v7", "IT power from the chain")
T.eq(tpu.load, num"0.43", "average load from the chain")
T.eq(tpu.power, watts.it "tpu-v7" * num"0.43" * num"1.2" * num"0.08 $/kWh", "power at average load")

-- the owner's cost and a deal's levelised cost agree (one convention)
local buy = contracts.purchase { item = "h100", unit_price = num"40000 $/chip", quantity = num"1000 chip", delivery = "2026-01", life = num"5 yr" }
local space = contracts.colocation { power = buy:power(), rate = num"150 $/kW/month", start = "2026-01", term = num"5 yr" }
local energy = contracts.power { power = watts.facility(buy:power(), num"1.2"), load = num"75%", price = num"0.08 $/kWh", start = "2026-01", term = num"5 yr" }
local d = deal.new { contracts = { buy, space, energy }, start = "2026-01", horizon = num"5 yr", rate = num"8%" }
local same = ownership.cost { chip = "h100", capex = num"40000 $/chip", life = num"5 yr", rate = num"8%", colo = num"150 $/kW/month",
                              pue = num"1.2", load = num"75%", power_price = num"0.08 $/kWh" }
T.near(d:cost_per_chip_hour(true), same.total, num"1e-9 $/chip/h", "a deal of purchase, colocation and power levelises to ownership.cost's total")

-- uncertain inputs pass through
local u = ownership.cost { capex = num"25000 $/chip", life = range(num"4 yr", num"6 yr"), rate = range(num"0.06", num"0.10") }
T.ok(isuncertain(u.capital), "uncertain life and rate give an uncertain cost")
T.ok(mean(u.capital) > num"0.6 $/chip/h" and mean(u.capital) < num"0.8 $/chip/h", "and a sensible one", tostring(u.capital))

-- buying against renting, per useful hour
local od = ownership.vs_rent { own = num"1.10 $/chip/h", rent = num"2 $/chip/h", utilisation = num"50%", take_or_pay = false }
T.eq(od.own, num"2.2 $/chip/h", "owning pays idle hours: $1.10 / 50%")
T.eq(od.rent, num"2 $/chip/h", "on demand pays only used hours")
T.eq(od.cheaper, "rent", "at 50% use, renting on demand is cheaper")
T.eq(od.breakeven, num"0.55", "break-even utilisation: $1.10 / $2.00")
local rv = ownership.vs_rent { own = num"1.10 $/chip/h", rent = num"2 $/chip/h", utilisation = num"50%" }
T.eq(rv.rent, num"4 $/chip/h", "reserved capacity pays idle hours too")
T.eq(rv.cheaper, "own", "against reserved capacity, owning is cheaper")
local tab = ownership.vs_rent { own = o, rent = num"2 $/chip/h" }
T.eq(tab.own, o.used, "an ownership table brings its utilisation and goodput")
T.eq(deal.buy_vs_rent(num"1.30 $/chip/h", num"2 $/chip/h").saving, num"0.70 $/chip/h", "deal.buy_vs_rent is the same comparison")

-- errors
T.raises(function() ownership.cost { capex = num"1 $/chip", it_power = num"1 kW/chip", build_cost = num"10M $/MW", colo = num"150 $/kW/month" } end,
         "either 'build_cost'", "own the building or rent it, not both")
T.raises(function() ownership.cost { capex = num"1 $/chip", chip = "h100", it_power = num"1 kW/chip" } end, "either 'chip'", "chip and it_power")
T.raises(function() ownership.cost { capex = num"1 $/chip", life = num"0 yr" } end, "positive duration", "a zero life")
T.raises(function() ownership.cost { capex = num"1 $/chip", opex = { staff = num"2 kW" } } end, "opex.staff", "opex in the wrong unit")
T.raises(function() ownership.vs_rent { own = num"1 $/chip/h" } end, "missing field 'rent'", "vs_rent without rent")
T.done()
