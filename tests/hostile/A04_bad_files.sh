# A4: a model that is a directory, a FIFO, a symlink to /dev/zero, missing,
# unreadable, or changing while it is read: a clear file error, never a hang
# or a crash.
ID=A04; . ../lib/tap.sh
mkdir "$TMP/d.lua"
run_expect "directory" fail "not a regular file" "$DEAL" "$TMP/d.lua"
mkfifo "$TMP/f.lua"
run_expect "FIFO (no writer: must not block)" fail "not a regular file" timeout 10 "$DEAL" "$TMP/f.lua"
ln -s /dev/zero "$TMP/z.deal"
run_expect "symlink to /dev/zero" fail "not a regular file" timeout 10 "$DEAL" "$TMP/z.deal"
run_expect "missing file" fail "cannot open .*No such file" "$DEAL" "$TMP/missing.deal"
echo 'print(1)' > "$TMP/r.lua"; chmod 000 "$TMP/r.lua"
# root reads anything: then run deal as nobody, if nobody can run it at all
as=""
if [ "$(id -u)" = 0 ]; then
  as="setpriv --reuid=65534 --regid=65534 --clear-groups"
  chmod 711 "$TMP"; echo 'print(1)' > "$TMP/ok.lua"; chmod 644 "$TMP/ok.lua"
  $as "$DEAL" "$TMP/ok.lua" > /dev/null 2>&1 || as="none"
fi
if [ "$as" = none ]; then skip "unreadable file" "running as root, and deal cannot run as nobody here (setpriv)"
else run_expect "unreadable file" fail "Permission denied" $as "$DEAL" "$TMP/r.lua"; fi
run_expect "a character device (/dev/null)" fail "not a regular file" "$DEAL" /dev/null
# a model file rewritten, truncated and deleted over and over while deal
# loads it: whatever part it reads runs or is a syntax error, never a crash
awk 'BEGIN { for (i = 0; i < 5000; i++) print "x" i " = " i " * 2" }' > "$TMP/full.lua"
( while :; do cat "$TMP/full.lua" > "$TMP/m.lua"; : > "$TMP/m.lua"; rm -f "$TMP/m.lua"; done ) &
writer=$!
at_exit "kill $writer 2>/dev/null"
runs=0 ran=0 errors=0 bad=""
while [ $runs -lt 50 ]; do
  runs=$((runs + 1))
  "$DEAL" "$TMP/m.lua" > "$TMP/o" 2>&1; rc=$?
  case $rc in 0) ran=$((ran + 1)) ;; 1) errors=$((errors + 1)) ;; *) bad="$bad rc=$rc" ;; esac
  grep -q PANIC "$TMP/o" && bad="$bad PANIC"
done
kill $writer; wait $writer 2>/dev/null
check "a model rewritten, truncated and deleted while deal reads it: $runs runs, no crash ($ran ran, $errors errors)" \
  $([ -z "$bad" ]; echo $?) "$bad"
