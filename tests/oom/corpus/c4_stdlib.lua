-- OOM corpus: load and use a stdlib helper, and load() of text
local f = load("return 1 + 2")
local r = f()
local ok = pcall(load, "\27Lua")
print(r, ok, units.dim(num"1 MW"), num.exact(num"2/6"))
