-- stdlib/_shared.lua: what the domain modules share: argument checks whose
-- errors point at the model's line, describe(), the nil-safe sum, and the
-- small rules of the catalogs (keys, ranges, notes).
--
-- Private: the leading "_" keeps it out of the globals. Modules load it with
-- `local S = require "_shared"`; finance.expect, finance.need and
-- finance.args give user modules the same checks.
--
-- Where errors point. A C library reports bad arguments at the line that
-- called it (luaL_argerror). The stdlib is Lua, so a check may run several
-- calls deep inside it; S.fail raises at the first line outside the stdlib,
-- which is the model's call whatever the depth. No function of the stdlib
-- passes error levels around.
local S = {}

local DIMLESS = units.dim(num(1))

---------------------------------------------------------------------------
-- Errors
---------------------------------------------------------------------------

-- The "file:line: " that error() adds for the frame k levels above the caller
-- of pos (0: that caller); "" for a C function or past the end of the stack.
local function pos(k)
  local _, p = pcall(error, "", k + 3)
  return p
end

-- true for a frame of the stdlib itself (chunks "@stdlib/<name>.lua")
local function instdlib(p)
  return p:match("^stdlib/[%w_]+%.lua:%d+: $") ~= nil
end

-- The position of the first frame from `level` up (as error() counts from
-- the caller of S.fail) that is neither the stdlib nor C; nil if none.
local function modelpos(level)
  for i = level, level + 200 do
    local p = pos(i + 1)            -- +1: S.fail itself
    if p ~= "" and not instdlib(p) then return p end
  end
end

--- Raises msg at the model's line: the first frame outside the stdlib.
-- @param msg the message, "fname: what was expected, got what"
-- @param level optional frame to start from, as in error() (for checks that
--   user modules call: finance.expect); the search falls back to level 1
function S.fail(msg, level)
  local p = level and modelpos(level) or modelpos(1) or ""
  error(p .. msg, 0)
end

--- The model's file and line (where an editor should jump): the first
-- frame outside the stdlib, from `level` up as error() counts from the
-- caller of S.where (default 1).
-- @param level optional frame to start from
-- @return file (as Lua names the chunk) and line, or nil when none
function S.where(level)
  local p = modelpos(level or 1)
  if not p then return nil end
  local file, line = p:match("^(.*):(%d+): $")
  return file, tonumber(line)
end

local warned = {}

--- Prints "file:line:1: warning: msg" on stderr, at the model's line (the GNU
-- form editors read, as errors are printed: docs/cli.md), once per line and message.
-- @param msg the message, "fname: what happened; what to do"
function S.warn(msg)
  local p = (modelpos(1) or ""):gsub(":(%d+): $", ":%1:1: ")
  if warned[p .. msg] then return end
  warned[p .. msg] = true
  io.stderr:write(p, "warning: ", msg, "\n")
end

-- the level for a call one frame further from the caller (nil stays nil)
local function up(level)
  return level and level + 1
end

--- An error message without its "file:line: " prefix (to quote it in another).
-- @param err an error value
-- @return text
function S.reason(err)
  return (tostring(err):gsub("^[^:\n]*:%d+: ", ""))
end

--- How a value reads in an error message: the string "x", 3 chip (a plain number)...
-- @param x any value
-- @return text
function S.describe(x)
  if x == nil then return "nothing (nil)" end
  local tx = type(x)
  if tx == "string" then return string.format("the string %q", x) end
  if tx == "table" then
    local mt = getmetatable(x)
    if mt and mt.__name then return "a " .. mt.__name end
    return "a table"
  end
  if tx == "boolean" or tx == "function" then return "a " .. tx end
  local ok, s = pcall(tostring, x)
  if ok and num.isnum(x) then
    local d = units.dim(x)
    if d == "1" or d == DIMLESS then return s .. " (a plain number)" end
  end
  return ok and s or tx
end
local describe = S.describe

---------------------------------------------------------------------------
-- Argument checks
---------------------------------------------------------------------------

local function isquantity(x)
  return type(x) == "number" or type(x) == "userdata" or num.isnum(x)
end

-- analyst's names for the compound kinds the modules ask for
local KIND = {}
for ex, name in pairs {
  ["1 $/chip"] = "price per chip", ["1 $/chip/h"] = "price per chip-hour",
  ["1 W/chip"] = "power per chip", ["1 FLOP/s/chip"] = "FLOP/s per chip",
  ["1 GB/chip"] = "memory per chip", ["1 GB/s/chip"] = "bandwidth per chip",
  ["1 $/MW"] = "cost per MW", ["1 $/kWh"] = "price per unit of energy",
  ["1 $/yr"] = "payment per year",
  ["1 token/s/chip"] = "throughput per chip", ["1 chip*h"] = "number of chip-hours",
  ["1 chip"] = "number of chips", ["1 $"] = "amount of money in USD", ["1 yr"] = "duration",
} do
  local ok, d = pcall(function() return units.dim(num(ex)) end)
  if ok then KIND[d] = name end
end

-- "a price per chip", "an amount of money in USD": what an example stands for
local function kindof(example)
  local d = units.dim(num(example))
  local s = (d == "1" or d == DIMLESS) and "plain number" or KIND[d] or d
  return (s:match("^[AEIOUaeiou]") and "an " or "a ") .. s
end

--- Checks that a value has the dimension of an example; returns it (numbers become nums).
-- @param x the value (a number, quantity or uncertain quantity)
-- @param example a quantity string naming the expected kind, e.g. "120 kW"
-- @param what names the value in the error, e.g. "racks.new: field 'power'"
-- @param level optional: where the error points, as error() counts from the
--   caller of expect (1: that caller; 2: its caller); default: the model's line
-- @return x, converted with num() when it was a Lua number
function S.expect(x, example, what, level)
  if x == nil then
    S.fail(("%s: missing (expected %s, e.g. %s)"):format(what, kindof(example), example), up(level))
  end
  if type(x) == "number" then x = num(x) end
  local want = units.dim(num(example))
  local unit = example:match("^[%d%.]+[kMBT]?%s+(.+)$")
  local ok = isquantity(x) and pcall(function()
    if want == "1" or want == DIMLESS or not unit then
      assert(units.dim(x) == DIMLESS)
    else
      units.check(x, unit, what)
    end
  end)
  if not ok then
    S.fail(("%s expected %s (e.g. %s), got %s"):format(what, kindof(example), example, describe(x)), up(level))
  end
  return x
end

--- Reads field `name` of table `t`, checked against an example quantity.
-- @param t the argument table
-- @param name the field name
-- @param example a quantity string naming the expected kind, e.g. "120 kW"
-- @param fname the function being checked, e.g. "racks.new"
-- @param optional when true a missing field gives nil instead of an error
-- @param level optional, as in S.fail
-- @return the checked value (nil when optional and absent)
function S.need(t, name, example, fname, optional, level)
  local x = t[name]
  if x == nil then
    if optional then return nil end
    S.fail(("%s: missing field '%s' (expected %s, e.g. %s)"):format(fname, name, kindof(example), example), up(level))
  end
  return (S.expect(x, example, ("%s: field '%s'"):format(fname, name), up(level)))
end

--- Raises unless `t` is a table (the usual `f{...}` call style).
-- @param t the argument
-- @param fname the function name for the message
-- @param level optional, as in S.fail
-- @return t
function S.args(t, fname, level)
  if type(t) ~= "table" then
    S.fail(("%s: expected a table of fields, e.g. %s{ ... }, got %s"):format(fname, fname, describe(t)), up(level))
  end
  return t
end

--- Raises unless x is one of the strings in choices.
-- @param x the value
-- @param choices a list of strings
-- @param what names the value, e.g. "finance.amortize: field 'style'"
-- @return x
function S.oneof(x, choices, what)
  for _, c in ipairs(choices) do
    if x == c then return x end
  end
  local q = {}
  for i, c in ipairs(choices) do q[i] = ("%q"):format(c) end
  local list = #q == 1 and q[1] or table.concat(q, ", ", 1, #q - 1) .. " or " .. q[#q]
  S.fail(("%s expected %s, got %s"):format(what, list, describe(x)))
end

--- A copy of a list whose every element passes ok, or an error naming the first that does not.
-- @param list the list
-- @param what names the list, e.g. "deal.new: contracts"
-- @param ok the test of an element
-- @param expected what an element should be, e.g. "a site (sites.new{...})"
-- @return a new list with the same elements
function S.listof(list, what, ok, expected)
  local out = {}
  for i, x in ipairs(list) do
    if not ok(x) then S.fail(("%s[%d] expected %s, got %s"):format(what, i, expected, describe(x))) end
    out[i] = x
  end
  return out
end

---------------------------------------------------------------------------
-- Values
---------------------------------------------------------------------------

--- The nil-safe sum: a + b, where a nil a is "nothing yet" (keeps b's unit).
-- @param a the sum so far, or nil
-- @param b a value
-- @return a + b, or b
function S.add(a, b)
  if a == nil then return b end
  return a + b
end

--- Sum of f(x) over a list (ipairs) or a map (iter = pairs), skipping nil terms.
-- @param t the list
-- @param f optional term function (default: the element itself)
-- @param iter optional iterator (default ipairs)
-- @return the sum, or nil when there is no term (callers give the zero of their unit)
function S.sum(t, f, iter)
  local s
  for k, x in (iter or ipairs)(t) do
    local v
    if f then v = f(x, k) else v = x end
    if v ~= nil then s = S.add(s, v) end
  end
  return s
end

--- True for an exact num (not a float, not an uncertain value).
function S.isexact(x)
  return num.isnum(x) and num.isexact(x)
end

--- True only for an exact zero (never compares an uncertain value).
function S.iszero(x)
  if type(x) == "number" then return x == 0 end
  if not S.isexact(x) then return false end
  local ok, z = pcall(function() return x == x * 0 end)
  return ok and z == true
end

--- lo to hi as an uncertain value (a 90% interval); lo itself when hi is nil or equal.
function S.range(lo, hi)
  if hi == nil or lo == hi then return lo end
  return range(lo, hi)            -- the dialect's `lo to hi`, from plain Lua
end

--- True for a catalog estimate given as { lo = ..., hi = ... }.
function S.isestimate(v)
  return type(v) == "table" and not num.isnum(v) and v.lo ~= nil
end

--- A catalog figure as a value: an estimate { lo, hi } becomes lo to hi.
function S.figure(v)
  if S.isestimate(v) then return S.range(v.lo, v.hi) end
  return v
end

--- A catalog key: lower case, spaces and underscores as hyphens ("GB200 NVL72" -> "gb200-nvl72").
function S.key(k)
  return (tostring(k):lower():gsub("[%s_]+", "-"))
end

--- " (why)" when the catalog notes why a figure is missing, else "".
-- @param notes a notes table (field -> text), or nil
-- @param field the field
function S.because(notes, field)
  local n = notes and notes[field]
  return n and (" (" .. n .. ")") or ""
end

return S
