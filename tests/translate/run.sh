#!/bin/sh
# tests/translate/run.sh: golden tests of the .deal -> Lua translator alone.
#   NAME.deal + NAME.lua  expected translation (also checked with luac -p)
#   NAME.deal + NAME.err  expected error message
#   results_*.deal        translated as a model (driver -r: the top-level
#                         bindings are kept, docs/results.md)
#   mock/NAME.lua         plain Lua run twice: by lua5.4, and translated then
#                         run on mockrt.lua (plain-Lua operators): same stdout
# Builds build/translate_driver with cc (units come from units_stub.c).
# Prints one TAP line per check (tests/lib/tap.sh) and always exits 0 (the
# runner counts). `run.sh --update` rewrites the expected files from the
# current output.
. "$(dirname "$0")/../lib/tap.sh"
cd "$TAP_LIB/../.." || exit 0
T=tests/translate
B=build/translate
mkdir -p "$B"
DRV=build/translate_driver
if ! cc -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -O2 -g \
     -iquote vm -I/usr/include/lua5.4 vm/lex.c vm/translate.c \
     $T/units_stub.c $T/driver.c -o $DRV 2> "$B/cc.log"; then
  nok "translate driver builds" "$(cat "$B/cc.log")"
  exit 0
fi
ok "translate driver builds"
UPDATE=0
[ "$1" = "--update" ] && UPDATE=1
LUAC=$(command -v luac5.4 || command -v luac)

for src in $T/*.deal; do
  name=$(basename "$src" .deal)
  case $name in results_*) flags=-r ;; *) flags= ;; esac
  $DRV $flags "$src" > "$B/$name.out" 2>&1; rc=$?
  if [ $UPDATE = 1 ]; then
    rm -f "$T/$name.err" "$T/$name.lua"
    if [ $rc = 0 ]; then cp "$B/$name.out" "$T/$name.lua"
    else cp "$B/$name.out" "$T/$name.err"; fi
  fi
  if [ -f "$T/$name.err" ]; then exp="$T/$name.err"; else exp="$T/$name.lua"; fi
  [ -f "$exp" ] && cmp -s "$B/$name.out" "$exp"
  check "translate $name" $? "$(diff "$exp" "$B/$name.out" 2>&1 | head -20)"
  # a translation must be valid Lua with the same number of lines
  if [ "$exp" = "$T/$name.lua" ] && [ -n "$LUAC" ]; then
    $LUAC -p - < "$B/$name.out" > "$B/$name.luac" 2>&1 &&
      [ "$(wc -l < "$B/$name.out")" = "$(wc -l < "$src")" ]
    check "translate $name is valid Lua on the same lines" $? "$(cat "$B/$name.luac")"
  fi
done

# generated inputs: a 100k-term chain is linear and needs no recursion; deep
# nesting is an error, never a C stack overflow
# (the first operand is a global: an all-literal chain would be native)
awk 'BEGIN { printf "x = a"; for (i = 1; i < 100000; i++) printf "+1"; print "" }' > "$B/chain.deal"
start=$(date +%s)
$DRV "$B/chain.deal" > "$B/chain.out" 2>&1 && [ $(($(date +%s) - start)) -le 2 ] &&
  grep -q '__add(__add(a,1),1)' "$B/chain.out"
check "translate 100k-term chain" $? "$(head -c 300 "$B/chain.out")"
for kind in 'x = |(' 'x = |{' 'x = |- ' 'x = |not ' 'x = |#' \
            'x = |function() return ' 'x = |a..' 'x = |2^' '|do ' '|if x then ' \
            'if |not ' 'while |(' 'if |(not '; do
  pre=${kind%%|*}; rep=${kind#*|}
  awk -v k="$rep" -v pre="$pre" 'BEGIN { printf "%s", pre; for (i = 0; i < 100000; i++) printf "%s", k; print "" }' > "$B/deep.deal"
  $DRV "$B/deep.deal" > "$B/deep.out" 2>&1
  grep -q 'too deeply nested' "$B/deep.out"
  check "translate deep nesting of '$kind' is an error" $? "$(head -c 300 "$B/deep.out")"
done

# every allocation failure is reported and frees everything
for src in $T/numbers.deal $T/andor.deal $T/err_end_expected_eof.deal $T/cond.deal; do
  $DRV -oom "$src" > "$B/oom.out" 2>&1
  check "translate survives allocation failures in $(basename "$src")" $? "$(cat "$B/oom.out")"
done
$DRV -r -oom $T/results_bindings.deal > "$B/oom.out" 2>&1
check "translate survives allocation failures in a model's kept bindings" $? "$(cat "$B/oom.out")"

# plain Lua through the translator + a plain-Lua mock runtime: same output
for src in $T/mock/*.lua; do
  [ -f "$src" ] || continue
  name=$(basename "$src" .lua)
  if ! $DRV "$src" > "$B/mock_$name.lua" 2>&1; then
    nok "mock $name" "$(cat "$B/mock_$name.lua")"
    continue
  fi
  lua5.4 "$src" > "$B/mock_$name.want" 2>&1
  lua5.4 $T/mockrt.lua "$B/mock_$name.lua" "$src" > "$B/mock_$name.got" 2>&1
  cmp -s "$B/mock_$name.want" "$B/mock_$name.got"
  check "mock $name" $? "$(diff "$B/mock_$name.want" "$B/mock_$name.got" | head -20)"
done
exit 0
