# H31: EOF, a 10 MB line, invalid UTF-8 and escape sequences, a non-tty
# stdin, TERM unset. Pipe and file input here; the terminal side (Ctrl-D on a
# partial line, pasted input in tmux) is tested by tests/repl.
ID=H31; . ../lib/tap.sh
run_expect "empty stdin (EOF at once)" 0 "" sh -c "'$DEAL' < /dev/null"
printf 'x = 1 +' > "$TMP/partial"
run_expect "EOF on a partial statement" any "" sh -c "'$DEAL' < '$TMP/partial'"
awk 'BEGIN { printf "s = \""; for (i = 0; i < 10000000; i++) printf "a"; print "\"" ; print "print(#s)" }' > "$TMP/long"
run_expect "a 10 MB line on a pipe" 0 "10000000" sh -c "'$DEAL' - < '$TMP/long'"
printf 'print("\377\376\033[31m")\nprint(1)\n' > "$TMP/utf"
run_expect "invalid UTF-8 and escape sequences" 0 "1" sh -c "'$DEAL' - < '$TMP/utf'"
run_expect "TERM unset, stdin a file" 0 "^2$" sh -c "unset TERM; echo 'print(1+1)' | '$DEAL' -"
run_expect "REPL on a pipe survives an error line" 0 "ok" sh -c "printf 'error(\"x\")\nprint(\"ok\")\n' | '$DEAL'"
