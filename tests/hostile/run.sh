#!/bin/sh
# tests/hostile/run.sh DEAL: the reliability checklist (docs/security.md) as
# tests, one per item:
#   Xnn_name.lua   a model run by deal with the TAP library (tests/lib/tap.lua)
#   Xnn_name.sh    run here as `sh Xnn_name.sh DEAL` (DEAL exported too);
#                  prints TAP lines through tests/lib/tap.sh
# Each runs under timeout(1) (HOSTILE_TIMEOUT, default 120 s). A test that
# prints no TAP line, exits non-zero, or dies of a signal is a failure.
# Always exits 0; the TAP lines carry the verdicts.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
export DEAL
cd "$(dirname "$0")" || exit 0
TAP_TIMEOUT=${HOSTILE_TIMEOUT:-120}
for t in [A-H][0-9][0-9]_*; do
  case $t in
    *.lua | *.deal) deal_script "$t" > "$TMP/run" 2>&1 ;;
    *.sh) timeout "$TAP_TIMEOUT" sh "$t" "$DEAL" > "$TMP/run" 2>&1 ;;
    *) continue ;;
  esac
  relay "${t%%_*} $t" $? "$TMP/run"
done
exit 0
