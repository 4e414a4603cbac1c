#!/bin/sh
# tests/domain/run.sh DEAL: the domain model's rules that no single module
# test can see (issue 15): one place turns chips into watts, and the seed
# models use it. TAP lines; always exits 0.
DEAL=${1:-deal}
. "$(dirname "$0")/../lib/tap.sh"
cd "$(dirname "$0")/../.." || exit 0

# One chain from chip to grid: only stdlib/watts.lua reads the catalog's
# power figures (chips.lua defines them, the catalog holds them, racks.lua
# owns a rack's power; the report lists every catalog figure with its source
# but computes nothing with them). Anywhere else, a power figure comes from watts.*.
grep -nE 'allin_power|utility_power' stdlib/*.lua \
  | grep -vE '^stdlib/(watts|chips|catalog_chips|_report)\.lua:' > "$TMP/figs"
check "only stdlib/watts.lua reads allin_power and utility_power" $([ ! -s "$TMP/figs" ]; echo $?) "$(cat "$TMP/figs")"
grep -nE '(rack|item|x)[:.]power\(|spec\.power|chip\.power([^_a-z]|$)' stdlib/*.lua \
  | grep -vE '^stdlib/(watts|racks|chips)\.lua:' > "$TMP/reads"
check "no module but watts.lua reads a rack's or a chip's power" $([ ! -s "$TMP/reads" ]; echo $?) "$(cat "$TMP/reads")"
grep -nE 'allin_power|utility_power' examples/*.deal > "$TMP/ex"
check "the examples take their power figures from the chain (watts.*)" $([ ! -s "$TMP/ex" ]; echo $?) "$(cat "$TMP/ex")"

# Every claim in the examples says what would overturn it: the comment just
# above names the input (or says it is a sanity bound).
awk 'FNR == 1 { prev = "" }
     /^claim\(/ && prev !~ /^-- / { print FILENAME ":" FNR ": " $0 }
     /^claim\(/ && prev ~ /^-- / && blockok == 0 { print FILENAME ":" FNR ": " $0 }
     /^-- / { if (prev !~ /^-- /) blockok = 0; if ($0 ~ /[Oo]verturned|sanity bound/) blockok = 1 }
     { prev = $0 }' examples/*.deal > "$TMP/bare"
check "every claim in examples/ has a comment naming what would overturn it" $([ ! -s "$TMP/bare" ]; echo $?) "$(cat "$TMP/bare")"

# docs/examples.md holds what deal check --explain prints today (make docs
# writes it), and the excerpt in docs/claims.md is a real one.
sh mk/examples_md.sh "$DEAL" docs/examples.md > "$TMP/examples.md" 2> "$TMP/examples.err"
cmp -s "$TMP/examples.md" docs/examples.md
check "docs/examples.md is what make docs writes from deal check --explain" $? \
  "$(head -c 300 "$TMP/examples.err"; diff docs/examples.md "$TMP/examples.md" | head -12)"
awk '/^## Which inputs a claim rests on/ { on = 1 } on && /^```text/ { inb = 1; next } inb && /^```/ { exit } inb' docs/claims.md \
  | grep -v '^\.\.\.$' > "$TMP/excerpt"
"$DEAL" check --explain examples/multi_gw_capacity.deal > "$TMP/mgw" 2>&1
missing=$(while IFS= read -r l; do grep -qxF -- "$l" "$TMP/mgw" || printf '%s\n' "$l"; done < "$TMP/excerpt")
check "every line of the --explain excerpt in docs/claims.md is in today's output" $([ -s "$TMP/excerpt" ] && [ -z "$missing" ]; echo $?) "$missing"
