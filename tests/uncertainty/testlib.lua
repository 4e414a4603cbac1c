-- testlib.lua: TAP-style checks for deal's own tests.
-- ok(cond, name), eq(got, want, name) compares printed forms,
-- raises(fn, pattern, name) expects an error whose text contains pattern.
local T = {}

function T.ok(cond, name)
  print((cond and "ok - " or "not ok - ") .. name)
  return cond
end

function T.eq(got, want, name)
  local g, w = tostring(got), tostring(want)
  if g == w then print("ok - " .. name) return true end
  print(("not ok - %s: got %s, want %s"):format(name, g, w))
  return false
end

function T.raises(fn, pattern, name)
  local ok, err = pcall(fn)
  err = tostring(err)
  if not ok and err:find(pattern, 1, true) then print("ok - " .. name) return true end
  print(("not ok - %s: %s"):format(name, ok and "no error" or ("error was: " .. err)))
  return false
end

return T
