local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();local a = __sub(__add(b, __mul(c, d)), __div(e, f) // g % __pow(h, __pow(i, j)))
local k = __mul((__add(b, c)), d)
local l = b .. __add(c, d) .. e
local m = __add(__add(#t, ~n), __unm(o))
local n = b & c | d ~ e << 1 >> 2
local o = __eq(b, c), __ne(b, c), __lt(b, c), __le(b, c), __gt(b, c), __ge(b, c)
local p = __eq(__not(b), c)
local q = __add(f(x), (g(y)))
local r = __mul(a.b[c]:d(e), 2)
local s = 1 + 2 + 3 + 4
local u = __add(x
, __mul(y
, z))
