-- tests/modules/test_deal.lua: deal.new, TCO, cost per chip-hour, tokens, buy vs rent, mix, HHI
local T = require "tap"

local rent = contracts.cloud { name = "rent", seller = "Cloud A", chip = "h100", chips = num"1000 chip",
                               rate = num"2 $/chip/h", start = "2026-01", term = num"1 yr" }
local d = deal.new { name = "one year", contracts = { rent }, start = "2026-01", horizon = num"1 yr" }
T.eq(d:tco(), num"17.52M $", "TCO = chips x rate x 8760 h")
T.eq(d:chip_hours(), num"8760000 chip*h", "chip-hours over the horizon")
T.eq(d:cost_per_chip_hour(), num"2 $/chip/h", "a rental's cost per chip-hour is its rate")
T.ok(d:tco(true) < d:tco(), "discounted TCO is lower")
T.ok(#d:table(true) > 0, "deal:table renders")

-- the horizon clips flows
local long = deal.new { contracts = { rent }, start = "2026-07", horizon = num"6 month" }
T.eq(long:tco(), num"8.76M $", "only flows inside the horizon count")

-- SemiAnalysis's token identity: B200 at $1.95/h, 12.9k tok/s, 60% sold -> about $0.070 per M tokens
local tc = deal.token_cost { chip_hour = num"1.95 $/chip/h", throughput = num"12900 token/s/chip", utilisation = num"60%" }
T.eq(tc, num"1.95 $" * 1000000 / (3600 * 12900 * num"0.6"), "cost per million tokens = C x 1e6 / (3600 x T x U)")
T.near(tc, num"0.070 $", num"0.001 $", "worked example from domain.md (about $0.070)")
T.eq(d:cost_per_mtok { throughput = num"5000 token/s/chip" }, num"2 $" * 1000000 / (3600 * 5000), "deal:cost_per_mtok")
local tput = deal.throughput { flops = num"5000 TFLOP/s/chip", params = num"1T", mfu = num"60%" }
T.eq(tput, num"1500 token/s/chip", "compute-bound throughput: MFU x peak / (2 x params)")

-- owner's cost and buy vs rent
local oc = deal.owner_cost { capex = num"40000 $/chip", life = num"5 yr", rate = num"0%", power = num"1 kW/chip",
                             pue = num"1.25", power_price = num"0.08 $/kWh", colo = num"146 $/kW/month" }
T.eq(oc.capital, num"40000 $/chip" / num"5 yr", "capital at 0%: capex / life")
T.eq(oc.power, num"0.1 $/chip/h", "power: 1 kW x 1.25 x $0.08/kWh")
T.eq(oc.colo, num"0.2 $/chip/h", "colocation: $146/kW/month x 1 kW = $0.20/h")
T.eq(oc.total, oc.capital + oc.power + oc.colo + oc.facility + oc.other, "total is the sum of the parts")
local bvr = deal.buy_vs_rent(num"1.30 $/chip/h", num"2 $/chip/h")
T.eq(bvr.saving, num"0.70 $/chip/h", "buy vs rent saving")
T.eq(bvr.ratio, num"0.65", "buy vs rent ratio")

-- levelised cost: PV(cost) / PV(chip-hours), both discounted the same way
local flat = contracts.cloud { chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", start = "2026-01", term = num"5 yr" }
local fd = deal.new { contracts = { flat }, start = "2026-01", horizon = num"5 yr", rate = num"8%" }
T.near(fd:cost_per_chip_hour(true), num"2 $/chip/h", num"1e-12 $/chip/h", "a flat rental levelises to its own rate (not $1.66)")
local tpu = contracts.purchase { item = "tpu-v7", unit_price = num"25000 $/chip", quantity = num"1 chip", delivery = "2026-01", life = num"5 yr" }
local own = deal.new { contracts = { tpu }, start = "2026-01", horizon = num"5 yr", rate = num"8%" }
T.eq(own:cost_per_chip_hour(), num"25000 $" / num"43800 h" / num"1 chip", "undiscounted: $25k over 43,800 h ($0.571)")
local months = 0
for k = 0, 59 do months = months + 1.08 ^ (-k / 12) end
T.near(own:cost_per_chip_hour(true), num(25000 / (730 * months)) * num"1 $/chip/h", num"1e-9 $/chip/h", "levelised: $25k over the PV of its chip-hours at 8% (about $0.685)")
T.ok(own:cost_per_chip_hour(true) > own:cost_per_chip_hour(), "owning pays for the capital tied up")
local oc8 = deal.owner_cost { capex = num"25000 $/chip", life = num"5 yr", rate = num"8%" }
T.near(oc8.capital, num"25000 $/chip" * finance.crf(num"8%", 5) / num"1 yr", num"1e-12 $/chip/h", "owner's capital: capex x CRF(8%, 5)")
T.eq(num.round(units.value(oc8.capital, "$/chip/h"), 3), num"0.715", "about $0.715/chip/h, not $0.571")
local oc55 = deal.owner_cost { capex = num"25000 $/chip", life = num"5.5 yr", rate = num"8%" }
T.ok(oc55.capital < oc8.capital, "a 5.5-year life costs less per hour than a 5-year one")
T.near(oc55.capital, num(25000 * 0.08 / (1 - 1.08 ^ -5.5) / 8760) * num"1 $/chip/h", num"1e-9 $/chip/h", "5.5 years: CRF over 5.5 periods")
local oc6 = deal.owner_cost { capex = num"25000 $/chip", life = num"6 month", rate = num"8%" }
T.near(oc6.capital, num(25000 * 0.08 / (1 - 1.08 ^ -0.5) / 8760) * num"1 $/chip/h", num"1e-9 $/chip/h", "six months works (no crash in crf)")
local ocr = deal.owner_cost { capex = num"25000 $/chip", life = num"5 yr", rate = num"8%", residual = num"20%" }
T.near(ocr.capital, (num"25000 $/chip" - num"5000 $/chip" / num"1.08" ^ 5) * finance.crf(num"8%", 5) / num"1 yr", num"1e-12 $/chip/h", "residual value: its PV is not recovered")
local ocu = deal.owner_cost { capex = num"20000 $/chip", life = num"5 yr", rate = range(num"0.06", num"0.10") }
T.ok(isuncertain(ocu.capital), "an uncertain cost of capital gives an uncertain owner's cost")

-- mix and HHI
T.eq(deal.hhi { num(50), num(30), num(20) }, num(3800), "HHI of 50/30/20 is 3,800")
T.eq(deal.hhi { a = num"1 chip" }, num(10000), "a single supplier: HHI 10,000")
local tpu = contracts.cloud { seller = "Google Cloud", chip = "tpu-v6e", chips = num"1000 chip", rate = num"2.7 $/chip/h", term = num"1 yr" }
local gpu = contracts.cloud { seller = "Cloud A", chip = "h100", chips = num"3000 chip", rate = num"2 $/chip/h", term = num"1 yr" }
local mixd = deal.new { contracts = { tpu, gpu }, horizon = num"1 yr" }
local mix = mixd:mix()
T.ok(mix[1].name == "NVIDIA" and mix[1].share == num"3/4", "mix by vendor, largest first")
T.eq(mixd:hhi(), num(6250), "HHI by chips: 75^2 + 25^2")
local spend = mixd:mix("seller", "spend")
T.eq(spend[1].amount, gpu:cost(), "mix by seller and spend")
T.eq(mixd:capacity("2026-06").chips, num"4000 chip", "deal capacity sums contracts")

-- errors
T.raises(function() deal.new { } end, "deal.new: missing field 'contracts'", "deal without contracts")
T.raises(function() deal.new { contracts = { 42 } } end, "contracts[1] expected a contract", "deal with a non-contract")
T.raises(function() deal.new { contracts = {}, horizon = num"5 GW" } end, "field 'horizon' expected a duration", "horizon in the wrong unit")
T.raises(function() deal.token_cost { chip_hour = num"2 $/h", throughput = num"5000 token/s/chip" } end, "field 'chip_hour' expected a price per chip-hour", "token cost: rate per hour, not per chip-hour")
T.raises(function() deal.token_cost { chip_hour = num"2 $/chip/h" } end, "missing field 'throughput'", "token cost without throughput")
T.raises(function() deal.owner_cost { power = num"1 kW/chip" } end, "missing field 'capex'", "owner_cost without capex")
T.raises(function() deal.buy_vs_rent(num"1 $", num"2 $/chip/h") end, "own expected a price per chip-hour", "buy_vs_rent wrong unit")
T.raises(function() mixd:mix("country") end, "expected \"vendor\" or \"seller\"", "mix by an unknown key")
T.done()
