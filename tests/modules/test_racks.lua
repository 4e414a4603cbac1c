-- tests/modules/test_racks.lua: racks.new, racks.get and rack methods
local T = require "tap"

for _, k in ipairs { "gb200-nvl72", "gb300-nvl72", "ironwood-rack", "ironwood-pod", "trn2-ultraserver", "hgx-h100" } do
  local ok, r = pcall(racks.get, k)
  T.ok(ok and racks.is(r), "racks.get " .. k)
  if ok then T.ok(#r.sources > 0, k .. " has sources") end
end

local nvl = racks.get "gb200-nvl72"
T.eq(nvl.count, num"72 chip/rack", "GB200 NVL72 has 72 GPUs (per rack)")
T.eq(nvl:power(), num"120 kW/rack", "GB200 NVL72 draws about 120 kW (per rack)")
T.eq(1000 * num"1 rack" * nvl:power(), "120 MW", "per-rack power times racks is a power")
T.eq(tostring(nvl:power()), "120 kW/rack", "per-rack figures carry /rack, as per-chip ones carry /chip")
local nvlcost
for _, e in ipairs(require "catalog_racks") do if e.key == "gb200-nvl72" then nvlcost = e.price end end
T.ok(nvlcost.lo == num"2M $" and nvlcost.hi == num"3.4M $", "GB200 NVL72 costs $2M (press) to $3.4M (Bernstein compute hardware)")
T.ok(mean(nvl:cost()) > num"2M $/rack" and mean(nvl:cost()) < num"3.4M $/rack", "GB200 NVL72 cost is the uncertain range $2M to $3.4M")
T.eq(nvl:flops "fp8", num"360 PFLOP/s/rack", "GB200 NVL72: 360 PFLOP/s dense FP8")
T.near(mean(nvl:network_cost()), mean(nvl:cost()) * 13 / 58, num"1 $/rack", "network share of the NVL72 (13/58 of compute hardware)")
T.eq(racks.get("ironwood-rack"):cost(), num"1.6M $/rack", "Ironwood rack: 64 x $25k = $1.6M")
T.eq(racks.get("ironwood-pod").count, num"9216 chip/rack", "Ironwood pod: 9,216 chips")
T.eq(racks.get("ironwood-pod"):power(), num"10 MW/rack", "Ironwood pod: 10 MW")
T.eq(racks.get("hgx-h100"):cost_per_chip(), num"39750 $/chip", "HGX H100 all-in $318k / 8")
T.eq(racks.get("trn2-ultraserver"):flops "bf16", num"667 TFLOP/s/chip" * num"64 chip/rack", "Trn2 UltraServer BF16 from its chips")
T.ok(racks.get("NVL72") == nvl, "alias and case-insensitive lookup")
T.ok(#racks.list() == 6, "racks.list has six systems")

-- new: pricing rules
local r = racks.new { name = "B200 box", chip = "b200", count = num"8 chip", power = num"14.3 kW",
                      overhead = num"1.4", chip_price = num"35000 $/chip" }
T.eq(r:cost(), num"392000 $/rack", "price from chips x overhead")
local r2 = r:with { network_share = num"20%" }
T.eq(r2:cost(), num"490000 $/rack", "network share on top: / (1 - 20%)")
T.eq(r:power(), num"14.3 kW/rack", "rack:power")
T.eq(r:flops(), num"18000 TFLOP/s/rack", "rack:flops defaults to BF16")
local r3 = racks.new { chip = chips.get "tpu-v7", count = num"64 chip", price_per_chip = num"20000 $/chip" }
T.eq(r3:cost(), num"1.28M $/rack", "price_per_chip x count")
T.eq(racks.get("gb300-nvl72"):with({ price = num"4M $" }):cost(), num"4M $/rack", "rack:with sets a price")

-- errors
T.raises(function() racks.new { chip = "tpu-v7", count = num"64 chip", power = num"3 chip" } end,
         "racks.new: field 'power' expected a Power (e.g. 120 kW), got 3 chip", "racks.new wrong unit names field, kind and value")
T.raises(function() racks.new { chip = "tpu-v7", power = num"120 kW" } end,
         "racks.new: missing field 'count'", "racks.new missing count")
T.raises(function() racks.new { count = num"64 chip" } end, "field 'chip' expected a chip", "racks.new missing chip")
T.raises(function() racks.new { chip = "tpu-v99", count = num"64 chip" } end, "unknown chip", "racks.new unknown chip key")
T.raises(function() racks.new { chip = "h100", count = num"8 chip", price = num"5 kW" } end, "field 'price'", "racks.new wrong unit for price")
T.raises(function() racks.get("gb300-nvl72"):cost() end, "has no price", "rack:cost without a price explains")
T.raises(function() racks.get("trn2-ultraserver"):power() end, "has no power figure", "rack:power without a figure explains")
T.raises(function() racks.new { chip = "tpu-v7", count = num"64 chip", overhead = num"1.5" }:cost() end,
         "has no price", "rack:cost with overhead but no chip price")
T.raises(function() racks.get "nope" end, "unknown rack 'nope'", "racks.get unknown key")
-- the error points at the caller's line
local ok, err = pcall(function() racks.new { chip = "h100", count = num"8 chip", power = num"1 $" } end)
T.ok(not ok and tostring(err):find("test_racks.lua:%d+: racks.new") ~= nil, "errors are reported at the user's line")
T.done()
