-- stdlib/deal.lua: a bundle of contracts over sites and a horizon, and the
-- economics analysts ask of it.
--
-- A bundle of contracts (and sites) over a horizon, from the customer's side: a yearly
-- cash-flow table, TCO (nominal or discounted), chip-hours, cost per chip-hour, cost per
-- million tokens (SemiAnalysis's identity `$/M tok = C_hr x 1e6 / (3600 x T x U)`), an
-- owner's TCO per chip-hour (CRF on capex, facility or colocation, power, opex), buy
-- versus rent, and supplier mix with its concentration (HHI).
--
--   local gpus = contracts.cloud { name = "GB200", seller = "Azure", chip = "gb200", chips = 50k chip,
--                                  rate = $3.30/chip/h, start = "2026-01", term = 3 yr }
--   local tpus = contracts.cloud { name = "TPU", seller = "Google Cloud", chip = "tpu-v6e", chips = 100k chip,
--                                  rate = $2.70/chip/h, discount = 55%, start = "2026-01", term = 3 yr }
--   local fleet = deal.new { name = "fleet", contracts = { gpus, tpus }, start = "2026-01", horizon = 3 yr }
--   fleet:report()
--   print(fleet:cost_per_mtok { throughput = 5000 token/s/chip, utilisation = 60% })
--   print(fleet:hhi(), fleet:hhi("seller", "spend"))
--   fleet:table(); print(fleet:tco(), fleet:cost_per_chip_hour(), fleet:hhi())
local S = require "_shared"
local F = require "finance"
local contracts = require "contracts"
local sites = require "sites"

local deal = {}

local Deal = { __name = "deal" }
local methods = {}
Deal.__index = methods

local MTOK = num "1000000 token"

--- A deal: contracts (and sites) over a horizon, seen from the customer's side.
-- @param t.contracts a list of contracts (contracts.purchase, cloud, ...), required
-- @param t.sites optional list of sites whose capex and power the customer pays
-- @param t.start first month of the horizon (default "2026-01")
-- @param t.horizon length (default 5 yr); or t["until"] an end date
-- @param t.rate discount rate for present values (default 8%)
-- @param t.name a label
-- @return a deal with :cashflows(), :table(), :tco(), :chip_hours(), :cost_per_chip_hour(), :cost_per_mtok{}, :mix(), :hhi()
-- example: local c = contracts.cloud{ chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; local d = deal.new{ contracts = { c }, horizon = num"1 yr" }; print(d:tco(), d:cost_per_chip_hour())
function deal.new(t)
  local fn = "deal.new"
  S.args(t, fn)
  if type(t.contracts) ~= "table" then
    S.fail(fn .. ": missing field 'contracts' (a list of contracts, e.g. { contracts.cloud{...} })")
  end
  local d = setmetatable({ name = t.name or "deal",
    contracts = S.listof(t.contracts, fn .. ": contracts", contracts.is,
                         "a contract (contracts.purchase{...}, contracts.cloud{...}, ...)"),
    sites = S.listof(t.sites or {}, fn .. ": sites", sites.is, "a site (sites.new{...})") }, Deal)
  d.start = F.month(t.start or "2026-01", fn .. ": field 'start'")
  if t["until"] ~= nil then
    d.stop = F.month(t["until"], fn .. ": field 'until'")
  else
    d.stop = d.start + F.months(S.need(t, "horizon", "5 yr", fn, true) or num "5 yr", fn .. ": field 'horizon'")
  end
  if d.stop <= d.start then S.fail(fn .. ": the horizon ends before it starts") end
  d.rate = S.need(t, "rate", "8%", fn, true) or num "8%"
  return d
end

--- All cash flows, labelled by contract (or site) name, customer's side (payments negative).
-- @return a finance series
-- example: local c = contracts.cloud{ name = "rent", chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; print(deal.new{ contracts = { c }, horizon = num"1 yr" }:cashflows():total())
function methods:cashflows()
  local s = F.series(self.name)
  for _, c in ipairs(self.contracts) do s:merge(c:cashflows(), c.name) end
  for _, site in ipairs(self.sites) do
    s:merge(site:cashflows(self.stop), function(label) return site.name .. " " .. label end)
  end
  return s
end

--- Prints the yearly cash-flow table (one column per contract) within the horizon.
-- @param quiet when true, only returns the text
-- @param format optional num.format options for the cells: { cents = true }, { unit = "$M" }
-- @return the text
-- example: local c = contracts.cloud{ name = "rent", chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", start = "2026-07", term = num"1 yr" }; deal.new{ contracts = { c }, horizon = num"2 yr" }:table(false, { unit = "$M" })
function methods:table(quiet, format)
  return self:cashflows():within(self.start, self.stop):table(quiet, format)
end

--- Total cost of ownership over the horizon (positive), nominal or discounted at the deal's rate.
-- @param discounted when true, the present value at the start date
-- @return money
-- example: local c = contracts.cloud{ chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; print(deal.new{ contracts = { c }, horizon = num"1 yr" }:tco())
function methods:tco(discounted)
  if discounted then return -self:cashflows():within(self.start, self.stop):npv(self.rate, self.start) end
  return -self:cashflows():total(self.start, self.stop)
end

--- Chip-hours available over the horizon, summed over contracts (or their present value).
-- @param discounted when true, the present value at the start date at the deal's rate
-- @return chip·h
-- example: local c = contracts.cloud{ chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; print(deal.new{ contracts = { c }, horizon = num"1 yr" }:chip_hours())
function methods:chip_hours(discounted)
  local rate = discounted and self.rate or nil
  return S.sum(self.contracts, function(c)
    return c:chip_hours(self.start, self.stop, rate, self.start)
  end) or num "0 chip*h"
end

--- The deal's cost per chip-hour: TCO over chip-hours, or levelised (PV of the costs over PV of the chip-hours).
-- Levelised, a flat rental gives its own rate and owning pays for the capital tied up (at the
-- deal's rate); both are discounted the same way, month by month at an annual effective rate.
-- @param discounted when true, the levelised cost PV(cost) / PV(chip-hours)
-- @return $/chip/h
-- example: local c = contracts.cloud{ chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; print(deal.new{ contracts = { c }, horizon = num"1 yr" }:cost_per_chip_hour(true))   --> $2/chip/h
function methods:cost_per_chip_hour(discounted)
  local h = self:chip_hours(discounted)
  if S.iszero(h) then S.fail("deal:cost_per_chip_hour: the deal's contracts provide no chip-hours within the horizon") end
  return (self:tco(discounted) / h):to "$/chip/h"
end

--- Cost per million tokens, SemiAnalysis's identity: $/chip-h x 1M / (3600 x tokens/s/chip x utilisation).
-- @param t.chip_hour cost per chip-hour ($/chip/h), required
-- @param t.throughput tokens per second per chip (e.g. 5000 token/s/chip), required
-- @param t.utilisation share of capacity sold (default 100%)
-- @return money per million tokens
-- example: print(deal.token_cost{ chip_hour = num"1.95 $/chip/h", throughput = num"12900 token/s/chip", utilisation = num"60%" })   --> about $0.07
function deal.token_cost(t)
  local fn = "deal.token_cost"
  S.args(t, fn)
  local c = S.need(t, "chip_hour", "2 $/chip/h", fn)
  local tput = S.need(t, "throughput", "5000 token/s/chip", fn)
  local u = S.need(t, "utilisation", "60%", fn, true) or num(1)
  return (c * MTOK / (tput * u)):to "$"
end

--- The deal's cost per million tokens (its cost per chip-hour through deal.token_cost).
-- @param t.throughput tokens/s per chip, required; t.utilisation (default 100%); t.discounted
-- @return money per million tokens
-- example: local c = contracts.cloud{ chip = "b200", chips = num"1000 chip", rate = num"2.90 $/chip/h", term = num"1 yr" }; print(deal.new{ contracts = { c }, horizon = num"1 yr" }:cost_per_mtok{ throughput = num"12900 token/s/chip", utilisation = num"60%" })
function methods:cost_per_mtok(t)
  S.args(t, "deal:cost_per_mtok")
  local tput = S.need(t, "throughput", "5000 token/s/chip", "deal:cost_per_mtok")
  return deal.token_cost { chip_hour = self:cost_per_chip_hour(t.discounted), throughput = tput,
                           utilisation = t.utilisation }
end

--- Decode/prefill throughput bound from compute: MFU x peak FLOP/s / (2 FLOP per active parameter per token).
-- @param t.flops peak FLOP/s per chip (e.g. chips.get("gb200"):flops "fp8"), required
-- @param t.params active parameters (e.g. 37B), required
-- @param t.mfu model FLOP utilisation (default 40%)
-- @return tokens/s per chip
-- example: print(deal.throughput{ flops = chips.get("gb200"):flops "fp8", params = num"37B", mfu = num"30%" })
function deal.throughput(t)
  local fn = "deal.throughput"
  S.args(t, fn)
  local f = S.need(t, "flops", "2307 TFLOP/s/chip", fn)
  local p = S.need(t, "params", "37B", fn)
  local mfu = S.need(t, "mfu", "40%", fn, true) or num "40%"
  return (mfu * f / (num "2 FLOP/token" * p)):to "token/s/chip"
end

--- Owner's cost per chip-hour, the consolidated owner's TCO.
-- Capital recovered over the chip's life with its cost of capital: (capex - PV of the residual
-- value) x CRF(rate, life), the level yearly payment at each year's end (finance.crf; a life of
-- 5.5 yr or 6 month is an annuity over that fraction of years); facility capex likewise over its
-- life (or colocation); power; other opex. At 8%, a $25k chip over 5 years costs about
-- $0.715/chip/h of capital (not $25k / 43,800 h = $0.571).
-- @param t.capex capex per chip incl. server and network share ($/chip), required
-- @param t.life useful life (default 5 yr); t.rate cost of capital (default 8%)
-- @param t.residual value left at the end of life: a share of capex (20%) or money per chip (default 0)
-- @param t.power all-in power per chip (kW/chip), required for power, facility and colo
-- @param t.pue (default 1.2); t.power_price ($/kWh, optional); t.load average draw share (default 100%)
-- @param t.build_cost facility capex per MW ($/MW, optional) with t.facility_life (default 15 yr); or t.colo ($/kW/month)
-- @param t.opex other yearly opex as a share of capex (default 0%)
-- @return a table { capital, facility, colo, power, other, total } each in $/chip/h
-- example: local c = deal.owner_cost{ capex = num"40000 $/chip", power = num"1.73 kW/chip", power_price = num"0.08 $/kWh", colo = num"184 $/kW/month" }; print(c.total)
function deal.owner_cost(t)
  local fn = "deal.owner_cost"
  S.args(t, fn)
  local capex = S.need(t, "capex", "40000 $/chip", fn)
  local YEAR = num "1 yr"
  local function years(field, default)
    local v = S.need(t, field, "5 yr", fn, true) or num(default)
    local y = units.value(v, "yr")
    if not (y > 0) then S.fail(("%s: field '%s' must be a positive duration, got %s"):format(fn, field, tostring(v))) end
    return y
  end
  local life = years("life", "5 yr")
  local rate = S.need(t, "rate", "8%", fn, true) or num "8%"
  local residual = t.residual
  if residual ~= nil then
    if num.isnum(residual) and units.dim(residual) == units.dim(num(1)) or type(residual) == "number" then
      residual = capex * S.need(t, "residual", "20%", fn)
    else
      residual = S.need(t, "residual", "5000 $/chip", fn)
    end
  else
    residual = 0 * capex
  end
  local pw = S.need(t, "power", "1.7 kW/chip", fn, t.power_price == nil and t.build_cost == nil and t.colo == nil)
  local pue = S.need(t, "pue", "1.2", fn, true) or num "1.2"
  local load = S.need(t, "load", "80%", fn, true) or num(1)
  local price = S.need(t, "power_price", "0.06 $/kWh", fn, true)
  local build = S.need(t, "build_cost", "11.7M $/MW", fn, true)
  local flife = years("facility_life", "15 yr")
  local colo = S.need(t, "colo", "184 $/kW/month", fn, true)
  local opex = S.need(t, "opex", "3%", fn, true) or num(0)
  local PER = "$/chip/h"
  local out = {}
  local crf = F.crf(rate, life)
  local recovered = capex - F.discount(residual, rate, life)
  out.capital = (recovered * crf / YEAR):to(PER)
  out.other = (capex * opex / YEAR):to(PER)
  local zero = num "0 $/chip/h"
  out.facility = build and (build * pw * F.crf(rate, flife) / YEAR):to(PER) or zero
  out.colo = colo and (colo * pw):to(PER) or zero
  out.power = price and (pw * load * pue * price):to(PER) or zero
  out.total = out.capital + out.other + out.facility + out.colo + out.power
  return out
end

--- Buy versus rent per chip-hour: the owner's cost against a rental rate.
-- @param own owner's cost per chip-hour (e.g. deal.owner_cost{...}.total)
-- @param rent rental rate per chip-hour
-- @return { own, rent, saving = rent - own, ratio = own / rent }
-- example: local r = deal.buy_vs_rent(num"1.30 $/chip/h", num"2.00 $/chip/h"); print(r.saving, r.ratio)   --> $0.70/chip/h  0.65
function deal.buy_vs_rent(own, rent)
  own = S.expect(own, "1.5 $/chip/h", "deal.buy_vs_rent: own")
  rent = S.expect(rent, "2 $/chip/h", "deal.buy_vs_rent: rent")
  return { own = own, rent = rent, saving = rent - own, ratio = own / rent }
end

--- Herfindahl-Hirschman index of shares: sum of squared percentage shares (0 to 10,000).
-- @param values a list or map of amounts (chips, dollars, ...) or of shares
-- @return the HHI (plain number; above 2,500 is "highly concentrated" in US merger guidelines)
-- example: print(deal.hhi{ num"50", num"30", num"20" })   --> 3800
function deal.hhi(values)
  if type(values) ~= "table" then S.fail("deal.hhi: expected a list or map of amounts, got " .. S.describe(values)) end
  local total = S.sum(values, nil, pairs)
  if total == nil then S.fail("deal.hhi: no amounts given") end
  return S.sum(values, function(v)
    local s = (type(v) == "number" and num(v) or v) / total * 100   -- exact: 5200, not 5200.0
    return s * s
  end, pairs)
end

-- weight of one contract for the mix
local function weight(c, by, date)
  if by == "spend" then return c:cost() end
  local cap = c:capacity(date)
  return cap.chips
end

--- Supply mix: chips (or spend) per vendor or seller, with shares, largest first when exact.
-- @param by "vendor" (the chip's designer, default) or "seller" (who the contract is with)
-- @param weight_by "chips" (default: chips available at a date) or "spend" (total cost)
-- @param date the date for chips (default: the middle of the horizon)
-- @return a list of { name, amount, share }
-- example: local a = contracts.cloud{ chip = "h100", chips = num"3000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; local b = contracts.cloud{ chip = "tpu-v6e", chips = num"1000 chip", rate = num"2.7 $/chip/h", term = num"1 yr" }; for _, r in ipairs(deal.new{ contracts = { a, b }, horizon = num"1 yr" }:mix()) do print(r.name, r.amount, r.share) end
function methods:mix(by, weight_by, date)
  by = S.oneof(by or "vendor", { "vendor", "seller" }, "deal:mix: 'by'")
  weight_by = S.oneof(weight_by or "chips", { "chips", "spend" }, "deal:mix: weight")
  date = date or F.monthname((self.start + self.stop) // 2)
  local amounts, order = {}, {}
  for _, c in ipairs(self.contracts) do
    local key = (by == "vendor" and c.vendor or c.seller)
    if key and (weight_by == "spend" or c.nchips) then
      if amounts[key] == nil then order[#order + 1] = key end
      amounts[key] = S.add(amounts[key], weight(c, weight_by, date))
    end
  end
  local total = S.sum(order, function(k) return amounts[k] end)
  local rows = {}
  for _, k in ipairs(order) do rows[#rows + 1] = { name = k, amount = amounts[k], share = amounts[k] / total } end
  local exact = true
  for _, r in ipairs(rows) do if not S.isexact(r.amount) then exact = false end end
  if exact then table.sort(rows, function(a, b) return a.amount > b.amount end) end
  return rows
end

--- Concentration of supply: HHI of the mix (see deal:mix for the arguments).
-- @param by "vendor" (default) or "seller"; weight_by "chips" (default) or "spend"; date
-- @return the HHI (0 to 10,000)
-- example: local a = contracts.cloud{ chip = "h100", chips = num"3000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; local b = contracts.cloud{ chip = "tpu-v6e", chips = num"1000 chip", rate = num"2.7 $/chip/h", term = num"1 yr" }; print(deal.new{ contracts = { a, b }, horizon = num"1 yr" }:hhi())   --> 6250
function methods:hhi(by, weight_by, date)
  local rows = self:mix(by, weight_by, date)
  local list = {}
  for i, r in ipairs(rows) do list[i] = r.amount end
  return deal.hhi(list)
end

--- Chips and power available at a date across the deal's contracts.
-- @param date a date
-- @return { chips, power }
-- example: local c = contracts.cloud{ chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; print(deal.new{ contracts = { c } }:capacity("2026-06").chips)
function methods:capacity(date)
  local ch, pw = num "0 chip", num "0 W"
  for _, c in ipairs(self.contracts) do
    local cap = c:capacity(date)
    ch = ch + cap.chips
    pw = pw + cap.power
  end
  return { chips = ch, power = pw:to "MW" }
end

--- Prints a short report: horizon, TCO (nominal and discounted), chip-hours, cost per chip-hour.
-- @return nothing
-- example: local c = contracts.cloud{ chip = "h100", chips = num"1000 chip", rate = num"2 $/chip/h", term = num"1 yr" }; deal.new{ name = "H100 rental", contracts = { c }, horizon = num"1 yr" }:report()
function methods:report()
  print(("%s: %s to %s, %d contract(s)"):format(self.name, F.monthname(self.start), F.monthname(self.stop - 1), #self.contracts))
  print("  TCO (nominal)        " .. tostring(self:tco()))
  print(("  TCO (PV at %s%%)     %s"):format(num.format(self.rate * 100), tostring(self:tco(true))))
  local ok, h = pcall(self.chip_hours, self)
  if ok then
    print("  chip-hours           " .. tostring(h))
    local ok2, c = pcall(self.cost_per_chip_hour, self)
    if ok2 then print("  cost per chip-hour   " .. tostring(c)) end
  end
end

Deal.__tostring = function(d)
  return ("deal '%s' (%d contracts, %s to %s)"):format(d.name, #d.contracts, F.monthname(d.start), F.monthname(d.stop - 1))
end

deal.Deal = Deal
--- Sets (or returns) the number of Monte Carlo samples per uncertain value.
-- @param n samples (1 to 100,000,000); omitted: returns the current count
-- example: deal.samples(20000)
deal.samples = __deal.samples

--- Sets (or returns) the seed of the random generator (default 20260101).
-- @param n the seed; omitted: returns the current seed
-- example: deal.seed(42)
deal.seed = __deal.seed

return deal
