#!/bin/sh
# Sharded runs (docs/scale.md): `deal --shard K/N --json` writes parts,
# `deal merge` joins them into what the single run prints. Every model
# (the examples and bench/model.deal) is run whole and in 1, 2, 3 and 7
# shards, and the merges compared with the run's own output
# (tests/shard/compare.py); then bad shards and bad parts; then the GNU
# parallel recipe, taken from docs/scale.md as written. Prints TAP lines.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
ROOT=$(cd "$TAP_LIB/../.." && pwd)
COMPARE="python3 $ROOT/tests/shard/compare.py"
cd "$TMP" || exit 1

# {====== bad --shard ======
cat > mean.deal <<'EOF'
x = normal(10, 2)
c = x > 9
n = 3
claim("x is big", x > 8)
EOF
run_expect_text "--shard 0/2: shards count from 1" 2 "deal: bad --shard 0/2: K is 0: shards are numbered from 1 to N" "$DEAL" --shard 0/2 --json mean.deal
run_expect_text "--shard 3/2: K past N" 2 "deal: bad --shard 3/2: K 3 is past N 2" "$DEAL" --shard 3/2 --json mean.deal
run_expect_text "--shard 1/0: no shards" 2 "deal: bad --shard 1/0: N is 0" "$DEAL" --shard 1/0 --json mean.deal
run_expect_text "--shard 1/: not K/N" 2 "deal: bad --shard 1/: expected K/N, shard K of N (e.g. --shard 1/4)" "$DEAL" --shard 1/ --json mean.deal
run_expect_text "--shard a/b: not K/N" 2 "deal: bad --shard a/b: expected K/N" "$DEAL" --shard a/b --json mean.deal
run_expect_text "--shard beyond the most shards" 2 "N is 2000000: at most 1000000 shards" "$DEAL" --shard 1/2000000 --json mean.deal
run_expect_text "--shard with more shards than chunks" 2 \
  "deal: bad --shard 5/200: a run of 100000 samples has 98 chunks of 1024, so at most 98 shards" \
  "$DEAL" --shard 5/200 --json mean.deal
run_expect_text "--shard without --json" 2 "deal: --shard K/N needs --json: a shard writes its part as JSON" "$DEAL" --shard 1/2 mean.deal
run_expect_text "--shard with --samples-out" 2 "--shard cannot be used with --samples-out" "$DEAL" --shard 1/2 --json --samples-out s.csv mean.deal
run_expect_text "--samples beyond one run's maximum needs --shard" 2 \
  "deal: bad --samples 1000000000: at most 100,000,000 in one run; up to 1,000,000,000,000 split with --shard K/N" \
  "$DEAL" --json --samples 1e9 mean.deal
run_expect "a shard's memory check counts the shard's samples" 1 \
  "^deal: --samples 1000000000000: shard 1/2's 500000000000 samples needs at least [0-9]+ MB .*--max-memory 1024 MB allows at most [0-9,]+ samples$" \
  "$DEAL" --shard 1/2 --json --samples 1e12 --max-memory 1G mean.deal
# }======

# {====== a shard's part ======
"$DEAL" --shard 2/3 --json mean.deal > part.json 2> part.err; rc=$?
python3 - part.json <<'EOF' > part.check 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
assert d["part"] == {"seed": "20260101", "k": 2, "n": 3}, d["part"]
assert list(d)[:2] == ["version", "part"], list(d)
x, c, n = d["results"]
assert x["part"]["n"] == 33792 and c["part"]["nonzero"] <= c["part"]["n"], (x["part"]["n"], c["part"])
assert "part" not in n and "part" in d["claims"][0], d["claims"][0]
EOF
check "a part: the header, and the shard's share of each uncertain value and claim" $(( rc + $? )) "status $rc: $(cat part.check part.err | head -5)"
grep -q "^claims .*verdict" part.err && ! grep -q "verdict" part.json
check "what a shard prints (the claims table) goes to stderr, never into the part" $? "$(head -3 part.err)"
"$DEAL" --shard 2/3 --json -o part-o.json mean.deal > part-o.out 2>&1
[ ! -s part-o.out ] || grep -q "^claims " part-o.out && cmp -s part.json part-o.json
check "-o FILE writes the same part" $? "$(head -3 part-o.out)"
# }======

# {====== merged runs against the single run ======
# 20 chunks a run: enough for 7 shards, and quick.
SAMPLES=20000
# MODEL, N: the run in N shards, merged, against the single run.
merge_n() {
  rm -f p-*.json
  k=1
  while [ $k -le "$2" ]; do
    "$DEAL" --shard "$k/$2" --samples $SAMPLES --json -o "p-$k.json" "$1" 2> /dev/null || return 1
    k=$((k + 1))
  done
  "$DEAL" merge --json p-*.json > "m-$2.json" 2> "m-$2.err"
  echo $? > "m-$2.rc"
  "$DEAL" merge p-*.json > "t-$2.out" 2> "t-$2.err"
  echo $? > "t-$2.rc"
}

for model in "$ROOT"/examples/*.deal "$ROOT"/bench/model.deal; do
  name=${model#"$ROOT"/}
  "$DEAL" --json --samples $SAMPLES "$model" > single.json 2> /dev/null
  "$DEAL" --samples $SAMPLES "$model" > single.out 2> single.err; single_rc=$?
  for n in 1 2 3 7; do
    if ! merge_n "$model" $n; then nok "$name in $n shards: a shard failed"; continue; fi
    $COMPARE single.json "m-$n.json" $n > cmp.out
    check "$name in $n shards: merge --json is the run's (means, P, claims exact; quantiles within the bound)" $? "$(cat cmp.out m-$n.err)"
    [ $n = 2 ] && echo "# $name: $(cat cmp.out)"
    # a result marked as differing is a warning and status 1; else status 0
    marks=$(grep -c '"text":	"(differs between shards' "m-$n.json")
    warns=$(grep -c '^deal merge: warning: result .* differs between shards' "m-$n.err")
    want=0; [ "$marks" = 0 ] || want=1
    [ "$marks" = "$warns" ] && [ "$(cat m-$n.rc)" = $want ]
    check "$name in $n shards: $marks results marked as differing, each with a warning, status $want" $? \
      "status $(cat m-$n.rc), warnings $warns: $(head -3 m-$n.err)"
    # the examples' objects (contracts, racks, a campus) show their
    # uncertain fields by their plain text: merged from templates, none marked
    case $name in examples/*)
      [ "$marks" = 0 ] && [ "$(cat m-$n.rc)" = 0 ]
      check "$name in $n shards: no result marked, status 0 (objects merged from their templates)" $? \
        "$(grep -o '"name":	"[^"]*",	"text":	"(differs' "m-$n.json" | head -3)";;
    esac
    # without --json: the claims table as the run prints it, and its diagnostics
    sed -n '/^claims  /,$p' single.out > want.tab
    sed -n '/^claims  /,$p' "t-$n.out" > got.tab
    grep -v '^deal merge: warning' "t-$n.err" > got.err
    cmp -s want.tab got.tab && cmp -s single.err got.err && [ "$(cat t-$n.rc)" = $((single_rc | want)) ]
    check "$name in $n shards: merge prints the run's claims table and diagnostics" $? \
      "$(diff want.tab got.tab | head -5; diff single.err got.err | head -5)"
  done
  cmp -s m-2.json m-3.json && cmp -s m-2.json m-7.json
  check "$name: the merges of 2, 3 and 7 shards are the same document" $? "$(diff m-2.json m-7.json | head -6)"
done
grep -q '^ *[0-9]* *npv  *≈ \$' t-2.out
check "merge without --json lists the results as :results does" $? "$(head -5 t-2.out)"
# }======

# {====== objects that show uncertain values ======
# An object's text that shows its uncertain values by their plain text
# (tostring, .., %s) is merged from its template into the run's text; one
# that asks another statistic, or changes a value's text (padding it),
# keeps the mark.
cat > obj.deal <<'EOF'
x = normal(10, 2)
local function box(show) return setmetatable({}, {__tostring = show}) end
plain = box(function() return "x " .. tostring(x) .. ", big " .. tostring(x > 9) end)
formatted = box(function() return ("x %s in all"):format(x) end)
stat = box(function() return "mean " .. tostring(mean(x)) end)
padded = box(function() return ("[%-60s]"):format(tostring(x)) end)
EOF
"$DEAL" --json obj.deal > obj-single.json 2> /dev/null
rm -f o-*.json
for k in 1 2 3; do "$DEAL" --shard $k/3 --json -o o-$k.json obj.deal 2> /dev/null; done
"$DEAL" merge --json o-1.json o-2.json o-3.json > obj-m.json 2> obj-m.err; echo $? > obj-m.rc
python3 - obj-single.json obj-m.json o-1.json <<'EOF' > obj.check 2>&1
import json, sys
s, m, p = ({r["name"]: r for r in json.load(open(f))["results"]} for f in sys.argv[1:])
for name in ("plain", "formatted"):
    assert "\x1e1\x1f" in p[name]["template"] and "shard_statistics" not in p[name], p[name]
    assert m[name] == s[name], (m[name], s[name])
assert len(p["plain"]["values"]) == 2 and p["plain"]["values"][1]["condition"] is True, p["plain"]["values"]
for name in ("stat", "padded"):
    assert p[name]["shard_statistics"] is True and "template" not in p[name], p[name]
    assert m[name]["text"].startswith("(differs between shards"), m[name]
EOF
check "objects showing uncertain values by their text merge into the run's text; a statistic or padding keeps the mark" \
  $? "$(cat obj.check)"
[ "$(cat obj-m.rc)" = 1 ] && [ "$(grep -c '^deal merge: warning: result \(stat\|padded\) ' obj-m.err)" = 2 ] &&
  ! grep -q 'result \(plain\|formatted\) ' obj-m.err
check "the marked objects (and only they) warn, status 1" $? "status $(cat obj-m.rc): $(cat obj-m.err)"
python3 - <<'EOF'
import json
def edit(name, src, f):
    d = json.load(open(src)); f({r["name"]: r for r in d["results"]}); json.dump(d, open(name, "w"))
edit("o-tmpl.json", "o-2.json", lambda r: r["plain"].update(template="x \x1e1\x1f only"))
for k in (1, 2, 3):
    edit(f"o-tok{k}.json", f"o-{k}.json", lambda r: r["plain"].update(template="x \x1e3\x1f"))
EOF
run_expect_text "an object whose template differs between parts is marked as differing" 1 \
  "deal merge: warning: result plain (line 3, object) differs between shards" "$DEAL" merge --json o-1.json o-tmpl.json o-3.json
run_expect_text "a template whose tokens are not its values' is a bad part" 1 \
  "deal merge: result plain (line 3): bad template: its tokens are not those of its 2 values" \
  "$DEAL" merge --json o-tok1.json o-tok2.json o-tok3.json
cat > unitobj.deal <<'EOF'
units.define("server", "8 chip")
fleet = setmetatable({n = (100 to 200) * 1 server}, {__tostring = function(f) return "fleet of " .. tostring(f.n) end})
EOF
"$DEAL" --shard 1/2 --json -o uo-1.json unitobj.deal 2> /dev/null
"$DEAL" --shard 2/2 --json -o uo-2.json unitobj.deal 2> /dev/null
run_expect_text "an object showing a value in a unit the model declares is an error" 1 \
  "deal merge: result fleet (line 2) shows a value in server, a unit the model declares (units.define)" \
  "$DEAL" merge --json uo-1.json uo-2.json
# }======

# {====== a model that decides from a statistic ======
cat > branch.deal <<'EOF'
x = normal(0, 1)
m = mean(x)
claim("the mean is positive", mean(x) > 0)
EOF
rm -f b-*.json
for k in 1 2 3 4 5 6 7; do "$DEAL" --shard $k/7 --json -o b-$k.json branch.deal 2> /dev/null; done
run_expect "a true/false claim that differs between shards is an error" 1 \
  "deal merge: b-[0-9].json: claim \"the mean is positive\" \(line 3\) is (true|false) here but (true|false) in b-1.json: the model decides it from statistics of each shard's samples" \
  "$DEAL" merge b-1.json b-2.json b-3.json b-4.json b-5.json b-6.json b-7.json
printf 'x = normal(0, 1)\nm = mean(x)\n' > stat.deal
"$DEAL" --shard 1/2 --json -o s-1.json stat.deal 2> /dev/null
"$DEAL" --shard 2/2 --json -o s-2.json stat.deal 2> /dev/null
run_expect_text "a statistic bound as a result is marked as differing, with a warning" 1 \
  "deal merge: warning: result m (line 2, number) differs between shards" "$DEAL" merge --json s-1.json s-2.json
# }======

printf 'units.define("server", "8 chip")\nn = (100 to 200) * 1 server\n' > unit.deal
"$DEAL" --shard 1/2 --json -o u-1.json unit.deal 2> /dev/null
"$DEAL" --shard 2/2 --json -o u-2.json unit.deal 2> /dev/null
run_expect_text "a value in a unit the model declares is an error, not a text in another unit" 1 \
  "deal merge: result n (line 2) prints in server, a unit the model declares (units.define)" "$DEAL" merge --json u-1.json u-2.json
# }======

# {====== bad parts ======
for k in 1 2 3 4; do "$DEAL" --shard $k/4 --json -o q-$k.json mean.deal 2> /dev/null; done
"$DEAL" --shard 1/4 --json --seed 5 -o seed5.json mean.deal 2> /dev/null
"$DEAL" --shard 1/4 --json --samples 200000 -o more.json mean.deal 2> /dev/null
"$DEAL" --shard 1/3 --json -o of3.json mean.deal 2> /dev/null
echo 'y = normal(1, 2)' > other.deal
"$DEAL" --shard 1/4 --json -o other.json other.deal 2> /dev/null
head -c 3000 q-3.json > cut.json
echo '{"results": []}' > plain.json
run_expect_text "no parts" 2 "deal merge: no parts given" "$DEAL" merge
run_expect_text "a missing part" 1 "deal merge: part 3 of 4 missing" "$DEAL" merge q-1.json q-2.json q-4.json
run_expect_text "a part given twice" 1 "deal merge: q-2.json: part 2 of 4 given twice (also q-2.json)" "$DEAL" merge q-1.json q-2.json q-3.json q-4.json q-2.json
run_expect_text "another seed" 1 "deal merge: q-2.json: a part of another run: seed 20260101, but seed5.json's is 5" "$DEAL" merge seed5.json q-2.json q-3.json q-4.json
run_expect_text "another sample count" 1 "deal merge: q-2.json: a part of another run: samples 100000, but more.json's is 200000" "$DEAL" merge more.json q-2.json q-3.json q-4.json
run_expect_text "another N" 1 "deal merge: q-2.json: a part of a run in 4 shards, but of3.json is of 3" "$DEAL" merge of3.json q-2.json q-3.json q-4.json
run_expect "another model" 1 "deal merge: q-2.json: a part of another run: the model's sha256 is \"[0-9a-f]{64}\", but other.json's is" "$DEAL" merge other.json q-2.json q-3.json q-4.json
run_expect_text "a truncated part" 1 "deal merge: cut.json: not a part: not a complete JSON document (line 1," "$DEAL" merge q-1.json q-2.json cut.json q-4.json
run_expect_text "the model given as a part" 1 "deal merge: mean.deal: not a part: not a complete JSON document" "$DEAL" merge mean.deal
run_expect_text "a JSON file that is not a part" 1 "deal merge: plain.json: not a part of a sharded run (no \"part\" header" "$DEAL" merge plain.json
run_expect_text "a file that cannot be read" 1 "deal merge: gone.json: cannot read: No such file or directory" "$DEAL" merge gone.json
run_expect_text "-o without --json" 2 "deal merge: -o FILE needs --json" "$DEAL" merge -o out.json q-1.json
python3 - <<'EOF'
import json
def edit(name, f):
    d = json.load(open("q-2.json")); f(d); json.dump(d, open(name, "w"))
edit("e-count.json", lambda d: d["results"][0]["part"].update(nonzero=10**9))
edit("e-n.json", lambda d: d["results"][0]["part"].update(n=1))
edit("e-gone.json", lambda d: d["results"][0].pop("part"))
edit("e-name.json", lambda d: d["results"][0].update(name="z"))
edit("e-shift.json", lambda d: d["claims"][0]["part"].update(shift=3.5))
edit("e-error.json", lambda d: d.update(error={"message": "mean.deal:3: boom"}))
edit("e-k.json", lambda d: d["part"].update(k=9))
EOF
for e in count n gone name shift error k; do
  "$DEAL" merge q-1.json e-$e.json q-3.json q-4.json > e.out 2>&1; echo "$? $(cat e.out)" > e-$e.got
done
grep -q "^1 deal merge: e-count.json: result x (line 1): bad part: nonzero: not a count up to n$" e-count.got
check "a hand-edited count" $? "$(cat e-count.got)"
grep -q "^1 deal merge: e-n.json: result x (line 1): bad part: " e-n.got
check "a hand-edited sample count" $? "$(cat e-n.got)"
grep -q "^1 deal merge: e-gone.json: result x (line 1): its part (summary and grid) is missing$" e-gone.got
check "a value's part removed" $? "$(cat e-gone.got)"
grep -q "^1 deal merge: e-name.json: result 1 is z (line 1, uncertain), but in q-1.json it is x (line 1, uncertain): parts of different runs$" e-name.got
check "results that do not match by name" $? "$(cat e-name.got)"
grep -q "^1 deal merge: e-shift.json: claim \"x is big\" (line 4): not a part of the same run (its sample 0 differs)$" e-shift.got
check "a claim's condition of another run" $? "$(cat e-shift.got)"
grep -q "^1 deal merge: e-error.json: shard 2/4's run failed (mean.deal:3: boom): nothing to merge$" e-error.got
check "a part whose run failed" $? "$(cat e-error.got)"
grep -q "^1 deal merge: e-k.json: bad part header: expected \"k\" and \"n\", 1 <= k <= n <= 1000000$" e-k.got
check "a part header with k past n" $? "$(cat e-k.got)"
# }======

# {====== GNU parallel: the recipe of docs/scale.md, as written ======
if ! command -v parallel > /dev/null 2>&1; then
  skip "GNU parallel recipe" "parallel is not installed (make test-deps installs it)"
else
  mkdir recipe && cd recipe || exit 1
  cp "$ROOT/bench/model.deal" model.deal
  mkdir bin && ln -s "$DEAL" bin/deal
  awk '/^## On one machine \(GNU parallel\)/ { on = 1 } on && /^```sh$/ { inb = 1; next }
       inb && /^```$/ { exit } inb' "$ROOT/docs/scale.md" > recipe.sh
  samples=$(sed -n 's/^SAMPLES=//p' recipe.sh)
  grep -q '^parallel deal --shard' recipe.sh && [ -n "$samples" ]
  check "docs/scale.md has the GNU parallel recipe" $? "$(cat recipe.sh)"
  HOME=$TMP PATH=$(pwd)/bin:$PATH sh -e recipe.sh > recipe.out 2>&1
  check "the recipe runs: parallel deal --shard {}/N ... then deal merge" $? "$(tail -5 recipe.out)"
  n=$(sed -n 's/^N=//p' recipe.sh)
  "$DEAL" --json --samples "$samples" model.deal > single.json 2> /dev/null
  $COMPARE single.json merged.json "$n" > cmp.out
  check "the recipe's merged.json is deal --json --samples $samples model.deal's" $? "$(cat cmp.out)"
  echo "# GNU parallel, $n shards of $samples samples: $(cat cmp.out)"
  cd ..
fi
# }======

# {====== the first example of docs/scale.md, as written ======
# Four shards by hand, the merge as JSON and as text; a model with a failing
# claim, whose diagnostics the merges must print as the single run does.
. "$TAP_LIB/recipe.sh"
mkdir by-hand && cd by-hand || exit 1
cp "$ROOT/examples/supplier_mix.deal" model.deal
printf 'claim("a claim that always fails", P(%s) >= 0.5)\n' "false" >> model.deal
mkdir bin && ln -s "$DEAL" bin/deal
recipe "$ROOT/docs/scale.md" by-hand > recipe.sh 2> recipe.err
check "docs/scale.md has its first example (recipe=by-hand)" $? "$(cat recipe.err)"
samples=$(sed -n 's/.*# = deal --json --samples \([0-9]*\) model.deal$/\1/p' recipe.sh)
HOME=$TMP PATH=$(pwd)/bin:$PATH sh recipe.sh > recipe.out 2> recipe.err; rc=$?
"$DEAL" --samples "$samples" model.deal > single.txt 2> single.err; src=$?
[ -n "$samples" ] && [ "$rc" = "$src" ]
check "the example runs; its text merge exits as the single run does ($src)" $? "merge $rc, run $src: $(tail -3 recipe.err)"
"$DEAL" --json --samples "$samples" model.deal > single.json 2> /dev/null
$COMPARE single.json results.json 4 > cmp.out
check "its results.json is deal --json --samples $samples model.deal's" $? "$(cat cmp.out)"
sed -n '/^claims /,$p' single.txt > single.claims
sed -n '/^claims /,$p' recipe.out > merged.claims
grep 'error: claim fails' single.err | sort -u > single.fails
grep 'error: claim fails' recipe.err | sort -u > merged.fails
cmp -s single.claims merged.claims && [ -s single.fails ] && cmp -s single.fails merged.fails
check "its text merge prints the single run's claims table and failing claims" $? "$(diff single.claims merged.claims | head -5)"
cd ..
# }======
