-- tests/modules/test_chips.lua: the chip catalog (chips.get, chips.list, chips.define)
local T = require "tap"

-- every required chip is in the catalog, with sources
local required = { "tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e", "tpu-v7", "h100", "h200", "b200", "gb200", "gb300",
                   "trainium2", "trainium3", "maia-100", "maia-200", "mi300x", "mi355x" }
for _, k in ipairs(required) do
  local ok, c = pcall(chips.get, k)
  T.ok(ok and c.key == k, "chips.get " .. k)
  if ok then
    T.ok(#c.sources > 0, "chips.get " .. k .. " has sources")
    local dated = true
    for _, s in ipairs(c.sources) do
      if not (s.title and s.date and (s.kind == "reported" or s.kind == "estimate" or s.kind == "derived")) then dated = false end
    end
    T.ok(dated, k .. ": every source has a title, a date and a kind")
    T.ok(type(c.vendor) == "string", k .. " has a vendor")
    T.ok(c.hbm ~= nil and c.hbm_bw ~= nil, k .. " has HBM size and bandwidth")
    T.ok(c.bf16 ~= nil or c.notes.bf16 ~= nil, k .. ": BF16 given or explained")
    T.ok(c.fp8 ~= nil or c.notes.fp8 ~= nil, k .. ": FP8 given or explained")
    T.ok(c.power ~= nil or c.notes.power ~= nil, k .. ": power given or explained")
    T.ok(c:price_range() ~= nil or c.notes.price ~= nil, k .. ": price given or explained")
    T.ok(c.release ~= nil or c.notes.release ~= nil, k .. ": release given or explained")
  end
end
T.eq(#chips.list(), 20, "chips.list has the 20 catalog chips")
T.eq(#chips.list "Google", 5, "chips.list 'Google' has five TPUs")

-- figures as the sources give them
local tpu = chips.get "tpu-v7"
T.eq(tpu.bf16, num"2307 TFLOP/s/chip", "tpu-v7 BF16 is 2,307 TFLOP/s")
T.eq(tpu.fp8, num"4614 TFLOP/s/chip", "tpu-v7 FP8 is 4,614 TFLOP/s")
T.eq(tpu.hbm, num"192 GiB/chip", "tpu-v7 has 192 GiB HBM")
T.eq(tpu.pod, num"9216 chip", "tpu-v7 pod is 9,216 chips")
T.ok(tpu.power == nil and tpu.notes.power:find("not published", 1, true) ~= nil, "tpu-v7 chip TDP is missing, with a note")
T.ok(chips.get "ironwood" == tpu, "alias ironwood is tpu-v7")
T.ok(chips.get "TPU7x" == tpu, "alias lookup is case-insensitive")
T.eq(chips.get("h100").power, num"700 W/chip", "h100 draws 700 W")
T.eq(chips.get("b200"):flops "fp8", num"4500 TFLOP/s/chip", "b200:flops 'fp8'")
local lo, hi = chips.get("b200"):price_range()
T.eq(lo, num"30000 $/chip", "b200 price range starts at $30k")
T.eq(hi, num"40000 $/chip", "b200 price range ends at $40k")
T.ok(chips.get("b200").price ~= nil, "b200 has a price value (a range)")
T.ok(chips.get("h200").price == nil, "h200 has no price (none published)")
T.eq(chips.get("tpu-v6e"):rate "3-yr", num"1.22 $/chip/h", "tpu-v6e 3-yr commitment rate")
T.ok(chips.get("maia-200").bf16 == nil, "maia-200 BF16 is missing (not published)")
T.ok(#chips.get("tpu-v7"):cite() > 0, "chip:cite gives text")
T.ok(next(chips.get("h200"):missing()) ~= nil, "chip:missing lists missing figures")
T.eq(tpu.fp8 * num"64 chip", num"295296 TFLOP/s", "per-chip FLOP/s times chips gives FLOP/s")

-- define
local x = chips.define { key = "test-asic", vendor = "Acme", bf16 = num"1000 TFLOP/s", power = num"600 W",
                         price = num"12000 $/chip", sources = { { title = "test", date = "2026", kind = "estimate" } } }
T.eq(x.power, num"600 W/chip", "chips.define takes power without /chip as per chip")
T.ok(chips.get "test-asic" == x, "chips.define registers the chip")
T.raises(function() chips.define { key = "test-asic", vendor = "Acme" } end, "already exists", "chips.define refuses to redefine silently")
T.ok(chips.define { key = "test-asic", vendor = "Acme", replace = true } ~= nil, "chips.define replace = true redefines")

-- errors
T.raises(function() chips.get "tpu-v9" end, "unknown chip 'tpu-v9'", "chips.get unknown key names it")
T.raises(function() chips.get(42) end, "expected a chip key", "chips.get wrong type")
T.raises(function() chips.define { vendor = "Acme" } end, "missing field 'key'", "chips.define missing key")
T.raises(function() chips.define { key = "y" } end, "missing field 'vendor'", "chips.define missing vendor")
T.raises(function() chips.define { key = "y", vendor = "A", power = num"3 chip" } end,
         "chips.define: field 'power' expected a power per chip (e.g. 700 W/chip), got 3 chip", "chips.define wrong unit for power")
T.raises(function() chips.define { key = "y", vendor = "A", bf16 = num"5 GW" } end, "field 'bf16'", "chips.define wrong unit for bf16")
T.raises(function() chips.get("h200"):need "price" end, "no price", "chip:need explains a missing figure")
T.raises(function() chips.get("maia-200"):flops "bf16" end, "no dense BF16", "chip:flops on a missing figure")
T.raises(function() chips.get("h100"):flops "fp4" end, "precision expected", "chip:flops bad precision")
T.done()
