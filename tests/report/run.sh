#!/bin/sh
# tests/report/run.sh DEAL: `deal report MODEL -o FILE.html` (docs/results.md).
# Writes the report of every example and of the hard inputs, then loads each
# in Debian's Chromium, headless, driven by puppeteer-core over the DevTools
# protocol (tests/report/browser.js): no request but the page itself, no
# console error, a histogram and a CDF for each uncertain result (their
# number taken from `deal --json` of the same run). Screenshots are kept in
# build/report-shots/ to be looked at. TAP lines; always exits 0.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
T=$TMP
SHOTS=$ROOT/build/report-shots
PUPPETEER_VERSION=24.43.1
npmdir=$ROOT/.cache/npm
MODELS=$ROOT/tests/results/models
mkdir -p "$SHOTS"

# uncertain MODEL.json: how many uncertain results --json found
uncertain() {
  python3 -c 'import json,sys; print(sum(r["kind"] == "uncertain" and r.get("samples", 0) > r.get("nan", 0) for r in json.load(open(sys.argv[1]))["results"]))' "$1"
}
ms() { date +%s%N | cut -c1-13; }

# {====== the examples' reports
pages=""
for ex in "$ROOT"/examples/*.deal; do
  name=$(basename "$ex" .deal)
  t0=$(ms)
  "$DEAL" report --samples 20000 "$ex" -o "$T/$name.html" > "$T/$name.out" 2> "$T/$name.err"; rc=$?
  t1=$(ms)
  check "deal report $name exits 0 ($(wc -c < "$T/$name.html" 2>/dev/null) bytes, $((t1 - t0)) ms with the run)" $rc \
    "$(head -c 400 "$T/$name.err")"
  "$DEAL" --samples 20000 --json "$ex" > "$T/$name.json" 2>/dev/null
  pages="$pages $T/$name.html:$(uncertain "$T/$name.json")"
  # the texts are the terminal's: every result's text appears, escaped, in the page
  python3 - "$T/$name.json" "$T/$name.html" "$name" <<'PY'
import html, json, sys
d = json.load(open(sys.argv[1])); page = open(sys.argv[2], encoding="utf-8").read()
miss = [r["name"] for r in d["results"] if html.escape(r["text"], quote=True) not in page]
claims = [c["text"] for c in d["claims"] if html.escape(c["text"], quote=True) not in page]
print(("ok - " if not miss and not claims and d["claims"] else "not ok - ")
      + f"{sys.argv[3]}: every result's text and every claim as the terminal prints them")
for m in (miss + claims)[:6]: print("#   missing: " + m)
PY
  grep -qi '<script\|<link\|<img\|<iframe\|url(\|@import' "$T/$name.html"
  check "$name: no script, stylesheet, image or frame to fetch" "$([ $? = 1 ]; echo $?)"
done
grep -q 'Sources of catalog figures' "$T/broadcom_tpu_order.html" && \
  grep -q 'chips.get(&quot;tpu-v7&quot;)' "$T/broadcom_tpu_order.html" && \
  grep -q 'https://newsletter.semianalysis.com/p/tpuv7-google-takes-a-swing-at-the' "$T/broadcom_tpu_order.html" && \
  grep -q '<span class="kind derived">derived</span>' "$T/broadcom_tpu_order.html" && \
  grep -q '<span class="kind estimate">estimate</span>' "$T/broadcom_tpu_order.html"
check "broadcom_tpu_order: the chip and rack it used, each figure's kind, each source's title, date and link" $?
grep -q 'sites.typical(&quot;' "$T/multi_gw_capacity.html" || grep -q 'sites.typical(&quot;' "$T/financing_platform.html" \
  || grep -q 'racks.get(&quot;ironwood-pod&quot;)' "$T/multi_gw_capacity.html"
check "multi_gw_capacity: the catalog entries it used are listed" $?
grep -q '<h1>broadcom_tpu_order.deal: did \$10B + \$11B to Broadcom buy a million TPUs,' "$T/broadcom_tpu_order.html"
check "the model's leading comment is the title" $? "$(grep -o '<h1>[^<]*' "$T/broadcom_tpu_order.html" | head -c 300)"
grep -q 'aria-label="Cash flows of plan"' "$T/broadcom_tpu_order.html"
check "a deal's cash flows are drawn as bars by year" $?
grep -q 'aria-label="Sensitivity of' "$T/broadcom_tpu_order.html"
check "tornado charts of what moves a result and what decides a claim" $?
# }======

# {====== hard inputs
"$DEAL" report "$MODELS/kinds.deal" -o "$T/kinds.html" > /dev/null 2>&1
check "deal report kinds.deal (a result whose samples are all equal, conditions, objects)" $?
"$DEAL" --json "$MODELS/kinds.deal" > "$T/kinds.json" 2>/dev/null
pages="$pages $T/kinds.html:$(uncertain "$T/kinds.json")"
"$DEAL" report "$MODELS/names.deal" -o "$T/names.html" > /dev/null 2>&1
check "deal report names.deal (names that need escaping, invalid UTF-8, NUL)" $?
pages="$pages $T/names.html:0"
python3 - "$T/names.html" <<'PY'
import sys
raw = open(sys.argv[1], "rb").read()
try:
    page = raw.decode("utf-8"); ok = True
except UnicodeDecodeError as e:
    page, ok = "", False
good = ok and "\0" not in page and 't[&quot;say \\&quot;hi\\&quot;&quot;]' in page \
    and "t[&quot;caf\u00e9 \u2248&quot;]" in page and "t[&quot;bad \ufffd\ufffd bytes&quot;]" in page
print(("ok - " if good else "not ok - ") + "names escaped for HTML: quotes as entities, valid UTF-8, bad bytes as U+FFFD, no NUL")
PY
printf 'local t = {}\nt["<script>alert(1)</script>"] = 1 GW to 2 GW\nt["a & b"] = "<b>bold</b>"\n' > "$T/tags.deal"
"$DEAL" report "$T/tags.deal" -o "$T/tags.html" > /dev/null 2>&1
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/tags.html" && ! grep -q '<script>' "$T/tags.html" && \
  grep -q 't\[&quot;a &amp; b&quot;\]' "$T/tags.html" && grep -q '&lt;b&gt;bold&lt;/b&gt;' "$T/tags.html"
check "a name or text with HTML in it is shown as text" $?
pages="$pages $T/tags.html:1"

cp "$MODELS/half.deal" "$T/half.deal"
"$DEAL" report "$T/half.deal" -o "$T/half.html" > /dev/null 2> "$T/half.err"; rc=$?
check "a model failing half-way: exit 1" "$([ $rc = 1 ]; echo $?)" "exit $rc"
grep -q 'class="error"' "$T/half.html" && grep -q 'half.deal:6: ' "$T/half.html" && grep -q '>per_chip<' "$T/half.html" \
  && grep -q 'half.deal:6:' "$T/half.err"
check "... its report has the results it reached and the error with file:line" $? "$(grep -o 'class="error".\{0,300\}' "$T/half.html")"
"$DEAL" --json "$T/half.deal" > "$T/half.json" 2>/dev/null
pages="$pages $T/half.html:$(uncertain "$T/half.json")"

printf 'local t = {}\nfor i = 1, 10000 do t[i] = i * 1 MW end\n' > "$T/many.deal"
t0=$(ms)
"$DEAL" report "$T/many.deal" -o "$T/many.html" > /dev/null 2>&1; rc=$?
t1=$(ms)
[ $rc = 0 ] && [ "$(grep -o '<tr><td class="n">' "$T/many.html" | wc -l)" = 10000 ]
check "a table of 10,000 results: 10,000 rows ($(wc -c < "$T/many.html") bytes, $((t1 - t0)) ms)" $?
pages="$pages $T/many.html:0"
# }======

# {====== outputs that cannot be written, usage
run_expect_text "-o into a missing directory: a clear error, before running" 1 \
  "deal: cannot write $T/no/such/r.html: No such file or directory" "$DEAL" report "$MODELS/kinds.deal" -o "$T/no/such/r.html"
run_expect_text "-o naming a directory" 1 "deal: cannot write $T: Is a directory" "$DEAL" report "$MODELS/kinds.deal" -o "$T"
if [ "$(id -u)" = 0 ]; then skip "-o to a read-only file" "root can write anyway"
else
  : > "$T/ro.html"; chmod 444 "$T/ro.html"
  run_expect_text "-o to a read-only file" 1 "Permission denied" "$DEAL" report "$MODELS/kinds.deal" -o "$T/ro.html"
fi
run_expect_text "-o naming the model itself is refused" 1 "it is the model itself" "$DEAL" report "$T/half.deal" -o "$T/half.deal"
cmp -s "$MODELS/half.deal" "$T/half.deal"; check "... and the model is intact" $?
run_expect_text "no -o" 2 "deal report: needs -o FILE.html" "$DEAL" report "$MODELS/kinds.deal"
run_expect_text "no model" 2 "deal report: needs a model file" "$DEAL" report -o "$T/x.html"
run_expect_text "two models" 2 "one model at a time" "$DEAL" report "$MODELS/kinds.deal" "$MODELS/half.deal" -o "$T/x.html"
run_expect_text "--json is not an option of report" 2 "unrecognized option '--json'" "$DEAL" report --json "$MODELS/kinds.deal" -o "$T/x.html"
if [ -w /dev/full ]; then
  run_expect_text "a full disk is an error" 1 "cannot write /dev/full: No space left on device" \
    "$DEAL" report "$MODELS/kinds.deal" -o /dev/full
fi
# }======

# {====== in a real browser
chromium=$(command -v chromium || command -v chromium-browser)
if [ -z "$chromium" ]; then
  echo "not ok - chromium unavailable (make test-deps installs Debian's chromium)"
elif ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "not ok - node/npm unavailable (apt-get install nodejs npm)"
else
  if [ ! -f "$npmdir/node_modules/puppeteer-core/package.json" ]; then
    PUPPETEER_SKIP_DOWNLOAD=1 timeout 300 npm install --silent --no-audit --no-fund --prefix "$npmdir" \
      "puppeteer-core@$PUPPETEER_VERSION" > "$T/npm.log" 2>&1
  fi
  if [ -f "$npmdir/node_modules/puppeteer-core/package.json" ]; then
    # shellcheck disable=SC2086
    NODE_PATH=$npmdir/node_modules timeout 600 node "$HERE/browser.js" "$chromium" "$SHOTS" $pages
  else
    echo "not ok - puppeteer-core could not be installed"; sed -n '1,5s/^/#   /p' "$T/npm.log"
  fi
fi
# }======
