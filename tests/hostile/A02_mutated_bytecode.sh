# A2: mutated or truncated bytecode is never executed (Debian's lua5.4 itself
# crashes on 57 of 400 such chunks). Needs lua5.4 to make real chunks.
ID=A02; . ../lib/tap.sh
if ! command -v lua5.4 >/dev/null; then ok "mutated bytecode # SKIP lua5.4 not installed (needed to produce bytecode)"; exit 0; fi
lua5.4 - "$TMP" <<'L'
local dir = ...
local src = string.dump(function(a, b) local t = {} for i = 1, 10 do t[i] = a * i + b end return t end)
math.randomseed(7)
for k = 1, 200 do
  local b = {src:byte(1, -1)}
  if k % 4 == 0 then b = {src:byte(1, math.random(1, #src))}          -- truncated
  else for _ = 1, math.random(1, 8) do b[math.random(5, #b)] = math.random(0, 255) end end
  local f = assert(io.open(dir .. "/c" .. k .. ".lua", "wb"))
  f:write(string.char(table.unpack(b))) f:close()
end
L
bad=0; crash=0
for f in "$TMP"/c*.lua; do
  "$DEAL" "$f" > "$TMP/o" 2>&1; rc=$?
  [ $rc -ge 124 ] && crash=$((crash + 1))
  grep -q "binary chunk" "$TMP/o" || bad=$((bad + 1))
done
check "200 mutated chunks as model files: no crash ($crash crashed)" $((crash))
check "200 mutated chunks: all refused as binary ($bad not)" $((bad))
cat > "$TMP/load.lua" <<'L'
local n, refused = 0, 0
for k = 1, 200 do
  local f = io.open(arg[1] .. "/c" .. k .. ".lua", "rb")
  local s = f:read("a") f:close()
  n = n + 1
  local fn = load(s, "x", "b")
  if fn == nil then refused = refused + 1 end
end
print((refused == n and "ok" or "not ok") .. " - A02 load() of 200 mutated chunks, mode 'b': all refused (" .. refused .. ")")
L
"$DEAL" "$TMP/load.lua" "$TMP" 2>&1
