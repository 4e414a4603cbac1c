local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"-0.5","-1.2 GW","-5 $","-9223372036854775808"};local a = -3
local b = __K[1]
local c = __K[2]
local d = __K[3]
local e = __unm(__pow(2,2))
local f = - -3
local g = __pow(2,-3)
local h = a - -1
local i = __unm(x)
local j = __unm(0x10)
local k = __K[4]
local l = -(3)
