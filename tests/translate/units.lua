local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"1.2 GW","4.6 PFLOP/s","64 chip/rack","192 GiB","8760 h","3 m^2","2 kW*h","1 s^-1","500 widget","5 GW","3 h","1 GW","2 h","3 kW","1 kW","2 MW"};local p = __K[1]
local c = __K[2]
local r = __K[3]
local m = __K[4]
local y = __K[5]
local a = __K[6]
local e = __K[7]
local s = __K[8]
local w = __K[9]
f(__K[10], __K[11])
x = 5 y = 3
x = 5 y.z = 3
x = 5 y(3)
x = 5 y "s"
x = 5 h = 3
local t = __to(5, 10)
if n > 3 then return end
local q = __mul(__div(__K[12], __K[13]), __K[14])
local z = {n = __K[15], __K[16]}
