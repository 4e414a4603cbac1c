-- B8: load(code, name, "b") and load(code, name, "bt", env) stay text-only;
-- the env argument reaches nothing of the host.
local T = require "tap"; T.id("B08")
local f = load("return 40 + 2", "n", "b")
T.ok(f and f() == 42, "mode 'b' still loads text (and only text)")
T.ok(load("\27Lua", "n", "b") == nil, "mode 'b' with a binary chunk refused")
T.ok(load("\27Lua", "n", "bt", {}) == nil, "mode 'bt' with env refused binary")
f = load("return x", "n", "t", {x = 5})
T.ok(f and f() == 5, "env argument honoured")
f = load("return require, io, num, load", "n", "t", {})
local a, b, c, d = f()
T.ok(a == nil and b == nil and c == nil and d == nil, "an empty env sees nothing")
local ok, e = load("return debug", "n", "t", setmetatable({}, {__index = _G}))
T.ok(ok and ok() == nil, "an env falling back to _G still has no debug")
T.ok(select(2, load("x = ")) ~= nil, "a syntax error is returned, not raised")
local parts = {"return ", "1", " + ", "2"}
local i = 0
f = load(function() i = i + 1 return parts[i] end)
T.ok(f and f() == 3, "reader functions work")
T.err("reader function must return a string", "a reader returning a table errors", load, function() return {} end)
