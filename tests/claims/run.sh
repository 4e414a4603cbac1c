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
has "$T/out" "models/sub/c_error.deal:2:1: error: boom"; check "an error is reported at its line (GNU form)" $?
has "$T/out" "models/sub/d_loop.deal:1:1: error: exceeded time limit (2 s)"; check "a runaway model is stopped at its line" $?
has "$T/out" "models/sub/e_crash.deal: error: crashed (signal 11)"; check "a crash is reported" $?
grep -qE "^models/b_fails.deal:2:1: error: claim fails: x is above 35k \(P = 0\.[0-9]+ < 0\.9\)$" "$T/out"
check "a failing claim is an error at its claim( line" $?
n=$(grep -c ': error: ' "$T/out"); [ "$n" -eq 4 ]
check "one diagnostic per failing claim, error, timeout and crash ($n)" $? "$(cat "$T/out")"
last=$(grep -n 'claims: 3 hold' "$T/out" | cut -d: -f1); diag=$(grep -n ': error: ' "$T/out" | tail -1 | cut -d: -f1)
[ "$last" -gt "$diag" ]; check "the summary comes after the diagnostics" $?
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

# --json gives the same line and column as the text diagnostics
"$DEAL" check models/b_fails.deal models/sub/c_error.deal > "$T/text" 2>&1
"$DEAL" check --json models/b_fails.deal models/sub/c_error.deal > "$T/json" 2>&1
if command -v python3 >/dev/null; then
  python3 - "$T/json" "$T/text" > "$T/py" 2>&1 <<'PY'
import json, re, sys
d = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
want = set()
for f in d["files"]:
    if "line" in f:
        want.add((f["path"], f["line"], f["column"]))
    for c in f["claims"]:
        if not c["holds"]:
            want.add((f["path"], c["line"], c["column"]))
got = {(m[0], int(m[1]), int(m[2])) for m in re.findall(r"^(.+?):(\d+):(\d+): error: ", text, re.M)}
good = want == got and len(got) == 2
print("ok - --json has the line and column of each text diagnostic" if good
      else "not ok - --json positions %r, text positions %r" % (sorted(want), sorted(got)))
PY
  relay "the --json positions check (python3)" $? "$T/py"
else
  skip "--json has the line and column of each text diagnostic" "python3 not installed"
fi

"$DEAL" check > "$T/out" 2>&1; rc=$?
check "no paths is a usage error (got $rc)" $([ $rc -eq 2 ]; echo $?)
"$DEAL" check no/such/dir > "$T/out" 2>&1; rc=$?
check "a missing path is a usage error (got $rc)" $([ $rc -eq 2 ]; echo $?)
"$DEAL" check --timeout x models > "$T/out" 2>&1; rc=$?
check "a bad option is a usage error (got $rc)" $([ $rc -eq 2 ]; echo $?)

# {====== the gate never passes by skipping: what was not run is an error
# a crash after some claims were sent: none of them counts
DEAL_CHECK_CRASH=a_holds DEAL_CHECK_CRASH_AFTER="$(printf 'C\t1\t-1\t1\t-1\tsent before the crash')" \
  "$DEAL_TEST" check models/a_holds.deal > "$T/out" 2>&1; rc=$?
has "$T/out" "0 claims: 0 hold, 0 fail; 1 file, 1 error" && [ $rc -eq 1 ]
check "claims sent before a crash are not counted (exit $rc)" $? "$(cat "$T/out")"
! has "$T/out" "sent before the crash"; check "claims sent before a crash are not shown as verdicts" $?

# a folder with no model is an error, not a pass (and no qsort of nothing)
mkdir "$T/empty"
"$DEAL" check "$T/empty" > "$T/out" 2>&1; rc=$?
has "$T/out" "no .deal models in this folder" && [ $rc -eq 1 ]
check "a folder without models is an error (exit $rc)" $? "$(cat "$T/out")"

# 70 folders deep, a failing claim: found and counted
d="$T/deep"; for i in $(seq 70); do d="$d/d$i"; done
mkdir -p "$d"; cp models/b_fails.deal "$d/"
"$DEAL" check "$T/deep" > "$T/out" 2>&1; rc=$?
has "$T/out" "2 claims: 1 hold, 1 fail; 1 file, 0 errors" && [ $rc -eq 1 ]
check "a model 70 folders deep is run (exit $rc)" $? "$(tail -3 "$T/out")"

# a symlinked folder is searched, a link back up is not a loop
mkdir -p "$T/links/real"; cp models/b_fails.deal "$T/links/real/"
ln -s real "$T/links/alias"; ln -s .. "$T/links/real/up"
"$DEAL" check "$T/links/alias" > "$T/out" 2>&1; rc=$?
has "$T/out" "2 claims: 1 hold, 1 fail; 1 file, 0 errors" && [ $rc -eq 1 ]
check "a symlinked folder is searched once, a link to a parent is no loop (exit $rc)" $? "$(tail -3 "$T/out")"
ln -s nowhere "$T/links/real/gone.deal"
"$DEAL" check "$T/links/real" > "$T/out" 2>&1; rc=$?
grep -q "gone.deal: error: cannot open: No such file" "$T/out" && [ $rc -eq 1 ]
check "a dangling model link is an error (exit $rc)" $? "$(cat "$T/out")"

# an unreadable folder holding a failing claim (root reads anything: run as
# nobody when possible)
mkdir -p "$T/u/ok" "$T/u/secret"; cp models/a_holds.deal "$T/u/ok/"; cp models/b_fails.deal "$T/u/secret/"
chmod 711 "$T"; chmod -R a+rX "$T/u"; chmod 000 "$T/u/secret"
as=""
if [ "$(id -u)" = 0 ]; then
  as="setpriv --reuid=65534 --regid=65534 --clear-groups"
  $as "$DEAL" check "$T/u/ok" > /dev/null 2>&1 || as=none
fi
if [ "$as" = none ]; then
  skip "an unreadable folder is an error" "running as root, and deal cannot run as nobody here (setpriv)"
else
  $as "$DEAL" check "$T/u" > "$T/out" 2>&1; rc=$?
  has "$T/out" "secret: error: cannot read folder: Permission denied" && [ $rc -eq 1 ] &&
    has "$T/out" "2 claims: 2 hold, 0 fail; 1 file, 1 error"
  check "an unreadable folder is an error in the summary (exit $rc)" $? "$(cat "$T/out")"
fi
chmod 755 "$T/u/secret"

"$DEAL" check --json "$T/empty" models/a_holds.deal > "$T/json" 2>&1
if command -v python3 >/dev/null; then
  python3 - "$T/json" > "$T/py" 2>&1 <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    f = d["files"][0]
    good = (f["status"] == "not_run" and "no .deal models" in f["error"] and d["errors"] == 1
            and d["files_run"] == 1)
    print("ok - --json: what was not run has status not_run and a reason" if good
          else "not ok - --json not_run: %r" % d)
except Exception as e:
    print("not ok - --json is not valid JSON: %s" % e)
PY
  relay "the --json not_run check (python3)" $? "$T/py"
fi
# }======

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
grep -v ': error: claim fails: ' "$T/run" | awk '{ n = length($0) } n > max { max = n } END { exit !(max <= 90) }'
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
