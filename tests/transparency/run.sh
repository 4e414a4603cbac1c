#!/bin/sh
# tests/transparency/run.sh [DEAL]: plain Lua programs must mean the same
# as .deal. Each NAME.lua runs under lua5.4 and, copied to
# build/tr/NAME.deal, under ./deal; the two stdouts must match except for the
# lines listed in NAME.expect-diff (exact-number rules: `/` on integers is
# exact, `^` with an integer exponent is exact, integer overflow promotes
# to a big exact integer, float literals with integral values are integers).
# NAME.expect-diff lines: "N<TAB>text" = line N of deal's output is text;
# '#' starts a comment. Prints one TAP line per program (tests/lib/tap.sh);
# always exits 0.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
cd "$TAP_LIB/../.." || exit 0
T=tests/transparency
B=build/tr
mkdir -p "$B"
for src in $T/*.lua; do
  name=$(basename "$src" .lua)
  if [ ! -x "$DEAL" ]; then
    nok "transparency $name" "no deal at $DEAL"
    continue
  fi
  cp "$src" "$B/$name.deal"
  lua5.4 "$src" > "$B/$name.want" 2> "$B/$name.want.err"
  timeout 60 "$DEAL" "$B/$name.deal" > "$B/$name.got" 2> "$B/$name.got.err"
  # apply the documented differences to lua5.4's output
  awk -F '\t' -v diffs="$T/$name.expect-diff" '
    BEGIN { while ((getline l < diffs) > 0) {
              if (l ~ /^#/ || l == "") continue
              t = index(l, "\t"); rep[substr(l, 1, t - 1) + 0] = substr(l, t + 1) } }
    { if (NR in rep) print rep[NR]; else print }' "$B/$name.want" > "$B/$name.exp"
  cmp -s "$B/$name.exp" "$B/$name.got"
  check "transparency $name" $? "$(diff "$B/$name.exp" "$B/$name.got" | head -30)
$(head -5 "$B/$name.got.err" | sed 's/^/stderr: /')"
done
exit 0
