-- tests/modules/test_schedule.lua: capacity over time (stdlib/schedule.lua): construction
-- and grid connection in parallel, energisation ramps, chip deliveries, quarter by quarter,
-- and the chance of meeting a target when durations are uncertain.
local T = require "tap"
local GE = select(14, __deal.ops())      -- a per-sample >= (plain Lua's refuses uncertain values)

-- 1 GW, construction from 2026-01, 12 months to first power, then 12 months of ramp
local s = schedule.new { name = "one" }
local p = s:add { name = "A", power = num"1 GW", start = "2026-01", build = num"12 month", ramp = num"12 month" }
T.eq(finance.monthname(p.ready), "2027-01", "first power 12 months after the start")
T.eq(s:online "2026-12", num"0 W", "nothing before first power")
T.eq(s:online "2027-01", num"0 W", "the ramp starts at first power")
T.eq(s:online "2027-07", num"500 MW", "half way up the ramp after 6 of 12 months")
T.eq(s:online "2028-01", num"1 GW", "full after the ramp")
T.eq(s:online "2030-01", num"1 GW", "and stays full")
T.eq(s:by "2027", num"1 GW", "by the end of 2027 (online at 2028-01)")
T.eq(s:by "2027-Q2", num"500 MW", "by the end of June 2027")
T.eq(watts.level(s:online "2027-07"), "it", "a schedule's capacity is IT power")

-- the grid connection runs in parallel with construction: the later one sets first power
local g = schedule.new()
local q = g:add { power = num"500 MW", start = "2026-01", build = num"18 month", interconnect = num"36 month" }
T.eq(finance.monthname(q.ready), "2029-01", "a 36-month grid queue outlasts 18 months of construction")
T.eq(g:by "2028-Q3", num"0 W", "so nothing by the end of 2028-Q3")
T.eq(g:by "2028", num"500 MW", "36 months from the start of 2026 end with 2028: online at 2029-01")
local q2 = g:add { power = num"500 MW", start = "2026-01", build = num"18 month", interconnect = num"12 month" }
T.eq(finance.monthname(q2.ready), "2027-07", "a short queue leaves construction as the limit")

-- quarter by quarter
local rows = s:quarters("2026-Q4", "2027-Q4")
T.eq(#rows, 5, "five quarters")
T.eq(rows[1].quarter, "2026-Q4", "labelled by quarter")
T.eq(rows[2].online, num"250 MW", "end of 2027-Q1: 3 of 12 ramp months")
T.eq(rows[3].added, num"250 MW", "each quarter of the ramp adds a quarter")
T.ok(#s:table("2026-Q4", "2027-Q4", true) > 0, "the table renders")

-- chips delivered gate the capacity: 50,000 H100 in two halves, power ready from 2026-07
local c = schedule.new()
c:add { power = num"100 MW", start = "2026-01", build = num"6 month", chip = "h100", chips = num"50000 chip",
        delivery = { { "2026-06", num"50%" }, { "2026-09", num"50%" } } }
T.eq(c:chips "2026-07", num"25000 chip", "the first half is usable once power is ready")
T.eq(c:online "2026-07", num"25000 chip" * watts.it "h100", "capacity is what the delivered chips draw")
T.eq(c:chips "2026-10", num"50000 chip", "all after the second delivery")
local late = schedule.new()
late:add { power = num"50 MW", start = "2026-01", build = num"12 month", chip = "h100", chips = num"10000 chip", delivery_start = "2026-01", delivery_ramp = num"6 month" }
T.eq(late:chips "2026-12", num"0 chip", "chips delivered before the building is ready wait for it")
T.eq(late:chips "2027-01", num"10000 chip", "then all are usable")

-- uncertain durations: construction uniform over 12-24 months, no ramp: P(online by month 18) = 0.5
local u = schedule.new()
u:add { power = num"1 GW", start = "2026-01", build = uniform(num"12 month", num"24 month") }
T.near(P(GE(u:online "2027-07", num"1 GW")), 0.5, 0.01, "P(first power within 18 of 12-24 months) = 0.5")
T.eq(P(GE(u:online "2028-01", num"1 GW")), 1, "certain after 24 months")
local reach, median = u:reach(num"1 GW", "2026-Q4", "2028-Q1")
T.eq(median, "2027-Q2", "the median quarter to reach 1 GW: the end of June 2027 is month 18")
T.eq(reach[1].p, 0, "nothing by the end of 2026")

-- a target as a schedule: twenty 1 GW sites starting one a quarter from 2026-Q3, 24 months each
local plan = schedule.new { name = "20 GW" }
for i = 0, 19 do
  plan:add { name = "site " .. i, power = num"1 GW", start = finance.monthname(finance.month "2026-07" + 3 * i), build = num"24 month" }
end
T.eq(plan:by "2028", num"3 GW", "by the end of 2028 only the sites started by 2027-01 are up (2026-07, -10, 2027-01)")
T.eq(plan:by "2032-Q4", num"19 GW", "the last one starts 2031-04")
T.eq(plan:by "2033-Q1", num"20 GW", "and is up at the end of 2033-Q1")

-- errors
T.raises(function() s:add { power = num"1 GW" } end, "missing field 'start'", "a project needs its start")
T.raises(function() s:add { power = num"1 GW", start = "2026-01", build = num"5 MW" } end, "field 'build' expected a duration", "build in the wrong unit")
T.raises(function() s:add { power = watts.facility(num"1 GW", num"1.2"), start = "2026-01" } end, "expected IT power", "a schedule counts IT power")
T.raises(function() s:add { power = num"1 GW", start = "2026-01", chips = num"10 chip" } end, "needs field 'chip'", "chips without the chip")
T.raises(function() s:add { power = num"1 GW", start = "2026-01", chip = "h100", chips = num"10 chip", delivery = { { "2026-01", num"40%" } } } end,
         "add up to", "deliveries must add to 100%")
T.done()
