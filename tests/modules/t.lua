-- tests/modules/t.lua: a tiny TAP helper for the module tests.
--   local T = require "t"
--   T.ok(cond, name); T.eq(a, b, name); T.raises(fn, pattern, name); T.done()
-- Prints "ok - name" or "not ok - name" (with a diagnostic line) for each check.
local T = { passed = 0, failed = 0 }

local function report(good, name, diag)
  if good then
    T.passed = T.passed + 1
    print("ok - " .. name)
  else
    T.failed = T.failed + 1
    print("not ok - " .. name)
    if diag then print("# " .. tostring(diag):gsub("\n", "\n# ")) end
  end
  return good
end

--- Passes when cond is true.
function T.ok(cond, name, diag)
  return report(cond == true, name, diag)
end

--- Passes when a == b (num values compare by value; units must match).
function T.eq(a, b, name)
  local ok, same = pcall(function() return a == b end)
  if ok and not same and (type(a) == "number" or type(b) == "number") then
    ok, same = pcall(function() return num(a) == num(b) end)
  end
  return report(ok and same, name, ("got %s, expected %s"):format(tostring(a), tostring(b)))
end

--- Passes when |a - b| <= tol (for approximate results).
function T.near(a, b, tol, name)
  local ok, good = pcall(function()
    local d = a - b
    if d < 0 * d then d = -d end
    return d <= tol
  end)
  return report(ok and good, name, ("got %s, expected %s within %s"):format(tostring(a), tostring(b), tostring(tol)))
end

--- Passes when fn raises an error whose message contains pattern (a plain substring).
function T.raises(fn, pattern, name)
  local ok, err = pcall(fn)
  if ok then return report(false, name, "no error raised") end
  err = tostring(err)
  return report(err:find(pattern, 1, true) ~= nil, name, "error was: " .. err)
end

--- Passes when fn runs without error; returns its results.
function T.runs(fn, name)
  local r = table.pack(pcall(fn))
  report(r[1], name, r[2])
  return table.unpack(r, 2, r.n)
end

--- Prints a summary comment.
function T.done()
  print(("# %d passed, %d failed"):format(T.passed, T.failed))
end

return T
