# A1: a binary chunk as a model file, or via load: "attempt to load a binary chunk".
ID=A01; . ../lib/tap.sh
printf '\033Lua\124\0\031\223\r\n\032\n' > "$TMP/m.lua"
cp "$TMP/m.lua" "$TMP/m.deal"
run_expect "binary .lua model refused" fail "attempt to load a binary chunk" "$DEAL" "$TMP/m.lua"
run_expect "binary .deal model refused" fail "attempt to load a binary chunk" "$DEAL" "$TMP/m.deal"
printf '#!/usr/bin/deal\n\033Lua' > "$TMP/s.lua"
run_expect "binary after a #! line refused" fail "" "$DEAL" "$TMP/s.lua"
cat > "$TMP/l.lua" <<'L'
local f, e = load("\27Lua\84\0")
print(f == nil and e:find("binary chunk", 1, true) and "ok - A01 load() refuses binary" or "not ok - A01 load() refuses binary")
local done
local f2 = load(function() if done then return nil end done = true return "\27Lua" end)
print(f2 == nil and "ok - A01 load(reader) refuses binary" or "not ok - A01 load(reader) refuses binary")
print(string.dump == nil and "ok - A01 string.dump is absent" or "not ok - A01 string.dump is absent")
L
"$DEAL" "$TMP/l.lua" 2>&1
