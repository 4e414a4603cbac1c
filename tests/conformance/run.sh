#!/bin/sh
# tests/conformance/run.sh DEAL: conformance of the embedded Lua.
#  - basic.lua through `deal --conformance` (the production state, all libs);
#  - patterns.lua through the sandbox and through lua5.4: the sandbox's
#    bounded string.find/match/gmatch/gsub must give Lua's results;
#  - longcalls.lua the same for the checked string.rep and table functions;
#  - Lua 5.4.4's own suite (lua-5.4.4-tests, "final OK !!!"): from
#    $LUA_TESTS, else ../shared/reference/lua-5.4.4-tests beside the
#    repository; a SKIP with the reason when neither exists (it is not
#    shipped by Debian and not copied into the repository: docs/security.md).
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
timeout 120 "$DEAL" --conformance "$HERE/basic.lua" > "$TMP/b" 2>&1 && grep -q '^final OK' "$TMP/b"
check "conformance basic.lua ($(head -1 "$TMP/b"))" $? "$(tail -5 "$TMP/b")"
if command -v lua5.4 >/dev/null; then
  (cd "$HERE" && lua5.4 yields.lua) > "$TMP/yw" 2>&1
  (cd "$HERE" && timeout 60 "$DEAL" yields.lua) > "$TMP/yg" 2>&1
  cmp -s "$TMP/yw" "$TMP/yg"
  check "conformance sandboxed xpcall/pairs/coroutines yield as in lua5.4" $? "$(diff "$TMP/yw" "$TMP/yg" | head -5)"
  lua5.4 "$HERE/patterns.lua" > "$TMP/want" 2>&1
  (cd "$HERE" && timeout 300 "$DEAL" patterns.lua) > "$TMP/got" 2>&1
  cmp -s "$TMP/want" "$TMP/got"
  check "conformance sandboxed patterns agree with lua5.4 ($(wc -l < "$TMP/want") lines)" $? \
    "$(diff "$TMP/want" "$TMP/got" | head -5)"
  (cd "$HERE" && lua5.4 longcalls.lua) > "$TMP/want" 2>&1
  (cd "$HERE" && timeout 300 "$DEAL" longcalls.lua) > "$TMP/got" 2>&1
  cmp -s "$TMP/want" "$TMP/got"
  check "conformance checked string.rep, table.sort/move/insert/remove agree with lua5.4 ($(wc -l < "$TMP/want") lines)" $? \
    "$(diff "$TMP/want" "$TMP/got" | head -5)"
else
  skip "conformance sandboxed patterns agree with lua5.4" "lua5.4 not installed"
fi
# Lua's own suite: $LUA_TESTS, else the copy beside the repository
# (../shared/reference/lua-5.4.4-tests, read in place, never copied in).
ROOT=$(cd "$HERE/../.." && pwd)
SUITE=${LUA_TESTS:-$ROOT/../shared/reference/lua-5.4.4-tests}
if [ -f "$SUITE/all.lua" ]; then
  (cd "$SUITE" && ulimit -S -s 1000 && timeout 300 "$DEAL" --conformance "$HERE/lua_tests.lua" < /dev/null) \
    > "$TMP/l" 2>&1
  rc=$?
  grep -q '^final OK !!!' "$TMP/l"
  check "conformance Lua 5.4.4's own test suite (_U) ends with final OK (exit $rc)" $? \
    "$(grep -v '^\.*$' "$TMP/l" | tail -8)"
  [ $rc -eq 0 ]
  check "conformance Lua 5.4.4's own test suite exits 0" $? "exit $rc"
else
  skip "conformance Lua 5.4.4's own test suite" \
    "not found: set LUA_TESTS, or put it at $SUITE (docs/security.md)"
fi
exit 0
