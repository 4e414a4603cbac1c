local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"21B $","0.06 $/kWh","184 $/kW/month","2.10 $/chip/h","15k $","3M EUR","0.2 EUR/kWh","21B USD","30k $","100 $","12 GBP"};local price = __K[1]
local rate = __K[2]
local colo = __K[3]
local rent = __K[4]
local small = __K[5]
local eur = __K[6]
local eurrate = __K[7]
local usd = __K[8]
local ratio = __div(__K[1], __K[9])
local half = __div(__K[10],2)
local gbp = __K[11]
local usd2 = USD
