#!/bin/sh
# tests/explain/run.sh DEAL: deal check --explain on models whose flips are
# known in closed form (tests/explain/models), in text and in JSON: where a
# verdict flips within an input's range, beyond it, never (an exact claim),
# for a share, and when a pinned rerun stops with an error. TAP lines;
# always exits 0.
DEAL=${1:-deal}
. "$(dirname "$0")/../lib/tap.sh"
cd "$(dirname "$0")" || exit 0
T=$TMP
has() { grep -qF -- "$2" "$1"; }

"$DEAL" check --explain models > "$T/out" 2>&1; rc=$?
check "check --explain exits 0 when every claim holds (got $rc)" $([ $rc -eq 0 ]; echo $?) "$(head -c 600 "$T/out")"
has "$T/out" "explain: each input held in turn"; check "the analysis follows the claims table" $?
grep -qE "^  x is under 10: holds, P 0\.6[0-9] \(≥ 0\.4\)$" "$T/out"; check "each claim is named with its verdict and P" $?
grep -qE '^    x +5(\.0[0-9]*)? … (14\.9[0-9]*|15) +P 1 … 0 +fails above (9\.9[5-9][0-9]*|10(\.0[0-5][0-9]*)?)$' "$T/out"
check "x < 10 flips where x crosses 10, within x's range" $? "$(grep -A2 'x is under 10:' "$T/out")"
grep -qE 'y +1(\.00[0-9]*)? … (1\.99[0-9]*|2) +P 1 … 1 +no flip in its range; fails above (2\.9[7-9]|3\.0[0-3])[0-9]* \(beyond it\)' "$T/out"
check "y < 3 cannot flip within y's range (1 to 2); beyond it, at 3" $? "$(grep -A3 'y is under 3:' "$T/out")"
grep -A3 'y is under 3:' "$T/out" | grep -qF "→ a sanity bound: no input within its stated range flips it"
check "a claim no input within its range can flip is a sanity bound" $?
grep -qE 'busy +40% … 60% +P 1 … 1 +no flip in its range; fails below 2[45](\.[0-9]+)?%' "$T/out"
check "a share prints in percent and is pushed beyond its range toward 0 (the flip: 25%)" $? "$(grep -A2 'an hour of use' "$T/out")"
has "$T/out" "exact: it depends on no uncertain input, so nothing can flip it (a fixed calculation: a sanity bound)"
check "an exact claim is a sanity bound" $?
has "$T/out" "the model stops at z = "; check "a rerun that stops with an error is reported with the value" $?
has "$T/out" "(z pinned above 1.9)"; check "with the model's message, not its location" $?
! has "$T/out" "printed by the model"; check "reruns print nothing" $?

"$DEAL" check --explain --json models > "$T/json" 2>&1; rc=$?
check "--explain --json exits 0 (got $rc)" $([ $rc -eq 0 ]; echo $?)
if command -v python3 >/dev/null; then
  python3 - "$T/json" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
claims = {c["text"]: c for f in d["files"] for c in f["claims"]}
def check(name, good, diag=""):
    print(("ok - " if good else "not ok - ") + name)
    if not good and diag: print("#   " + str(diag)[:600])
def near(x, want, rel): return x is not None and abs(x - want) <= rel * abs(want)
c = claims["x is under 10"]
f = c["flip"][0] if c["flip"] else {}
check("json: x < 10 flips at x = 10 (1%), within its range, not a sanity bound",
      near(f.get("base"), 10, 0.01) and f.get("within") is True and c["sanity_bound"] is False
      and f.get("input") == "x" and f.get("verdict") == "fails" and f.get("side") == "above", c)
c = claims["y is under 3"]
f = c["flip"][0] if c["flip"] else {}
check("json: y < 3 flips at y = 3 (1%) beyond its range, a sanity bound",
      near(f.get("base"), 3, 0.01) and f.get("within") is False and c["sanity_bound"] is True, c)
c = claims["a + b is under 5"]
f = {x["input"]: x for x in c["flip"]}
want = 5 - math.sqrt(3)     # a pinned at v: P(b < 5 - v) = 0.5 at the median of b, sqrt(1 x 3)
check("json: a + b < 5 flips at a = 5 - sqrt(3) = 3.268 (1%), beyond a's range",
      "a" in f and near(f["a"]["base"], want, 0.01) and f["a"]["within"] is False, c)
check("json: depends_on names each input with its range and the P at both ends",
      sorted(x["input"] for x in c["depends_on"]) == ["a", "b"] and all(0 <= x["p_low"] <= 1 for x in c["depends_on"]), c["depends_on"])
c = claims["two and two make four"]
check("json: an exact claim has no flip and is a sanity bound", c["flip"] == [] and c["sanity_bound"] is True, c)
c = claims["an hour of use costs under $4"]
f = c["flip"][0] if c["flip"] else {}
check("json: the share flips at 25% (2%)", near(f.get("base"), 0.25, 0.02) and f.get("text", "").endswith("%"), c)
PY
else
  skip "--explain --json content" "python3 is not installed"
fi

"$DEAL" check --json models/step.deal > "$T/plain" 2>&1
! grep -q '"flip"' "$T/plain"; check "without --explain, no flip list" $?
"$DEAL" check models/step.deal > "$T/plain" 2>&1
! grep -q "^explain" "$T/plain"; check "without --explain, no analysis" $?
# a model that needs seconds: --explain's own 600 s must not replace the 0.3 s given
printf 'local x = 1 to 2\nclaim("x is under 3", x < 3, 0.9)\nlocal n = 0\nfor i = 1, 1e9 do n = n + 1 end\n' > "$T/slow.deal"
"$DEAL" check --explain --timeout 0.3 "$T/slow.deal" > "$T/slow" 2>&1; rc=$?
check "--explain keeps the time limit given (exit 1, got $rc)" $([ $rc -eq 1 ]; echo $?) "$(cat "$T/slow")"
