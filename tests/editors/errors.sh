#!/bin/sh
# tests/editors/errors.sh DIR: real `deal` and `deal check` diagnostics for
# the error-matcher tests (issue 16). Writes models with known error
# positions into DIR, runs the real program on them (output captured here,
# never typed in) and writes the positions each editor must reach:
#   DIR/check.out   `deal check models` (stdout and stderr, as :make reads)
#   DIR/run.out     `deal FILE` on a model with a warning, then on one with an error
#   DIR/expected    "OUTFILE FILE:LINE:COL TYPE" per diagnostic, in order
DEAL=${DEAL:?}
d=$1
mkdir -p "$d/models" "$d/warn" || exit 1
cd "$d" || exit 1
printf 'local x = 2\nclaim("x is big", x > 3)\nclaim("x is small", x < 3)\n' > models/claim.deal
printf 'local a = 1\nlocal p = 1kW\n' > models/syntax.deal
printf 'local p = 1 GW\n\nlocal e = p + 1 h\n' > models/units.deal
printf 'local a = 1\nlocal r = finance.irr({-100, 230, -132})\n' > warn/warn.deal
"$DEAL" check models > check.out 2>&1
{ "$DEAL" warn/warn.deal; "$DEAL" models/units.deal; } > run.out 2>&1
cat > expected <<EXP
check.out models/claim.deal:2:1 error
check.out models/syntax.deal:2:11 error
check.out models/units.deal:3:1 error
run.out warn/warn.deal:2:1 warning
run.out models/units.deal:3:1 error
EXP
