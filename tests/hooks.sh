# tests/hooks.sh, sourced by the suites that need test hooks (__deal.ks,
# __deal.sample, __deal.spearman, __deal.json, __deal.json_parse,
# DEAL_CHECK_CRASH, DEAL_FAIL_AFTER), after
# DEAL is set. The installed deal has none; `make deal-test` builds the same
# program with them, and tests/run.sh finds it beside the binary under test
# (deal -> deal-test, deal-asan -> deal-asan-test). Sets DEAL_TEST.
DEAL_TEST=${DEAL_TEST:-$DEAL-test}
case $DEAL_TEST in /*) ;; *) DEAL_TEST=$(pwd)/$DEAL_TEST ;; esac
if [ ! -x "$DEAL_TEST" ]; then
  echo "not ok - $DEAL_TEST not found: this suite needs the build with test hooks (make deal-test)"
  exit 0
fi
