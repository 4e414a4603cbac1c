local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"15k $","25k $","100 kW","130 kW","1.3","1.8"};local a = __to(20000, 40000)
local b = __to(__K[1], __K[2])
local c = __to(__K[3], __K[4])
local d = __to(__or(a, b), __and(c, d))
f(__to(1, 2), (__to(3, 4)))
local t = {to = 1, x = __to(1, 2)}
local to = 1
to = 2
t.to = to
x:to "TWh"
local y = x:to("MWh")
local z = __to(__K[5], __K[6])
print(to, to)
