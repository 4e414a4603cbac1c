-- tests/modules/test_contracts.lua: purchase, cloud, colocation, power, lease, financing, capacity
local T = require "tap"

-- purchase
local rack = racks.get "ironwood-rack"
local o = contracts.purchase { buyer = "Lab", seller = "Broadcom", item = rack, value = num"10B $" + num"11B $",
                               delivery = { { "2026-06", num"50%" }, { "2026-12", num"50%" } } }
T.eq(o:quantity(), num"13125 rack", "$21B / $1.6M per rack = 13,125 racks")
T.eq(o:chips(), num"840000 chip", "13,125 racks x 64 = 840k TPUs")
T.near(mean(o:power()), mean(rack:power()) * num"13125 rack", num"1 kW", "purchase power = racks x rack power")
T.eq(o:cost(), num"21B $", "purchase cost is its value")
T.eq(o:capacity("2026-07").chips, num"420000 chip", "half delivered by July")
T.eq(o:capacity("2027-01").chips, num"840000 chip", "all delivered by December")
T.eq(o:capacity("2031-12").chips, num"0 chip", "capacity ends after the 5-year life")
T.eq(o:cost("2026-01", "2026-07"), num"10.5B $", "paid on delivery")
T.eq(o.vendor, "Google", "vendor of a TPU rack is Google")
local byq = contracts.purchase { item = "hgx-h100", quantity = num(1000), delivery = "2026-03" }
T.eq(byq:cost(), num"318M $", "quantity x unit price")
local chipo = contracts.purchase { item = chips.get "h100", unit_price = num"24000 $/chip", value = num"2.4B $" }
T.eq(chipo:quantity(), num"100000 chip", "a chip purchase counts chips")
T.eq(chipo:power(), num"100000 chip" * chips.get("h100").allin_power, "chip purchase power uses all-in power per chip")
T.raises(function() contracts.purchase { item = rack } end, "missing field 'value'", "purchase without value")
T.raises(function() contracts.purchase { value = num"1B $" } end, "missing field 'item'", "purchase without item")
T.raises(function() contracts.purchase { item = rack, value = num"1 GW" } end, "contracts.purchase: field 'value' expected an amount of money in USD (e.g. 21B $), got 1 GW", "purchase value in the wrong unit")
T.raises(function() contracts.purchase { item = "tpu-v7", value = num"1B $" } end, "has no price", "purchase of a chip with no price")
T.raises(function() contracts.purchase { item = rack, value = num"1B $", delivery = { { "2026-06", num"50%" } } } end, "add up to", "delivery shares must add to 100%")
T.raises(function() contracts.purchase { item = rack, value = num"1B $", unit_price = num"20000 $/chip" } end, "field 'unit_price'", "rack unit price must be per rack")

-- cloud
local c = contracts.cloud { chip = "tpu-v6e", chips = num"10000 chip", rate = num"2.70 $/chip/h", discount = num"55%",
                            start = "2026-01", term = num"3 yr" }
T.eq(c:rate(), num"1.215 $/chip/h", "discounted rate")
T.eq(c:cost(), num"10000 chip" * num"1.215 $/chip/h" * num"3 yr", "cloud cost = chips x rate x term")
T.eq(c:chip_hours("2026-01", "2027-01"), num"87600000 chip*h", "chip-hours in a year")
T.eq(c:capacity("2029-01").chips, num"0 chip", "capacity ends with the term")
local idle = contracts.cloud { chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", use = num"50%", term = num"1 yr" }
T.eq(idle:cost_per_used_chip_hour(), num"4 $/chip/h", "take-or-pay: idle hours raise the cost per used hour")
local payg = contracts.cloud { chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", use = num"50%", take_or_pay = false, term = num"1 yr" }
T.eq(payg:cost(), idle:cost() / 2, "without take-or-pay only used hours are paid")
local com = contracts.cloud { chip = "tpu-v7", commitment = num"42B $", rate = num"1.60 $/chip/h", term = num"5 yr" }
T.eq(com:chips(), num"42B $" / (num"1.60 $/chip/h" * num"5 yr"), "chips implied by a commitment")
T.eq(com:committed(), num"42B $", "committed spend")
T.raises(function() contracts.cloud { chip = "h100", chips = num"1000 chip", rate = num"2 $/h", term = num"1 yr" } end,
         "contracts.cloud: field 'rate' expected a price per chip-hour", "cloud rate per hour, not per chip-hour")
T.raises(function() contracts.cloud { chip = "h100", rate = num"2 $/chip/h", term = num"1 yr" } end, "missing field 'chips'", "cloud without chips or commitment")
T.raises(function() contracts.cloud { chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h" } end, "missing field 'term'", "cloud without term")
T.raises(function() contracts.cloud { chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" } end, "field 'chip'", "cloud without chip")

-- colocation and power
local colo = contracts.colocation { power = num"100 MW", rate = num"184.06 $/kW/month", start = "2026-06", term = num"10 yr", escalator = num"3%" }
T.eq(colo:cost("2026-06", "2027-06"), num"100 MW" * num"184.06 $/kW/month" * num"12 month", "first contract year at list rate")
T.eq(colo:cost("2027-06", "2028-06"), (num"100 MW" * num"184.06 $/kW/month" * num"12 month" * num"1.03"), "second year escalated 3%")
T.eq(colo:capacity("2030-01").power, num"100 MW", "colocation provides power capacity")
local ppa = contracts.power { power = num"1 GW", price = num"50 $/MWh", load = num"80%", start = "2026-01", term = num"15 yr" }
T.eq(ppa:energy(), num"7.008 TWh", "PPA energy per year")
T.eq(ppa:cost("2026-01", "2027-01"), num"350.4M $", "PPA cost per year")
T.raises(function() contracts.colocation { power = num"100 MW", rate = num"184 $/kW", term = num"1 yr" } end, "field 'rate'", "colocation rate must be per kW per month")
T.raises(function() contracts.power { power = num"1 GWh", price = num"50 $/MWh", term = num"1 yr" } end, "contracts.power: field 'power' expected a Power", "PPA power as energy")

-- lease
local l = contracts.lease { lessee = "Lab", lessor = "SPV", chips = num"1000 chip", payment = num"17.52M $/yr", term = num"1 yr" }
T.eq(l:cost_per_chip_hour(), num"2 $/chip/h", "lease cost per chip-hour")
T.eq(l:cost(), num"17.52M $", "lease cost over the term")

-- financing
local f = contracts.financing { borrower = "SPV", start = "2026-06", tranches = {
    { name = "A", kind = "debt", amount = num"25B $", rate = num"5.625%", term = num"7 yr", senior = true },
    { name = "B", kind = "debt", amount = num"4.5B $", rate = num"8.5%", term = num"7 yr" },
    { name = "equity", kind = "equity", amount = num"5B $", rate = num"12%" } },
  guarantees = { { kind = "residual value", by = "Broadcom", covers = num"31B $" } } }
T.eq(f:raised(), num"34.5B $", "raised = debt + equity")
T.eq(f:debt(), num"29.5B $", "debt")
T.eq(f:debt(true), num"25B $", "senior debt")
T.eq(f:equity(), num"5B $", "equity")
T.eq(f:schedule("A").rows[7].closing, num"0 $", "senior tranche repaid over 7 years")
T.eq(f:debt_service(2027), f:schedule("A").rows[1].payment + f:schedule("B").rows[1].payment, "debt service in a year")
local pay = f:lease_payment()
T.eq(f:guaranteed(), num"31B $", "guaranteed amount")
T.eq(f:residual_call(num"25B $"), num"6B $", "residual-value call")
local cov = f:coverage(pay)
T.ok(#cov == 7, "coverage for each year with debt service")
T.ok(cov[1].coverage > num(1) and cov[1].senior_coverage > cov[1].coverage, "lease covers all debt, senior more")
local lease = f:lease { lessee = "Lab", chips = num"1M chip", chip = "tpu-v7" }
T.near(lease:cost("2027-06", "2028-06"), pay * num"1 yr", num"1 $", "the lease pays the lease payment each year")
T.raises(function() contracts.financing { tranches = {} } end, "missing field 'tranches'", "financing without tranches")
T.raises(function() contracts.financing { tranches = { { kind = "debt", amount = num"1B $", rate = num"5%" } } } end, "tranches[1]: missing field 'term'", "debt tranche without term")
T.raises(function() contracts.financing { tranches = { { kind = "mezz", amount = num"1B $" } } } end, "expected \"debt\" or \"equity\"", "unknown tranche kind")
T.raises(function() contracts.financing { tranches = { { kind = "debt", amount = num"1B $", rate = num"5 $", term = num"5 yr" } } } end, "field 'rate' expected a plain number", "rate with a unit")

-- cover per year: the cash of the same months as the debt service (a June start is not 2x)
local june = contracts.financing { start = "2026-06", tranches = {
    { name = "A", kind = "debt", senior = true, amount = num"100M $", rate = num"6%", term = num"5 yr", period = "month" } } }
local monthly = june:schedule("A").rows[1].payment
local pay = monthly * 12 * num"1.01" / num"1 yr"
local jc = june:coverage(pay)
T.eq(jc[1].year, 2026, "the stub year is reported")
T.near(jc[1].coverage, num"1.01", num"1e-6", "stub year: seven months of cash over seven payments (1.01, not 2.03)")
T.near(jc[2].coverage, num"1.01", num"1e-6", "a full year: the same cover")
local ser = finance.series(); ser:add_monthly("2026-07", 60, monthly * num"1.01")
T.near(june:coverage(ser)[1].coverage, num"1.01", num"1e-6", "cover from a series of cash")
-- ranks, floating rates, fees, interest during construction
local sofr = finance.floating { base = num"4%", spread = num"2%" }
local v = contracts.financing { start = "2026-01", tranches = {
    { name = "S", kind = "debt", rank = "senior", amount = num"60M $", rate = sofr, term = num"3 yr", fee = num"1%" },
    { name = "M", kind = "debt", rank = "mezzanine", amount = num"20M $", rate = num"10%", term = num"3 yr",
      draws = { { "2026-01", num"50%" }, { "2026-07", num"50%" } }, repay = "2027-01" },
    { name = "E", kind = "equity", amount = num"20M $" } } }
T.eq(v:schedule("S").rows[1].interest, num"3.6M $", "a floating tranche pays base + spread")
T.eq(v:cost("2026-01", "2026-02"), -(num"60M $" + num"10M $" + num"20M $" - num"0.6M $"), "raised in the first month (the first draw), net of the fee")
local m = v:schedule("M")
T.eq(m.principal, num"10M $" * num"1" * (1 + num"0.1" / 12) ^ 12 + num"10M $" * (1 + num"0.1" / 12) ^ 6, "mezzanine principal includes interest during construction")
T.eq(m.rows[1].date, "2028-01", "repaid from the year after construction")
T.raises(function() contracts.financing { tranches = { { kind = "debt", rank = "super", amount = num"1B $", rate = num"5%", term = num"5 yr" } } } end, "field 'rank'", "unknown rank")
-- the vehicle's waterfall: senior, then mezzanine, then equity
local wf = v:waterfall { cash = num"40M $/yr" }
T.eq(wf.rows[1].date, "2027-01", "waterfall periods start one period after the financing")
T.ok(wf.tranches[1].name == "S" and wf.tranches[2].name == "M", "seniors are paid first")
T.eq(wf.rows[1].by.M.due, num"0 $", "the tranche drawn during construction owes nothing before its first payment")
T.eq(wf.rows[2].by.M.due, m.rows[1].payment, "then its schedule's payments")
T.ok(isuncertain(v:waterfall { cash = range(num"30M $/yr", num"50M $/yr") }:equity_irr { quiet = true }), "uncertain cash: an uncertain equity IRR")

-- capacity rights
local r = contracts.capacity { buyer = "Lab", seller = "Google Cloud", chip = "tpu-v7", cap = num"1M chip", use = num"60%",
                               rate = num"1.60 $/chip/h", priority = 1, start = "2026-06", term = num"5 yr" }
T.eq(r:drawn(), num"600000 chip", "drawn = cap x use")
T.eq(r:unused(), num"400000 chip", "unused part of the cap")
T.eq(r:cost(), num"600000 chip" * num"1.60 $/chip/h" * num"5 yr", "only called capacity is paid")
T.eq(r:max_cost(), num"1M chip" * num"1.60 $/chip/h" * num"5 yr", "cost if fully called")
local m = contracts.capacity { chip = "tpu-v7", cap = num"1M chip", use = num"30%", min_use = num"50%", rate = num"1 $/chip/h", term = num"1 yr" }
T.eq(m:cost(), num"500000 chip" * num"1 $/chip/h" * num"1 yr", "minimum use is paid (take-or-pay floor)")
local a = contracts.capacity { name = "A", chip = "tpu-v7", cap = num"600k chip", priority = 1, term = num"1 yr" }
local b = contracts.capacity { name = "B", chip = "trainium2", cap = num"1M chip", priority = 2, term = num"1 yr" }
local got, left = contracts.allocate(num"900k chip", { b, a })
T.ok(got[1].right == a and got[1].chips == num"600k chip" and got[2].chips == num"300k chip" and left == num"0 chip", "allocate fills by priority up to caps")
T.raises(function() contracts.capacity { chip = "tpu-v7", cap = num"1 GW", term = num"1 yr" } end, "field 'cap' expected a number of chips", "cap in power, not chips")
T.raises(function() contracts.allocate(num"5 MW", { a }) end, "demand expected a number of chips", "allocate wrong unit")
T.done()
