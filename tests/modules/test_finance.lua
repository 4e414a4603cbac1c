-- tests/modules/test_finance.lua: dates, series, NPV, IRR, PMT, amortisation, depreciation
local T = require "tap"
local F = finance

T.eq(F.month "2026-06" - F.month "2026-01", 5, "month arithmetic")
T.eq(F.monthname(F.month "2026-06" + 7), "2027-01", "monthname wraps years")
T.eq(F.month "2026-Q3", F.month "2026-07", "quarters start months")
T.eq(F.month "2026-06-30", F.month "2026-06", "days are ignored")
T.eq(F.months(num"5 yr"), 60, "5 yr = 60 months")
T.raises(function() F.month "June 2026" end, "expected a date", "bad date")

-- present value, exactly
T.eq(F.npv(num"10%", { num"-100 $", num"60 $", num"60 $" }), num"4.13 $", "NPV to the cent (4.1322...)")
T.eq(F.discount(num"1166.4 $", num"8%", num"2 yr"), num"1000 $", "discounting is exact")
T.eq(F.crf(num"0%", 4), num"1/4", "CRF at 0% is 1/n")
T.ok(num.isexact(F.crf(num"8%", 5)), "CRF is an exact rational")
T.eq(F.pmt(num"6%", 10, num"1M $"), num"135867.96 $", "PMT rounded to the cent")
T.eq(F.pmt(num"0%", 4, num"100 $"), num"25 $", "PMT at 0%")
local irr = F.irr { num"-100 $", num"60 $", num"60 $" }
T.near(irr, num"0.1307", num"0.0001", "IRR of -100, 60, 60 is about 13.07%")
T.ok(not num.isexact(irr), "IRR is marked approximate")
T.ok(F.irr { num"1 $", num"1 $" } == nil, "IRR without a sign change is nil")

-- series
local s = F.series "test"
s:add_monthly("2026-07", 12, num"-1000 $", "rent")
s:add("2027-03", num"-5000 $", "capex")
T.eq(s:total(), num"-17000 $", "series total")
T.eq(s:total("2027-01", "2028-01"), num"-11000 $", "series total within dates")
local by = s:by_year()
T.eq(#by, 2, "two calendar years")
T.eq(by[1].total, num"-6000 $", "2026 has six months of rent")
T.eq(by[2].by.capex, num"-5000 $", "per-label yearly totals")
T.eq(#s:labels(), 2, "labels in order")
local one = F.series(); one:add("2027-01", num"1081.6 $")
T.eq(one:npv(num"12%", "2026-01"), F.cents(num"1081.6 $" / (1 + num"1%") ^ 12), "series NPV discounts monthly at rate/12")
local lvl = F.series(); lvl:add_monthly("2026-01", 3, num"100 $")
T.eq(lvl:npv(num"12%", "2026-01"), F.cents(num"100 $" * (1 + 1 / num"1.01" + 1 / num"1.01" ^ 2)), "level stream NPV (closed form) matches the sum")
local inv = F.series(); inv:add("2026-01", num"-100 $"); inv:add("2027-01", num"110 $")
T.near(inv:irr(), num"0.10", num"0.0001", "series IRR is annual")
T.eq(s:scaled(-1):total(), num"17000 $", "scaled(-1) switches sides")
local m = F.series(); m:merge(s); m:merge({ one })
T.eq(m:total(), num"-17000 $" + num"1081.6 $", "merge")
T.ok(#s:table(true) > 0, "series:table renders")

-- amortisation
local a = F.amortize { principal = num"1M $", rate = num"6%", term = num"3 yr", start = "2027-01" }
T.eq(#a.rows, 3, "three yearly payments")
T.eq(a.rows[1].interest, num"60000 $", "first year's interest")
T.eq(a.rows[3].closing, num"0 $", "the loan is repaid exactly")
T.eq(a.rows[1].payment, F.pmt(num"6%", 3, num"1M $"), "annuity payment = PMT")
local sum = num"0 $"; for _, r in ipairs(a.rows) do sum = sum + r.principal end
T.eq(sum, num"1M $", "principal repaid adds up to the loan")
T.eq(a:paid_in(2027), a.rows[1].payment, "paid_in a calendar year")
local lin = F.amortize { principal = num"1.2M $", rate = num"5%", term = num"12 month", period = "month", style = "linear" }
T.eq(lin.rows[1].principal, num"100000 $", "linear: equal principal")
T.eq(lin.rows[1].interest, num"5000 $", "monthly interest at rate/12")
local b = F.amortize { principal = num"1M $", rate = num"8.5%", term = num"5 yr", style = "bullet" }
T.eq(b.rows[5].principal, num"1M $", "bullet: principal at the end")
T.eq(b:total_interest(), num"425000 $", "bullet interest")
local long = F.amortize { principal = num"31B $", rate = num"5.625%", term = num"30 yr", period = "month" }
local digits = #num.exact(long.rows[360].opening)
T.ok(digits < 20, "360 monthly rows stay small exact rationals (cents): " .. digits .. " chars")
T.eq(long.rows[360].closing, num"0 $", "30-year monthly schedule repays exactly")
T.eq(long:series():total(), -(long:total_interest() + num"31B $"), "schedule as a borrower's series")

-- depreciation
local d = F.depreciation { cost = num"1M $", life = num"3 yr", start = "2026" }
T.eq(d[1].charge, num"333333.33 $", "straight line, to the cent")
T.eq(d[3].book, num"0 $", "book value ends at the salvage value")
local d2 = F.depreciation { cost = num"10M $", life = num"5 yr", salvage = num"1M $" }
T.eq(d2[5].book, num"1M $", "salvage value kept")

-- errors
T.raises(function() F.amortize { principal = num"1M $", rate = num"6%" } end, "finance.amortize: missing field 'term'", "amortize missing term")
T.raises(function() F.amortize { principal = num"1 GW", rate = num"6%", term = num"3 yr" } end, "field 'principal' expected an amount of money", "amortize wrong unit")
T.raises(function() F.amortize { principal = num"1M $", rate = num"6%", term = num"3 yr", style = "balloon" } end, "field 'style'", "amortize bad style")
T.raises(function() F.pmt(num"6%", 0, num"1M $") end, "positive whole number", "pmt needs periods")
T.raises(function() F.npv(num"6 $", {}) end, "rate expected a plain number", "npv wrong unit for rate")
T.raises(function() s:add("2026-01", num"5 MW") end, "amount expected an amount of money", "series:add wrong unit")
T.raises(function() F.depreciation { cost = num"1M $", life = num"6 month" } end, "at least 1 yr", "depreciation too short")
T.done()
