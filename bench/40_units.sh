#!/bin/sh
# 1.2 GW * 8760 h as a whole process: deal beside GNU units and qalc
# (installed here if missing; target: faster than both).
. bench/lib.sh
sh mk/deps.sh units qalc >/dev/null 2>&1 || echo "   (could not install units/qalc)"
run10() { i=0; while [ $i -lt 10 ]; do "$@"; i=$((i + 1)); done; }
td=$(best_of 3 run10 ./deal -e 'print(1.2 GW * 8760 h)')
echo "   deal:  $(./deal -e 'print(1.2 GW * 8760 h)')   x10 ${td}s"
if command -v units >/dev/null; then
  # GNU units reads h as Planck's constant: the hour is hr there
  tu=$(best_of 3 run10 units -t '1.2 GW * 8760 hr' TWh)
  echo "   units: $(units -t '1.2 GW * 8760 hr' TWh) TWh   x10 ${tu}s   units/deal = $(ratio $tu $td)x"
fi
if command -v qalc >/dev/null; then
  tq=$(best_of 3 run10 qalc -t '1.2 GW * 8760 h to TWh')
  echo "   qalc:  $(qalc -t '1.2 GW * 8760 h to TWh')   x10 ${tq}s   qalc/deal = $(ratio $tq $td)x"
fi
