local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"5%","2.5%","10%"};local a = __mul(__K[1], x)
local b = 5%3
local c = 5 % 3
local d = 5%-3
local e = __sub(__K[1], 3)
local f = 5%x
local g = {__K[1], __K[2]}
local h = __K[1] .. "x"
local i = 5%(y)
local j = __to(__K[1], __K[3])
local k = __add(__K[1], 1)
