#!/bin/sh
# tests/claims/run.sh DEAL: `deal check` over the fixture models: tables,
# totals, exit status, --json, errors, crashes and timeouts. TAP lines;
# always exits 0.
DEAL=${1:-deal}
. "$(dirname "$0")/../lib/tap.sh"
cd "$(dirname "$0")" || exit 0
. ../hooks.sh
T=$TMP
has() { grep -qF -- "$2" "$1"; }

DEAL_CHECK_CRASH=e_crash "$DEAL_TEST" check --timeout 2 models > "$T/out" 2>&1; rc=$?
check "check exits 1 when a claim fails (got $rc)" $([ $rc -eq 1 ]; echo $?)
has "$T/out" "x is below 100k                          1        holds (≥ 0.9)"; check "an uncertain claim that holds" $?
has "$T/out" "two and two                              true     holds"; check "an exact claim" $?
has "$T/out" "fails (< 0.9)"; check "an uncertain claim that fails" $?
has "$T/out" "holds (≥ 0.5)"; check "a claim with its own threshold" $?
has "$T/out" "models/sub/c_error.deal: error: models/sub/c_error.deal:2: boom"; check "an error is reported with its line" $?
has "$T/out" "models/sub/d_loop.deal: exceeded time limit (2 s)"; check "a runaway model is stopped" $?
has "$T/out" "models/sub/e_crash.deal: crashed (signal 11)"; check "a crash is reported" $?
has "$T/out" "models/sub/f_none.deal: no claims"; check "a model without claims" $?
has "$T/out" "4 claims: 3 hold, 1 fail; 6 files, 3 errors"; check "the total line" $?
first=$(grep -n 'a_holds' "$T/out" | head -1 | cut -d: -f1); last=$(grep -n 'f_none' "$T/out" | cut -d: -f1)
check "models run in sorted order" $([ "$first" -lt "$last" ]; echo $?)

"$DEAL" check models/a_holds.deal > "$T/out" 2>&1; rc=$?
check "check exits 0 when every claim holds (got $rc)" $([ $rc -eq 0 ]; echo $?)
has "$T/out" "2 claims: 2 hold, 0 fail; 1 file, 0 errors"; check "the total line, singular" $?

"$DEAL" check --json models/a_holds.deal models/b_fails.deal > "$T/json" 2>&1; rc=$?
check "--json keeps the exit status" $([ $rc -eq 1 ]; echo $?)
if command -v python3 >/dev/null; then
  python3 - "$T/json" > "$T/py" 2>&1 <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    good = (d["claims"] == 4 and d["hold"] == 3 and d["fail"] == 1 and d["errors"] == 0
            and d["files"][1]["claims"][0]["holds"] is False
            and d["files"][0]["claims"][1]["value"] is True)
    print("ok - --json is valid JSON with the claims" if good else "not ok - --json content: %r" % d)
except Exception as e:
    print("not ok - --json is not valid JSON: %s" % e)
PY
  relay "the --json check (python3)" $? "$T/py"
else
  skip "--json is valid JSON with the claims" "python3 not installed"
fi

"$DEAL" check > "$T/out" 2>&1; rc=$?
check "no paths is a usage error (got $rc)" $([ $rc -eq 2 ]; echo $?)
"$DEAL" check no/such/dir > "$T/out" 2>&1; rc=$?
check "a missing path is a usage error (got $rc)" $([ $rc -eq 2 ]; echo $?)
"$DEAL" check --timeout x models > "$T/out" 2>&1; rc=$?
check "a bad option is a usage error (got $rc)" $([ $rc -eq 2 ]; echo $?)

# one rule for both tables (issue 12): deal FILE and deal check print the same rows, a long
# claim wraps onto indented lines instead of being cut, and no line is wider than the table
"$DEAL" wrap/long.deal > "$T/run" 2>&1
"$DEAL" check wrap/long.deal > "$T/check" 2>&1
sed -n '/^claims /,/^$/p' "$T/check" | sed '/^$/d' > "$T/check.table"
cmp -s "$T/run" "$T/check.table"
check "deal FILE and deal check print the same claims table" $? "$(diff "$T/run" "$T/check.table" | head -8)"
has "$T/run" "  and the network overhead of the spine switches"; check "a long claim wraps, nothing is cut" $?
! grep -q "…" "$T/run"; check "no claim text is dropped behind an ellipsis" $?
has "$T/run" "averyveryverylongwordthatcannotwrapatanyspacebecauseith"; check "a word longer than the column is split" $?
awk '{ n = length($0) } n > max { max = n } END { exit !(max <= 90) }' "$T/run"
check "rows stay within the table's width" $?
col=$(grep -n '^the campus' "$T/run" | cut -d: -f1)
[ -n "$col" ] && [ "$(sed -n "${col}p" "$T/run" | cut -c62-67)" = "0.9998" ]
check "the P column stays aligned after a long claim" $? "$(cat "$T/run")"

# a folder given with a trailing slash names its models with one slash: wrap/long.deal
"$DEAL" check wrap/ > "$T/out" 2>&1
grep -qx "wrap/long.deal" "$T/out"; check "deal check DIR/ names DIR/FILE, not DIR//FILE" $? "$(head -2 "$T/out")"

a=$("$DEAL" check models/b_fails.deal 2>&1); b=$("$DEAL" check models/b_fails.deal 2>&1)
check "verdicts repeat from run to run" $([ "$a" = "$b" ]; echo $?)
exit 0
