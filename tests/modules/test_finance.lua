-- tests/modules/test_finance.lua: dates, series, NPV, IRR (every root, the
-- spreadsheet's choice), XNPV, XIRR, MIRR, payback, loans, depreciation,
-- taxes, and bad input. Expected values are closed forms computed here or
-- the spreadsheet vendors' documented examples; tests/finance/ checks 700+
-- random cases against LibreOffice itself.
local T = require "tap"
local F = finance

-- Passes when f raises msg at the line that called raises_here (the model's line).
local function raises_here(f, msg, name)
  local _, here = pcall(error, "", 3)
  return T.raises(f, here .. msg, name)
end
local function rel(a, b) return math.abs(num.tofloat(a) - num.tofloat(b)) / math.abs(num.tofloat(b)) end

-- dates
T.eq(F.month "2026-06" - F.month "2026-01", 5, "month arithmetic")
T.eq(F.monthname(F.month "2026-06" + 7), "2027-01", "monthname wraps years")
T.eq(F.month "2026-Q3", F.month "2026-07", "quarters start months")
T.eq(F.month "2026-06-30", F.month "2026-06", "days are ignored")
T.eq(F.months(num"5 yr"), 60, "5 yr = 60 months")
T.eq(F.months(num"1.5 yr"), 18, "1.5 yr = 18 months")
T.raises(function() F.months(num"30 day") end, "expected a whole number of months", "30 days is not silently a month")
T.raises(function() F.month "June 2026" end, "expected a date", "bad date")
T.eq(F.day "2008-03-01" - F.day "2008-01-01", 60, "days between dates count the leap day")
T.eq(F.day "1970-01-01", 0, "day numbers start at 1970-01-01")
T.eq(F.day "2000-03-01" - F.day "2000-02-28", 2, "2000 is a leap year")
T.eq(F.day "1900-03-01" - F.day "1900-02-28", 1, "1900 is not")
T.eq(F.yearfrac("2008-01-01", "2009-01-01"), num(366) / 365, "ACT/365 year fraction")
T.raises(function() F.day "2026-02-30" end, "is not a day of the calendar", "February 30th")
T.raises(function() F.day "2026-06" end, "year-month-day", "a month is not a day")

-- present value, exactly
T.eq(F.npv(num"10%", { num"-100 $", num"60 $", num"60 $" }), num"500/121 $", "NPV is exact (500/121)")
T.eq(F.cents(F.npv(num"10%", { num"-100 $", num"60 $", num"60 $" })), num"4.13 $", "and rounds to $4.13")
T.eq(F.npv(num"8%", { num(0), num(108) }), num(100), "a spreadsheet's NPV(8%, 108) = finance.npv(8%, {0, 108})")
T.eq(F.discount(num"1166.4 $", num"8%", num"2 yr"), num"1000 $", "discounting is exact")
T.eq(F.crf(num"0%", 4), num"1/4", "CRF at 0% is 1/n")
T.ok(num.isexact(F.crf(num"8%", 5)), "CRF is an exact rational")
T.ok(rel(F.crf(num"8%", num"5.5"), 0.08 / (1 - 1.08 ^ -5.5)) < 1e-12, "CRF over 5.5 periods: r / (1 - (1+r)^-5.5)")
T.eq(F.pmt(num"6%", 10, num"1M $"), num"1M $" * num"0.06" * num"1.06" ^ 10 / (num"1.06" ^ 10 - 1), "PMT is exact")
T.eq(F.cents(F.pmt(num"6%", 10, num"1M $")), num"135867.96 $", "and rounds to $135,867.96")
T.eq(F.pmt(num"0%", 4, num"100 $"), num"25 $", "PMT at 0%")
T.eq(F.pmt(num"6%", 10, num"1M $", nil, true), F.pmt(num"6%", 10, num"1M $") / num"1.06", "payments in advance: PMT / (1 + r)")
T.eq(F.pv(num"6%", 10, F.pmt(num"6%", 10, num"1M $")), num"1M $", "PV inverts PMT exactly")
T.eq(F.fv(num"6%", 10, F.pmt(num"6%", 10, num"1M $", num"200k $"), num"1M $"), num"200k $", "FV is the balloon left")
T.eq(F.ipmt(num"6%", 1, 10, num"1M $"), num"60000 $", "first interest = pv x r")
T.eq(F.ipmt(num"6%", 1, 10, num"1M $", nil, true), num"0 $", "no interest in a payment made in advance at t = 0")
local ip, pp = num"0 $", num"0 $"
for k = 1, 10 do ip = ip + F.ipmt(num"6%", k, 10, num"1M $"); pp = pp + F.ppmt(num"6%", k, 10, num"1M $") end
T.eq(pp, num"1M $", "the principal parts repay the loan exactly")
T.eq(ip + pp, 10 * F.pmt(num"6%", 10, num"1M $"), "interest + principal = the payments")
T.near(F.nper(num"6%", F.pmt(num"6%", 10, num"1M $"), num"1M $"), num(10), num"1e-9", "NPER inverts PMT")
T.near(F.rate(10, F.pmt(num"6%", 10, num"1M $"), num"1M $"), num"0.06", num"1e-12", "RATE inverts PMT")
T.eq(F.effective(num"12%", 12), num"1.01" ^ 12 - 1, "EFFECT is exact for whole periods")
T.near(F.nominal(F.effective(num"12%", 12), 12), num"0.12", num"1e-12", "NOMINAL inverts EFFECT")
T.eq(F.wacc { equity = num"40M $", debt = num"60M $", cost_of_equity = num"12%", cost_of_debt = num"6%", tax = num"21%" },
     num"0.4" * num"0.12" + num"0.6" * num"0.06" * num"0.79", "WACC: E/V Re + D/V Rd (1 - t)")

-- IRR: every root, and the one a spreadsheet returns
local r = F.irr { num"-100 $", num"60 $", num"60 $" }
local v60 = (-60 + math.sqrt(60 ^ 2 + 4 * 60 * 100)) / 120     -- 60 v^2 + 60 v - 100 = 0
T.ok(rel(r, 1 / v60 - 1) < 1e-12, "IRR of -$100, $60, $60: the root of 60v^2 + 60v - 100 (13.07%)")
T.ok(not num.isexact(r), "IRR is marked approximate")
T.eq(tostring(r):sub(-1), "%", "IRR prints as a percentage")
local rs = F.irrs { -100, 60, 60, -10 }
T.eq(#rs, 2, "{-100, 60, 60, -10} has two IRRs")
T.eq(num.round(rs[2] * 100, 2), num"7.25", "one is 7.25%")
T.near(F.npv(rs[2], { -100, 60, 60, -10 }), num(0), num"1e-12", "a root: the NPV there is zero")
T.ok(rs[1] < num"-0.8", "the other is about -85%")
T.near(F.irr({ -100, 60, 60, -10 }, { multiple = "quiet" }), rs[2], num"1e-15", "a spreadsheet (Newton from 10%) returns 7.25%")
local two = F.irrs { -100, 230, -132 }
T.eq(#two, 2, "{-100, 230, -132} has two roots")
T.near(two[1], num"0.1", num"1e-14", "10%")
T.near(two[2], num"0.2", num"1e-14", "and 20%")
T.near(F.irr({ -100, 230, -132 }, { guess = num"0.25", multiple = "quiet" }), num"0.2", num"1e-14", "the guess picks the root")
raises_here(function() F.irr({ -100, 230, -132 }, { multiple = "error" }) end,
            "finance.irr: the flows have 2 IRRs (10%, 20%); this is 10%", "several roots: an error on request, naming them")
raises_here(function() F.irr { num"1 $", num"1 $" } end, "finance.irr: the flows never change sign", "no sign change: an error, not nil")
raises_here(function() F.irr { -100, 230, -140 } end, "finance.irr: no rate above -100% makes the NPV of the flows zero", "sign changes but no root: an error")
T.eq(#F.irrs { -100, 230, -140 }, 0, "irrs of flows without a root is empty")
T.near(F.irr { -1, 2, -1 }, num(0), num"1e-7", "a double root (NPV touches zero) is found")
local far = F.irr { -1000, 100, 3000, 50000 }
T.near(F.npv(far, { -1000, 100, 3000, 50000 }), num(0), num"1e-6", "a large IRR far from the guess")
-- the spreadsheet's root = Newton's: for a single sign change it is the only one
for _, flows in ipairs { { -500, 100, 200, 300 }, { -1, 0, 0, 0, 0, 2 }, { 100, -50, -60 } } do
  local x = F.irr(flows)
  T.near(F.npv(x, flows), num(0), num"1e-9", "NPV at the IRR is zero: " .. table.concat(flows, ", "))
end

-- XNPV and XIRR: Excel's documented example
local xf = { -10000, 2750, 4250, 3250, 2750 }
local xd = { "2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01" }
T.eq(num.round(F.xnpv(num"9%", xf, xd), 2), num"2086.65", "XNPV at 9% = 2086.65 (Excel's example)")
T.eq(num.round(F.xirr(xf, xd) * 100, 2), num"37.34", "XIRR = 37.34% (Excel's example)")
T.near(F.xnpv(F.xirr(xf, xd), xf, xd), num(0), num"1e-8", "XNPV at the XIRR is zero")
T.eq(F.xnpv(num"10%", { num"-100 $", num"110 $" }, { "2025-01-01", "2026-01-01" }), num"0 $", "a whole year apart: exact")
T.eq(num.round(F.mirr({ -120000, 39000, 30000, 21000, 37000, 46000 }, num"10%", num"12%") * 100, 2), num"12.61", "MIRR = 12.61% (Excel's example)")
T.ok(rel(F.mirr({ -100, 50, 60 }, num"0%", num"0%"), math.sqrt(1.1) - 1) < 1e-12, "MIRR at 0% and 0%: (110/100)^(1/2) - 1")

-- payback
T.eq(F.payback { -100, 30, 40, 50 }, num"2.6", "payback interpolates within the period")
T.eq(F.payback { 10, -5 }, num(0), "flows that start positive pay back at once")
T.eq(F.payback({ -100, 60, 60 }, num"10%"), 1 + (100 - num(60) / num"1.1") / (num(60) / num"1.21"), "discounted payback, exact")
raises_here(function() F.payback { -100, 30, 40 } end, "finance.payback: the flows never pay back", "never: an error, not nil")

-- series: one convention, annual effective
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
local one = F.series(); one:add("2027-01", num"108 $")
T.eq(one:npv(num"8%", "2026-01"), num"100 $", "a flow a year out is discounted by 1.08 exactly")
local half = F.series(); half:add("2026-07", num"100 $")
T.ok(rel(half:npv(num"8%", "2026-01"), 100 / math.sqrt(1.08)) < 1e-12, "six months out: (1.08)^(-1/2)")
local lvl = F.series(); lvl:add_monthly("2026-01", 3, num"100 $")
local v = 1.08 ^ (-1 / 12)
T.ok(rel(lvl:npv(num"8%", "2026-01"), 100 * (1 + v + v * v)) < 1e-12, "level stream NPV (closed form) matches the sum")
local inv = F.series(); inv:add("2026-01", num"-100 $"); inv:add("2027-01", num"110 $")
T.near(inv:irr(), num"0.10", num"1e-12", "series IRR is annual effective")
local mixed = F.series(); mixed:add("2026-01", num"-100 $"); mixed:add_monthly("2026-02", 11, num"9.5 $"); mixed:add("2027-06", num"20 $")
T.near(mixed:npv(mixed:irr()), num"0 $", num"1e-9 $", "a series' NPV at its own IRR is zero (one convention)")
local flows4 = F.series(); flows4:add("2026-01", num"-100 $"); flows4:add("2027-01", num"60 $"); flows4:add("2028-01", num"60 $"); flows4:add("2029-01", num"-10 $")
T.eq(num.round(flows4:irr { multiple = "quiet" } * 100, 2), num"7.25", "in a series too: 7.25%, no crash")
T.eq(F.irr(mixed), mixed:irr(), "finance.irr of a series is its IRR")
T.eq(F.npv(num"8%", one), one:npv(num"8%"), "finance.npv of a series is its NPV")
T.eq(s:scaled(-1):total(), num"17000 $", "scaled(-1) switches sides")
local m = F.series(); m:merge(s); m:merge({ one })
T.eq(m:total(), num"-17000 $" + num"108 $", "merge")
T.ok(#s:table(true) > 0, "series:table renders")
local pb = F.series(); pb:add("2026-01", num"-100 $"); pb:add_monthly("2026-02", 12, num"10 $")
T.eq(pb:payback(), num"10 month", "series payback in months")
raises_here(function() F.series():add("2026-01", num"5 EUR"):add("2026-02", num"5 $") end, "series:add: amount is $5.00 but the series is in Money[EUR]: one series has one currency", "mixed currencies in a series")

-- amortisation
local a = F.amortize { principal = num"1M $", rate = num"6%", term = num"3 yr", start = "2027-01" }
T.eq(#a.rows, 3, "three yearly payments")
T.eq(a.rows[1].interest, num"60000 $", "first year's interest")
T.eq(a.rows[3].closing, num"0 $", "the loan is repaid exactly")
T.eq(a.rows[1].payment, F.cents(F.pmt(num"6%", 3, num"1M $")), "annuity payment = PMT to the cent")
T.eq(a.rows[2].payment, a.rows[1].payment, "level payments")
local sum = num"0 $"; for _, row in ipairs(a.rows) do sum = sum + row.principal end
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
-- a stub: 18 months yearly is a year, then six months at half the rate
local stub = F.amortize { principal = num"1M $", rate = num"6%", term = num"18 month", start = "2027-01" }
T.eq(#stub.rows, 2, "18 months yearly: two payments")
T.eq(stub.rows[2].date, "2027-07", "the second six months later")
T.eq(stub.rows[2].interest, F.cents(stub.rows[2].opening * num"0.03"), "the stub pays half a year's interest")
T.ok(stub.rows[1].principal < num"500k $" and stub.rows[1].principal > num"450k $", "the first year repays its share (about $478k), not everything")
local pay = F.cents(num"1M $" / (1 / num"1.06" + 1 / (num"1.06" * num"1.03")))
T.eq(stub.rows[1].payment, pay, "level payment over a year and a half-year period")
-- floating rates and fees
local curve = F.floating { base = { { "2026-01", num"4%" }, { "2027-01", num"3%" } }, spread = num"2%" }
T.eq(curve:at "2026-06", num"6%", "floating: base + spread")
T.eq(curve:at "2030-01", num"5%", "the last base holds")
local fl = F.amortize { principal = num"1M $", rate = curve, term = num"3 yr", start = "2027-01" }
T.eq(fl.rows[1].interest, num"60000 $", "first period at 6% (the rate in force when it starts)")
T.eq(fl.rows[2].interest, F.cents(fl.rows[2].opening * num"0.05"), "then 5%")
T.eq(fl.rows[3].closing, num"0 $", "a floating loan repays exactly")
local fee = F.amortize { principal = num"1M $", rate = num"6%", term = num"3 yr", fee = num"1%" }
T.eq(fee:series():total(), -(fee:total_interest() + num"1M $" + num"10000 $"), "the fee is a flow")
T.ok(fee:all_in_rate() > num"0.06", "a fee raises the lender's all-in yield above the coupon")
T.near(F.amortize { principal = num"1M $", rate = num"6%", term = num"3 yr" }:all_in_rate(), num"0.06", num"1e-6", "no fee: the all-in yield is the coupon (to the cent)")
-- interest during construction
local idc, bal = F.idc { draws = { { "2026-01", num"60M $" }, { "2026-07", num"40M $" } }, rate = num"6%", ["until"] = "2027-01" }
T.eq(bal, num"60M $" * num"1.005" ^ 12 + num"40M $" * num"1.005" ^ 6, "IDC: each draw compounds monthly to the date")
T.eq(idc, bal - num"100M $", "IDC is the capitalised interest")

-- depreciation
local d = F.depreciation { cost = num"1M $", life = num"3 yr", start = "2026" }
T.eq(d[1].charge, num"333333.33 $", "straight line, to the cent")
T.eq(d[3].book, num"0 $", "book value ends at the salvage value")
local d2 = F.depreciation { cost = num"10M $", life = num"5 yr", salvage = num"1M $" }
T.eq(d2[5].book, num"1M $", "salvage value kept")
local d55 = F.depreciation { cost = num"1.1M $", life = num"5.5 yr" }
T.eq(#d55, 6, "5.5 years: six calendar years")
T.eq(d55[1].charge, num"200000 $", "200k a year")
T.eq(d55[6].charge, num"100000 $", "and half a year at the end")
local d18 = F.depreciation { cost = num"1.8M $", life = num"18 month", start = "2026-07" }
T.eq(d18[1].charge, num"600000 $", "from July: six months in the first year")
T.eq(d18[2].charge, num"1.2M $", "twelve in the second")
local d6 = F.depreciation { cost = num"1M $", life = num"6 month" }
T.eq(d6[1].charge, num"1M $", "a six-month life is depreciated within the year")
local db = F.depreciation { cost = num"1M $", life = num"5 yr", method = "declining" }
T.eq(db[1].charge, num"400000 $", "double declining: 40% in year one")
T.eq(db[2].charge, num"240000 $", "40% of the book in year two")
T.eq(db[5].book, num"0 $", "switches to straight line and ends at zero")
local mac = F.depreciation { cost = num"1M $", method = "macrs", class = 5 }
T.eq(#mac, 6, "MACRS 5-year property: six years (half-year convention)")
T.eq(mac[2].charge, num"320000 $", "32% in year two (IRS Pub. 946 Table A-1)")
T.eq(mac:total(), num"1M $", "MACRS recovers the cost")
-- the table's percentages follow from the rule: declining balance (200%, or
-- 150% from 15 years), half a year in the first and the last, switching to
-- straight line over the recovery period left when that is larger
for _, class in ipairs { 3, 5, 7, 10, 15, 20 } do
  local book, rate, worst = 100, (class <= 10 and 2 or 1.5) / class, 0
  for y, p in ipairs(F.MACRS[class]) do
    local c
    if y == 1 then c = book * rate / 2
    elseif y == class + 1 then c = book
    else c = math.max(book * rate, book / (class + 1.5 - y)) end
    book = book - c
    worst = math.max(worst, math.abs(c - tonumber(p)))
  end
  T.ok(worst <= 0.0101, ("MACRS %d-year percentages follow from the rule to the table's rounding (%.4f)"):format(class, worst))
end
local pv, rows = mac:shield(num"21%", num"8%")
T.eq(rows[1].shield, num"42000 $", "tax shield: 21% of the charge")
local want = num"0 $"
for i, row in ipairs(mac) do want = want + row.charge * num"0.21" / num"1.08" ^ i end
T.eq(pv, want, "PV of the shield, each year at its end")
T.eq(F.sln(num"30000 $", num"7500 $", 10), num"2250 $", "SLN")
T.eq(F.ddb(num"2400 $", num"300 $", 10, 1), num"480 $", "DDB first period")
T.eq(F.vdb(num"2400 $", num"300 $", 10, 0, 1), num"480 $", "VDB of the first period is DDB's")
T.eq(F.vdb(num"2400 $", num"300 $", 10, 0, 3), F.vdb(num"2400 $", num"300 $", 10, 0, num"1.5") + F.vdb(num"2400 $", num"300 $", 10, num"1.5", 3), "VDB is additive")

-- taxes with losses carried forward
local tx, total = F.taxes { profit = { num"-100 $", num"60 $", num"80 $" }, rate = num"21%" }
T.eq(tx[2].tax, num"0 $", "a loss shelters the next profit")
T.eq(tx[3].tax, num"8.4 $", "and what is left of it")
T.eq(total, num"8.4 $", "total tax")
local tx80 = F.taxes { profit = { num"-100 $", num"60 $" }, rate = num"21%", limit = num"80%" }
T.eq(tx80[2].taxable, num"12 $", "an 80% limit leaves a fifth taxable")

-- bad input: a clear error at the model's line, naming the argument
raises_here(function() F.xnpv(num"9%", { 1, 2 }, { "2008-01-01" }) end, "finance.xnpv: 2 flows but 1 dates", "mismatched lengths")
raises_here(function() F.xirr({ -1, 2 }, { "2008-03-01", "2008-01-01" }) end, "finance.xirr: dates[2] (2008-01-01) is before dates[1]", "unsorted dates")
raises_here(function() F.xirr({ -1, 2 }, { "2008-01-01", "2008-13-01" }) end, "finance.xirr: dates[2]: the string \"2008-13-01\" is not a day", "malformed date")
raises_here(function() F.npv(num"-100%", { 1, 2 }) end, "finance.npv: rate must be above -100%", "rate at -100%")
raises_here(function() F.pmt(num"-150%", 3, num"1 $") end, "finance.pmt: rate must be above -100%", "rate below -100%")
raises_here(function() F.npv(num"5%", {}) end, "finance.npv: flows is empty", "empty flows")
raises_here(function() F.irr { num"-5 $", num"3 EUR" } end, "finance.irr: flows[2] is EUR 3.00 but flows[1] is -$5.00", "mixed currencies")
raises_here(function() F.npv(num"5%", { num"1 MW" }) end, "finance.npv: flows[1] expected an amount of money or a plain number, got 1 MW", "non-money flows")
raises_here(function() F.npv(num"5%", { 1, nil, 3 }) end, "finance.npv: flows has a hole at [2]", "a hole in the flows")
raises_here(function() F.irr(42) end, "finance.irr: flows expected a list", "flows not a list")
raises_here(function() F.irr({ -1, 2 }, { guess = num"-2" }) end, "finance.irr: guess expected an exact rate above -100%", "a guess below -100%")
T.raises(function() F.amortize { principal = num"1M $", rate = num"6%" } end, "finance.amortize: missing field 'term'", "amortize missing term")
T.raises(function() F.amortize { principal = num"1 GW", rate = num"6%", term = num"3 yr" } end, "field 'principal' expected an amount of money", "amortize wrong unit")
T.raises(function() F.amortize { principal = num"1M $", rate = num"6%", term = num"3 yr", style = "balloon" } end, "field 'style'", "amortize bad style")
T.raises(function() F.pmt(num"6%", 0, num"1M $") end, "expected a positive number of periods", "pmt needs periods")
T.raises(function() F.npv(num"6 $", {}) end, "rate expected a plain number", "npv wrong unit for rate")
T.raises(function() s:add("2026-01", num"5 MW") end, "amount expected an amount of money", "series:add wrong unit")
T.raises(function() F.depreciation { cost = num"1M $", method = "macrs", class = 4 } end, "MACRS recovery period of 3, 5, 7, 10, 15 or 20", "MACRS class")
T.raises(function() F.ddb(num"100 $", num"200 $", 5, 1) end, "salvage expected a value from 0 to the cost", "salvage above cost")
T.raises(function() F.vdb(num"100 $", num"0 $", 5, 3, 2) end, "expected 0 <= from <= to <= life", "VDB backwards")
T.done()
