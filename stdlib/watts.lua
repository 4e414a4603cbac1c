-- stdlib/watts.lua: the chain from a chip's power to the grid (watts at every step),
-- the one place every module and model turns chips into watts.
--
-- The chain from a chip to the grid, and the one place where a chip becomes watts: contracts,
-- sites, ownership costs and schedules all call these functions, so a model cannot use one
-- power figure for its colocation and another for its owner's cost.
--
-- **The steps.** Each figure is at one step of the chain, and the catalogs say which:
--
-- | level | what it is | catalog figure |
-- |---|---|---|
-- | `chip` | the chip alone (TDP or board power), nameplate | `chip.power` |
-- | `it` | the chip with its share of hosts, network and in-rack power and coolant distribution, nameplate: what colocation prices and what a site's IT capacity counts | `chip.allin_power` (a reported system or pod figure), `rack:power()` / count |
-- | `facility` | IT power x PUE, nameplate: what the grid connection must carry | `chip.utility_power` (SemiAnalysis: facility overhead already inside) |
-- | `it_avg`, `facility_avg` | the same at average load: what energy bills are made of | |
--
-- `watts.it(x)` takes a chip or a rack and finds its IT power per chip, in this order: the
-- rack's own power over its chips; the chip's `allin_power`; else the chip's TDP times the
-- server ratio (Epoch's chip-to-server multiplier: 1.8 for GPUs, 1.56 for TPUs), an
-- estimate the result says it is. It never falls back to the bare TDP (which understates
-- a B200's IT power by 44%) and never uses `utility_power` (which already holds the PUE).
--
-- **Nameplate and average are kept apart.** Capacity (how many chips fit in a site, what a
-- colocation contract charges, the grid connection) is sized at nameplate; energy is drawn at
-- average load. `watts.load(chip)` is Epoch's average draw as a share of nameplate: 0.43 for
-- TPUs (measured 37-53%), 0.75 for GPUs (both with a 90% range).
--
-- **Figures carry their level.** Every figure the catalogs and this module hand out is tagged
-- with its level, and functions that take a power check it: `sites.new{ it_power = ... }`,
-- `contracts.colocation{ power = ... }` and `ownership.cost{ it_power = ... }` refuse a
-- facility or chip figure; `contracts.power` (a PPA, power at the meter) refuses an IT figure;
-- `watts.facility` refuses a figure that already holds the PUE. A value the model computes
-- itself (`it * 1.2`) carries no tag: the model has named what it is.
--
--   local tpu = chips.get "tpu-v7"
--   local c = watts.chain(tpu, { pue = 1.2 })
--   print(c.it, c.facility, c.it_avg, c.basis)
--   print(watts.it "b200", watts.it(racks.get "gb200-nvl72"))
--   print(watts.fit(1 GW, tpu), watts.fit(1 GW, racks.get "ironwood-pod"))
--   print(watts.energy(tpu, 1M chip, { pue = 1.2 }))
local S = require "_shared"
local chips = require "chips"
local racks = require "racks"
local REF = require "catalog_sites"

local watts = {}

local YEAR = num "1 yr"
local CHIP = num "1 chip"

-- a chip or a rack from a value or a key (a rack key first: "ironwood-pod")
local function resolve(x, fn)
  if chips.is(x) or racks.is(x) then return x end
  if type(x) == "string" then
    local ok, r = pcall(racks.get, x)
    if ok then return r end
    ok, r = pcall(chips.get, x)
    if ok then return r end
    S.fail(("%s: unknown chip or rack %s (chips.list() and racks.list() give the keys)"):format(fn, S.describe(x)))
  end
  S.fail(("%s: expected a chip (chips.get \"tpu-v7\"), a rack (racks.get \"gb200-nvl72\") or a key, got %s")
         :format(fn, S.describe(x)))
end

local function istpu(chip)
  return chip.vendor == "Google"
end

-- the reference figure: its central value, or its range when wanted
local function ref(name, range)
  local e = REF[name]
  if range and e.lo then return S.range(e.lo, e.hi) end
  return e.value
end

--- IT power per chip at nameplate: the chip with its share of hosts, network and in-rack cooling, before PUE.
-- From the rack's power over its chips, the chip's allin_power (a reported system figure), or the
-- chip's TDP times the server ratio (Epoch: 1.8 for GPUs, 1.56 for TPUs; an estimate).
-- @param x a chip, a rack, or a key ("b200", "ironwood-pod")
-- @param opts optional { server_ratio = 1.8 } to replace Epoch's multiplier in the TDP estimate
-- @return power per chip (level "it"); watts.chain(x).basis says which figure it came from
-- example: print(watts.it "h100", watts.it "b200", watts.it "mi355x")
function watts.it(x, opts)
  return (watts.basis(x, opts))
end

--- The IT power per chip and where it comes from: watts.it with its basis.
-- @param x a chip, a rack, or a key
-- @param opts optional { server_ratio = 1.8 }
-- @return power per chip, and { how = text, kind = "reported"|"derived"|"estimate" }
-- example: local p, b = watts.basis "mi355x"; print(p, b.kind, b.how)
function watts.basis(x, opts)
  local fn = "watts.it"
  x = resolve(x, fn)
  if opts ~= nil then S.args(opts, fn) end
  if racks.is(x) then
    local ok, p = pcall(x.power, x)
    if not ok then S.fail(fn .. ": " .. S.reason(p)) end
    local kind = x.estimated and x.estimated.power and "estimate" or "reported"
    return S.tag(p / x.count, "it"), { how = ("rack '%s': %s / %s"):format(x.key or x.name, tostring(p), tostring(x.count)), kind = kind }
  end
  if x.allin_power ~= nil then
    return S.tag(x.allin_power, "it"), { how = ("'%s' allin_power: %s"):format(x.key, x.notes.allin_power or "a system figure"),
                                          kind = x.kinds and x.kinds.allin_power or "reported" }
  end
  if x.power ~= nil then
    local ratio = opts and opts.server_ratio
    if ratio ~= nil then ratio = S.expect(ratio, "1.8", fn .. ": field 'server_ratio'")
    else ratio = ref(istpu(x) and "server_ratio_tpu" or "server_ratio_gpu") end
    return S.tag(x.power * ratio, "it"),
           { how = ("'%s' TDP %s x %s server ratio (Epoch's chip-to-server multiplier, estimate)"):format(x.key, tostring(x.power), tostring(ratio)),
             kind = "estimate" }
  end
  S.fail(("%s: chip '%s' has no power figure: no system figure (allin_power: %s) and no TDP (power: %s); pass the IT power per chip yourself (e.g. 1.5 kW/chip)")
         :format(fn, x.key, x.notes.allin_power or "not given", x.notes.power or "not given"))
end

--- Facility power per chip at nameplate: IT power x PUE (what the grid connection carries).
-- @param x a chip, rack or key; or an IT power (per chip or in total, not a figure that already holds the PUE)
-- @param pue the site's PUE (e.g. 1.2; may be uncertain), required
-- @return power (tagged "facility")
-- example: print(watts.facility("tpu-v7", num"1.2"), watts.facility(num"100 MW", num"1.3"))
function watts.facility(x, pue)
  local fn = "watts.facility"
  pue = S.expect(pue, "1.2", fn .. ": pue")
  local it
  if type(x) == "string" or chips.is(x) or racks.is(x) then
    it = watts.it(x)
  else
    local ok = (num.isnum(x) or type(x) == "userdata") and (units.same(x, num "1 kW") or units.same(x, num "1 kW/chip"))
    if not ok then S.fail(fn .. ": x expected a chip, a rack, or an IT power (100 MW, or per chip: 1.1 kW/chip), got " .. S.describe(x)) end
    it = S.atlevel(x, "it", fn .. ": x")
  end
  return S.tag(it * pue, "facility")
end

--- Average draw as a share of nameplate (Epoch's cost model): 0.43 for TPUs, 0.75 for other chips.
-- @param x a chip, rack or key
-- @param range when true, Epoch's 90% range (TPU 0.3 to 0.8, GPU 0.5 to 1.0) as an uncertain value
-- @return a share
-- example: print(watts.load "tpu-v7", watts.load "h100", watts.load("h100", true))
function watts.load(x, range)
  x = resolve(x, "watts.load")
  local chip = racks.is(x) and x.chip or x
  return ref(istpu(chip) and "load_tpu" or "load_gpu", range)
end

local function opt(o, name, example, fn)
  return o and S.need(o, name, example, fn, true)
end

--- Every step of the chain for one chip: chip, IT, facility, and the averages.
-- @param x a chip, rack or key
-- @param o optional { pue = 1.2 (default: the reference PUE of a new campus, 1.3), load = 43% (default watts.load), server_ratio = }
-- @return a table { chip, it, facility, it_avg, facility_avg, pue, load, basis, kind } (per chip)
-- example: local c = watts.chain("gb200", { pue = num"1.15" }); print(c.it, c.facility, c.facility_avg, c.basis)
function watts.chain(x, o)
  local fn = "watts.chain"
  if o ~= nil then S.args(o, fn) end
  x = resolve(x, fn)
  local chip = racks.is(x) and x.chip or x
  local it, basis = watts.basis(x, o)
  local pue = opt(o, "pue", "1.2", fn) or ref("pue")
  local load = opt(o, "load", "43%", fn) or watts.load(x)
  return {
    of = x, chip = chip.power, it = it,
    facility = S.tag(it * pue, "facility"),
    it_avg = S.tag(it * load, "it_avg"),
    facility_avg = S.tag(it * load * pue, "facility_avg"),
    pue = pue, load = load, basis = basis.how, kind = basis.kind,
  }
end

--- How many chips fit in a power budget: IT power (default) or facility power (with a PUE).
-- With a rack, whole racks fit; with a chip, whole chips.
-- @param budget the power (e.g. 3.5 GW)
-- @param x a chip, rack or key
-- @param o optional { level = "it" (default) | "facility", pue = 1.2 (needed for facility) }
-- @return chips
-- example: print(watts.fit(num"1 GW", racks.get "gb200-nvl72"), watts.fit(num"1 GW", "tpu-v7", { level = "facility", pue = num"1.2" }))
function watts.fit(budget, x, o)
  local fn = "watts.fit"
  budget = S.expect(budget, "1 GW", fn .. ": budget")
  x = resolve(x, fn)
  local level = S.oneof(o and o.level or "it", { "it", "facility" }, fn .. ": field 'level'")
  S.atlevel(budget, level, fn .. ": budget")
  local per = watts.it(x)
  if level == "facility" then
    local pue = S.need(o, "pue", "1.2", fn)
    per = per * pue
  end
  local unit = racks.is(x) and per * x.count or per * CHIP
  local n = budget / unit
  if S.isexact(n) then n = num.floor(n) end
  return n * (racks.is(x) and x.count or CHIP)
end

--- Energy over a period for a number of chips, at average load: n x IT x load x PUE x period.
-- @param x a chip, rack or key
-- @param n chips (e.g. 1M chip)
-- @param o optional { pue = (default 1.3), load = (default watts.load), period = (default 1 yr) }
-- @return energy (TWh)
-- example: print(watts.energy("tpu-v7", num"1000000 chip", { pue = num"1.2" }))
function watts.energy(x, n, o)
  local fn = "watts.energy"
  n = S.expect(n, "1000000 chip", fn .. ": n")
  local c = watts.chain(x, o and { pue = o.pue, load = o.load, server_ratio = o.server_ratio })
  local period = opt(o, "period", "1 yr", fn) or YEAR
  return (c.facility_avg * n * period):to "TWh"
end

--- The level a power figure carries ("chip", "it", "facility", "it_avg", "facility_avg"), or nil.
-- @param x a value
-- @return the level's name, and what it means
-- example: print(watts.level(chips.get("h100").utility_power), watts.level(watts.it "h100"))
function watts.level(x)
  local l = S.level(x)
  return l, l and S.LEVELS[l]
end

--- Checks a power figure for user modules: an error when it carries another level than `want`.
-- @param x the value
-- @param want "it" or "facility"
-- @param what names the value in the error ("mymodel: rack power")
-- @return x
-- example: print(watts.check(watts.it "h100", "it", "my check"))
function watts.check(x, want, what)
  S.oneof(want, { "it", "facility" }, "watts.check: level")
  return S.atlevel(x, want, what or "watts.check")
end

return watts
