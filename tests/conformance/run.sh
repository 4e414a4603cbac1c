#!/bin/sh
# tests/conformance/run.sh DEAL: conformance of the embedded Lua.
#  - basic.lua through `deal --conformance` (the production state, all libs);
#  - patterns.lua through the sandbox and through lua5.4: the sandbox's
#    bounded string.find/match/gmatch/gsub must give Lua's results;
#  - Lua 5.4.4's own suite when LUA_TESTS names its directory (not shipped by
#    Debian; see docs/security.md).
DEAL=${1:-./deal}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
if timeout 120 "$DEAL" --conformance "$HERE/basic.lua" > "$TMP/b" 2>&1 && grep -q '^final OK' "$TMP/b"; then
  echo "ok - conformance basic.lua ($(head -1 "$TMP/b"))"
else
  echo "not ok - conformance basic.lua"; sed 's/^/# /' "$TMP/b" | tail -5
fi
if command -v lua5.4 >/dev/null; then
  (cd "$HERE" && lua5.4 yields.lua) > "$TMP/yw" 2>&1
  (cd "$HERE" && timeout 60 "$DEAL" yields.lua) > "$TMP/yg" 2>&1
  if cmp -s "$TMP/yw" "$TMP/yg"; then echo "ok - conformance sandboxed xpcall/pairs/coroutines yield as in lua5.4"
  else echo "not ok - conformance sandboxed xpcall/pairs/coroutines yield as in lua5.4"; diff "$TMP/yw" "$TMP/yg" | head -5 | sed 's/^/# /'; fi
  lua5.4 "$HERE/patterns.lua" > "$TMP/want" 2>&1
  (cd "$HERE" && timeout 300 "$DEAL" patterns.lua) > "$TMP/got" 2>&1
  if cmp -s "$TMP/want" "$TMP/got"; then echo "ok - conformance sandboxed patterns agree with lua5.4 ($(wc -l < "$TMP/want") lines)"
  else echo "not ok - conformance sandboxed patterns agree with lua5.4"; diff "$TMP/want" "$TMP/got" | head -5 | sed 's/^/# /'; fi
else
  echo "ok - conformance sandboxed patterns agree with lua5.4 # SKIP lua5.4 not installed"
fi
if [ -n "$LUA_TESTS" ] && [ -f "$LUA_TESTS/all.lua" ]; then
  if (cd "$LUA_TESTS" && ulimit -S -s 1000 && timeout 900 "$DEAL" --conformance "$HERE/lua_tests.lua" < /dev/null) > "$TMP/l" 2>&1 \
     && grep -q 'final OK' "$TMP/l"; then
    echo "ok - conformance Lua 5.4.4 test suite (_U)"
  else
    echo "not ok - conformance Lua 5.4.4 test suite (_U)"; tail -5 "$TMP/l" | sed 's/^/# /'
  fi
fi
exit 0
