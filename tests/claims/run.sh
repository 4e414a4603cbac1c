#!/bin/sh
# tests/claims/run.sh DEAL: `deal check` over the fixture models: tables,
# totals, exit status, --json, errors, crashes and timeouts. TAP lines;
# always exits 0.
DEAL=${1:-deal}
cd "$(dirname "$0")" || exit 0
. ../hooks.sh
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
ok() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
has() { grep -qF -- "$2" "$1"; }

DEAL_CHECK_CRASH=e_crash "$DEAL_TEST" check --timeout 2 models > "$T/out" 2>&1; rc=$?
ok $([ $rc -eq 1 ]; echo $?) "check exits 1 when a claim fails (got $rc)"
has "$T/out" "x is below 100k                          1        holds (≥ 0.9)"; ok $? "an uncertain claim that holds"
has "$T/out" "two and two                              true     holds"; ok $? "an exact claim"
has "$T/out" "fails (< 0.9)"; ok $? "an uncertain claim that fails"
has "$T/out" "holds (≥ 0.5)"; ok $? "a claim with its own threshold"
has "$T/out" "models/sub/c_error.deal: error: models/sub/c_error.deal:2: boom"; ok $? "an error is reported with its line"
has "$T/out" "models/sub/d_loop.deal: exceeded time limit (2 s)"; ok $? "a runaway model is stopped"
has "$T/out" "models/sub/e_crash.deal: crashed (signal 11)"; ok $? "a crash is reported"
has "$T/out" "models/sub/f_none.deal: no claims"; ok $? "a model without claims"
has "$T/out" "4 claims: 3 hold, 1 fail; 6 files, 3 errors"; ok $? "the total line"
first=$(grep -n 'a_holds' "$T/out" | head -1 | cut -d: -f1); last=$(grep -n 'f_none' "$T/out" | cut -d: -f1)
ok $([ "$first" -lt "$last" ]; echo $?) "models run in sorted order"

"$DEAL" check models/a_holds.deal > "$T/out" 2>&1; rc=$?
ok $([ $rc -eq 0 ]; echo $?) "check exits 0 when every claim holds (got $rc)"
has "$T/out" "2 claims: 2 hold, 0 fail; 1 file, 0 errors"; ok $? "the total line, singular"

"$DEAL" check --json models/a_holds.deal models/b_fails.deal > "$T/json" 2>&1; rc=$?
ok $([ $rc -eq 1 ]; echo $?) "--json keeps the exit status"
if command -v python3 >/dev/null; then
  python3 - "$T/json" <<'PY'
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
fi

"$DEAL" check > "$T/out" 2>&1; rc=$?
ok $([ $rc -eq 2 ]; echo $?) "no paths is a usage error (got $rc)"
"$DEAL" check no/such/dir > "$T/out" 2>&1; rc=$?
ok $([ $rc -eq 2 ]; echo $?) "a missing path is a usage error (got $rc)"
"$DEAL" check --timeout x models > "$T/out" 2>&1; rc=$?
ok $([ $rc -eq 2 ]; echo $?) "a bad option is a usage error (got $rc)"

a=$("$DEAL" check models/b_fails.deal 2>&1); b=$("$DEAL" check models/b_fails.deal 2>&1)
ok $([ "$a" = "$b" ]; echo $?) "verdicts repeat from run to run"
exit 0
