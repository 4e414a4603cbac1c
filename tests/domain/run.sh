#!/bin/sh
# tests/domain/run.sh DEAL: the domain model's rules that no single module
# test can see (issue 15): one place turns chips into watts, and the seed
# models use it. TAP lines; always exits 0.
DEAL=${1:-deal}
. "$(dirname "$0")/../lib/tap.sh"
cd "$(dirname "$0")/../.." || exit 0

# One chain from chip to grid: only stdlib/watts.lua reads the catalog's
# power figures (chips.lua defines them, the catalog holds them, racks.lua
# owns a rack's power). Anywhere else, a power figure comes from watts.*.
grep -nE 'allin_power|utility_power' stdlib/*.lua \
  | grep -vE '^stdlib/(watts|chips|catalog_chips)\.lua:' > "$TMP/figs"
check "only stdlib/watts.lua reads allin_power and utility_power" $([ ! -s "$TMP/figs" ]; echo $?) "$(cat "$TMP/figs")"
grep -nE '(rack|item|x)[:.]power\(|spec\.power|chip\.power([^_a-z]|$)' stdlib/*.lua \
  | grep -vE '^stdlib/(watts|racks|chips)\.lua:' > "$TMP/reads"
check "no module but watts.lua reads a rack's or a chip's power" $([ ! -s "$TMP/reads" ]; echo $?) "$(cat "$TMP/reads")"
