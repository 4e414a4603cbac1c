local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"21B $","1B $","5%","10%"};local __bind=__deal.bind;
local budget = __K[1];__bind(2,"budget",function() return budget end)
local a, b <const>, c = 1, 2;__bind(3,"a",function() return a end);__bind(3,"b",function() return b end);__bind(3,"c",function() return c end)
local _ = 5
local function helper(x) total = x return x end;__bind(5,"helper",function() return helper end)
total = 0;__bind(6,"total",function() return total end)
for i = 1, 3 do total = __add(total, i) end
if budget > __K[2] then share = __K[3] else share = __K[4] end;__bind(8,"share",function() return share end)
local t = { x = 1 };__bind(9,"t",function() return t end); t.y = 2
do local inner = 1; late = inner end;__bind(10,"late",function() return late end)
local s, u = "two", [[
long]];__bind(11,"s",function() return s end);__bind(11,"u",function() return u end)
f = function() hidden = 1 end;__bind(13,"f",function() return f end)
total = __mul(total, 2)
return budget
