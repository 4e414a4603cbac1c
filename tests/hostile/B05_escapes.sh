# B5: no package, require of C code, io writes, os.execute/remove/exit/getenv,
# debug, dofile, loadfile, collectgarbage (other than "count"), string.dump;
# reading only inside the model's tree and the command line's paths.
ID=B05; . ../lib/tap.sh
mkdir -p "$TMP/model/data" "$TMP/other"
echo "inside" > "$TMP/model/data/in.txt"
echo "secret" > "$TMP/other/secret.txt"
echo "named" > "$TMP/other/named.txt"
ln -s "$TMP/other/secret.txt" "$TMP/model/data/link.txt"
ln -s "$TMP/other" "$TMP/model/otherdir"
echo 'return "mod"' > "$TMP/model/helper.lua"
ln -s "$TMP/other/secret.txt" "$TMP/model/evil.lua"
cp ../lib/tap.lua "$TMP/model/"
cat > "$TMP/model/m.lua" <<'L'
local T = require "tap"; T.id("B05")
T.ok(package == nil, "package is nil")
T.ok(debug == nil, "debug is nil")
T.ok(dofile == nil and loadfile == nil, "dofile and loadfile are nil")
T.ok(string.dump == nil, "string.dump is nil")
T.ok(os.execute == nil and os.remove == nil and os.rename == nil and os.exit == nil and os.getenv == nil and os.tmpname == nil, "os has only clock/time/date/difftime")
T.ok(io.popen == nil and io.output == nil and io.input == nil and io.tmpfile == nil, "io.popen/output/input/tmpfile are nil")
T.err("attempt to index a nil value", "package.loadlib unreachable", function() return package.loadlib("/lib/x86_64-linux-gnu/liblua5.4.so.0", "luaopen_io") end)
T.err("not available", "collectgarbage('collect') refused", collectgarbage, "collect")
T.ok(type(collectgarbage("count")) == "number", "collectgarbage('count') works")
for _, m in ipairs{"w", "a", "r+", "w+", "a+", "wb"} do
  T.err("may only read", "io.open mode " .. m .. " refused", io.open, "data/new.txt", m)
end
T.ok(io.open("data/in.txt"):read("l") == "inside", "a file beside the model is readable")
local n = 0 for l in io.lines("data/in.txt") do n = n + 1 end
T.ok(n == 1, "io.lines beside the model")
local f, e = io.open("/etc/passwd")
T.ok(f == nil and e:find("outside the model", 1, true), "/etc/passwd refused", e)
T.err("outside the model", "io.lines('/etc/passwd') refused", io.lines, "/etc/passwd")
f, e = io.open("data/link.txt")
T.ok(f == nil and e and e:find("outside", 1, true), "a symlink leading out is refused", e)
f, e = io.open("otherdir/secret.txt")
T.ok(f == nil, "a symlinked directory leading out is refused", e)
f, e = io.open("../other/secret.txt")
T.ok(f == nil, "../ leading out is refused", e)
f = io.open(arg[1])
T.ok(f and f:read("l") == "named", "a path named on the command line is readable")
T.ok(require("helper") == "mod", "require finds a module beside the model")
T.err("not found", "require of a C library name finds nothing", require, "io")
T.err("outside the model", "require through a symlink leading out is refused", require, "evil")
T.err("bad module name", "require with a path is refused", require, "../other/x")
T.ok(io.open("/dev/zero") == nil, "/dev/zero refused")
L
cd "$TMP/model" && "$DEAL" m.lua "$TMP/other/named.txt"
ls "$TMP/model/data" | grep -q new.txt && nok "no file was created" || ok "no file was created"
