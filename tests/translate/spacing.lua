local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();local a=__sub(__unm(x),y)
local b=__sub(x, __unm(y))
local c={[ [[s]] ]=1}
local d=t[ [=[s]=] ]
local e=__or(a, b)
local f=1 .. 2
