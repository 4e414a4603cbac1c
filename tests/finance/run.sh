#!/bin/sh
# Finance against a real spreadsheet: spreadsheet.py writes 700+ random
# cases as formulas into a flat ODF sheet, LibreOffice Calc computes it
# headless (one soffice run, ~5 s), and compare.lua checks deal's answer to
# every case within 1e-9 relative, or a verified, documented reason why the
# spreadsheet is the one that is wrong (docs/finance.md lists them).
# Needs soffice (Debian: libreoffice-calc-nogui, installed by make test).
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
if ! command -v soffice >/dev/null 2>&1; then
  nok "soffice (LibreOffice Calc) is installed" "install it: sudo apt-get install libreoffice-calc-nogui (make test does)"
  exit 0
fi
python3 "$HERE/spreadsheet.py" "$TMP" 2> "$TMP/gen.log" ||
  { nok "the case generator runs" "$(tail -5 "$TMP/gen.log")"; exit 0; }
# a private profile: no clash with another soffice, nothing left in $HOME
HOME=$TMP timeout 300 soffice -env:UserInstallation="file://$TMP/profile" --headless \
  --convert-to csv --outdir "$TMP" "$TMP/cases.fods" > "$TMP/soffice.log" 2>&1
if [ ! -s "$TMP/cases.csv" ]; then
  nok "LibreOffice computes the cases" "$(tail -5 "$TMP/soffice.log")"
  exit 0
fi
ok "LibreOffice computes the cases ($(soffice --version 2>/dev/null | head -1))"
"$DEAL" --trust "$HERE/compare.lua" "$TMP" > "$TMP/compare.out" 2>&1
relay compare.lua $? "$TMP/compare.out"
