-- tests/hostile/_t.lua: TAP helpers for the checklist scripts (require "_t").
local T = {}
local id = "?"
function T.id(s) id = s end
function T.ok(cond, msg, extra)
  print((cond and "ok - " or "not ok - ") .. id .. " " .. msg .. ((not cond and extra) and (" # got: " .. extra) or ""))
  return cond
end
-- f() must raise an error whose text contains `want` (plain text).
function T.err(want, msg, f, ...)
  local ok, e = pcall(f, ...)
  local s = tostring(e)
  return T.ok(not ok and s:find(want, 1, true) ~= nil, msg, ok and "no error" or s)
end
-- f() must not raise.
function T.noerr(msg, f, ...)
  local ok, e = pcall(f, ...)
  return T.ok(ok, msg, tostring(e))
end
function T.skip(msg, reason) print("ok - " .. id .. " " .. msg .. " # SKIP " .. reason) end
return T
