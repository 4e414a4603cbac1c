local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();if __cond(a) then end
if __cond(a) and not __cond(b) then end
if __cond(a) or __cond(b) and __cond(c) then end
if __ceq(__not(a), b) then end
if not (__cond(a) and __cond(b)) then end
if (__cond(a) or __cond(b)) and __cond(c) then end
if __add((a), 1) > 2 then end
if x < y then elseif __cond((f(x))) then else end
while true do break end
while n > 0 and not __cond(done) do n = __sub(n, 1) end
repeat n = __add(n, 1) until n >= 10 or nil
if not not __cond(a) then end
if __cond((a)[1]) then end
if __cond((...)) then end
if __cond(__not(a) .. b) then end
