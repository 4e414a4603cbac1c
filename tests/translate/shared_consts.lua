local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"0.1","1.2 GW","-0.1"};local a = __add(__add(__add(__K[1], __K[1]), __K[2]), __K[2])
local b = __K[3], __K[3]
