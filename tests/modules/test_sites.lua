-- tests/modules/test_sites.lua: sites.new and site methods
local T = require "tap"

local s = sites.new { name = "Campus", it_power = num"1 GW", pue = num"1.2", power_price = num"0.06 $/kWh",
                      build_cost = num"11.7M $/MW", online = "2026-06" }
T.eq(s:energy(), num"10.512 TWh", "1 GW x PUE 1.2 x 8760 h = 10.512 TWh")
T.eq(s:power_cost(), num"630.72M $", "energy x $0.06/kWh")
T.eq(s:capex(), num"11.7B $", "build cost x IT power")
T.eq(s:racks(racks.get "gb200-nvl72"), num"8333 rack", "1 GW / 120 kW = 8,333 whole racks")
T.eq(s:chips(racks.get "gb200-nvl72"), num"599976 chip", "chips that fit")
T.eq(s:facility_power(), num"1.2 GW", "facility power = IT x PUE")
T.eq(s:online "2026-05", num"0 W", "nothing online before the phase")
T.eq(s:online "2026-06", num"1 GW", "online from the phase date")
T.eq(s:energy(2026), num"1 GW" * num"1.2" * num"7 month", "energy in the first (partial) year")

local p = sites.new { name = "Phased", pue = num"1.1", power_price = num"40 $/MWh", build_cost = num"10M $/MW",
                      phases = { { online = "2027-06", it_power = num"700 MW" }, { online = "2026-06", it_power = num"300 MW" } } }
T.eq(p.it_power, num"1 GW", "IT power is the sum of the phases")
T.eq(p:online "2027-01", num"300 MW", "phases are sorted by date")
T.eq(p:online "2027-06", num"1 GW", "both phases online")
local cf = p:cashflows("2028-01")
T.eq(cf:total(), -(num"10B $") - (num"300 MW" * num"1.1" * num"19 month" + num"700 MW" * num"1.1" * num"7 month") * num"40 $/MWh",
     "site cash flows: capex at each phase plus monthly power")
T.eq(sites.typical("build_cost", true), num"11.7M $/MW", "reference build cost (Cushman & Wakefield)")
T.ok(sites.reference.colocation.source.title:find("CBRE", 1, true) ~= nil, "reference figures carry sources")

T.raises(function() sites.new { it_power = num"1 GW", pue = num"1.2 kW" } end, "sites.new: field 'pue' expected a plain number", "sites.new wrong unit for pue")
T.raises(function() sites.new { pue = num"1.2" } end, "missing field 'it_power'", "sites.new missing it_power")
T.raises(function() sites.new { it_power = num"1 GW", power_price = num"60 $/MW" } end, "field 'power_price' expected a price per unit of energy", "sites.new power price per MW instead of per MWh")
T.raises(function() sites.new { phases = { { online = "June", it_power = num"1 GW" } } } end, "expected a date", "sites.new bad phase date")
T.raises(function() sites.new { phases = { { online = "2026-06", it_power = num"1 GWh" } } } end, "it_power", "sites.new phase with energy, not power")
T.raises(function() sites.new { it_power = num"1 GW" }:capex() end, "no build_cost", "site:capex without build cost")
T.raises(function() s:racks(chips.get "h100") end, "expected a rack", "site:racks wants a rack")
T.raises(function() sites.typical "nope" end, "unknown figure", "sites.typical unknown name")
T.done()
