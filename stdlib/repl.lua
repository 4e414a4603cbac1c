-- stdlib/repl.lua: the Lua half of the interactive prompt (vm/repl.c).
--
-- The help index built from the stdlib's `---` doc comments, the texts of
-- :help, :units and :info, and the name lists that Tab completion uses.
-- Every function returns text; vm/repl.c prints it. Not meant for models.
local R = {}

local PREFIXES = { "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T", "P",
                   "E", "Z", "Y", "m", "u", "n", "\xC2\xB5" }

-- Words laid out in columns `width` wide, indented by two spaces.
local function columns(list, width)
  width = width or 78
  local w = 0
  for _, s in ipairs(list) do if #s > w then w = #s end end
  w = w + 2
  local per = math.max(1, (width - 2) // w)
  local out, line = {}, {}
  for i, s in ipairs(list) do
    line[#line + 1] = s .. string.rep(" ", w - #s)
    if #line == per or i == #list then
      out[#out + 1] = "  " .. table.concat(line):gsub("%s+$", "")
      line = {}
    end
  end
  return table.concat(out, "\n")
end

-- A stdlib module, loaded if need be; nil when it does not exist.
local function module(name)
  local ok, m = pcall(function() return _ENV[name] end)
  if ok then return m end
end

--- Names for Tab completion, fetched once at start-up: units.list() and
-- the catalog keys of chips.list(); also loads the stdlib modules so that
-- their fields complete (`chips.g<Tab>`).
-- @param mods list of stdlib module names to load
-- @return { units = {...}, chips = {...} }
function R.names(mods)
  local out = { units = {}, chips = {} }
  for _, m in ipairs(mods or {}) do module(m) end
  local u = module("units")
  if type(u) == "table" and type(rawget(u, "list")) == "function" then
    local ok, list = pcall(rawget(u, "list"))
    if ok and type(list) == "table" then
      for _, n in ipairs(list) do
        if type(n) == "string" then out.units[#out.units + 1] = n end
      end
    end
  end
  local ch = module("chips")
  if type(ch) == "table" then
    local cat = rawget(ch, "catalog")
    local list
    if type(cat) == "table" then
      list = {}
      for k in next, cat do list[#list + 1] = k end
    elseif type(rawget(ch, "list")) == "function" then
      local ok, l = pcall(rawget(ch, "list"))
      if ok and type(l) == "table" then list = l end
    end
    for _, e in ipairs(list or {}) do
      if type(e) == "table" then e = rawget(e, "key") or rawget(e, "name") end
      if type(e) == "string" then out.chips[#out.chips + 1] = e end
    end
  end
  return out
end

-- {====================================================== help

-- One-liners for what is written in C (vm/num.c, vm/units.c, vm/samples.c).
local CORE = {
  num = "num(x): an exact number from an integer, a float, or a string such as \"2/3\", \"21B\", \"5%\", \"1.2 GW\"",
  ["num.exact"] = "num.exact(x): the exact value as a fraction, e.g. \"2/3\"",
  ["num.format"] = "num.format(x, digits) or x:format{digits, decimals, cents, sep, unit = \"$M\", mark}: the text of x, unit kept (docs/display.md)",
  ["num.round"] = "num.round(x, digits): the value rounded to that many decimals, a quantity in the unit it prints in (exact: $1,234.57)",
  ["num.floor"] = "num.floor(x), num.ceil(x): rounded down or up to an integer (a quantity in the unit it prints in)",
  ["num.tofloat"] = "num.tofloat(x): the nearest float",
  ["num.tointeger"] = "num.tointeger(x): the integer, or nil when x is not integral",
  ["num.isexact"] = "num.isexact(x): false when x came from a float or an approximation",
  ["num.isnum"] = "num.isnum(x): true for num values (exact numbers and quantities)",
  units = "units: unit parsing, conversion and dimensions (units.parse, units.dim, units.list, ...)",
  ["units.parse"] = "units.parse(\"1.2 GW\"): the quantity, same as num\"1.2 GW\"",
  ["units.value"] = "units.value(x, \"TWh\"): the magnitude of x in that unit, as a num",
  ["units.dim"] = "units.dim(x): the dimension name: \"Power\", \"Energy\", \"Money[USD]\", \"1\" for none",
  ["units.check"] = "units.check(x, \"Power\", what): raises unless x has that dimension",
  ["units.same"] = "units.same(x, y): true when x and y have the same dimension",
  ["units.define"] = "units.define(name, \"3.6 MJ\"): a new unit for this session or script",
  ["units.dimension"] = "units.dimension(name): declares a new base dimension",
  ["units.fx"] = "units.fx{date = ..., EURUSD = \"1.08\"}: dated exchange rates",
  ["units.list"] = "units.list([dimension]): unit names, optionally of one dimension",
  to = "x:to(\"TWh\"): the same value shown in another unit of the same dimension",
  mean = "mean(x): mean of an uncertain value (an exact value is its own mean)",
  median = "median(x): median of an uncertain value",
  quantile = "quantile(x, p): the p-quantile of an uncertain value",
  ci = "ci(x, 0.9): the central interval holding that share of the samples",
  sd = "sd(x): standard deviation of an uncertain value",
  P = "P(b): probability that an uncertain condition holds",
  hist = "hist(x): a text histogram of an uncertain value",
  sensitivity = "sensitivity(x): which inputs drive the spread of x",
  claim = "claim(text, cond [, threshold]): a checked statement, listed in the claims table",
  -- the distributions and their helpers (vm/dist.c, vm/samples.c; docs/uncertainty.md)
  normal = "normal(mean, sd), normal{p5 = a, p95 = b}, normal{mean = m, sd = s}: a normal distribution\n  e.g. normal(100 MW, 10 MW); `a to b` is the 90% interval form",
  lognormal = "lognormal(mean, sd): mean and sd of the value itself; lognormal{p5 = a, p95 = b} or {mu =, sigma =} (of log x)\n  e.g. lognormal{p5 = $20B, p95 = $40B}; `a to b` with positive ends is lognormal",
  uniform = "uniform(a, b): every value between a and b equally likely, e.g. uniform(0.8, 1.2)",
  triangular = "triangular(a, mode, b): bounded, peaked at mode, e.g. triangular(90%, 95%, 99%)",
  pert = "pert(a, mode, b [, lambda]): a smooth bounded shape around mode (lambda 4 by default)\n  e.g. pert($0.04/kWh, $0.06/kWh, $0.09/kWh)",
  beta = "beta(a, b): plain numbers in (0, 1), for shares, e.g. beta(2, 5)",
  gamma = "gamma(shape, scale): positive, right-skewed; the scale carries the unit, e.g. gamma(2, 3 GW)",
  chance = "chance(p): an uncertain condition, true with probability p; chance(0.3) * $1M is $1M 30% of the time",
  discrete = "discrete{ {v, w}, ... } or discrete{[v] = w, ...}: weighted choices\n  e.g. discrete{ {64 rack, 3}, {72 rack, 1} }",
  mixture = "mixture({x, y, ...} [, {w1, w2, ...}]): per sample one component, picked by weight (equal if omitted)",
  samples = "samples{v1, v2, ...}: an uncertain value from data; a list of exactly N values is used in order, else resampled",
  correlate = "correlate({a, b}, r) or correlate({a, b, c}, matrix): makes inputs rank-correlated (Iman-Conover)\n  call it before using them, e.g. correlate({capex, delay}, 0.6)",
  where = "where(cond, a, b): per sample, a where the uncertain condition holds, else b\n  e.g. where(demand > supply, demand - supply, 0 chip)",
}

local COMMANDS = [[
commands:
  :help [name]     this text, or the documentation of a function or module
  :units [dim]     units by dimension, or every unit of one dimension
  :info expr       value, dimension and exact fraction of an expression
  :load FILE       run a .deal or .lua file into the session
  :reload          run the last loaded file again
  :samples [N]     Monte Carlo sample count (shows it without N)
  :complete LINE   what Tab would offer at the end of LINE (for editors)
  :seed [N]        random seed
  :quit            leave (or Ctrl-D)
keys: Tab completes names, fields, methods (x:<Tab>), units after a number
  (1.2 G<Tab>) and catalog keys (chips.get "<Tab>); Ctrl-R searches the
  history; Ctrl-C clears the line or interrupts a computation.
_ (and ans) hold the last result.]]

--- The help index of the embedded sources (stdlib/_doc.lua reads the doc
-- comments, for docs/modules.md too).
-- @param files list of { name = module name, src = source text }
-- @return table key -> { sig = signature, text = doc, module = name }
R.index = require("_doc").index

local function entry(key, d)
  local text = d.text:gsub("^%s+", ""):gsub("%s+$", "")
  if d.ismodule then return text ~= "" and text or key end
  return d.sig .. (text ~= "" and ("\n  " .. text:gsub("\n", "\n  ")) or "")
end

-- The first line of a doc text, for lists.
local function summary(d)
  return (d.text:match("^%s*([^\n]*)") or "")
end

--- The text of :help [topic].
-- @param docs the index from R.index
-- @param topic a name such as "chips.get", "get", "chips" (nil for the overview)
-- @return text
function R.help(docs, topic)
  topic = topic and topic:match("^%s*(.-)%s*$") or ""
  if topic == "" then
    local mods = {}
    for k, d in pairs(docs) do
      if d.ismodule and not d.private and not k:match("^catalog_") and not k:match("^prelude") and k ~= "repl" then
        mods[#mods + 1] = k
      end
    end
    table.sort(mods)
    return COMMANDS .. "\nmodules: " .. table.concat(mods, ", ") ..
      "\n(:help chips lists what a module offers; :help chips.get shows one function;" ..
      "\n:help modules gives the conventions they share)"
  end
  local d = docs[topic]
  if d and d.ismodule then
    local fns, w = {}, 0
    for k, e in pairs(docs) do
      if not e.ismodule and e.module == topic and not k:match("[.:]__") then
        fns[#fns + 1] = k
        if #k > w then w = #k end
      end
    end
    table.sort(fns)
    local out = { entry(topic, d), "" }
    for _, k in ipairs(fns) do
      local s = summary(docs[k])
      if #s > 74 - w then s = s:sub(1, 71 - w):gsub("[\x80-\xBF]*$", ""):gsub("[\xC0-\xFF]$", "") .. "..." end
      out[#out + 1] = ("  %-" .. w .. "s  %s"):format(k, s)
    end
    return table.concat(out, "\n")
  end
  if d then return entry(topic, d) end
  if CORE[topic] then return CORE[topic] end
  -- a bare name: every entry that ends with it
  local found = {}
  local plain = topic:gsub("%p", "%%%0")
  for k in pairs(docs) do
    if k:match("[.:]" .. plain .. "$") then found[#found + 1] = k end
  end
  for k in pairs(CORE) do
    if k:match("[.:]" .. plain .. "$") then found[#found + 1] = k end
  end
  table.sort(found)
  if #found == 1 then return R.help(docs, found[1]) end
  if #found > 1 then return topic .. " is one of: " .. table.concat(found, ", ") end
  -- a method under another class name: "series:add" is Series:add, and
  -- "contract:rate" is cloud:rate (methods live with their contract kind)
  local cls, name = topic:match("^([%a_][%w_]*):([%a_][%w_]*)$")
  if cls then
    local same, any = {}, {}
    for k in pairs(docs) do
      local c, n = k:match("^([%a_][%w_]*):([%a_][%w_]*)$")
      if n == name then
        any[#any + 1] = k
        if c:lower() == cls:lower() then same[#same + 1] = k end
      end
    end
    local pick = #same > 0 and same or any
    table.sort(pick)
    if #pick == 1 then return R.help(docs, pick[1]) end
    if #pick > 1 then return topic .. " is one of: " .. table.concat(pick, ", ") end
  end
  local m = topic:match("^([%a_][%w_]*)$") and module(topic)
  if type(m) == "table" then  -- a table without doc comments: its fields
    local keys = {}
    for k in next, m do if type(k) == "string" then keys[#keys + 1] = k end end
    table.sort(keys)
    return topic .. ": no documentation; fields:\n" .. columns(keys)
  end
  return "no documentation for '" .. topic .. "' (:help lists the modules)"
end

-- }======================================================

--- The text of :units [dimension].
-- @param dim a dimension name ("Power") or a unit ("W"), or nil
-- @return text
function R.units(dim)
  local u = module("units")
  dim = dim and dim:match("^%s*(.-)%s*$") or ""
  if dim ~= "" then
    local ok, list = pcall(u.list, dim)
    if not ok then error(("unknown dimension '%s' (:units lists them)"):format(dim), 0) end
    return ("%s: %d units\n%s"):format(dim, #list, columns(list))
  end
  local all = u.list()
  local dims, groups, order = {}, {}, {}
  for _, n in ipairs(all) do
    local ok, q = pcall(u.parse, "1 " .. n)
    dims[n] = ok and tostring(u.dim(q)) or "?"
  end
  for _, n in ipairs(all) do
    local prefixed = false
    for _, p in ipairs(PREFIXES) do
      local rest = n:sub(#p + 1)
      if #n > #p and n:sub(1, #p) == p and dims[rest] == dims[n] then
        prefixed = true
        break
      end
    end
    if not prefixed then
      local d = dims[n]
      if not groups[d] then groups[d] = {}; order[#order + 1] = d end
      table.insert(groups[d], n)
    end
  end
  table.sort(order)
  local w = 0
  for _, d in ipairs(order) do if #d > w then w = #d end end
  local out = {}
  for _, d in ipairs(order) do
    out[#out + 1] = ("  %-" .. w .. "s  %s"):format(d, table.concat(groups[d], " "))
  end
  out[#out + 1] = "Prefixes k M G T P E (and Ki Mi Gi for bytes) apply where they make sense;"
  out[#out + 1] = ":units Power lists every form of one dimension."
  return table.concat(out, "\n")
end

--- The text of :info: kind, dimension, exact value of v.
-- @param v any value
-- @param shown how the REPL prints v
-- @return text
function R.info(v, shown)
  local n, u = module("num"), module("units")
  local rows = {}
  local function row(k, s) rows[#rows + 1] = ("  %-10s %s"):format(k, s) end
  local isnum = type(n) == "table" and n.isnum(v)
  local kind = type(v)
  local mt = getmetatable(v)
  if type(mt) == "table" and type(rawget(mt, "__name")) == "string" then kind = rawget(mt, "__name") end
  if isnum then kind = "num (exact number or quantity)" end
  row("value", shown)
  row("type", kind)
  if isnum or kind == "samples" then
    local ok, d = pcall(u.dim, v)
    if ok then row("dimension", tostring(d)) end
  end
  if isnum then
    local ok, e = pcall(n.exact, v)
    if ok then row("exact", tostring(e)) end
    row("precision", n.isexact(v) and "exact" or "approximate (came from a float or ≈ result)")
  elseif kind == "samples" then
    for _, f in ipairs({ "mean", "median", "sd" }) do
      local fn = module(f)
      if type(fn) == "function" then
        local ok, r = pcall(fn, v)
        if ok then row(f, tostring(r)) end
      end
    end
    local fn = module("ci")
    if type(fn) == "function" then
      local ok, lo, hi = pcall(fn, v, 0.9)
      if ok and hi ~= nil then row("90% CI", tostring(lo) .. " … " .. tostring(hi))
      elseif ok then row("90% CI", tostring(lo)) end
    end
  end
  return table.concat(rows, "\n")
end

return R
