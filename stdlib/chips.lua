-- stdlib/chips.lua: the accelerator catalog (data in catalog_chips.lua).
--
-- The accelerator catalog: Google TPU v4, v5e, v5p, v6e, v7 (Ironwood); NVIDIA H100, H200,
-- B200, HGX B300, GB200, GB300, Rubin; AWS Trainium2, Trainium3; Microsoft Maia 100, Maia 200;
-- AMD MI300X, MI325X, MI355X, MI450. Keys are lower case with hyphens; aliases include
-- `ironwood`, `tpu7x`, `trillium`, `trn2`.
--
-- Fields of a chip: `key`, `name`, `vendor`, `bf16`, `fp8` (dense FLOP/s per chip), `hbm`,
-- `hbm_bw`, `power` (chip or board power: the chain's level "chip"), `allin_power` (IT power
-- per chip with its share of host and network, before PUE, from a reported system or pod
-- figure: level "it"), `utility_power` (per chip including facility overhead, SemiAnalysis's
-- model, never to be multiplied by a PUE: level "facility"); `watts.it(chip)` is the one way
-- models and modules turn a chip into watts (stdlib/watts.lua). `price`
-- (per chip; uncertain for a range), `in_rack_price` (Ironwood), `announced`, `release`,
-- `scale_up` and `pod` (chips), `cloud` (list of `{ rate, what, kind, date, source }`), `tco`
-- (SemiAnalysis per-GPU-hour TCO, Aug 2025: `hyperscaler`, `neocloud`, `rental_3yr`),
-- `notes`, `estimated`, `sources`.
--
-- Per-chip figures carry "/chip" (2307 TFLOP/s/chip) so they multiply with chip
-- counts; `price` is per chip ($/chip) and is an uncertain value when only a
-- range of estimates exists. A figure that no source gives is nil, and
-- chip:need(field) explains why (chip.notes[field]).
--
--   chips.table { "tpu-v7", "gb200", "trainium3", "maia-200", "mi355x" }
--   local tpu = chips.get "ironwood"          -- or "tpu-v7"
--   print(tpu.name, tpu.release)
--   print(tpu.fp8, tpu.hbm, tpu.sources[1].title)
--   print(tpu:cite())
local S = require "_shared"
local F = require "finance"

local chips = {}

local Chip = { __name = "chip" }
local methods = {}

local registry, order, aliases = {}, {}, {}

local normkey = S.key

local CHIP = num "1 chip"

-- fields checked by define, with an example of the expected kind
local FIELDS = {
  { "bf16", "2307 TFLOP/s/chip", "2307 TFLOP/s" },
  { "fp8", "4614 TFLOP/s/chip", "4614 TFLOP/s" },
  { "hbm", "192 GiB/chip", "192 GiB" },
  { "hbm_bw", "7380 GB/s/chip", "7380 GB/s" },
  { "power", "700 W/chip", "700 W" },
  { "allin_power", "1.7 kW/chip", "1.7 kW" },
  { "utility_power", "2.1 kW/chip", "2.1 kW" },
  { "in_rack_price", "25000 $/chip", "25000 $" },
}

Chip.__index = function(c, k)
  if k == "price" then
    local p = rawget(c, "_price")
    if p == nil then return nil end
    local v = S.figure(p)
    rawset(c, "price", v)
    return v
  end
  return methods[k]
end

Chip.__tostring = function(c)
  local parts = { c.key .. ": " .. (c.name or c.key) }
  if c.bf16 then parts[#parts + 1] = tostring(c.bf16) .. " BF16" end
  if c.fp8 then parts[#parts + 1] = tostring(c.fp8) .. " FP8" end
  if c.hbm then parts[#parts + 1] = tostring(c.hbm) .. " HBM" end
  if c.power then parts[#parts + 1] = tostring(c.power) end
  return table.concat(parts, ", ")
end

local function make(e)
  local c = {}
  for k, v in pairs(e) do
    if k == "price" then c._price = v else c[k] = v end
  end
  c.aliases = c.aliases or {}
  c.sources = c.sources or {}
  c.notes = c.notes or {}
  c.estimated = c.estimated or {}
  c.cloud = c.cloud or {}
  -- each power figure carries its step of the chain (stdlib/watts.lua)
  S.tag(c.power, "chip")
  S.tag(c.allin_power, "it")
  S.tag(c.utility_power, "facility")
  return setmetatable(c, Chip)
end

local function register(c, replace)
  local key = normkey(c.key)
  if registry[key] and not replace then
    S.fail(("chips.define: chip '%s' already exists (pass replace = true to redefine it)"):format(key))
  end
  if not registry[key] then order[#order + 1] = key end
  registry[key] = c
  for _, a in ipairs(c.aliases) do aliases[normkey(a)] = key end
  return c
end

for _, e in ipairs(require "catalog_chips") do register(make(e), false) end

local function suggest(k)
  local best
  for _, key in ipairs(order) do
    if key:find(k, 1, true) or k:find(key, 1, true) then best = key; break end
  end
  return best
end

--- Looks up a chip by key or alias (case-insensitive: "tpu-v7", "ironwood", "H100").
-- @param key the chip's key or an alias
-- @return the chip (fields: key, name, vendor, bf16, fp8, hbm, hbm_bw, power, allin_power, price, release, scale_up, pod, cloud, tco, notes, sources)
-- example: local tpu = chips.get "ironwood"; print(tpu.key, tpu.fp8)
function chips.get(key)
  if getmetatable(key) == Chip then return key end
  if type(key) ~= "string" then
    S.fail("chips.get: expected a chip key such as \"tpu-v7\", got " .. S.describe(key))
  end
  local k = normkey(key)
  local c = registry[k] or registry[aliases[k] or ""]
  if not c then
    local s = suggest(k)
    S.fail(("chips.get: unknown chip '%s'%s (chips.list() gives the %d known keys)")
           :format(key, s and (" (did you mean '" .. s .. "'?)") or "", #order))
  end
  S.use("chip", c.key, c)
  return c
end

--- True when x is a chip from the catalog or chips.define.
-- @param x any value
-- @return boolean
-- example: print(chips.is(chips.get "h100"))   --> true
function chips.is(x)
  return getmetatable(x) == Chip
end

--- Keys of the catalog, in catalog order, optionally only one vendor's.
-- @param vendor optional vendor name ("Google", "NVIDIA", "AWS", "Microsoft", "AMD"), case-insensitive
-- @return a list of keys
-- example: for _, k in ipairs(chips.list "Google") do print(k) end
function chips.list(vendor)
  if vendor ~= nil and type(vendor) ~= "string" then
    S.fail("chips.list: expected a vendor name such as \"NVIDIA\", got " .. S.describe(vendor))
  end
  local out = {}
  for _, k in ipairs(order) do
    if not vendor or registry[k].vendor:lower() == vendor:lower() then out[#out + 1] = k end
  end
  return out
end

-- checks a per-chip figure; a value without "/chip" (700 W) is taken as per chip
local function perchip(t, field, example, plain, fname)
  local x = t[field]
  if x == nil then return nil end
  if type(x) == "number" then x = num(x) end
  if (num.isnum(x) or type(x) == "userdata") and units.same(x, num(plain)) then
    return x / CHIP
  end
  return S.expect(x, example, ("%s: field '%s'"):format(fname, field))
end

--- Adds a chip to the catalog (for this script); figures are checked for units.
-- @param t.key key (required), t.name, t.vendor (required), t.aliases (list)
-- @param t.bf16 dense BF16 FLOP/s (per chip; "/chip" optional), t.fp8, t.hbm, t.hbm_bw, t.power, t.allin_power
-- @param t.price a price per chip ($30k/chip), an uncertain value, or { lo = ..., hi = ... }
-- @param t.release, t.scale_up (chips), t.pod (chips), t.sources (list of { title, url, date, kind }), t.notes
-- @param t.replace true to redefine an existing key
-- @return the new chip
-- example: local x = chips.define{ key = "my-asic", vendor = "Acme", bf16 = num"1000 TFLOP/s", power = num"600 W", price = num"12000 $/chip" }; print(x.bf16)
function chips.define(t)
  local fn = "chips.define"
  S.args(t, fn)
  if type(t.key) ~= "string" or t.key == "" then
    S.fail(fn .. ": missing field 'key' (expected a string such as \"my-asic\"), got " .. S.describe(t.key))
  end
  if type(t.vendor) ~= "string" then
    S.fail(fn .. ": missing field 'vendor' (expected a string such as \"Acme\"), got " .. S.describe(t.vendor))
  end
  local e = {}
  for k, v in pairs(t) do e[k] = v end
  e.key = normkey(t.key)
  e.name = t.name or t.key
  for _, f in ipairs(FIELDS) do
    -- a copy, so that the level tag (stdlib/watts.lua) never lands on the model's own value
    local v = perchip(t, f[1], f[2], f[3], fn)
    e[f[1]] = v ~= nil and v * 1 or nil
  end
  if t.price ~= nil then
    if type(t.price) == "table" and not num.isnum(t.price) then
      S.need(t.price, "lo", "20000 $/chip", fn .. " (price)")
      S.need(t.price, "hi", "40000 $/chip", fn .. " (price)")
      e.price = t.price
    else
      e.price = perchip(t, "price", "30000 $/chip", "30000 $", fn)
    end
  end
  e.scale_up = S.need(t, "scale_up", "64 chip", fn, true)
  e.pod = S.need(t, "pod", "9216 chip", fn, true)
  if t.sources ~= nil and type(t.sources) ~= "table" then
    S.fail(fn .. ": field 'sources' expected a list of { title =, url =, date =, kind = }, got " .. S.describe(t.sources))
  end
  e.replace = nil
  return register(make(e), t.replace)
end

--- A figure of the chip, or an error that says why it is missing.
-- @param field a field name ("power", "price", "bf16", ...)
-- @return the value
-- example: print(chips.get("h100"):need "power")
function methods:need(field)
  local v = self[field]
  if v == nil then
    S.fail(("%s: chip '%s' has no %s%s"):format(self._caller or "chips", self.key, field,
      S.because(self.notes, field)))
  end
  return v
end

--- Dense peak FLOP/s per chip at a precision.
-- @param precision "bf16" (default) or "fp8"
-- @return FLOP/s per chip
-- example: print(chips.get("tpu-v7"):flops "fp8")
function methods:flops(precision)
  precision = S.oneof(precision or "bf16", { "bf16", "fp8" }, "chip:flops: precision")
  local v = self[precision]
  if v == nil then
    S.fail(("chip:flops: chip '%s' has no dense %s figure%s"):format(self.key, precision:upper(),
      S.because(self.notes, precision)))
  end
  return v
end

--- The low and high ends of the price estimate (equal when a single figure is known).
-- @return lo, hi in $/chip, or nil when no price is known
-- example: print(chips.get("b200"):price_range())
function methods:price_range()
  local p = rawget(self, "_price")
  if p == nil then return nil end
  if S.isestimate(p) then return p.lo, p.hi end
  return p, p
end

--- A cloud price per chip-hour whose description contains a word.
-- @param pattern text to look for in the description ("on-demand", "3-yr", "Anthropic"); nil for the first
-- @return rate ($/chip/h), and its record { rate, what, kind, date, source }
-- example: print(chips.get("tpu-v6e"):rate "3-yr")
function methods:rate(pattern)
  for _, r in ipairs(self.cloud) do
    if not pattern or r.what:lower():find(pattern:lower(), 1, true) then return r.rate, r end
  end
  S.fail(("chip:rate: chip '%s' has no cloud price matching %s"):format(self.key, S.describe(pattern)))
end

--- Sources of the chip as printable lines ("title (date, kind): url").
-- @return text, one source per line
-- example: print(chips.get("tpu-v7"):cite())
function methods:cite()
  local lines = {}
  for _, s in ipairs(self.sources) do
    lines[#lines + 1] = ("%s%s (%s, %s): %s"):format(s.id and (s.id .. " ") or "", s.title or "?",
      s.date or "undated", s.kind or "?", s.url or "")
  end
  return table.concat(lines, "\n")
end

--- Fields with no figure, with the reason recorded in the catalog.
-- @return a table field -> note for the missing standard fields
-- example: for f, why in pairs(chips.get("tpu-v7"):missing()) do print(f, why) end
function methods:missing()
  local out = {}
  for _, f in ipairs { "bf16", "fp8", "hbm", "hbm_bw", "power", "price", "release" } do
    if self[f] == nil then out[f] = self.notes[f] or "not given" end
  end
  return out
end

--- Prints a comparison table of chips.
-- @param keys a list of keys (default: the whole catalog)
-- @return the text of the table
-- example: chips.table { "h100", "b200", "tpu-v7" }
function chips.table(keys, quiet)
  keys = keys or order
  local rows = {}
  for _, k in ipairs(keys) do
    local c = chips.get(k)
    local lo, hi = c:price_range()
    local price = lo and (lo == hi and tostring(lo) or (tostring(lo) .. " - " .. tostring(hi))) or "n/a"
    rows[#rows + 1] = { c.key, c.vendor, c.bf16 or "n/a", c.fp8 or "n/a", c.hbm or "n/a",
                        c.power or "n/a", price }
  end
  return F.tabulate({ "chip", "vendor", "BF16", "FP8", "HBM", "power", "price" }, rows, quiet)
end

chips.Chip = Chip
return chips
