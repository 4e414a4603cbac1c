-- tests/translate/mockrt.lua
-- A stand-in for the runtime's __deal.ops() with plain Lua semantics, so a
-- translated program can run under lua5.4 and be compared with the original
-- (checks that the translation keeps meaning, evaluation order and lines).
-- usage: lua5.4 mockrt.lua TRANSLATED.lua CHUNKNAME [args...]
local path, name = arg[1], arg[2]

local function parse(spec)
  local num, rest = spec:match("^(%-?[%d%.eE+%-]+)(.*)$")
  local scale = { k = 1e3, M = 1e6, B = 1e9, T = 1e12 }
  if not num then error("mock: bad spec " .. spec) end
  local v = tonumber(num)
  local suffix = rest:match("^(%a+)")
  if suffix == "bp" then v = v / 10000; rest = rest:sub(3)
  elseif suffix and scale[suffix:sub(1, 1)] and #suffix == 1 then
    v = v * scale[suffix]; rest = rest:sub(2)
  end
  if rest == "%" then v = v / 100 end
  return v
end

__deal = {}
function __deal.ops()
  local ops = {
    function(a, b) return a + b end, function(a, b) return a - b end,
    function(a, b) return a * b end, function(a, b) return a / b end,
    function(a, b) return a // b end, function(a, b) return a % b end,
    function(a, b) return a ^ b end, function(a) return -a end,
    function(a, b) return a == b end, function(a, b) return a ~= b end,
    function(a, b) return a < b end, function(a, b) return a <= b end,
    function(a, b) return a > b end, function(a, b) return a >= b end,
    function(a) return not a end,
    function(a, b) return a and b end, function(a, b) return a or b end,
    function(a, f) if a then return f() end return a end,
    function(a, f) if a then return a end return f() end,
    function(a) return a end, function(a) return a end,
    function(a, b) return { lo = a, hi = b } end,
  }
  ops[#ops + 1] = function(specs)
    local t = {}
    for i, s in ipairs(specs) do t[i] = parse(s) end
    return t
  end
  ops[#ops + 1] = function(a, b) return a == b end   -- __ceq
  ops[#ops + 1] = function(a, b) return a ~= b end   -- __cne
  return table.unpack(ops)
end

local f = assert(io.open(path, "rb"))
local src = f:read("a")
f:close()
local chunk = assert(load(src, "@" .. name))
chunk(table.unpack(arg, 3))
