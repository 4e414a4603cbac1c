# tests/hostile/_lib.sh: helpers for the shell checks (sourced).
DEAL=${1:-$DEAL}
# ID must be set. TMP is a fresh directory removed at exit.
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
ok() { echo "ok - $ID $*"; }
nok() { echo "not ok - $ID $*"; }
check() { if [ "$1" = 0 ]; then shift; ok "$@"; else shift; nok "$@"; fi; }
# run_expect NAME RCWANT PATTERN CMD...: runs CMD (stdout+stderr to
# $TMP/out), wants exit status RCWANT ("fail" = 1..123, i.e. an error and not
# a signal or a timeout; "" = any of 0..123) and PATTERN (grep -E) in the output; no PANIC.
run_expect() {
  name=$1; want=$2; pat=$3; shift 3
  "$@" > "$TMP/out" 2>&1; rc=$?
  good=1
  case $want in
    fail) [ $rc -ge 1 ] && [ $rc -le 123 ] || good=0 ;;
    ""|any) [ $rc -le 123 ] || good=0 ;;
    *) [ $rc -eq "$want" ] || good=0 ;;
  esac
  [ -z "$pat" ] || grep -qE -- "$pat" "$TMP/out" || good=0
  grep -q PANIC "$TMP/out" && good=0
  if [ $good = 1 ]; then ok "$name"; else nok "$name # rc=$rc: $(head -c 300 "$TMP/out" | tr '\n' ' ')"; fi
}
