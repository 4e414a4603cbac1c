local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"0.1","1e100","9223372036854775808","1.5E-3",".5","25bp","1000.0005"};
local a, b, c = 3, 1000000, 7
local d, e, f = 21000000000, 1500000000, 500000
local g, h, i = 1200000, 3000000000000, 2
local j, k, l = __K[1], 2500, __K[2]
local m, n = 9223372036854775807, __K[3]
local o, p = __K[4], __K[5]
local q, r = __K[6], 1
local s, t = 0xFF, 0x1p4
local u = __add(__K[1], __K[1])
local v = __K[7]
