# H34: saving results or models: a sandboxed model cannot write any file, so
# nothing can be left half-written. (Atomic replace of the REPL's own files is
# tested by tests/repl.)
ID=H34; . ../lib/tap.sh
cd "$TMP" || exit 0
cat > m.lua <<'L'
for _, m in ipairs{"w", "a", "r+", "w+", "a+", "wb", "ab"} do
  local ok = pcall(io.open, "out.txt", m)
  print(not ok and "ok - H34 io.open(..., '" .. m .. "') refused" or "not ok - H34 io.open(..., '" .. m .. "') refused")
end
print(os.remove == nil and os.rename == nil and io.output == nil and "ok - H34 no os.remove/os.rename/io.output" or "not ok - H34 no os.remove/os.rename/io.output")
L
"$DEAL" m.lua
[ -e out.txt ] && nok "no file created" || ok "no file created"
echo 'io.open("out2.txt", "w"):write("x")' > t.lua
"$DEAL" --trust t.lua && [ -s out2.txt ] && ok "--trust gives full io" || nok "--trust gives full io"
