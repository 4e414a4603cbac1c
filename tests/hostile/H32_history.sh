# H32: the history file (vm/repl.c): a corrupt one (stray bytes, NULs,
# invalid UTF-8, a 1 MB line) is read without harm and appended to; an
# unwritable one warns once and the session goes on (tests/repl). The REPL
# keeps a history on a terminal only: script(1) gives it one.
ID=H32; . ../lib/tap.sh
if ! command -v script >/dev/null; then skip "history file faults" "script(1) not installed (bsdutils)"; exit 0; fi
{ LC_ALL=C awk 'BEGIN { srand(32); for (i = 0; i < 2000; i++) printf "%c", int(rand() * 256) }'
  printf '\n\377\376 invalid UTF-8\nold = 1\n'
  head -c 1000000 /dev/zero | tr '\0' x; printf '\n'; } > "$TMP/hist"
printf 'x = 20\nx * 2 + 2\n' | HOME="$TMP" DEAL_HISTORY="$TMP/hist" INPUTRC=/dev/null \
  timeout 20 script -qec "$DEAL" /dev/null > "$TMP/out" 2>&1
rc=$?
[ $rc = 0 ] && grep -q '= 42' "$TMP/out"
check "a corrupt history file: the session starts and runs" $? "status $rc: $(tail -c 300 "$TMP/out")"
[ "$(tail -2 "$TMP/hist" | tr '\n' '|')" = 'x = 20|x * 2 + 2|' ]
check "a corrupt history file: new entries are appended to it" $? "$(tail -c 100 "$TMP/hist")"
