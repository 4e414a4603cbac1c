#!/bin/sh
# tests/hostile/run.sh DEAL: the reliability checklist (docs/security.md,
# "Tests") as tests, one per item:
#   Xnn_name.lua   run as a model from this directory; prints TAP lines
#   Xnn_name.sh    sh Xnn_name.sh DEAL; prints TAP lines
# Each runs under timeout(1) (HOSTILE_TIMEOUT, default 120 s). A test that
# prints no TAP line, exits non-zero, or dies of a signal is a failure.
# Always exits 0; the TAP lines carry the verdicts.
DEAL=${1:-./deal}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
export DEAL
HERE=$(cd "$(dirname "$0")" && pwd)
cd "$HERE" || exit 0
TMO=${HOSTILE_TIMEOUT:-120}
out=$(mktemp); trap 'rm -f "$out"' EXIT
for t in [A-H][0-9][0-9]_*; do
  case $t in
    *.lua|*.deal) timeout "$TMO" "$DEAL" "$t" > "$out" 2>&1; rc=$? ;;
    *.sh) timeout "$TMO" sh "$t" "$DEAL" > "$out" 2>&1; rc=$? ;;
    *) continue ;;
  esac
  id=${t%%_*}
  grep -E '^(not )?ok ' "$out"
  n=$(grep -cE '^(not )?ok ' "$out")
  if [ "$rc" -ne 0 ] || [ "$n" -eq 0 ]; then
    echo "not ok - $id $t exited with status $rc after $n checks"
    grep -vE '^(not )?ok ' "$out" | tail -5 | sed 's/^/# /'
  fi
done
exit 0
