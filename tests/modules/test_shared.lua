-- tests/modules/test_shared.lua: what every module shares (stdlib/_shared.lua):
-- errors point at the model's line however deep the check runs, conversions
-- fail loudly, one method table per contract kind, the nil-safe sum.
local T = require "tap"

-- Passes when f raises msg at the line that called raises_here (write the
-- call and f on one line, as a model would).
local function raises_here(f, msg, name)
  local _, here = pcall(error, "", 3)
  return T.raises(f, here .. msg, name)
end

-- errors point at the caller's line, also from checks several calls deep
raises_here(function() racks.new { chip = "tpu-v7", count = num"64 chip", power = num"3 chip" } end, "racks.new: field 'power' expected a Power", "racks.new: a field error points at the model's line")
raises_here(function() racks.new { chip = "tpu-v99", count = num"64 chip" } end, "racks.new: field 'chip': unknown chip 'tpu-v99'", "racks.new: an unknown chip points at the model's line")
raises_here(function() contracts.purchase { item = 42, value = num"1B $" } end, "contracts.purchase: field 'item' expected a rack", "contracts.purchase: a bad item points at the model's line")
raises_here(function() contracts.cloud { chip = 42, chips = num"10 chip", rate = num"2 $/chip/h", term = num"1 yr" } end, "contracts.cloud: field 'chip' expected a chip", "contracts.cloud: a bad chip points at the model's line")
local fin = contracts.financing { tranches = { { kind = "debt", amount = num"1B $", rate = num"6%", term = num"5 yr" } } }
raises_here(function() fin:lease { chips = num"5 MW" } end, "contracts.lease: field 'chips' expected a number of chips", "financing:lease: the inner contracts.lease error points at the model's line")
raises_here(function() deal.owner_cost { capex = num"40000 $/chip", rate = num"-150%", power = num"1 kW/chip", power_price = num"0.08 $/kWh" } end, "finance.crf: rate must be above -100%", "deal.owner_cost: an error of finance.crf inside points at the model's line")
raises_here(function() chips.define { key = "h100", vendor = "A" } end, "chips.define: chip 'h100' already exists", "chips.define: a duplicate key points at the model's line")
raises_here(function() finance.month "June" end, "finance.month: expected a date", "finance.month called directly points at the model's line")
raises_here(function() pcall(error) ; chips.get(42) end, "chips.get: expected a chip key", "chips.get points at the model's line")
local ok, err = pcall(chips.get, 42)
T.ok(not ok and err:find("test_shared.lua:%d+: chips.get: expected a chip key") ~= nil, "through pcall, the error still names the model's line", err)

-- finance.expect's level: a user module's check points at its caller
local function mycheck(x)
  local v = finance.expect(x, "1 $", "mycheck: x")
  return v
end
raises_here(function() mycheck(num"1 GW") end, "mycheck: x expected an amount of money", "finance.expect (default level 2) blames the caller of the user function")

-- a value that cannot be converted is an error, not a silent pass
T.raises(function() return num"2 $/chip/h":to "$/chip/hx" end, "unknown unit", "a misspelled unit is an error")
local rent = contracts.cloud { chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", start = "2026-01", term = num"1 yr" }
local d = deal.new { contracts = { rent }, start = "2026-01", horizon = num"1 yr" }
T.eq(tostring(d:cost_per_chip_hour()), "$2.00/chip/h", "deal:cost_per_chip_hour is in $/chip/h")
T.ok(tostring(d:capacity("2026-06").power):match(" MW$") ~= nil, "deal:capacity power is in MW", tostring(d:capacity("2026-06").power))
local tput = deal.throughput { flops = num"5000 TFLOP/s/chip", params = num"1T", mfu = num"60%" }
T.eq(tostring(tput), "1500 token/s/chip", "deal.throughput is in token/s/chip")
local oc = deal.owner_cost { capex = num"40000 $/chip", power = num"1 kW/chip", power_price = num"0.08 $/kWh", colo = num"146 $/kW/month" }
for _, k in ipairs { "capital", "other", "facility", "colo", "power", "total" } do
  T.ok(tostring(oc[k]):match("/chip/h$") ~= nil, "deal.owner_cost " .. k .. " is in $/chip/h", tostring(oc[k]))
end
local tc = deal.token_cost { chip_hour = num"1.95 $/chip/h", throughput = num"12900 token/s/chip" }
T.ok(units.same(tc, num"1 $") and tostring(tc):match("%$[%d.]+$") ~= nil, "deal.token_cost is money", tostring(tc))

-- one method table per kind over a shared base
local o = contracts.purchase { item = "hgx-h100", quantity = num(10), delivery = "2026-03" }
T.ok(o.quantity ~= nil and rent.committed ~= nil, "each kind has its own methods")
T.ok(rawget(getmetatable(o).__index, "quantity") ~= nil and rawget(getmetatable(o).__index, "committed") == nil,
     "a purchase's method table holds purchase methods only")
T.ok(contracts.is(o) and contracts.is(rent) and not contracts.is({}) and not contracts.is(nil), "contracts.is knows every kind")
T.eq(o:cost(), num"3.18M $", "the shared base (cost) works for every kind")
raises_here(function() rent:quantity() end, "contract:quantity: only for purchase contracts, this is a cloud", "a method of another kind says which kinds have it")
raises_here(function() o:rate() end, "contract:rate: only for cloud and capacity contracts, this is a purchase", "rate belongs to cloud and capacity")
raises_here(function() contracts.colocation { power = num"1 MW", rate = num"184 $/kW/month", term = num"1 yr" }:monthly() end,
            "contract:monthly: only for cloud, lease and capacity contracts, this is a colocation", "monthly belongs to cloud, lease and capacity")
local right = contracts.capacity { chip = "tpu-v7", cap = num"1000 chip", term = num"1 yr" }
raises_here(function() right:max_cost() end, "contract:max_cost: this capacity right has no rate", "a capacity right without a rate says so")
T.eq(o:power(), num"10 rack" * racks.get("hgx-h100"):power(), "purchase power: racks x rack power")
raises_here(function() contracts.purchase { item = "trn2-ultraserver", quantity = num(10), unit_price = num"1M $" }:power() end,
            "contract:power: rack 'AWS Trn2 UltraServer' has no power figure", "purchase power without a rack figure explains")
raises_here(function() contracts.financing { tranches = { { kind = "equity", amount = num"1B $" } } }:power() end,
            "contract:power: no power figure for this financing contract", "financing has no power")

-- series:within and series:merge(other, label): how deal cuts and labels flows
local flows = finance.series "x"
flows:add_monthly("2026-01", 24, num"-1 $", "rent")
local cut = flows:within("2026-07", "2027-01")
T.eq(cut:total(), num"-6 $", "within keeps the months inside [from, to)")
T.eq(#cut.entries, 1, "a flow that straddles the bounds is cut, not copied")
local merged = finance.series():merge(flows, "lease"):merge(flows, function(l) return "site " .. l end)
T.ok(merged:labels()[1] == "lease" and merged:labels()[2] == "site rent", "merge relabels with a string or a function")
T.eq(merged:total(), num"-48 $", "merge adds every flow")
local site = sites.new { name = "S", it_power = num"10 MW", power_price = num"0.05 $/kWh", online = "2026-01" }
local withsite = deal.new { contracts = { rent }, sites = { site }, start = "2026-01", horizon = num"1 yr" }
T.ok(withsite:cashflows():labels()[1] == rent.name and withsite:cashflows():labels()[2] == "S power",
     "deal:cashflows labels flows by contract and by site")
raises_here(function() deal.new { contracts = { rent }, sites = { rent } } end, "deal.new: sites[1] expected a site (sites.new{...}), got a contract",
            "deal.new checks the sites list")

-- the nil-safe sum (through the modules that use it)
local S = require "_shared"
T.ok(S.sum({}) == nil, "the sum of nothing is nil (callers give the zero of their unit)")
T.eq(S.sum { num"1 $", num"2 $" }, num"3 $", "sum keeps units")
T.eq(S.sum({ 1, 2, 3, 4 }, function(x) if x % 2 == 0 then return num(x) end end), num(6), "nil terms are skipped")
T.eq(S.sum({ a = num(1), b = num(2) }, nil, pairs), num(3), "sum over a map")
T.eq(finance.series():total(), num"0 $", "an empty series totals $0")
T.ok(finance.amortize { principal = num"1M $", rate = num"0%", term = num"2 yr" }:total_interest() == num"0 $", "zero interest sums to $0")
T.eq(deal.hhi { x = num"1 chip", y = num"1 chip" }, num(5000), "HHI over a map")
T.raises(function() S.oneof("c", { "a", "b" }, "f: x") end, "f: x expected \"a\" or \"b\", got the string \"c\"", "oneof lists the choices")
T.done()
