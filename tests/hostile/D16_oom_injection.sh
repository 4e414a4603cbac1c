# D16: allocation failure injected at a few points (DEAL_FAIL_AFTER=N: every
# allocation after the Nth fails): never an abort, a panic or a signal. The
# full sweep (every N, ASan+LSan) is `make oom-sweep` (tests/oom/sweep.sh).
# DEAL_FAIL_AFTER is a test hook: only in the test build (tests/hooks.sh).
ID=D16; . ../lib/tap.sh; . ../hooks.sh
ROOT=$(cd ../.. && pwd)
bad=0; n=0
for model in "$ROOT"/tests/oom/corpus/*; do
  for N in 0 1 2 3 5 10 30 100 300 1000 3000 10000; do
    n=$((n + 1))
    DEAL_FAIL_AFTER=$N timeout 60 "$DEAL_TEST" "$model" > "$TMP/out" 2>&1; rc=$?
    if [ $rc -gt 2 ] || grep -q PANIC "$TMP/out"; then
      bad=$((bad + 1)); echo "# $(basename "$model") N=$N rc=$rc: $(head -c 200 "$TMP/out" | tr '\n' ' ')"
    fi
  done
done
check "$n injected runs: no abort, panic or signal ($bad bad)" $bad
