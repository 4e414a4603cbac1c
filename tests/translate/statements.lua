local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();local k <const>, c <close> = 1, nil
local function f(x, ...) return x end
function t.a.b:c(y) return self end
function g() end
::top:: goto top
do local x = 1; end
;;;
a, b.c, d[1] = 1, 2, 3
f{1, 2}
f"s"
f[[long]]
obj:method(1):other "x"
return
