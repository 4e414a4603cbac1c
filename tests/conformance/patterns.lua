-- tests/conformance/patterns.lua: the sandbox splits long pattern searches into
-- one anchored search per start position (vm/sandbox.c); this compares its
-- results with lua5.4 on 3 KB subjects (long enough to be split).
-- force split mode: subjects > 4e6/n... use n ~ 3000 with quantified patterns
local subjects = {}
local alphabet = {"a","b","c"," ",",","\n","1","2","(",")","x"}
local seed = 12345
local function rnd(n) seed = (seed * 1103515245 + 12345) % 2147483648 return seed % n + 1 end
for i = 1, 6 do
  local t = {}
  for j = 1, 3000 + rnd(500) do t[#t+1] = alphabet[rnd(#alphabet)] end
  subjects[#subjects+1] = table.concat(t)
end
local pats = {"a.-b", "(%w+),(%w*)", "%s+x", "()a", "(a)(b*)", "%bxc", "[^\n]*\n", "%f[%w]%w+", "1+2?", "(%d)%1", "c?b?a", ".-,", "x$", "", "(()b)", "[a-c]+%s"}
local out = {}
for si, s in ipairs(subjects) do
  for pi, p in ipairs(pats) do
    out[#out+1] = table.concat({tostring(si), tostring(pi), tostring(s:find(p)), tostring((select(2, s:find(p, 100)) or "none")), tostring(s:match(p, -200))}, "|")
    local n = 0 local acc = {}
    for a, b in s:gmatch(p) do n = n + 1 if n < 50 then acc[#acc+1] = tostring(a) .. tostring(b) end end
    out[#out+1] = n .. ":" .. table.concat(acc, ";")
    local r, k = s:gsub(p, "<%0>") out[#out+1] = #r .. ":" .. k .. ":" .. r:sub(1, 200)
    local r2, k2 = s:gsub(p, function(x) return type(x)=="string" and x:upper() or x end, 40) out[#out+1] = #r2 .. ":" .. k2 .. r2:sub(-100)
    local r3, k3 = s:gsub(p, {a = "A", ["1"] = false}) out[#out+1] = #r3 .. ":" .. k3
  end
end
print(table.concat(out, "\n"))
