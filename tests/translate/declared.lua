local __add,__sub,__mul,__div,__idiv,__mod,__pow,__unm,__eq,__ne,__lt,__le,__gt,__ge,__not,__and,__or,__andf,__orf,__cond,__for,__to,__K,__ceq,__cne=__deal.ops();__K=__K{"1 chip","2 widget","3 gizmo","4 sprocket","5 other","3 seat","4 berth","5 cot","6 bunk"};units.define("widget", __K[1])
units.define "gizmo"
units.dimension { name = "sprocket" }
f(__K[2], __K[3], __K[4], __K[5])
units.dimension("Seat")
units.dimension "Berth"
units.dimension("Bunk", "cot")
g(__K[6], __K[7], __K[8], __K[9])
