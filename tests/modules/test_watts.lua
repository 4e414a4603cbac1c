-- tests/modules/test_watts.lua: the chain from chip to grid (stdlib/watts.lua): each
-- catalog figure at its level, nameplate and average apart, and models that cannot mix them.
local T = require "tap"

-- IT power per chip, in the chain's order: rack, allin_power, TDP x server ratio
T.eq(watts.it "h100", num"10.2 kW" / num"8 chip", "H100: DGX H100 10.2 kW / 8 GPUs = 1.275 kW")
T.eq(watts.it "b200", num"1.7875 kW/chip", "B200: DGX B200 14.3 kW / 8 GPUs")
T.eq(watts.it "mi355x", num"2.52 kW/chip", "MI355X: 1,400 W TDP x Epoch's 1.8, not the bare TDP (1.4 kW) nor utility power (2.65 kW)")
T.eq(watts.it "tpu-v4", num"299.52 W/chip", "TPU v4: 192 W x Epoch's TPU ratio 1.56")
T.eq(watts.it "maia-200", num"1350 W/chip", "Maia 200: 750 W x 1.8")
T.eq(watts.it(racks.get "gb200-nvl72"), num"120 kW" / num"72 chip", "a rack: its power over its chips")
T.eq(watts.it "ironwood-pod", watts.it "tpu-v7", "the Ironwood pod and the TPU's own figure are one figure (10 MW / 9,216)")
T.eq(watts.it("h200", { server_ratio = num"1.5" }), num"1050 W/chip", "the server ratio can be replaced")
local _, basis = watts.basis "mi355x"
T.ok(basis.kind == "estimate" and basis.how:find("server ratio", 1, true) ~= nil, "an estimate says so", basis.how)
T.raises(function() watts.it "tpu-v6e" end, "chip 'tpu-v6e' has no power figure", "a chip with no system figure and no TDP")
T.raises(function() watts.it "tpu-v99" end, "unknown chip or rack", "an unknown key")

-- facility, average, energy: by hand
T.eq(watts.facility("h100", num"1.2"), num"1.53 kW/chip", "facility = IT x PUE: 1.275 x 1.2")
T.eq(watts.facility(num"100 MW", num"1.3"), num"130 MW", "facility of a total IT power")
local c = watts.chain("tpu-v7", { pue = num"1.2" })
T.eq(c.load, num"0.43", "a TPU's average load is Epoch's 0.43 of nameplate")
T.eq(c.it_avg, c.it * num"0.43", "average IT draw = nameplate x load")
T.eq(c.facility_avg, c.it * num"0.43" * num"1.2", "average facility draw = IT x load x PUE")
T.eq(watts.load "b200", num"0.75", "a GPU's average load is Epoch's 0.75")
T.ok(isuncertain(watts.load("h100", true)), "watts.load(x, true) is Epoch's 90% range")
-- 1M TPUs: 1.0850694 GW IT x 0.43 x 1.2 x 8760 h = 4.9046875 TWh
T.eq(watts.energy("tpu-v7", num"1000000 chip", { pue = num"1.2" }), num"4.9046875 TWh", "a year of 1M TPUs at average load")
T.eq(watts.energy("h100", num"1000 chip", { pue = num"1", load = num"1" }), num"11.169 GWh", "1,000 H100 at nameplate: 1.275 MW x 8760 h")

-- how many fit: whole racks, or chips; IT or facility budget
T.eq(watts.fit(num"1 GW", racks.get "gb200-nvl72"), num"599976 chip", "1 GW / 120 kW = 8,333 whole racks of 72")
T.eq(watts.fit(num"1 GW", "tpu-v7"), num"921600 chip", "1 GW / (10 MW / 9,216) = 921,600 TPUs")
T.eq(watts.fit(num"1.2 GW", "h100", { level = "facility", pue = num"1.2" }), num"784313 chip", "facility budget: 1 GW of IT / 1.275 kW")
T.eq(sites.new { it_power = num"1 GW" }:chips "tpu-v7", num"921600 chip", "a site counts chips with the same function")

-- levels: every figure the library hands out says what it is
T.eq(watts.level(chips.get("h100").power), "chip", "chip.power is the chip level")
T.eq(watts.level(chips.get("h100").allin_power), "it", "chip.allin_power is the IT level")
T.eq(watts.level(chips.get("h100").utility_power), "facility", "chip.utility_power is the facility level (PUE inside)")
T.eq(watts.level(watts.facility("b200", num"1.2")), "facility", "watts.facility is the facility level")
T.eq(watts.level(c.facility_avg), "facility_avg", "averages are their own level")
local order = contracts.purchase { item = "tpu-v7", unit_price = num"25000 $/chip", quantity = num"1000000 chip" }
T.eq(watts.level(order:power()), "it", "a purchase's power is IT power")
T.eq(order:power(), num"1000000 chip" * watts.it "tpu-v7", "a purchase's power comes from the chain")
T.eq(watts.level(num"1 GW"), nil, "a value the model writes carries no level")

-- models cannot mix them: each function refuses a figure of another level
local h100 = chips.get "h100"
T.raises(function() ownership.cost { capex = num"30000 $/chip", it_power = h100.utility_power, pue = num"1.2", power_price = num"0.08 $/kWh" } end,
         "ownership.cost: field 'it_power' expected IT power at nameplate", "utility power (PUE inside) is not IT power: no PUE twice")
T.raises(function() ownership.cost { capex = num"30000 $/chip", it_power = h100.power, power_price = num"0.08 $/kWh" } end,
         "use watts.it(chip)", "a chip's TDP is not IT power")
T.raises(function() watts.facility(h100.utility_power, num"1.2") end, "divide by the PUE", "watts.facility refuses a figure with the PUE inside")
T.raises(function() sites.new { it_power = watts.facility(num"1 GW", num"1.3") } end, "sites.new: field 'it_power' expected IT power", "a site's IT power is not facility power")
T.raises(function() contracts.colocation { power = watts.facility(order:power(), num"1.2"), rate = num"150 $/kW/month", term = num"1 yr" } end,
         "contracts.colocation: field 'power' expected IT power", "colocation prices IT power")
T.raises(function() contracts.power { power = order:power(), price = num"50 $/MWh", term = num"1 yr" } end,
         "multiply by the PUE", "a PPA buys facility power: the IT figure leaves out the PUE")
T.noerr("a PPA takes the facility figure", function()
  contracts.power { power = watts.facility(order:power(), num"1.2"), load = watts.load "tpu-v7", price = num"50 $/MWh", term = num"1 yr" }
end)
T.raises(function() racks.new { chip = "h100", count = num"8 chip", power = watts.facility(num"10.2 kW", num"1.3") } end,
         "racks.new: field 'power' expected IT power", "a rack's power is IT power")
local site = sites.new { it_power = num"1 GW", pue = num"1.2", load = num"0.75" }
T.raises(function() sites.new { it_power = site:average_power() } end, "sites.new: field 'it_power' expected IT power", "an average draw does not size a site")
T.eq(site:facility_power(), num"1.2 GW", "a site's grid connection: IT x PUE, at nameplate (the load does not shrink it)")
T.eq(site:average_power(), num"900 MW", "its average draw: IT x load x PUE")
T.eq(site:energy(), num"7.884 TWh", "energy at average load: 900 MW x 8760 h")
T.raises(function() watts.check(h100.utility_power, "it", "mine") end, "mine expected IT power", "watts.check for user modules")
T.done()
