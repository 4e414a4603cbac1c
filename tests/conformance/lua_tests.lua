-- tests/conformance/lua_tests.lua: runs Lua 5.4.4's own test suite
-- (lua-5.4.4-tests, lua.org) against the host. Run from the suite's directory:
--   cd lua-5.4.4-tests && ulimit -S -s 1000 && deal --conformance /path/to/tests/conformance/lua_tests.lua
-- _U = true: the "user" subset (implies _soft, _port and _nomsg): no
-- internal T-library tests, no long or non-portable ones.
_U = true
dofile("all.lua")
