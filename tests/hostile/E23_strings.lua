-- E23: string parsing: accepted with the documented meaning, or refused.
local T = require "tap"; T.id("E23")
local function is(s, want) T.ok(num.exact(num(s)) == want, ("num%q = %s"):format(s, want), tostring(num(s))) end
local function bad(s) T.err("malformed number", ("num%q refused"):format(s), num, s) end
is("010", "10"); is("+5", "5"); is("-0", "0"); is("1e3", "1000"); is("2/4", "1/2"); is("1_000", "1000"); is("5%", "1/20")
bad("0x1F"); bad("1 2 3"); bad(" 42 "); bad("١٢"); bad("1\0 99"); bad(""); bad("-"); bad("3/-6"); bad("1..2"); bad("1e"); bad("--1")
local digits = ("7"):rep(10^6)
local ok, v = pcall(num, digits)
T.ok(ok and num.exact(v % 10) == "7", "a 10^6-digit string is read exactly", tostring(v))
T.err("number too large", "a 10^8-digit string is refused", num, ("9"):rep(10^8))
