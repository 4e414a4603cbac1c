local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();local a = __and(x, y)
local b = __or(x, 1)
local c = __or(__and(x, "s"), nil)
local d = __andf(x,function() return (f(y)) end)
local e = __orf(x,function() return (__add(y, 1)) end)
local function g(...) return (x and ...), (x or select("#", ...)) end
local function h(...) return __andf(x,function() return (function(...) return ... end) end) end
local i = __andf(x,function() return ((__or(y, z))) end)
local j = __orf(x,function() return (__and(y, z)) end)
local k = __andf(f(),function() return (g()) end)
