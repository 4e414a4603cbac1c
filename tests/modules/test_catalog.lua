-- tests/modules/test_catalog.lua: the catalogs' sourcing rules (every figure has a kind
-- and a dated source that covers it; ranges are ordered; central values sit inside their
-- ranges) and the figures corrected by the audit of issue 15.
local T = require "tap"

local CHIPS = require "catalog_chips"
local RACKS = require "catalog_racks"
local SITES = require "catalog_sites"

local TODAY = "2026-11-29"         -- the day the catalog was last checked
local KINDS = { reported = true, estimate = true, derived = true }

-- an ISO date (2025, 2025-08, 2025-08-26), not after the check date
local function isodate(d)
  if type(d) ~= "string" then return false end
  local y, m, day = d:match "^(%d%d%d%d)%-(%d%d)%-(%d%d)$"
  if not y then y, m = d:match "^(%d%d%d%d)%-(%d%d)$" end
  if not y then y = d:match "^(%d%d%d%d)$" end
  if not y then return false end
  if m and (tonumber(m) < 1 or tonumber(m) > 12) then return false end
  if day and (tonumber(day) < 1 or tonumber(day) > 31) then return false end
  return d <= TODAY
end

local function set(list)
  local s = {}
  for _, v in ipairs(list or {}) do s[v] = true end
  return s
end

-- problems with one source record, or nil
local function badsource(s)
  if type(s.title) ~= "string" or s.title == "" then return "no title" end
  if type(s.url) ~= "string" or not s.url:match "^https?://" then return "no URL" end
  if not isodate(s.date) then return "date " .. tostring(s.date) .. " is not an ISO date up to " .. TODAY end
  if s.checked ~= false and s.checked ~= TODAY then return "checked " .. tostring(s.checked) end
  return nil
end

-- the checks shared by chips and racks: entry e, its figure fields, a label
local function sourced(e, figures, label)
  local coverable = { cloud = true }    -- cloud prices are checked record by record below
  for f in pairs(figures) do coverable[f] = true end
  local problems = {}
  local function bad(msg) problems[#problems + 1] = msg end
  local byid = {}
  for _, s in ipairs(e.sources or {}) do
    local why = badsource(s)
    if why then bad(("source %s: %s"):format(tostring(s.id), why)) end
    if s.kind ~= "reported" and s.kind ~= "estimate" then bad(("source %s: kind %s"):format(tostring(s.id), tostring(s.kind))) end
    if type(s.covers) ~= "table" then bad(("source %s: covers is not a list of fields"):format(tostring(s.id))) end
    for _, f in ipairs(s.covers or {}) do
      if not coverable[f] then bad(("source %s covers unknown field %s"):format(tostring(s.id), f))
      elseif f ~= "cloud" and e[f] == nil and not (e.notes and e.notes[f]) then
        bad(("source %s covers %s, which is neither given nor explained"):format(tostring(s.id), f))
      end
    end
    byid[s.id] = s
  end
  local kinds = e.kinds or {}
  for f in pairs(figures) do
    if e[f] ~= nil then
      local k = kinds[f]
      local ends = type(k) == "table" and { k.lo, k.hi } or { k }
      for i = 1, type(k) == "table" and 2 or 1 do
        if not KINDS[ends[i]] then bad(("%s has no kind (got %s)"):format(f, tostring(ends[i]))) end
      end
      if type(k) == "table" and not (type(e[f]) == "table" and e[f].lo) then bad(f .. " has lo/hi kinds but is not a range") end
      local covering = {}
      for _, s in ipairs(e.sources or {}) do
        if set(s.covers)[f] then covering[#covering + 1] = s end
      end
      if #covering == 0 then bad(f .. " is covered by no source") end
      for _, kk in ipairs(ends) do
        if kk == "derived" and not (e.notes and type(e.notes[f]) == "string") then bad(f .. " is derived but has no note with the sum") end
        if kk == "reported" or kk == "estimate" then
          local found = false
          for _, s in ipairs(covering) do if s.kind == kk then found = true end end
          if not found then bad(("%s is %s but no %s source covers it"):format(f, kk, kk)) end
        end
      end
    end
  end
  for f in pairs(kinds) do
    if e[f] == nil then bad(("kinds names %s, which has no figure"):format(f)) end
  end
  for f, b in pairs(e.bounds or {}) do
    if e[f] == nil or (b ~= "lower" and b ~= "upper") then bad(("bounds.%s = %s"):format(f, tostring(b))) end
  end
  for f in pairs(e.estimated or {}) do
    local k = kinds[f]
    if k == "reported" or (type(k) == "table" and k.lo == "reported" and k.hi == "reported") then
      bad(f .. " is marked estimated but its kind is reported")
    end
  end
  for f, k in pairs(kinds) do
    local plain = k == "reported" or (type(k) == "table" and k.lo == "reported" and k.hi == "reported")
    if not plain and not (e.estimated or {})[f] then bad(f .. " is not reported but not marked estimated") end
  end
  for f in pairs(figures) do
    local v = e[f]
    if type(v) == "table" and v.lo and v.hi and not (v.lo <= v.hi) then bad(f .. " range is not ordered") end
  end
  T.ok(#problems == 0, label .. ": every figure has a kind and a dated source that covers it", table.concat(problems, "\n"))
end

---------------------------------------------------------------- chips
local CHIP_FIGURES = set { "bf16", "fp8", "hbm", "hbm_bw", "power", "allin_power", "utility_power", "price",
                           "in_rack_price", "announced", "release", "scale_up", "pod", "cluster", "tco" }
for _, e in ipairs(CHIPS) do
  sourced(e, CHIP_FIGURES, "chip " .. e.key)
  local cloud_ok, byid = true, {}
  for _, s in ipairs(e.sources) do byid[s.id] = s end
  for _, r in ipairs(e.cloud or {}) do
    local s = byid[r.source]
    if not (KINDS[r.kind] and isodate(r.date) and s and set(s.covers).cloud and type(r.what) == "string") then cloud_ok = false end
  end
  T.ok(cloud_ok, e.key .. ": every cloud price has a kind, an ISO date and a source of the entry that covers it")
  for _, f in ipairs { "bf16", "fp8", "hbm", "hbm_bw", "power", "price" } do
    if e[f] == nil and not (e.notes and e.notes[f]) then T.ok(false, e.key .. ": missing " .. f .. " is explained") end
  end
  if e.allin_power and e.utility_power then
    T.ok(e.utility_power >= e.allin_power, e.key .. ": utility power (facility overhead included) is not below IT power")
  end
  for _, f in ipairs { "allin_power", "utility_power", "power" } do
    if e[f] then T.ok(units.same(e[f], num"1 kW/chip"), e.key .. ": " .. f .. " is a power per chip") end
  end
end

---------------------------------------------------------------- racks
local RACK_FIGURES = set { "count", "power", "price", "price_per_chip", "network_share", "overhead" }
for _, e in ipairs(RACKS) do
  sourced(e, RACK_FIGURES, "rack " .. e.key)
  T.ok(pcall(chips.get, e.chip), e.key .. ": its chip is in the chip catalog")
end

---------------------------------------------------------------- sites
for name, e in pairs(SITES) do
  local problems = {}
  local function bad(msg) problems[#problems + 1] = msg end
  if e.value == nil then bad "no value" end
  if not KINDS[e.kind] then bad("kind " .. tostring(e.kind)) end
  if not isodate(e.date) then bad("date " .. tostring(e.date)) end
  if type(e.what) ~= "string" then bad "no description" end
  if e.bound ~= nil and e.bound ~= "lower" and e.bound ~= "upper" then bad("bound " .. tostring(e.bound)) end
  if #e.sources == 0 or e.source ~= e.sources[1] and not (function()
      for _, s in ipairs(e.sources) do if s == e.source then return true end end end)() then
    bad "source is not among sources"
  end
  for _, s in ipairs(e.sources) do
    local why = badsource(s)
    if why then bad(("source %s: %s"):format(tostring(s.id), why)) end
  end
  if (e.lo == nil) ~= (e.hi == nil) then bad "a range needs both lo and hi" end
  if e.lo then
    if not (e.lo <= e.value and e.value <= e.hi) then bad "value outside its range" end
    if (e.value == e.lo or e.value == e.hi) and type(e.central) ~= "string" then
      bad "the central value sits on an end of its range without saying why"
    end
  end
  T.ok(#problems == 0, "site figure " .. name .. ": dated, sourced, kind stated, range ordered", table.concat(problems, "\n"))
end

---------------------------------------------------------------- corrected figures
local function raw(list, key)
  for _, e in ipairs(list) do if e.key == key then return e end end
end

-- Ironwood rack: from the 10 MW / 144-rack pod average to Hot Chips' 100 kW power-delivery ceiling
local iw = raw(RACKS, "ironwood-rack")
T.eq(iw.power.lo, num"10 MW" / num"144", "ironwood-rack power starts at the pod average, 10 MW / 144 racks")
T.near(iw.power.lo, num"69.44 kW", num"0.01 kW", "about 69.4 kW per rack")
T.eq(iw.power.hi, num"100 kW", "ironwood-rack power ends at the 100 kW Hot Chips gives as possible (no 130 kW)")
T.ok(iw.kinds.power.lo == "derived" and iw.kinds.power.hi == "reported", "ironwood-rack: low end derived, high end reported")
T.ok(iw.notes.power:find("ceiling", 1, true) ~= nil, "ironwood-rack note calls 100 kW a power-delivery ceiling")
T.ok(mean(racks.get("ironwood-rack"):power()) < num"100 kW/rack", "ironwood-rack power is now centred below 100 kW")

-- GB200 NVL72: a range from press estimates ($2-3M) to Bernstein's compute hardware ($3.4M)
local nvl = raw(RACKS, "gb200-nvl72")
T.eq(nvl.price.lo, num"2M $", "gb200-nvl72 price from $2M (press)")
T.eq(nvl.price.hi, num"3.4M $", "gb200-nvl72 price to $3.4M (Bernstein compute hardware)")
local price_sources = {}
for _, s in ipairs(nvl.sources) do if set(s.covers).price then price_sources[#price_sources + 1] = s.id end end
table.sort(price_sources)
T.eq(table.concat(price_sources, ","), "S26,S27", "gb200-nvl72 price cites the press estimate and Bernstein")

-- HGX B300 is its own chip, not an alias of GB300 NVL72
local b300, gb300 = chips.get "b300", chips.get "gb300"
T.ok(b300 ~= gb300 and b300.key == "b300", "b300 is its own entry")
T.eq(b300.utility_power, num"2.17 kW/chip", "B300: SemiAnalysis 2.17 kW per GPU")
T.eq(b300.tco.hyperscaler, num"2.34 $/chip/h", "B300: SemiAnalysis $2.34 per GPU-hour")
T.eq(gb300.utility_power, num"2.10 kW/chip", "GB300 NVL72: 2.10 kW per GPU")
T.eq(gb300.tco.hyperscaler, num"2.652 $/chip/h", "GB300 NVL72: $2.652 per GPU-hour (1.2 x GB200)")

-- Trainium3: the 1M chips are an UltraCluster; HBM bandwidth per the NKI guide
local trn3 = chips.get "trainium3"
T.eq(trn3.pod, num"144 chip", "trainium3 pod is the 144-chip UltraServer")
T.eq(trn3.cluster, num"1000000 chip", "trainium3 cluster (UltraCluster) is 1M chips")
T.eq(trn3.hbm_bw, num"4.7 TB/s/chip", "trainium3 HBM bandwidth 4.7 TB/s (NKI guide)")

-- Maia
T.eq(chips.get("maia-100").power, num"500 W/chip", "maia-100 runs at 500 W (provisioned; 700 W design)")
T.eq(chips.get("maia-200").bounds.fp8, "lower", "maia-200 FP8 5,000 TFLOP/s is a lower bound")
T.ok(chips.get("maia-200").notes.fp8:find("lower bound", 1, true) ~= nil, "maia-200 note says lower bound")

-- power meanings: IT (allin_power) and utility (facility overhead included) are kept apart
T.eq(chips.get("tpu-v7").allin_power, num"10 MW" / num"9216 chip", "tpu-v7 IT power per chip from the pod")
T.eq(chips.get("h100").allin_power, num"1.275 kW/chip", "h100 IT power per chip: DGX H100 10.2 kW / 8")
T.ok(chips.get("mi355x").allin_power == nil and chips.get("mi355x").utility_power == num"2.65 kW/chip",
     "mi355x: SemiAnalysis's 2.65 kW is utility power, not IT power")

-- sites
local pue = sites.reference.pue
T.ok(pue.lo < pue.value and pue.value < pue.hi, "PUE central value lies inside its range, not at the top")
T.eq(pue.value, num"1.3", "PUE of a new large campus about 1.3 (Uptime 2024)")
local retail, wholesale = sites.reference.colocation, sites.reference.colocation_wholesale
T.ok(retail.what:find("RETAIL", 1, true) ~= nil, "retail colocation is labelled as such")
T.ok(wholesale.hi < retail.value, "GW-scale colocation is below the 250-500 kW retail rate")
T.near(wholesale.lo, (num"3B $" / (num"168 MW" * num"120 month")):to "$/kW/month", num"0.05 $/kW/month",
       "Cipher-Fluidstack: $3B / (168 MW x 120 months)")
T.near(wholesale.hi, (num"3.7B $" / (num"200 MW" * num"120 month")):to "$/kW/month", num"0.05 $/kW/month",
       "TeraWulf-Fluidstack: $3.7B / (200 MW x 120 months)")
T.eq(sites.reference.campus_per_gw.value, num"55B $", "campus cost per GW: midpoint of $50-60B")

-- the entries an analyst expects, added from dated sources
for _, k in ipairs { "rubin", "mi325x", "mi450", "b300" } do
  T.ok(pcall(chips.get, k), k .. " is in the catalog")
end
T.done()
