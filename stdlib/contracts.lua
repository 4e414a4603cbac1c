-- stdlib/contracts.lua: the contracts of a compute deal.
--
-- Every contract answers `:cashflows()` (a finance series, from the customer's side:
-- payments negative), `:cost([from, to])` (what the customer pays, positive),
-- `:capacity(date)` (chips and power available at a date), `:chip_hours(from, to)`,
-- `:chips()` and `:power()`, and carries `kind`, `name`, `buyer`, `seller` and `vendor`
-- (the chip's vendor, for supplier mix). Kinds: `purchase`, `cloud`, `colocation`,
-- `power` (PPA), `lease`, `financing` and `capacity` (a right to capacity with a cap, a
-- priority and optional use, like "up to 1M TPUs"). Each kind adds its own methods
-- (`purchase:quantity()`, `cloud:rate()`, `financing:debt()`, ...); a method of
-- another kind says which kinds have it.
--
-- Dates are "YYYY-MM" (or "YYYY-MM-DD"); terms are Times (5 yr); a month is yr/12.
--
--   local order = contracts.purchase { buyer = "Lab", seller = "Broadcom", item = "ironwood-rack",
--                                      value = $21B, delivery = { { "2026-06", 10/21 }, { "2026-12", 11/21 } } }
--   local right = contracts.capacity { buyer = "Lab", seller = "Google Cloud", chip = "tpu-v7",
--                                      cap = 1M chip, use = 20%, rate = $1.60/chip/h,
--                                      priority = 1, start = "2026-06", term = 5 yr }
--   print(order:chips(), order:capacity("2026-07").chips, right:drawn(), right:cost())
--   order:cashflows():table()
local S = require "_shared"
local F = require "finance"
local chips = require "chips"
local racks = require "racks"
local RACK, RACK_PRICE = num "1 rack", num "1 $"

local contracts = {}

local MONTH = num "1 month"
local USD = F.USD
local ZERO_CHIP = num "0 chip"
local ZERO_W = num "0 W"

---------------------------------------------------------------------------
-- Kinds: one method table per kind, over the methods every contract shares
---------------------------------------------------------------------------

local contract = {}          -- the shared base: cashflows, cost, capacity, ...
local kinds = {}             -- kind names in order; kinds[name] = its metatable
local metas = {}             -- metatable -> kind name (contracts.is)

local function tostring_contract(c)
  local who = ""
  if c.buyer or c.seller then who = (" (%s <- %s)"):format(c.buyer or "?", c.seller or "?") end
  return ("%s '%s'%s: cost %s"):format(c.kind, c.name, who, tostring(c:cost()))
end

-- The method table of a kind; its contracts find the shared base behind it.
local function kind(name)
  local m = setmetatable({}, { __index = contract })
  local mt = { __name = "contract", __index = m, __tostring = tostring_contract }
  kinds[#kinds + 1], kinds[name], metas[mt] = name, mt, name
  return m
end

-- A method of other kinds, called on this one: a function that says which
-- kinds have it. (Behind the base: Tab completion lists the kind's methods.)
setmetatable(contract, { __index = function(_, k)
  local owners = {}
  for _, name in ipairs(kinds) do
    if rawget(kinds[name].__index, k) then owners[#owners + 1] = name end
  end
  if #owners == 0 then return nil end
  local list = #owners == 1 and owners[1] or table.concat(owners, ", ", 1, #owners - 1) .. " and " .. owners[#owners]
  return function(self)
    S.fail(("contract:%s: only for %s contracts, this is a %s"):format(k, list, self.kind))
  end
end })

local function new(name, t, fn)
  return setmetatable({
    kind = name, fn = fn,
    name = t.name or name,
    buyer = t.buyer or t.tenant or t.lessee or t.borrower,
    seller = t.seller or t.provider or t.lessor or t.lender,
    caps = {},     -- capacity segments { m, n, chips, power }
    flows = F.series(t.name or name),
  }, kinds[name])
end

local function addcap(c, m, n, chipsv, powerv)
  if n > 0 then c.caps[#c.caps + 1] = { m = m, n = n, chips = chipsv, power = powerv } end
end

-- resolves an item: a rack, a chip, or a key of either
local function item_of(x, fn)
  if racks.is(x) or chips.is(x) then return x end
  if type(x) == "string" then
    local ok, r = pcall(racks.get, x)
    if ok then return r end
    ok, r = pcall(chips.get, x)
    if ok then return r end
  end
  S.fail(("%s: field 'item' expected a rack (racks.get \"ironwood-rack\") or a chip (chips.get \"h100\"), got %s")
         :format(fn, S.describe(x)))
end

local function chip_of(t, fn, optional)
  local x = t.chip
  if x == nil and optional then return nil end
  if chips.is(x) then return x end
  if racks.is(x) then return x.chip end
  if type(x) == "string" then
    local ok, c = pcall(chips.get, x)
    if ok then return c end
  end
  S.fail(("%s: field 'chip' expected a chip (chips.get \"tpu-v7\") or a chip key, got %s"):format(fn, S.describe(x)))
end

local function per_chip_power(chip)
  return chip.allin_power or chip.power
end

-- c.start (default "2026-01") and c.term in months; term_example names the
-- kind of term expected in an error ("5 yr")
local function dates(c, t, fn, term_example)
  c.start = F.month(t.start or "2026-01", fn .. ": field 'start'")
  c.term = F.months(S.need(t, "term", term_example, fn), fn .. ": field 'term'")
end

-- What a contract provides from c.start for c.term: its chips, and power
-- (given, or the chips' all-in power when the chip has a figure).
local function provide(c)
  local pc = c.chip and c.nchips and per_chip_power(c.chip)
  if pc then c.powerv = pc * c.nchips end
  addcap(c, c.start, c.term, c.nchips, c.powerv)
end

---------------------------------------------------------------------------
-- Shared methods
---------------------------------------------------------------------------

--- The contract's cash flows from the customer's side (payments negative).
-- @return a finance series
-- example: local c = contracts.colocation{ power = num"10 MW", rate = num"184 $/kW/month", start = "2026-01", term = num"1 yr" }; c:cashflows():table()
function contract:cashflows()
  return self.flows
end

--- What the customer pays (positive), optionally between two dates [from, to).
-- @param from optional first date
-- @param to optional end date (excluded)
-- @return money
-- example: local c = contracts.colocation{ power = num"10 MW", rate = num"184 $/kW/month", start = "2026-01", term = num"1 yr" }; print(c:cost())
function contract:cost(from, to)
  return -self.flows:total(from, to)
end

--- Chips and power available under the contract at a date.
-- @param date a date ("2027-01")
-- @return { chips = ..., power = ... }
-- example: local c = contracts.cloud{ chip = "tpu-v6e", chips = num"1000 chip", rate = num"2.70 $/chip/h", start = "2026-01", term = num"1 yr" }; print(c:capacity("2026-06").chips)
function contract:capacity(date)
  local m = F.month(date, self.kind .. ":capacity")
  local ch, pw
  for _, s in ipairs(self.caps) do
    if m >= s.m and m < s.m + s.n then
      if s.chips then ch = S.add(ch, s.chips) end
      if s.power then pw = S.add(pw, s.power) end
    end
  end
  return { chips = ch or ZERO_CHIP, power = pw or ZERO_W }
end

--- Chip-hours available between two dates [from, to), or their present value.
-- Discounted like the cash flows (each month's hours at the month's start, at an annual effective
-- rate), so that PV(cost) / PV(chip-hours) of a flat rental is its rate.
-- @param from first date
-- @param to end date (excluded)
-- @param rate optional annual discount rate: the present value of the chip-hours
-- @param base optional date of t = 0 for the present value (default: from)
-- @return chip-hours (chip·h)
-- example: local c = contracts.cloud{ chip = "tpu-v6e", chips = num"1000 chip", rate = num"2.70 $/chip/h", start = "2026-01", term = num"1 yr" }; print(c:chip_hours("2026-01", "2027-01"), c:chip_hours("2026-01", "2027-01", num"8%"))
function contract:chip_hours(from, to, rate, base)
  local a = F.month(from, self.kind .. ":chip_hours")
  local b = F.month(to, self.kind .. ":chip_hours")
  local t0 = base and F.month(base, self.kind .. ":chip_hours") or a
  local sum = S.sum(self.caps, function(s)
    local lo, hi = math.max(a, s.m), math.min(b, s.m + s.n)
    if hi > lo and s.chips then
      local months = rate and F.month_factor(rate, lo - t0, hi - lo) or (hi - lo)
      return s.chips * MONTH * months
    end
  end)
  return (sum or ZERO_CHIP * MONTH):to "chip*h"
end

--- Chips under the contract (bought, rented, or drawn).
-- @return chips
-- example: print(contracts.purchase{ item = "ironwood-rack", value = num"1.6B $" }:chips())   --> 64000 chip
function contract:chips()
  if self.nchips == nil then S.fail("contract:chips: a " .. self.kind .. " contract has no chips") end
  return self.nchips
end

--- Power of what the contract provides (rack power x racks, or chips x all-in power per chip).
-- @return a Power
-- example: print(contracts.purchase{ item = "gb200-nvl72", quantity = num"100" }:power())   --> 12 MW
function contract:power()
  if self.powerv == nil then
    S.fail("contract:power: " .. (self.nopower or ("no power figure for this " .. self.kind .. " contract")))
  end
  return self.powerv
end

--- True when x is a contract.
-- @param x any value
-- @return boolean
-- example: print(contracts.is(contracts.power{ power = num"100 MW", price = num"50 $/MWh", start = "2026-01", term = num"1 yr" }))   --> true
function contracts.is(x)
  return metas[getmetatable(x)] ~= nil
end

---------------------------------------------------------------------------
-- purchase
---------------------------------------------------------------------------

local purchase = kind "purchase"

local function delivery_of(t, fn)
  local d = t.delivery or t.start or "2026-01"
  local out = {}
  if type(d) == "string" or math.type(d) == "integer" then
    out[1] = { m = F.month(d, fn .. ": field 'delivery'"), share = num(1) }
    return out
  end
  if type(d) ~= "table" or #d == 0 then
    S.fail(fn .. ": field 'delivery' expected a date or a list of { \"2026-06\", 40% }, got " .. S.describe(d))
  end
  local sum = num(0)
  for i, e in ipairs(d) do
    local what = ("%s: delivery[%d]"):format(fn, i)
    if type(e) ~= "table" then S.fail(what .. " expected { \"2026-06\", 40% }, got " .. S.describe(e)) end
    local m = F.month(e.date or e[1], what)
    local share = S.expect(e.share or e[2], "40%", what .. " share")
    out[i] = { m = m, share = share }
    if num.isnum(share) then sum = sum + share end
  end
  if sum ~= num(1) and num.isexact(sum) then
    S.fail(("%s: field 'delivery' shares add up to %s, expected 100%%"):format(fn, tostring(sum)))
  end
  return out
end

-- the power of what a purchase delivers, or the reason there is none
local function purchase_power(c)
  local item = c.item
  if c.israck then
    local ok, p = pcall(item.power, item)
    if ok then return p * c.qty end
    return nil, S.reason(p)
  end
  local pc = per_chip_power(item)
  if pc then return pc * c.nchips end
  return nil, ("chip '%s' has no power figure (%s)"):format(item.key, item.notes.power or "not given")
end

--- A purchase order: items (racks or chips) bought for a value or at a unit price, delivered on dates.
-- @param t.item a rack or chip (or its key), required
-- @param t.value the order's value (e.g. $10B + $11B); or t.quantity (racks, or chips for a chip)
-- @param t.unit_price price per item (default: rack:cost() or the chip's price)
-- @param t.delivery a date, or a list of { date, share } (e.g. { {"2026-06", 40%}, {"2026-12", 60%} })
-- @param t.paid optional payment date for the whole value (default: on delivery)
-- @param t.life useful life of what is delivered (default 5 yr)
-- @param t.buyer, t.seller, t.name labels
-- @return a purchase with :quantity(), :chips(), :power(), :unit_price()
-- example: local o = contracts.purchase{ buyer = "Lab", seller = "Broadcom", item = racks.get "ironwood-rack", value = num"21B $", delivery = "2026-10" }; print(o:quantity(), o:chips())
function contracts.purchase(t)
  local fn = "contracts.purchase"
  S.args(t, fn)
  if t.item == nil then S.fail(fn .. ": missing field 'item' (expected a rack or a chip, e.g. racks.get \"ironwood-rack\")") end
  local item = item_of(t.item, fn)
  local c = new("purchase", t, fn)
  c.item = item
  c.israck = racks.is(item)
  c.vendor = c.israck and item.chip.vendor or item.vendor
  c.chip = c.israck and item.chip or item
  local unit = t.unit_price
  if unit == nil then
    if c.israck then
      local ok, v = pcall(item.cost, item)
      if not ok then S.fail(fn .. ": no field 'unit_price' and " .. S.reason(v)) end
      unit = v
    else
      unit = item.price
      if unit == nil then
        S.fail(("%s: no field 'unit_price' and chip '%s' has no price (%s); pass unit_price = ... (e.g. $25k/chip)")
               :format(fn, item.key, item.notes.price or "not given"))
      end
    end
  elseif c.israck then                       -- per rack: $1.6M is $1.6M/rack
    if type(unit) == "userdata" and units.same(unit, RACK_PRICE) then unit = unit / RACK end
    unit = S.expect(unit, "1.6M $/rack", fn .. ": field 'unit_price'")
  else
    unit = S.expect(unit, "25000 $/chip", fn .. ": field 'unit_price'")
  end
  c.unit = unit
  if t.value ~= nil then
    c.val = S.need(t, "value", "21B $", fn)
    c.qty = c.val / unit
  elseif t.quantity ~= nil then
    if c.israck then                         -- racks: 13125 is 13125 rack
      local q = t.quantity
      if type(q) == "number" or (num.isnum(q) and units.dim(q) == "Number") then q = num(q) * RACK end
      c.qty = S.expect(q, "13125 rack", fn .. ": field 'quantity'")
    else
      c.qty = S.need(t, "quantity", "100000 chip", fn)
    end
    c.val = c.qty * unit
  else
    S.fail(fn .. ": missing field 'value' (e.g. $21B) or 'quantity'")
  end
  c.life = F.months(S.need(t, "life", "5 yr", fn, true) or num "5 yr", fn .. ": field 'life'")
  c.delivery = delivery_of(t, fn)
  local paid = t.paid and F.month(t.paid, fn .. ": field 'paid'") or nil
  local chipsv = c.israck and c.qty * item.count or c.qty
  c.nchips = chipsv
  for _, d in ipairs(c.delivery) do
    c.flows:add(paid or d.m, -(c.val * d.share), "purchase")
    local pw
    if c.israck then
      local ok, p = pcall(item.power, item)
      if ok then pw = p * c.qty * d.share end
    elseif per_chip_power(item) then
      pw = per_chip_power(item) * chipsv * d.share
    end
    addcap(c, d.m, c.life, chipsv * d.share, pw)
  end
  c.powerv, c.nopower = purchase_power(c)
  return c
end

--- Items bought: value / unit price (racks for a rack, chips for a chip).
-- @return racks (e.g. 1000 rack), or chips
-- example: print(contracts.purchase{ item = "hgx-h100", value = num"318M $" }:quantity())   --> 1k rack
function purchase:quantity()
  return self.qty
end

--- The order's value (given, or quantity x unit price).
-- @return money
-- example: print(contracts.purchase{ item = "hgx-h100", quantity = num(10) }:value())   --> $3.18M
function purchase:value()
  return self.val
end

--- The unit price used (per rack, or per chip).
-- @return money per item ($/rack or $/chip)
-- example: print(contracts.purchase{ item = "hgx-h100", value = num"318M $" }:unit_price())
function purchase:unit_price()
  return self.unit
end

---------------------------------------------------------------------------
-- cloud
---------------------------------------------------------------------------

local cloud = kind "cloud"

-- the rate per chip-hour (a capacity right may have none)
local function rate_of(c, fname)
  if c.eff_rate == nil then
    S.fail(("contract:%s: this capacity right has no rate (pass rate = ... to contracts.capacity)"):format(fname))
  end
  return c.eff_rate
end

--- Cloud rental: chips at a rate per chip-hour over a term, with discount, commitment and take-or-pay.
-- @param t.chip the chip rented (chip or key), required
-- @param t.rate list price per chip-hour (e.g. $2.70/chip/h), required
-- @param t.chips chips reserved; or t.commitment (total committed spend) from which chips are derived
-- @param t.discount discount off the rate (default 0%)
-- @param t.start, t.term start date and length (e.g. "2026-01", 5 yr)
-- @param t.take_or_pay when true (default) the reserved chips are paid whether used or not
-- @param t.use share of the reserved chips actually used (default 100%); without take-or-pay only used hours are paid
-- @return a cloud contract with :rate(), :monthly(), :committed(), :cost_per_used_chip_hour()
-- example: local c = contracts.cloud{ chip = "tpu-v6e", chips = num"10000 chip", rate = num"2.70 $/chip/h", discount = num"55%", start = "2026-01", term = num"3 yr" }; print(c:rate(), c:cost())
function contracts.cloud(t)
  local fn = "contracts.cloud"
  S.args(t, fn)
  local c = new("cloud", t, fn)
  c.chip = chip_of(t, fn)
  c.vendor = c.chip.vendor
  c.list_rate = S.need(t, "rate", "2.70 $/chip/h", fn)
  c.discount = S.need(t, "discount", "20%", fn, true) or num(0)
  c.eff_rate = c.list_rate * (1 - c.discount)
  dates(c, t, fn, "5 yr")
  c.take_or_pay = t.take_or_pay ~= false
  c.use = S.need(t, "use", "80%", fn, true) or num(1)
  if t.chips ~= nil then
    c.nchips = S.need(t, "chips", "600k chip", fn)
    c.commitment = S.need(t, "commitment", "42B $", fn, true)
  elseif t.commitment ~= nil then
    c.commitment = S.need(t, "commitment", "42B $", fn)
    c.nchips = c.commitment / (c.eff_rate * MONTH * c.term)
  else
    S.fail(fn .. ": missing field 'chips' (e.g. 600k chip) or 'commitment' (e.g. $42B)")
  end
  local paid = c.take_or_pay and num(1) or c.use
  c.monthly_cost = c.nchips * c.eff_rate * MONTH * paid
  c.flows:add_monthly(c.start, c.term, -c.monthly_cost, "cloud")
  provide(c)
  return c
end

--- The rate paid per reserved chip-hour after discount.
-- @return $/chip/h
-- example: print(contracts.cloud{ chip = "tpu-v6e", chips = num"1 chip", rate = num"2.70 $/chip/h", discount = num"55%", term = num"1 yr" }:rate())
function cloud:rate()
  return rate_of(self, "rate")
end

--- The payment per month.
-- @return money per month (as money paid each month)
-- example: print(contracts.cloud{ chip = "tpu-v6e", chips = num"1000 chip", rate = num"2.70 $/chip/h", term = num"1 yr" }:monthly())
function cloud:monthly()
  if self.monthly_cost == nil then S.fail("contract:monthly: no level monthly payment in this " .. self.kind .. " contract") end
  return self.monthly_cost
end

--- Total committed spend: the commitment if given, else reserved chips x rate x term.
-- @return money
-- example: print(contracts.cloud{ chip = "tpu-v6e", chips = num"1000 chip", rate = num"2.70 $/chip/h", term = num"1 yr" }:committed())
function cloud:committed()
  return self.commitment or self.nchips * self.eff_rate * MONTH * self.term
end

--- What each chip-hour actually used costs (take-or-pay spreads idle hours over used ones).
-- @return $/chip/h
-- example: print(contracts.cloud{ chip = "tpu-v6e", chips = num"1000 chip", rate = num"2 $/chip/h", use = num"50%", term = num"1 yr" }:cost_per_used_chip_hour())   --> $4/chip/h
function cloud:cost_per_used_chip_hour()
  local rate = rate_of(self, "cost_per_used_chip_hour")
  if self.take_or_pay then return rate / self.use end
  return rate
end

---------------------------------------------------------------------------
-- colocation, power, lease
---------------------------------------------------------------------------

kind "colocation"
local power = kind "power"
local lease = kind "lease"
lease.monthly = cloud.monthly

-- monthly payments escalating once a year
local function escalating(c, start, months, monthly, esc, label)
  local y = 0
  local m = start
  while m < start + months do
    local n = math.min(12, start + months - m)
    local amount = esc and monthly * (1 + esc) ^ y or monthly
    c.flows:add_monthly(m, n, -amount, label)
    m = m + n
    y = y + 1
  end
end

--- Colocation: space, power and cooling for IT load at a price per kW per month.
-- @param t.power contracted critical IT power (e.g. 100 MW), required
-- @param t.rate price (e.g. $184/kW/month), required
-- @param t.start, t.term start date and length (e.g. "2026-06", 10 yr)
-- @param t.escalator yearly price increase (e.g. 3%), optional
-- @param t.tenant, t.provider labels
-- @return a colocation contract
-- example: local c = contracts.colocation{ tenant = "Lab", provider = "Colo Co", power = num"100 MW", rate = num"184.06 $/kW/month", start = "2026-06", term = num"10 yr", escalator = num"3%" }; print(c:cost("2027-01", "2028-01"))
function contracts.colocation(t)
  local fn = "contracts.colocation"
  S.args(t, fn)
  local c = new("colocation", t, fn)
  c.powerv = S.need(t, "power", "100 MW", fn)
  c.price = S.need(t, "rate", "184 $/kW/month", fn)
  dates(c, t, fn, "10 yr")
  c.escalator = S.need(t, "escalator", "3%", fn, true)
  escalating(c, c.start, c.term, c.powerv * c.price * MONTH, c.escalator, "colocation")
  provide(c)
  return c
end

--- Power purchase agreement: energy at a price per MWh for a contracted load.
-- @param t.power contracted power (e.g. 1 GW), required
-- @param t.price energy price (e.g. $50/MWh), required
-- @param t.load average share of the contracted power drawn (default 100%)
-- @param t.start, t.term, t.escalator as for colocation
-- @return a power contract with :energy()
-- example: local p = contracts.power{ buyer = "Lab", seller = "Utility", power = num"1 GW", price = num"50 $/MWh", load = num"80%", start = "2026-01", term = num"15 yr" }; print(p:energy(), p:cost("2026-01", "2027-01"))
function contracts.power(t)
  local fn = "contracts.power"
  S.args(t, fn)
  local c = new("power", t, fn)
  c.powerv = S.need(t, "power", "1 GW", fn)
  c.price = S.need(t, "price", "50 $/MWh", fn)
  c.load = S.need(t, "load", "80%", fn, true) or num(1)
  dates(c, t, fn, "15 yr")
  c.escalator = S.need(t, "escalator", "2%", fn, true)
  escalating(c, c.start, c.term, c.powerv * c.load * MONTH * c.price, c.escalator, "power")
  provide(c)
  return c
end

--- Energy bought per year under a PPA.
-- @return Energy per year (TWh)
-- example: print(contracts.power{ power = num"1 GW", price = num"50 $/MWh", term = num"1 yr" }:energy())   --> 8.76 TWh
function power:energy()
  return (self.powerv * self.load * num "1 yr"):to "TWh"
end

--- A lease: the lessee pays a level amount per year (or per chip-hour) for chips it uses.
-- @param t.payment payment per year (e.g. $5B/yr); or t.rate per chip-hour with t.chips
-- @param t.chips chips leased (for capacity and chip-hours); t.chip optional (for power and vendor)
-- @param t.start, t.term start date and length
-- @param t.lessee, t.lessor labels
-- @return a lease contract
-- example: local l = contracts.lease{ lessee = "Lab", lessor = "SPV", chips = num"100000 chip", payment = num"1B $/yr", start = "2026-01", term = num"5 yr" }; print(l:cost(), l:cost_per_chip_hour())
function contracts.lease(t)
  local fn = "contracts.lease"
  S.args(t, fn)
  local c = new("lease", t, fn)
  c.chip = chip_of(t, fn, true)
  c.vendor = c.chip and c.chip.vendor or t.vendor
  c.nchips = S.need(t, "chips", "100000 chip", fn, t.rate == nil)
  dates(c, t, fn, "5 yr")
  if t.payment ~= nil then
    c.payment = S.need(t, "payment", "1B $/yr", fn)
  else
    local r = S.need(t, "rate", "2 $/chip/h", fn)
    c.payment = r * c.nchips
  end
  c.monthly_cost = c.payment * MONTH
  c.flows:add_monthly(c.start, c.term, -c.monthly_cost, "lease")
  provide(c)
  return c
end

--- Cost per chip-hour of a lease (payment / chips).
-- @return $/chip/h
-- example: print(contracts.lease{ chips = num"1000 chip", payment = num"17.52M $/yr", term = num"1 yr" }:cost_per_chip_hour())   --> $2/chip/h
function lease:cost_per_chip_hour()
  if self.nchips == nil then S.fail("contract:cost_per_chip_hour: only for leases with chips") end
  return (self.payment / self.nchips):to "$/chip/h"
end

---------------------------------------------------------------------------
-- financing
---------------------------------------------------------------------------

local financing = kind "financing"

local STEP = { year = 12, quarter = 3, month = 1 }

-- A tranche's rate: a plain rate or a finance.floating curve.
local function tranche_rate(tr, what, optional)
  if F.isfloating(tr.rate) then return tr.rate end
  return S.need(tr, "rate", "6%", what, optional)
end

-- A debt tranche's schedule. With draws, interest during construction is
-- capitalised until the first repayment period; the money is raised on
-- each draw date, otherwise at the financing's start.
local function debt_tranche(c, x, tr, what)
  local step = STEP[x.period]
  local principal, first = x.amount, c.start + step
  x.draws = {}
  if tr.draws ~= nil then
    if type(tr.draws) ~= "table" or #tr.draws == 0 then
      S.fail(what .. ": field 'draws' expected a list of { date, share } (e.g. { { \"2026-06\", 40% }, { \"2027-01\", 60% } })")
    end
    local repay = F.month(tr.repay or S.fail(what .. ": draws need field 'repay' (the first repayment period's start, e.g. \"2027-06\")"),
                          what .. ": field 'repay'")
    local list, sum = {}, num(0)
    for i, d in ipairs(tr.draws) do
      if type(d) ~= "table" then S.fail(("%s: draws[%d] expected { date, share }, got %s"):format(what, i, S.describe(d))) end
      local share = S.expect(d.share or d[2], "40%", ("%s: draws[%d] share"):format(what, i))
      local m = F.month(d.date or d[1], ("%s: draws[%d]"):format(what, i))
      list[i] = { m, x.amount * share }
      x.draws[i] = { m = m, amount = x.amount * share }
      sum = sum + share
    end
    if S.isexact(sum) and sum ~= num(1) then S.fail(("%s: field 'draws' shares add up to %s, expected 100%%"):format(what, tostring(sum))) end
    x.idc, principal = F.idc { draws = list, rate = x.rate, ["until"] = repay }
    first = repay + step
  else
    x.draws[1] = { m = c.start, amount = x.amount }
  end
  local ok, s = pcall(F.amortize, { principal = principal, rate = x.rate, term = x.term, period = x.period,
    style = x.amortisation, start = first, name = x.name, fee = x.fee })
  if not ok then S.fail(what .. ": " .. S.reason(s)) end
  x.schedule = s
  for _, d in ipairs(x.draws) do c.flows:add(d.m, d.amount, "raised") end
  if s.fee then c.flows:add(x.draws[1].m, -s.fee, "fees") end
  for _, r in ipairs(s.rows) do c.flows:add(r.date, -r.payment, "debt service") end
end

--- A financing vehicle: tranches of debt and equity, with guarantees.
-- Debt tranches rank senior, mezzanine or junior (their order in the waterfall); rates may be
-- floating (finance.floating); a fee is paid when drawn; draws with a repayment date capitalise
-- interest during construction (finance.idc).
-- @param t.tranches list of { name =, kind = "debt"|"equity", amount =, rate = (interest, a finance.floating, or the equity's target return), term =, amortisation = "annuity"|"linear"|"bullet", period = "year"|"quarter"|"month", rank = "senior"|"mezzanine"|"junior" (senior = true is rank "senior"), fee = 1%, draws = { { date, share } }, repay = date }
-- @param t.guarantees optional list of { kind = "residual value", by = "Broadcom", covers = $31B }
-- @param t.start the date the money is raised (payments start one period later)
-- @param t.borrower, t.name labels
-- @return a financing with :raised(), :debt(), :equity(), :schedule(name), :debt_service(year), :lease{}, :coverage(payment), :waterfall{}, :guaranteed()
-- example: local f = contracts.financing{ borrower = "SPV", start = "2026-06", tranches = { { name = "senior", kind = "debt", amount = num"25B $", rate = num"5.6%", term = num"7 yr" }, { name = "equity", kind = "equity", amount = num"5B $", rate = num"12%" } } }; print(f:raised(), f:debt_service(2028))
function contracts.financing(t)
  local fn = "contracts.financing"
  S.args(t, fn)
  if type(t.tranches) ~= "table" or #t.tranches == 0 then
    S.fail(fn .. ": missing field 'tranches' (a list of { name =, kind = \"debt\", amount = $25B, rate = 5.6%, term = 7 yr })")
  end
  local c = new("financing", t, fn)
  c.start = F.month(t.start or "2026-01", fn .. ": field 'start'")
  c.tranches = {}
  for i, tr in ipairs(t.tranches) do
    local what = ("%s: tranches[%d]"):format(fn, i)
    if type(tr) ~= "table" then S.fail(what .. " expected a table { name =, kind =, amount =, rate =, term = }, got " .. S.describe(tr)) end
    local k = S.oneof(tr.kind or "debt", { "debt", "equity" }, what .. ": field 'kind'")
    local rank = k == "equity" and "equity" or tr.rank or (tr.senior and "senior") or "junior"
    if k == "debt" then S.oneof(rank, { "senior", "mezzanine", "junior" }, what .. ": field 'rank'") end
    local x = { name = tr.name or (k .. " " .. i), kind = k,
                amount = S.need(tr, "amount", "25B $", what),
                rate = tranche_rate(tr, what, k == "equity"),
                rank = rank, senior = rank == "senior", amortisation = tr.amortisation or "annuity",
                period = S.oneof(tr.period or "year", { "year", "quarter", "month" }, what .. ": field 'period'"),
                fee = S.need(tr, "fee", "1%", what, true) }
    if k == "debt" then
      x.term = S.need(tr, "term", "7 yr", what)
      debt_tranche(c, x, tr, what)
    else
      x.term = S.need(tr, "term", "7 yr", what, true)
      c.flows:add(c.start, x.amount, "raised")
    end
    c.tranches[i] = x
  end
  c.guarantees = {}
  for i, g in ipairs(t.guarantees or {}) do
    local what = ("%s: guarantees[%d]"):format(fn, i)
    c.guarantees[i] = { kind = g.kind or "guarantee", by = g.by, covers = S.need(g, "covers", "31B $", what),
                        note = g.note }
  end
  return c
end

local function sum_tranches(self, pred)
  return S.sum(self.tranches, function(x)
    if pred(x) then return x.amount end
  end) or 0 * USD
end

--- Total raised (debt + equity).
-- @return money
-- example: local f = contracts.financing{ tranches = { { kind = "debt", amount = num"6B $", rate = num"5%", term = num"5 yr" }, { kind = "equity", amount = num"1B $" } } }; print(f:raised())   --> $7B
function financing:raised()
  return sum_tranches(self, function() return true end)
end

--- Total debt (all debt tranches, or only senior ones).
-- @param senior_only when true, only tranches of rank senior (senior = true)
-- @return money
-- example: local f = contracts.financing{ tranches = { { kind = "debt", amount = num"6B $", rate = num"5%", term = num"5 yr", senior = true }, { kind = "debt", amount = num"1B $", rate = num"9%", term = num"5 yr" } } }; print(f:debt(), f:debt(true))
function financing:debt(senior_only)
  return sum_tranches(self, function(x) return x.kind == "debt" and (not senior_only or x.senior) end)
end

--- Total equity.
-- @return money
-- example: local f = contracts.financing{ tranches = { { kind = "equity", amount = num"5B $" } } }; print(f:equity())
function financing:equity()
  return sum_tranches(self, function(x) return x.kind == "equity" end)
end

--- The amortisation schedule of a debt tranche.
-- @param name the tranche's name
-- @return a finance schedule (rows, :print())
-- example: local f = contracts.financing{ tranches = { { name = "A", kind = "debt", amount = num"1B $", rate = num"6%", term = num"3 yr" } } }; f:schedule("A"):print()
function financing:schedule(name)
  for _, x in ipairs(self.tranches) do
    if x.name == name and x.schedule then return x.schedule end
  end
  S.fail(("financing:schedule: no debt tranche named %s"):format(S.describe(name)))
end

--- Debt service (interest + principal) due in a calendar year, all debt or senior only.
-- @param year the year (2028)
-- @param senior_only when true, only senior tranches
-- @return money
-- example: local f = contracts.financing{ start = "2026-01", tranches = { { kind = "debt", amount = num"1B $", rate = num"6%", term = num"3 yr" } } }; print(f:debt_service(2027))
function financing:debt_service(year, senior_only)
  local s = 0 * USD
  for _, x in ipairs(self.tranches) do
    if x.schedule and (not senior_only or x.senior) then s = s + x.schedule:paid_in(year) end
  end
  return s
end

--- The level yearly payment that repays every tranche over a term at its own rate (the "compute rent").
-- Debt tranches at their interest rate, equity at its target return (rate), each as an annuity;
-- a term that is not whole years is an annuity over that fraction of years.
-- @param term the lease term (default: the longest debt term)
-- @return money per year
-- example: local f = contracts.financing{ tranches = { { kind = "debt", amount = num"1B $", rate = num"6%", term = num"5 yr" }, { kind = "equity", amount = num"200M $", rate = num"12%" } } }; print(f:lease_payment())
function financing:lease_payment(term)
  local months
  if term ~= nil then
    months = F.months(term, "financing:lease_payment: term")
  else
    months = 0
    for _, x in ipairs(self.tranches) do
      if x.term then months = math.max(months, F.months(x.term)) end
    end
  end
  if months < 1 then S.fail("financing:lease_payment: needs a term of at least one month") end
  local years = num(months) / 12
  local s = 0 * USD
  for _, x in ipairs(self.tranches) do
    if x.rate == nil then S.fail(("financing:lease_payment: tranche '%s' has no rate (its target return)"):format(x.name)) end
    local r = F.isfloating(x.rate) and x.rate:at(self.start) or x.rate
    s = s + F.pmt(r, years, x.amount)
  end
  return s / num "1 yr"
end

--- A lease contract whose payment services the vehicle's tranches (see :lease_payment).
-- @param t.lessee, t.chips, t.chip, t.start (default: one year after the financing), t.term (default: longest debt term), t.margin extra share on top (default 0%)
-- @return a lease contract (contracts.lease)
-- example: local f = contracts.financing{ start = "2026-01", tranches = { { kind = "debt", amount = num"1B $", rate = num"6%", term = num"5 yr" } } }; local l = f:lease{ lessee = "Lab", chips = num"40000 chip" }; print(l:cost_per_chip_hour())
function financing:lease(t)
  t = t or {}
  local term = t.term
  if term == nil then
    local n = 0
    for _, x in ipairs(self.tranches) do if x.term then n = math.max(n, F.months(x.term)) end end
    term = num(n) * MONTH
  end
  local margin = S.need(t, "margin", "5%", "financing:lease", true) or num(0)
  local pay = self:lease_payment(term) * (1 + margin)
  return contracts.lease { name = t.name or (self.name .. " lease"), lessee = t.lessee or self.buyer,
    lessor = self.buyer or self.name, chips = t.chips, chip = t.chip, payment = pay,
    start = t.start or F.monthname(self.start + 12), term = term, vendor = t.vendor }
end

-- Every debt-service date with its payments (all, and senior), in order.
local function service_dates(self)
  local by, dates = {}, {}
  for _, x in ipairs(self.tranches) do
    if x.schedule then
      for _, r in ipairs(x.schedule.rows) do
        local m = F.month(r.date)
        if not by[m] then by[m] = { m = m, all = 0 * USD, senior = 0 * USD }; dates[#dates + 1] = m end
        by[m].all = by[m].all + r.payment
        if x.senior then by[m].senior = by[m].senior + r.payment end
      end
    end
  end
  table.sort(dates)
  local out = {}
  for i, m in ipairs(dates) do out[i] = by[m] end
  return out
end

--- Debt-service cover per year: the cash earned in each service period over the debt service due.
-- Each payment date covers the months since the previous one (the first: since the financing's
-- start), so a tranche that starts mid-year is compared with the cash of the same months: a
-- monthly tranche from June has seven months of cash against seven payments in its first year.
-- @param payment the cash for debt service: a rate (money per year, earned evenly) or a series (its flows in each period)
-- @return rows { year, cash, service, senior_service, coverage, senior_coverage } for the years with debt service
-- example: local f = contracts.financing{ start = "2026-01", tranches = { { kind = "debt", amount = num"1B $", rate = num"6%", term = num"3 yr", senior = true } } }; for _, r in ipairs(f:coverage(num"400M $/yr")) do print(r.year, r.coverage) end
function financing:coverage(payment)
  local series = getmetatable(payment) == F.Series
  if not series then payment = S.expect(payment, "1B $/yr", "financing:coverage: payment") end
  local rows, by = {}, {}
  local prev = self.start
  for _, d in ipairs(service_dates(self)) do
    local cash = series and payment:total(prev + 1, d.m + 1) or (payment * MONTH * (d.m - prev)):to "$"
    local y = d.m // 12
    local row = by[y]
    if not row then
      row = { year = y, cash = 0 * USD, service = 0 * USD, senior_service = 0 * USD }
      by[y] = row
      rows[#rows + 1] = row
    end
    row.cash = row.cash + cash
    row.service = row.service + d.all
    row.senior_service = row.senior_service + d.senior
    prev = d.m
  end
  for _, row in ipairs(rows) do
    if not S.iszero(row.service) then row.coverage = row.cash / row.service end
    if not S.iszero(row.senior_service) then row.senior_coverage = row.cash / row.senior_service end
  end
  return rows
end

--- The vehicle's payment waterfall (finance.waterfall) over its own tranches: cash pays senior debt, then mezzanine and junior, then equity.
-- The tranches are re-scheduled on the waterfall's period grid, payments starting one period after the financing's start.
-- @param t.cash cash for debt service each period: a list, a series, or a rate ($/yr), required
-- @param t.period "year" (default), "quarter" or "month"; t.lockup, t.tax, t.terminal as in finance.waterfall
-- @return a finance waterfall (:print(), :equity_irr(), :min_dscr(), :shortfall())
-- example: local f = contracts.financing{ start = "2026-01", tranches = { { name = "A", kind = "debt", senior = true, amount = num"100M $", rate = num"6%", term = num"5 yr" }, { name = "M", kind = "debt", rank = "mezzanine", amount = num"20M $", rate = num"10%", term = num"5 yr" }, { name = "E", kind = "equity", amount = num"30M $" } } }; local w = f:waterfall{ cash = num"35M $/yr" }; w:print(); print(w:equity_irr())
function financing:waterfall(t)
  local fn = "financing:waterfall"
  S.args(t, fn)
  local period = t.period or "year"
  local step = STEP[period] or S.oneof(period, { "year", "quarter", "month" }, fn .. ": field 'period'")
  local list = {}
  for _, x in ipairs(self.tranches) do
    -- a tranche drawn during construction starts after it, with its interest capitalised
    local first = x.schedule and x.idc and F.monthname(F.month(x.schedule.drawn) + step) or nil
    list[#list + 1] = { name = x.name, rank = x.rank, amount = x.schedule and x.schedule.principal or x.amount,
                        rate = x.kind == "debt" and x.rate or nil, term = x.term, amortisation = x.amortisation,
                        first = first }
  end
  return F.waterfall { start = F.monthname(self.start + step), period = period, cash = t.cash, tranches = list,
                       tax = t.tax, lockup = t.lockup, terminal = t.terminal }
end

--- Total amount covered by guarantees (e.g. a residual-value guarantee).
-- @return money
-- example: local f = contracts.financing{ tranches = { { kind = "debt", amount = num"31B $", rate = num"5.6%", term = num"7 yr" } }, guarantees = { { kind = "residual value", by = "Broadcom", covers = num"31B $" } } }; print(f:guaranteed())
function financing:guaranteed()
  local s = 0 * USD
  for _, g in ipairs(self.guarantees) do s = s + g.covers end
  return s
end

--- What guarantors would pay if the assets are worth `value` at the end: covered amount - value (negative means no call).
-- @param value the assets' residual value
-- @return money (positive = the guarantee is called for that much)
-- example: local f = contracts.financing{ tranches = { { kind = "debt", amount = num"31B $", rate = num"5.6%", term = num"7 yr" } }, guarantees = { { kind = "residual value", by = "Broadcom", covers = num"10B $" } } }; print(f:residual_call(num"6B $"))   --> $4B
function financing:residual_call(value)
  value = S.expect(value, "6B $", "financing:residual_call: value")
  return self:guaranteed() - value
end

---------------------------------------------------------------------------
-- capacity rights
---------------------------------------------------------------------------

local capacity = kind "capacity"
capacity.rate, capacity.monthly = cloud.rate, cloud.monthly
capacity.cost_per_used_chip_hour = cloud.cost_per_used_chip_hour

--- A right to capacity: up to a cap of chips, with a priority and optional use (as "up to 1M TPUs").
-- @param t.chip the chip (chip or key), required
-- @param t.cap the most chips that can be called (e.g. 1M chip), required
-- @param t.use expected share of the cap actually called (default 100%; uncertain is fine)
-- @param t.min_use share that must be paid whether called or not (default 0%; 100% when mandatory = true)
-- @param t.rate price per chip-hour of called capacity (optional: without it, the right has no cash flows)
-- @param t.priority a number (1 = first call) or text; t.start, t.term
-- @return a capacity right with :cap(), :drawn(), :unused(), :max_cost()
-- example: local r = contracts.capacity{ buyer = "Lab", seller = "Google Cloud", chip = "tpu-v7", cap = num"1M chip", use = num"60%", rate = num"1.60 $/chip/h", priority = 1, start = "2026-06", term = num"5 yr" }; print(r:drawn(), r:cost())
function contracts.capacity(t)
  local fn = "contracts.capacity"
  S.args(t, fn)
  local c = new("capacity", t, fn)
  c.chip = chip_of(t, fn)
  c.vendor = c.chip.vendor
  c.capv = S.need(t, "cap", "1M chip", fn)
  c.mandatory = t.mandatory == true
  c.use = S.need(t, "use", "60%", fn, true) or num(1)
  c.min_use = S.need(t, "min_use", "20%", fn, true) or (c.mandatory and num(1) or num(0))
  c.priority = t.priority
  dates(c, t, fn, "5 yr")
  c.eff_rate = S.need(t, "rate", "1.60 $/chip/h", fn, true)
  c.nchips = c.capv * c.use
  if c.eff_rate then
    c.monthly_cost = c.nchips * c.eff_rate * MONTH
    c.flows:add_monthly(c.start, c.term, -c.monthly_cost, "capacity")
    local exact = S.isexact(c.min_use) and S.isexact(c.use)
    if exact and not S.iszero(c.min_use) and c.use < c.min_use then
      local extra = c.capv * (c.min_use - c.use) * c.eff_rate * MONTH
      c.flows:add_monthly(c.start, c.term, -extra, "take-or-pay shortfall")
    end
  end
  provide(c)
  return c
end

--- The cap of a capacity right.
-- @return chips
-- example: print(contracts.capacity{ chip = "tpu-v7", cap = num"1M chip", term = num"5 yr" }:cap())
function capacity:cap()
  return self.capv
end

--- Chips expected to be called (cap x use).
-- @return chips
-- example: print(contracts.capacity{ chip = "tpu-v7", cap = num"1M chip", use = num"40%", term = num"5 yr" }:drawn())   --> 400k chip
function capacity:drawn()
  return self.nchips
end

--- Chips of the cap left uncalled.
-- @return chips
-- example: print(contracts.capacity{ chip = "tpu-v7", cap = num"1M chip", use = num"40%", term = num"5 yr" }:unused())   --> 600k chip
function capacity:unused()
  return self.capv - self.nchips
end

--- Cost if the whole cap were called for the whole term.
-- @return money
-- example: print(contracts.capacity{ chip = "tpu-v7", cap = num"1M chip", rate = num"1.6 $/chip/h", term = num"1 yr" }:max_cost())
function capacity:max_cost()
  return self.capv * rate_of(self, "max_cost") * MONTH * self.term
end

--- Splits an (exact) chip demand across capacity rights in priority order, each up to its cap.
-- @param demand chips needed (exact)
-- @param rights a list of capacity rights (lower priority number first; others keep list order)
-- @return a list of { right = ..., chips = ... } and the demand left unmet
-- example: local a = contracts.capacity{ name = "A", chip = "tpu-v7", cap = num"600k chip", priority = 1, term = num"1 yr" }; local b = contracts.capacity{ name = "B", chip = "trainium2", cap = num"1M chip", priority = 2, term = num"1 yr" }; local got, left = contracts.allocate(num"900k chip", { b, a }); print(got[1].right.name, got[1].chips, got[2].chips, left)
function contracts.allocate(demand, rights)
  demand = S.expect(demand, "1M chip", "contracts.allocate: demand")
  if not S.isexact(demand) then
    S.fail("contracts.allocate: needs an exact demand (take median(...) of an uncertain one)")
  end
  if type(rights) ~= "table" then S.fail("contracts.allocate: expected a list of capacity rights, got " .. S.describe(rights)) end
  local list = {}
  S.listof(rights, "contracts.allocate: rights", function(r) return contracts.is(r) and r.kind == "capacity" end,
           "a capacity right (contracts.capacity{...})")
  for i, r in ipairs(rights) do list[i] = { r = r, i = i } end
  table.sort(list, function(a, b)
    local pa = type(a.r.priority) == "number" and a.r.priority or math.huge
    local pb = type(b.r.priority) == "number" and b.r.priority or math.huge
    if pa ~= pb then return pa < pb end
    return a.i < b.i
  end)
  local out, left = {}, demand
  for _, e in ipairs(list) do
    local take = left < e.r.capv and left or e.r.capv
    out[#out + 1] = { right = e.r, chips = take }
    left = left - take
  end
  return out, left
end

contracts.Contract = contract    -- the methods every contract shares
return contracts
