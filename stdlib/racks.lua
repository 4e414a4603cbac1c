-- stdlib/racks.lua: systems of chips (a rack, a server, a pod).
--
-- Systems of chips. The catalog has `gb200-nvl72`, `gb300-nvl72`, `ironwood-rack` (64 TPUs),
-- `ironwood-pod` (9,216 TPUs, about 10 MW), `trn2-ultraserver` (64 Trainium2) and `hgx-h100`
-- (8 GPUs).
--
-- A rack's cost includes its networking share. It is, in order of preference:
-- `price` (the whole system), `price_per_chip` x count, or the chip price
-- (`chip_price`, else the catalog's) x count x `overhead`, divided by
-- (1 - `network_share`) as in Epoch's cost model (cluster interconnect on top).
--
--   local nvl = racks.get "gb200-nvl72"
--   print(nvl.count, nvl:power(), nvl:cost(), nvl:flops "fp8")
--   local mine = racks.new { name = "Ironwood rack", chip = "tpu-v7", count = 64 chip,
--                            power = 110 kW, price_per_chip = $22k/chip }
--   print(mine:cost(), mine:cost_per_chip())
--   print(mine:with { power = 100 kW to 130 kW }:power())
local S = require "_shared"
local chips = require "chips"

local racks = {}

local Rack = { __name = "rack" }
local methods = {}
Rack.__index = methods

local RACK = num "1 rack"

-- a per-rack figure: like the chip catalog's "/chip", a figure given without "/rack"
-- (120 kW, 64 chip, $3.4M) is taken as per rack (120 kW/rack)
local function perrack(t, field, example, fn, optional)
  local x = t[field]
  if type(x) == "userdata" and units.same(x, num(example .. "/rack")) then return x end
  x = S.need(t, field, example, fn, optional)
  return x and x / RACK
end

-- a rack from checked fields; fn names the public function for errors
local function build(t, fn)
  S.args(t, fn)
  local chip = t.chip
  if type(chip) == "string" then
    local ok, c = pcall(chips.get, chip)
    if not ok then S.fail(fn .. ": field 'chip': " .. S.reason(c):gsub("^chips.get: ", "")) end
    chip = c
  elseif not chips.is(chip) then
    S.fail(("%s: field 'chip' expected a chip (chips.get \"tpu-v7\") or a chip key, got %s"):format(fn, S.describe(chip)))
  end
  local r = {
    name = t.name or (chip.key .. " x" .. tostring(t.count):gsub("/rack$", "")),
    key = t.key,
    chip = chip,
    count = perrack(t, "count", "64 chip", fn),
    spec = {
      power = perrack(t, "power", "120 kW", fn, true),
      price = perrack(t, "price", "3.4M $", fn, true),
      price_per_chip = S.need(t, "price_per_chip", "25000 $/chip", fn, true),
      chip_price = S.need(t, "chip_price", "30000 $/chip", fn, true),
      overhead = S.need(t, "overhead", "1.4", fn, true),
      network_share = S.need(t, "network_share", "15%", fn, true),
    },
    notes = t.notes or {},
    sources = t.sources or {},
    estimated = t.estimated or {},
  }
  return setmetatable(r, Rack)
end

--- A rack (or server, or pod) of chips with its power and cost.
-- @param t.chip a chip or chip key (required); t.count chips per rack (required, e.g. 64 chip)
-- @param t.power rack power (e.g. 120 kW; may be uncertain)
-- @param t.price system price incl. networking, or t.price_per_chip, or t.overhead (x chip price) with optional t.chip_price and t.network_share
-- @param t.name a label
-- @return a rack with :power(), :cost(), :cost_per_chip(), :flops(), :network_cost(), :with{}
-- example: local r = racks.new{ name = "my rack", chip = "b200", count = num"8 chip", power = num"14.3 kW", overhead = num"1.4", chip_price = num"35000 $/chip" }; print(r:cost(), r:power())
function racks.new(t)
  return build(t, "racks.new")
end

local cache = {}
local catalog = {}
local catorder = {}
for _, e in ipairs(require "catalog_racks") do
  catalog[e.key] = e
  catorder[#catorder + 1] = e.key
  for _, a in ipairs(e.aliases or {}) do catalog[a] = e end
end

--- A system from the catalog: "gb200-nvl72", "gb300-nvl72", "ironwood-rack", "ironwood-pod", "trn2-ultraserver", "hgx-h100".
-- @param key the system's key or an alias (case-insensitive)
-- @return the rack (the same object on every call)
-- example: local r = racks.get "ironwood-rack"; print(r.count, r:cost())
function racks.get(key)
  if getmetatable(key) == Rack then return key end
  if type(key) ~= "string" then
    S.fail("racks.get: expected a rack key such as \"gb200-nvl72\", got " .. S.describe(key))
  end
  local e = catalog[S.key(key)]
  if not e then
    S.fail(("racks.get: unknown rack '%s' (known: %s)"):format(key, table.concat(catorder, ", ")))
  end
  if not cache[e.key] then
    local t = {}
    for f, v in pairs(e) do t[f] = v end
    t.power = S.figure(e.power)
    t.price = S.figure(e.price)
    t.key = e.key
    cache[e.key] = build(t, "racks.get")
  end
  return cache[e.key]
end

--- Keys of the rack catalog.
-- @return a list of keys
-- example: for _, k in ipairs(racks.list()) do print(k) end
function racks.list()
  local out = {}
  for i, k in ipairs(catorder) do out[i] = k end
  return out
end

--- True when x is a rack.
-- @param x any value
-- @return boolean
-- example: print(racks.is(racks.get "hgx-h100"))   --> true
function racks.is(x)
  return getmetatable(x) == Rack
end

--- A copy of the rack with some fields changed (same checks as racks.new).
-- @param t fields to change (power, price, price_per_chip, overhead, network_share, chip_price, name)
-- @return a new rack
-- example: local r = racks.get("gb300-nvl72"):with{ price = num"4M $" }; print(r:cost())
function methods:with(t)
  S.args(t, "rack:with")
  local base = { chip = self.chip, count = self.count, name = self.name, notes = self.notes,
                 sources = self.sources, estimated = self.estimated }
  for k, v in pairs(self.spec) do base[k] = v end
  for k, v in pairs(t) do base[k] = v end
  return build(base, "rack:with")
end

--- Power of one rack, per rack so that it multiplies with a number of racks.
-- @return the rack power (Power/Rack, e.g. 120 kW/rack; uncertain when given as a range)
-- example: print(racks.get("gb200-nvl72"):power(), 1000 rack * racks.get("gb200-nvl72"):power())   --> 120 kW/rack  120 MW
function methods:power()
  local p = self.spec.power
  if p == nil then
    S.fail(("rack '%s' has no power figure%s; pass power = ... (e.g. 120 kW) to racks.new or rack:with")
           :format(self.name, S.because(self.notes, "power")))
  end
  return p
end

--- Cost of one rack, networking included (see the module notes for the rule).
-- @return money per rack ($/rack)
-- example: print(racks.get("ironwood-rack"):cost())   --> $1.60M/rack
function methods:cost()
  local s = self.spec
  if s.price then return s.price end
  if s.price_per_chip then return s.price_per_chip * self.count end
  if s.overhead then
    local cp = s.chip_price or self.chip.price
    if cp == nil then
      S.fail(("rack '%s': chip '%s' has no price%s; pass chip_price = ... (e.g. $20k/chip)")
             :format(self.name, self.chip.key, S.because(self.chip.notes, "price")))
    end
    local c = cp * self.count * s.overhead
    if s.network_share then c = c / (1 - s.network_share) end
    return c
  end
  S.fail(("rack '%s' has no price%s; pass price = ..., price_per_chip = ..., or overhead = ... (with chip_price) to racks.new or rack:with")
         :format(self.name, S.because(self.notes, "price")))
end

--- Cost of the rack divided by its chips.
-- @return money per chip
-- example: print(racks.get("hgx-h100"):cost_per_chip())
function methods:cost_per_chip()
  return self:cost() / self.count
end

--- Networking share of the rack's cost (needs network_share).
-- @return money per rack ($/rack)
-- example: print(racks.get("gb200-nvl72"):network_cost())
function methods:network_cost()
  if not self.spec.network_share then
    S.fail(("rack '%s' has no network_share; pass network_share = ... (e.g. 15%%)"):format(self.name))
  end
  return self:cost() * self.spec.network_share
end

--- Dense peak FLOP/s of the whole rack.
-- @param precision "bf16" (default) or "fp8"
-- @return FLOP/s per rack
-- example: print(racks.get("gb200-nvl72"):flops "fp8")   --> 360 PFLOP/s/rack
function methods:flops(precision)
  return self.chip:flops(precision) * self.count
end

--- Power per chip inside this rack (rack power / chips).
-- @return Power per chip
-- example: print(racks.get("ironwood-pod"):power_per_chip())
function methods:power_per_chip()
  return self:power() / self.count
end

Rack.__tostring = function(r)
  local parts = { r.name .. ": " .. tostring(r.count * RACK) .. " " .. r.chip.key }
  if r.spec.power then parts[#parts + 1] = tostring(r.spec.power) end
  local ok, c = pcall(methods.cost, r)
  if ok then parts[#parts + 1] = tostring(c) end
  return table.concat(parts, ", ")
end

racks.Rack = Rack
return racks
