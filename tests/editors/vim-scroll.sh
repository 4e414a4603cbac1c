#!/bin/sh
# tests/editors/vim-scroll.sh [ROUNDS]: how fast Vim pages through a large
# model. Builds a 17,000-line .deal file from examples/*.deal, copies it as
# .lua, and pages through both in real Vim on a 50x120 pseudo-terminal
# (tests/editors/onpty.py), Ctrl-F and a redraw per page; the best of ROUNDS
# (default 3) per file. Prints one line:
#   vim page-down, 17000 lines: deal 6.17 ms/page, lua 4.51 ms/page, ratio 1.37x (target <= 3); N pages, R range columns on the first
# and exits non-zero when Vim fails, times out (120 s a round) or drew no
# range. It asserts no timing: `make bench` (bench/60_editors.sh) reports it.
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
rounds=${1:-3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/deal-scroll.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
: >"$tmp/model.deal"
while [ "$(wc -l <"$tmp/model.deal")" -lt 17000 ]; do
  cat examples/*.deal >>"$tmp/model.deal"
done
head -n 17000 "$tmp/model.deal" >"$tmp/big.deal" && mv "$tmp/big.deal" "$tmp/model.deal"
cp "$tmp/model.deal" "$tmp/model.lua"
i=0
while [ $i -lt "$rounds" ]; do
  DEAL_SCROLL_FILES="$tmp/model.deal $tmp/model.lua" DEAL_SCROLL_OUT="$tmp/out" \
    python3 tests/editors/onpty.py 50 120 120 vim -Nu NONE -i NONE -n \
      -S tests/editors/vim-scroll.vim || { echo "vim page-down: vim failed (status $?)"; exit 1; }
  i=$((i + 1))
done
# best ms/page per file type; pages and ranges of the deal file
awk '
  $2 == "deal" { if (d == "" || $5 < d) d = $5; pages = $4; ranges = $6; lines = $3 }
  $2 == "lua"  { if (l == "" || $5 < l) l = $5 }
  END {
    if (d == "" || l == "") { print "vim page-down: no figures"; exit 1 }
    printf "vim page-down, %d lines: deal %.2f ms/page, lua %.2f ms/page, ratio %.2fx (target <= 3); %d pages, %d range columns on the first\n", lines, d, l, d / l, pages, ranges
    if (ranges == 0) exit 1
  }' "$tmp/out"
