local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"1.5"};x = __K[1]
;(print)("new statement")
local y = 1 + 2
;(print)("again")
