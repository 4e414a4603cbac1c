-- tests/lib/tap.lua: the checks every Lua and .deal test script uses.
--
--   local T = require "tap"
--
-- The runner starts each script as `deal -l tap ../SUITE/FILE` from this
-- directory, so the sandbox's `require` finds the library already loaded
-- (deal_script in tests/lib/tap.sh). By hand: `TESTS=FILE make test`, or
-- `cd tests/lib && ../../deal -l tap ../unit/numbers.lua`.
-- Each check prints one TAP line, "ok - NAME" or "not ok - NAME" followed by
-- "#   " diagnostic lines, and returns whether it passed:
--
--   T.ok(cond, name [, diag])     cond is true (any value but nil and false)
--   T.eq(got, want, name)         want a string: got prints as want (what is
--                                 printed is part of the number); otherwise
--                                 got == want by value (a num and a Lua
--                                 number compare by value; units must match)
--   T.near(got, want, tol, name)  |got - want| <= tol
--   T.raises(fn, text, name)      fn() raises an error whose message
--                                 contains text (plain, not a pattern)
--   T.err(text, name, fn, ...)    the same, calling fn(...)
--   T.noerr(name, fn, ...)        fn(...) raises no error
--   T.runs(fn, name)              fn() raises no error; returns its results
--   T.skip(name, reason)          a check that cannot run here, and why
--   T.id(prefix)                  prefixes the names that follow ("E18")
--   T.gc_until(done)              allocates until done() is true, so the
--                                 collector runs; false if it never was
--   T.done()                      prints a summary comment
-- T.passed and T.failed count the checks so far.
local T = { passed = 0, failed = 0 }
local prefix = ""

-- The one place that prints a verdict: a name on one line (TAP cannot
-- carry a newline in it), then the diagnostic as comment lines.
local function report(good, name, diag)
  name = (prefix .. tostring(name)):gsub("\n", " ")
  if good then
    T.passed = T.passed + 1
    print("ok - " .. name)
  else
    T.failed = T.failed + 1
    print("not ok - " .. name)
    if diag ~= nil then print("#   " .. tostring(diag):gsub("\n", "\n#   ")) end
  end
  return good
end

-- Any value as text (an error object, a value whose __tostring fails).
local function astext(v)
  local ok, s = pcall(tostring, v)
  return ok and s or ("(a " .. type(v) .. " value that cannot be printed: " .. tostring(s) .. ")")
end

function T.id(s)
  prefix = s and s ~= "" and (s .. " ") or ""
end

function T.ok(cond, name, diag)
  return report(cond ~= nil and cond ~= false, name, diag)
end

-- Equal by value, as a model sees it; a Lua number on either side meets a
-- num by value (plain Lua never calls __eq between a num and a number).
local function same(a, b)
  local ok, r = pcall(function() return a == b end)
  if ok and not r and (math.type(a) or math.type(b)) then
    ok, r = pcall(function() return num(a) == num(b) end)
  end
  return ok and r
end

function T.eq(got, want, name)
  local good
  if type(want) == "string" then good = astext(got) == want
  else good = same(got, want) end
  return report(good, name, ("got:  %s\nwant: %s"):format(astext(got), astext(want)))
end

function T.near(got, want, tol, name)
  local ok, good = pcall(function()
    local d = got - want
    if d < 0 * d then d = -d end
    return d <= tol
  end)
  return report(ok and good, name,
    ("got:  %s\nwant: %s within %s"):format(astext(got), astext(want), astext(tol)))
end

function T.err(text, name, fn, ...)
  local ok, e = pcall(fn, ...)
  if ok then return report(false, name, "no error raised; wanted one containing: " .. text) end
  e = astext(e)
  return report(e:find(text, 1, true) ~= nil, name, ("error was: %s\nwanted:    %s"):format(e, text))
end

function T.raises(fn, text, name)
  return T.err(text, name, fn)
end

function T.noerr(name, fn, ...)
  local ok, e = pcall(fn, ...)
  return report(ok, name, not ok and ("error: " .. astext(e)) or nil)
end

function T.runs(fn, name)
  local r = table.pack(pcall(fn))
  report(r[1], name, not r[1] and ("error: " .. astext(r[2])) or nil)
  if r[1] then return table.unpack(r, 2, r.n) end
end

function T.skip(name, reason)
  print(("ok - %s%s # SKIP %s"):format(prefix, name, reason))
end

-- Models may not call collectgarbage("collect"): allocate short-lived
-- tables, so that the collector runs as they add up, until done() is true
-- (a weak table has lost an entry, say). Gives up after about 100 MB.
function T.gc_until(done)
  for _ = 1, 20000 do
    if done() then return true end
    for _ = 1, 100 do local _ = {} end
  end
  return done() and true or false
end

function T.done()
  print(("# %d passed, %d failed"):format(T.passed, T.failed))
end

return T
