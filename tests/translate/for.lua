local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"0.5","2.5"};for i = 1, 10 do end
for i = 10, 1, -1 do end
for i = 1, __for(n) do end
for i = __for(__K[1]), __for(__K[2]), __for(__K[1]) do end
for i = __for(__add(a, 1)), __for(#t), __for((f())) do end
for k, v in pairs(t) do end
for _, v in ipairs(t), nil do end
