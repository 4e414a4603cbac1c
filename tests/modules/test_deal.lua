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
