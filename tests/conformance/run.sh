#!/bin/sh
# tests/conformance/run.sh DEAL: conformance of the embedded Lua.
#  - basic.lua through `deal --conformance` (the production state, all libs);
#  - patterns.lua through the sandbox and through lua5.4: the sandbox's
#    bounded string.find/match/gmatch/gsub must give Lua's results;
#  - Lua 5.4.4's own suite when LUA_TESTS names its directory (not shipped by
#    Debian; see docs/security.md).
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
else
  skip "conformance sandboxed patterns agree with lua5.4" "lua5.4 not installed"
fi
if [ -n "$LUA_TESTS" ] && [ -f "$LUA_TESTS/all.lua" ]; then
  (cd "$LUA_TESTS" && ulimit -S -s 1000 && timeout 900 "$DEAL" --conformance "$HERE/lua_tests.lua" < /dev/null) > "$TMP/l" 2>&1 \
    && grep -q 'final OK' "$TMP/l"
  check "conformance Lua 5.4.4 test suite (_U)" $? "$(tail -5 "$TMP/l")"
fi
exit 0
