#!/bin/sh
# tests/results/run.sh DEAL: a model's results (docs/results.md): kept by
# name, exported as JSON, CSV and samples, also from failed runs, and the
# inputs that are hard to export. Every document checked is real output of
# DEAL, validated by check.py (schema, agreement of text/value/unit, parsing
# back through deal). TAP lines; always exits 0.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SCHEMA=$ROOT/docs/results.schema.json
T=$TMP
# Debian's python3 with Debian's python3-jsonschema (mk/deps.sh) when there
PY=python3
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null && PY=/usr/bin/python3
cd "$HERE/models" || exit 0
valid() {  # valid LABEL FILE.json [MODEL]
  "$PY" "$HERE/check.py" "$DEAL" "$SCHEMA" "$@"
}
# field PY-EXPRESSION FILE.json: the value of an expression over the document d
field() { "$PY" -c "import json,sys; d=json.load(open(sys.argv[1])); print(($1))" "$2" 2>&1; }

# {====== --json of the examples and of every kind
for ex in "$ROOT"/examples/*.deal; do
  name=$(basename "$ex" .deal)
  "$DEAL" --samples 20000 --json "$ex" > "$T/$name.json" 2> "$T/$name.err"; rc=$?
  check "--json $name exits 0" $rc "$(head -c 300 "$T/$name.err")"
  valid "--json $name" "$T/$name.json" "$ex"
  [ "$(field 'len(d["results"]) > 5 and len(d["claims"]) > 0 and d["error"] is None' "$T/$name.json")" = True ]
  check "--json $name has its results and claims" $? "$(head -c 300 "$T/$name.json")"
done

"$DEAL" --json kinds.deal > "$T/kinds.json" 2> "$T/kinds.err"
valid "--json kinds.deal" "$T/kinds.json" kinds.deal
[ "$(field '" ".join(r["name"] for r in d["results"])' "$T/kinds.json")" = \
  "budget rate third huge euro refund ratio chips power flat big done note deal_ site.capacity site.name site.phases[1] site.phases[2] site.pue total count" ]
check "results in source order; tables flattened; functions, modules, _ left out; a name declared again moves" $? \
  "$(field '" ".join(r["name"] for r in d["results"])' "$T/kinds.json")"
[ "$(field '[(r["kind"], r["line"]) for r in d["results"] if r["name"] in ("total", "count", "big", "done", "note", "deal_")]' "$T/kinds.json")" = \
  "[('condition', 13), ('boolean', 14), ('text', 15), ('object', 16), ('number', 21), ('number', 23)]" ]
check "kinds and lines: condition, boolean, text, object, a global's first assignment" $? \
  "$(field '[(r["name"], r["kind"], r["line"]) for r in d["results"]]' "$T/kinds.json")"
[ "$(field '[r["value"] for r in d["results"] if r["name"] in ("total", "count")]' "$T/kinds.json")" = "[55, 43]" ]
check "a result is the binding's final value (a loop, a second local)" $?
[ "$(field '[(r["sd"], r["p5"], r["p95"], r["mean"], r["unit"]) for r in d["results"] if r["name"] == "flat"]' "$T/kinds.json")" = "[(0, 5, 5, 5, 'MW')]" ]
check "a result whose samples are all equal: sd 0, p5 = p95 = mean" $? "$(grep -A14 '"flat"' "$T/kinds.json")"
[ "$(field '[(r["unit"], r["value"], r["fraction"]) for r in d["results"] if r["name"] == "third"]' "$T/kinds.json")" = \
  "[('MW', 333.3333333333333, '1000/3')]" ]
check "an exact third of a GW: in the unit of its text (MW), with its fraction" $?
printf 'print("the model prints")\nlocal x = 1\n' > "$T/prints.deal"
"$DEAL" --json "$T/prints.deal" > "$T/prints.json" 2> "$T/prints.err"
valid "--json of a model that prints" "$T/prints.json"
grep -q 'the model prints' "$T/prints.err"
check "under --json what the model prints goes to stderr" $? "stdout: $(head -c 200 "$T/prints.json")"
"$DEAL" --json - < half.deal > "$T/stdin.json" 2>/dev/null
valid "--json - (the model on standard input)" "$T/stdin.json" half.deal
[ "$(field 'd["model"], d["error"]["file"], d["error"]["line"]' "$T/stdin.json")" = "('-', 'stdin', 6)" ]
check "--json -: model '-', errors at stdin:LINE" $? "$(field 'd["model"], d["error"]' "$T/stdin.json")"
# a model's own __deal does not stop its results; bind hands out no one else's values
printf 'local __deal = 5\nlocal a = 2 GW\nlocal secret = {1}\n' > "$T/own.deal"
"$DEAL" --json "$T/own.deal" > "$T/own.json" 2> "$T/own.err"
[ "$(field '[r["name"] for r in d["results"]], d["error"]' "$T/own.json")" = "(['__deal', 'a', 'secret[1]'], None)" ]
check "a model's own local __deal does not stop its results" $? "$(cat "$T/own.err"; head -c 400 "$T/own.json")"
printf 'local ok = pcall(__deal.bind, 1, "f", string.find)\n__deal = nil\nlocal b = 3 GW\n' > "$T/glob.deal"
"$DEAL" --json "$T/glob.deal" > "$T/glob.json" 2> "$T/glob.err"
[ "$(field '[(r["name"], r["text"]) for r in d["results"]], d["error"]' "$T/glob.json")" = "([('ok', 'false'), ('b', '3 GW')], None)" ]
check "nor the global __deal set to nil; __deal.bind takes only a Lua function (no C closure's upvalues)" $? \
  "$(cat "$T/glob.err"; head -c 400 "$T/glob.json")"
printf 'local secret = "s"\nfunction f() return secret end\n__deal.bind(1, "peek", f)\n' > "$T/peek.deal"
printf 'peek\n' | "$DEAL" -i "$T/peek.deal" > "$T/out" 2>&1
[ "$(sed 1d "$T/out")" = "nil" ]
check "a getter of another name hands out nothing" $? "$(cat "$T/out")"
# }======

# {====== CSV: the same fields as JSON, RFC 4180 quoting
"$DEAL" --csv kinds.deal > "$T/kinds.csv" 2>/dev/null
"$DEAL" --csv names.deal > "$T/names.csv" 2>/dev/null
"$DEAL" --json names.deal > "$T/names.json" 2>/dev/null
valid "--json names.deal (names that need escaping, invalid UTF-8, NUL)" "$T/names.json"
"$PY" - "$T/kinds.csv" "$T/kinds.json" "$T/names.csv" "$T/names.json" <<'PY'
import csv, json, sys
def rows(p):
    raw = open(p, "rb").read()
    ok = raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"").replace(b'"', b"").split(b"\r\n")[0]
    return raw, list(csv.DictReader(open(p, newline="", encoding="utf-8", errors="strict")))
for c, j in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    raw, rs = rows(c)
    d = json.load(open(j))
    good = len(rs) == len(d["results"])
    diag = []
    for r, jr in zip(rs, d["results"]):
        for k in ("name", "text", "kind", "unit", "dimension", "fraction"):
            if r[k] != str(jr.get(k, "")):
                good = False; diag.append(f"{k}: csv {r[k]!r} json {jr.get(k)!r}")
        for k in ("value", "mean", "p95", "p"):
            if isinstance(jr.get(k), (int, float)) and not isinstance(jr.get(k), bool) and float(r[k]) != jr[k]:
                good = False; diag.append(f"{k}: csv {r[k]!r} json {jr[k]!r}")
    crlf = raw.count(b"\r\n") >= len(rs) + 1 and raw.endswith(b"\r\n")
    print(("ok - " if good and crlf else "not ok - ") + f"--csv {c.split('/')[-1]}: one row per result, the JSON's fields and numbers, CRLF")
    for x in diag[:8]: print("#   " + x)
PY
grep -q '"rent, ""1 year""' "$T/kinds.csv"
check "--csv quotes a field with a comma, quotes and a line break (RFC 4180)" $? "$(grep -a note "$T/kinds.csv")"
# }======

# {====== --samples-out
"$DEAL" --samples 1000 --json -o "$T/s.json" --samples-out "$T/s.csv" kinds.deal 2>/dev/null
"$PY" - "$T/s.csv" "$T/s.json" <<'PY'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
d = json.load(open(sys.argv[2]))
unc = [r for r in d["results"] if r["kind"] in ("uncertain", "condition")]
want = [f"{r['name']} ({r['unit']})" if r["kind"] == "uncertain" and r["unit"] else
        f"{r['name']} (condition)" if r["kind"] == "condition" else r["name"] for r in unc]
good = rows[0] == want and len(rows) == 1 + 1000
diag = [f"header {rows[0]} want {want}, {len(rows)} rows"]
for k, r in enumerate(unc):
    col = [float(x[k]) for x in rows[1:] if x[k] != ""]
    m = sum(col) / len(col)
    ref = r["mean"] if r["kind"] == "uncertain" else r["p"]
    if abs(m - ref) > 1e-9 * max(1, abs(ref)):
        good = False; diag.append(f"{r['name']}: column mean {m} json {ref}")
print(("ok - " if good else "not ok - ") + "--samples-out: a column per uncertain result, headed with its unit, in the JSON's unit")
if not good:
    for x in diag: print("#   " + x)
PY
# }======

# {====== a model that fails half-way, or does not compile
"$DEAL" --json half.deal > "$T/half.json" 2> "$T/half.err"; rc=$?
check "--json of a failed run exits 1" "$([ $rc = 1 ]; echo $?)" "exit $rc"
valid "--json half.deal (fails on line 6)" "$T/half.json" half.deal
[ "$(field '[r["name"] for r in d["results"]], d["error"]["file"], d["error"]["line"]' "$T/half.json")" = \
  "(['budget', 'chips', 'per_chip', 'total'], 'half.deal', 6)" ]
check "a failed run exports the results it reached and the error with file and line" $? "$(cat "$T/half.json")"
grep -q 'half.deal:6:1: error: cannot add' "$T/half.err"
check "the error is reported on stderr too" $? "$(cat "$T/half.err")"
"$DEAL" --csv half.deal > "$T/half.csv" 2>/dev/null; rc=$?
[ $rc = 1 ] && [ "$(wc -l < "$T/half.csv")" = 5 ]
check "--csv of a failed run: the rows reached, exit 1" $? "exit $rc: $(cat "$T/half.csv")"
"$DEAL" --json syntax.deal > "$T/syntax.json" 2>/dev/null; rc=$?
valid "--json syntax.deal (a syntax error)" "$T/syntax.json" syntax.deal
[ $rc = 1 ] && [ "$(field 'd["results"], d["error"]["line"], d["error"]["column"]' "$T/syntax.json")" = "([], 2, 11)" ]
check "a syntax error: no results, the error's line and column" $? "$(cat "$T/syntax.json")"
"$DEAL" --json "$T/missing.deal" > "$T/missing.json" 2>/dev/null; rc=$?
valid "--json of a model that cannot be read" "$T/missing.json"
[ $rc = 1 ] && [ "$(field '"sha256" in d, d["results"], d["error"]["message"]' "$T/missing.json")" = \
  "(False, [], 'cannot open $T/missing.deal: No such file or directory')" ]
check "a model that cannot be read: no sha256, the error, exit 1" $? "$(cat "$T/missing.json")"
printf 'local a = 5 GW\nlocal k = contracts.cloud { chip = "h100", chips = 1000 chip, rate = $2/chip/h, term = 1 yr }\nwhile true do end\n' > "$T/loop.deal"
"$DEAL" --timeout 0.5 --json "$T/loop.deal" > "$T/loop.json" 2>/dev/null; rc=$?
valid "--json of a run stopped by its time limit" "$T/loop.json"
[ $rc = 1 ] && [ "$(field '[(r["name"], r["kind"]) for r in d["results"]], d["error"]["line"]' "$T/loop.json")" = \
  "([('a', 'number'), ('k', 'error')], 3)" ]
check "a run stopped by its time limit exports what it had (an object of model code cannot print then)" $? "$(head -c 600 "$T/loop.json")"
# }======

# {====== outputs that cannot be written, and usage errors
run_expect_text "-o into a missing directory: a clear error, before running" 1 \
  "deal: cannot write $T/no/such/x.json: No such file or directory" "$DEAL" --json -o "$T/no/such/x.json" kinds.deal
run_expect_text "--samples-out into a missing directory" 1 \
  "deal: cannot write $T/no/such/s.csv: No such file or directory" "$DEAL" --samples-out "$T/no/such/s.csv" kinds.deal
run_expect_text "-o naming a directory" 1 "deal: cannot write $T: Is a directory" "$DEAL" --json -o "$T" kinds.deal
if [ "$(id -u)" = 0 ]; then skip "-o to a read-only file" "root can write anyway"
else
  : > "$T/ro.json"; chmod 444 "$T/ro.json"
  run_expect_text "-o to a read-only file" 1 "Permission denied" "$DEAL" --json -o "$T/ro.json" kinds.deal
fi
cp half.deal "$T/self.deal"
run_expect_text "-o naming the model itself is refused" 1 "it is the model itself" "$DEAL" --json -o "$T/self.deal" "$T/self.deal"
cmp -s half.deal "$T/self.deal"; check "... and the model is intact" $?
run_expect_text "--json with --csv" 2 "--json and --csv cannot be used together" "$DEAL" --json --csv kinds.deal
run_expect_text "-o without --json or --csv" 2 "-o FILE needs --json or --csv" "$DEAL" -o x kinds.deal
run_expect_text "-i with an export" 2 "-i cannot be used with" "$DEAL" -i --json kinds.deal
run_expect_text "--json without a model" 2 "need a model file" "$DEAL" --json
run_expect_text "--samples-out - with --json on stdout" 2 "would share standard output" "$DEAL" --json --samples-out - kinds.deal
if [ -w /dev/full ]; then
  run_expect_text "a full disk is an error" 1 "cannot write standard output: No space left on device" sh -c "'$DEAL' --json kinds.deal > /dev/full"
fi
# }======

# {====== many results; a result of 10^8 samples
printf 'local t = {}\nfor i = 1, 10000 do t[i] = i * 1 MW end\n' > "$T/many.deal"
"$DEAL" --json "$T/many.deal" > "$T/many.json" 2>/dev/null
valid "--json of a table of 10,000 results" "$T/many.json"
[ "$(field 'len(d["results"]), d["results"][0]["name"], d["results"][-1]["name"], d["results"][-1]["value"], d["results"][-1]["unit"]' "$T/many.json")" = \
  "(10000, 't[1]', 't[10000]', 10, 'GW')" ]
check "10,000 results, in key order, each in its own unit" $? "$(field 'len(d["results"])' "$T/many.json")"
"$DEAL" --csv "$T/many.deal" > "$T/many.csv" 2>/dev/null
check "--csv of 10,000 results: 10,001 lines" "$([ "$(wc -l < "$T/many.csv")" = 10001 ]; echo $?)"
# 10^8 doubles are 800 MB; with the sorted copy and the sort's scratch the
# run peaks at 2.4 GB (measured), so it runs only where 4 GB are free.
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null)
if [ "${avail:-0}" -ge 4096 ]; then n=100000000; else n=10000000; fi
printf 'local x = 1 GW to 2 GW\n' > "$T/big.deal"
TAP_T0=$(date +%s)
timeout 900 "$DEAL" --samples "$n" --json "$T/big.deal" > "$T/big.json" 2> "$T/big.err"; rc=$?
check "--json of a result of $n samples (${avail:-?} MB free; $(($(date +%s) - TAP_T0)) s)" $rc "$(head -c 300 "$T/big.err")"
valid "--json of $n samples" "$T/big.json"
[ "$(field 'd["results"][0]["samples"], d["results"][0]["unit"], round(d["results"][0]["p5"], 2), round(d["results"][0]["p95"], 2)' "$T/big.json")" = \
  "($n, 'GW', 1.0, 2.0)" ]
check "... its statistics: $n samples, 90% CI 1 to 2 GW" $? "$(head -c 600 "$T/big.json")"
# }======

# {====== deal check --json writes the same claim objects
"$DEAL" check --json "$ROOT/examples/broadcom_tpu_order.deal" > "$T/check.json" 2>/dev/null
"$DEAL" --json "$ROOT/examples/broadcom_tpu_order.deal" > "$T/run.json" 2>/dev/null
"$PY" - "$T/check.json" "$T/run.json" "$SCHEMA" <<'PY'
import json, sys
c, r = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
a, b = c["files"][0]["claims"], r["claims"]
good = a == b and len(a) == 5 and all("line" in x and "file" in x for x in a)
print(("ok - " if good else "not ok - ") + "deal check --json and deal --json write the same claim objects (with file and line)")
if not good: print("#   check: %r\n#   run:   %r" % (a[:2], b[:2]))
PY
# }======

# {====== kept by name: deal -i, :load, REPL lines; data beside the model
printf 'bought\nbudget\nhelper(21)\n' > "$T/in"
printf 'local budget = $21B\nlocal bought = 700k chip\nlocal function helper(x) return x * 2 end\n' > "$T/m.deal"
"$DEAL" -i "$T/m.deal" < "$T/in" > "$T/out" 2>&1
[ "$(sed 1d "$T/out")" = "$(printf '700k chip\n$21.0B\n42')" ]
check "deal -i model.deal keeps its locals (and local functions) by name" $? "$(cat "$T/out")"
mkdir -p "$T/home/models" "$T/work"
cp data/model.deal data/prices.csv "$T/home/models/"
printf ':load ../home/models/model.deal\nmean_price\n:load ~/models/model.deal\ntotal\n:results\nlocal z = 5\nz * 2\n' > "$T/in"
(cd "$T/work" && HOME=$T/home "$DEAL" < "$T/in" > "$T/out" 2>&1)
[ "$(cat "$T/out")" = "$(printf '$50.0/MWh\n150\n line  name        value\n    2  total       150\n    4  mean_price  $50.0/MWh\n10')" ]
check ":load ../dir/model.deal and ~/...: the model reads the data beside it; :results; locals of a line stay" $? "$(cat "$T/out")"
(cd "$T/work" && "$DEAL" ../home/models/model.deal && "$DEAL" --json ../home/models/model.deal > "$T/data.json") > "$T/out" 2>&1
check "deal dir/model.deal reads dir/prices.csv from another folder" $? "$(cat "$T/out")"
printf 'for l in io.lines("../secret.txt") do print(l) end\n' > "$T/home/models/peek.deal"
echo secret > "$T/home/secret.txt"
(cd "$T/work" && "$DEAL" ../home/models/peek.deal) > "$T/out" 2>&1
grep -q "outside the model's directory" "$T/out"
check "the sandbox still refuses what is neither named nor beside the model" $? "$(cat "$T/out")"
printf ':load half.deal\nbudget\nper_chip\nnever\n' | "$DEAL" > "$T/out" 2> "$T/err"
[ "$(cat "$T/out")" = "$(printf '$21.0B\n≈ $26,500/chip (90%% CI $23,300/chip … $30,000/chip)\nnil')" ] && grep -q 'half.deal:6:' "$T/err"
check ":load of a failing model keeps what it reached" $? "$(cat "$T/out")"
# }======
