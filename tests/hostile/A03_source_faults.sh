# A3: syntax errors, unterminated strings/comments, huge sources, long lines,
# deep nesting, NUL bytes, invalid UTF-8, a BOM, a #! line: a clear error or
# a documented limit (64 MB), never a crash.
ID=A03; . ../lib/tap.sh
for ext in lua deal; do
  printf 'x = = 1\n' > "$TMP/s.$ext";            run_expect "$ext syntax error" fail "s\.$ext:1:" "$DEAL" "$TMP/s.$ext"
  printf 'x = [[abc\n' > "$TMP/u.$ext";          run_expect "$ext unfinished long string" fail "unfinished long string" "$DEAL" "$TMP/u.$ext"
  printf -- '--[[ abc\n' > "$TMP/c.$ext";        run_expect "$ext unfinished long comment" fail "unfinished long comment" "$DEAL" "$TMP/c.$ext"
  printf 'x = "a\0b"\n' > "$TMP/n.$ext";         run_expect "$ext NUL byte" "" "" "$DEAL" "$TMP/n.$ext"
  printf 'x = "\377\376"\nprint(#x)\n' > "$TMP/i.$ext"; run_expect "$ext invalid UTF-8 in a string" 0 "2" "$DEAL" "$TMP/i.$ext"
  printf '\357\273\277print("bom")\n' > "$TMP/b.$ext"; run_expect "$ext BOM" 0 "^bom" "$DEAL" "$TMP/b.$ext"
  printf '#!/usr/bin/env deal\nprint("shebang")\nerror("line3")\n' > "$TMP/h.$ext"; run_expect "$ext #! line kept out, line numbers kept" fail "h\.$ext:3:1: error: line3" "$DEAL" "$TMP/h.$ext"
  awk 'BEGIN { printf "x = "; for (i = 0; i < 1000000; i++) printf "("; printf "1"; for (i = 0; i < 1000000; i++) printf ")"; print "" }' > "$TMP/p.$ext"
  run_expect "$ext ((( x1e6 nesting" fail "(nested|levels|overflow|too)" "$DEAL" "$TMP/p.$ext"
  awk 'BEGIN { printf "x = "; for (i = 0; i < 1000000; i++) printf "{"; for (i = 0; i < 1000000; i++) printf "}"; print "" }' > "$TMP/t.$ext"
  run_expect "$ext {{{ x1e6 nesting" fail "(nested|levels|overflow|too)" "$DEAL" "$TMP/t.$ext"
  awk 'BEGIN { printf "local x = 0"; for (i = 0; i < 100000; i++) printf " + 1"; print "\nprint(x)" }' > "$TMP/l.$ext"
  run_expect "$ext 1 MB single line" "" "" "$DEAL" "$TMP/l.$ext"
done
head -c 100000000 /dev/zero | tr '\0' ' ' > "$TMP/big.lua"
run_expect "100 MB source refused with the documented limit" fail "larger than 64 MB" "$DEAL" "$TMP/big.lua"
