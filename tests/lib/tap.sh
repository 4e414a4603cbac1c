# tests/lib/tap.sh: TAP output for every shell suite and check (sourced).
#
#   . "$(dirname "$0")/../lib/tap.sh"
#
# On sourcing: DEAL becomes an absolute path when it names a file by a
# relative path (set it first: DEAL=${1:-./deal}); TMP is a fresh directory,
# removed at exit with whatever at_exit added; TAP_LIB is this directory.
# When ID is set (hostile checklist items), every name starts with it.
#
#   ok NAME...                    prints "ok - NAME"
#   nok NAME [DIAG]               prints "not ok - NAME", DIAG as "#   " lines
#   check NAME STATUS [DIAG]      ok when STATUS is 0, else nok
#   skip NAME REASON              a check that cannot run here, and why
#   run_expect NAME RC PATTERN CMD...
#                                 runs CMD (stdout and stderr to $TMP/out):
#                                 ok when its exit status is RC (a number;
#                                 "fail" = 1..123, an error and not a signal
#                                 or a timeout; "" or "any" = 0..123), its
#                                 output matches PATTERN (grep -E; "" = any)
#                                 and it never says PANIC
#   run_expect_text NAME RC TEXT CMD...
#                                 the same with TEXT a fixed string
#   deal_script FILE [ARGS...]    runs a Lua or .deal test script with the
#                                 TAP library (tests/lib/tap.lua) loaded
#   relay LABEL STATUS FILE       passes on the TAP lines of a sub-program's
#                                 output FILE (a "Bail out!" line is a
#                                 failed check); one "not ok" more when it
#                                 exited non-zero (STATUS) or printed no check
#   at_exit CMD                   runs CMD at exit, before TMP is removed

# this file's directory: the caller is tests/run.sh, tests/valgrind.sh, a
# suite's tests/SUITE/run.sh or a check in a suite's directory
for TAP_LIB in "$(dirname "$0")/lib" "$(dirname "$0")/../lib"; do
  [ -f "$TAP_LIB/tap.sh" ] && break
done
TAP_LIB=$(cd "$TAP_LIB" 2>/dev/null && pwd) || {
  echo "Bail out! tests/lib/tap.sh: sourced from $0, cannot find tests/lib"; exit 2; }
case $DEAL in
  "" | /*) ;;
  */*) DEAL=$(pwd)/$DEAL ;;
esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/deal-test.XXXXXX")
TAP_ATEXIT=""
at_exit() { TAP_ATEXIT="$TAP_ATEXIT
$1"; }
tap_cleanup() { eval "$TAP_ATEXIT"; rm -rf "$TMP"; }
trap tap_cleanup EXIT
trap 'exit 130' INT TERM

ok() {
  case $#:$1 in    # `ok STATUS NAME` (the old claims helper) would always pass
    [2-9]:[0-9] | [2-9]:[0-9][0-9]*) nok "$*" "ok takes a name only: check NAME STATUS" ; return ;;
  esac
  printf 'ok - %s%s\n' "${ID:+$ID }" "$*"
}
nok() {
  printf 'not ok - %s%s\n' "${ID:+$ID }" "$1"
  [ -z "$2" ] || printf '%s\n' "$2" | head -20 | sed 's/^/#   /'
}
check() {
  case $#:$2 in    # a call in another helper's order fails rather than passes
    [23]:[0-9] | [23]:[0-9][0-9]*) ;;
    *) nok "$1" "check NAME STATUS [DIAG] called with $# arguments: $*"; return ;;
  esac
  if [ "$2" = 0 ]; then ok "$1"; else nok "$1" "$3"; fi
}
skip() { ok "$1 # SKIP $2"; }

# The one rule for a command's verdict (run_expect and run_expect_text).
tap_expect() {
  how=$1 name=$2 want=$3 pat=$4; shift 4
  "$@" > "$TMP/out" 2>&1; rc=$?
  good=0
  case $want in
    fail) [ $rc -ge 1 ] && [ $rc -le 123 ] || good=1 ;;
    "" | any) [ $rc -le 123 ] || good=1 ;;
    *) [ $rc -eq "$want" ] || good=1 ;;
  esac
  [ -z "$pat" ] || grep -q "$how" -- "$pat" "$TMP/out" || good=1
  grep -q PANIC "$TMP/out" && good=1
  check "$name" $good "status $rc (want ${want:-any}); output: $(head -c 300 "$TMP/out")"
}
run_expect() { tap_expect -E "$@"; }
run_expect_text() { tap_expect -F "$@"; }

# Scripts run from this directory, where `deal -l tap` finds tap.lua; a
# script in a suite's directory is named ../SUITE/FILE (its error messages
# say so), any other by its absolute path.
deal_script() {
  d=$(cd "$(dirname "$1")" && pwd); f=$(basename "$1"); shift
  [ "${d%/*}" = "${TAP_LIB%/*}" ] && f="../${d##*/}/$f" || f="$d/$f"
  (cd "$TAP_LIB" && timeout "${TAP_TIMEOUT:-120}" "$DEAL" -l tap "$f" "$@")
}

relay() {
  label=$1 status=$2 file=$3
  grep -E '^(not )?ok |^#|^Bail out!' "$file" | sed 's/^Bail out!/not ok - bail out:/'
  n=$(grep -cE '^(not )?ok ' "$file")
  if [ "$status" -ne 0 ] || [ "$n" -eq 0 ]; then
    nok "$label exited with status $status after $n checks" \
      "$(grep -vE '^(not )?ok |^#' "$file" | tail -5)"
  fi
}
