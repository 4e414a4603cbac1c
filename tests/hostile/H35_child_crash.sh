# H35: an evaluator child that crashes is reported by its parent, and the
# other models still run: `deal check` evaluates each model in a forked child
# (vm/check.c); DEAL_CHECK_CRASH=name makes the child for that model raise
# SIGSEGV (a test-only hook, since no model can crash the host any more:
# only in the test build, tests/hooks.sh).
ID=H35; . ../lib/tap.sh; . ../hooks.sh
printf 'x = 1 + 1\n' > "$TMP/crashme.deal"
printf 'y = 2 * 3\n' > "$TMP/fine.deal"
if "$DEAL" check "$TMP/fine.deal" 2>&1 | grep -q "not available"; then
  ok "evaluator crash reported by the parent # SKIP deal check is not available in this build"; exit 0
fi
DEAL_CHECK_CRASH=crashme "$DEAL_TEST" check "$TMP/crashme.deal" "$TMP/fine.deal" > "$TMP/out" 2>&1; rc=$?
grep -q "crashme.deal: error: crashed (signal 11)" "$TMP/out" && ok "the parent reports 'crashed (signal 11)'" || nok "the parent reports the crash # $(head -c 300 "$TMP/out" | tr '\n' ' ')"
grep "fine.deal" "$TMP/out" | grep -vq crashed && ok "the next model still runs" || nok "the next model still runs # $(head -c 300 "$TMP/out" | tr '\n' ' ')"
[ $rc -ne 0 ] && [ $rc -lt 128 ] && ok "deal check exits non-zero, not by a signal (rc=$rc)" || nok "deal check exit status $rc"
