#!/bin/sh
# Every example in README.md and docs/*.md runs: each ```deal (or ```lua)
# block is run by deal; when the next fenced block is ```output, the
# printed text (stdout) must match it exactly. Blocks marked ```deal-error
# must fail (and print their ```output, when there is one). A
# ```deal-stdin block is typed into deal's standard input (the REPL
# without a terminal). After the kind, the fence line may give deal's
# options and a file name for the block: ```deal --csv name=budget.deal
# runs `deal --csv budget.deal`; other blocks can use that file. Line
# ends are compared without their CR (CSV's CRLF).
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
ROOT=$(cd "$TAP_LIB/../.." && pwd)
T=$TMP

# docs/modules.md is generated from the stdlib's doc comments (make docs)
if "$DEAL" "$ROOT/mk/modules_md.lua" "$ROOT"/stdlib/*.lua > "$T/modules.md" 2> "$T/modules.err" \
   && cmp -s "$T/modules.md" "$ROOT/docs/modules.md"; then
  echo "ok - docs/modules.md is what make docs writes from the stdlib's doc comments"
else
  echo "not ok - docs/modules.md is stale or the generator failed: run make docs"
  { head -c 400 "$T/modules.err"; diff "$ROOT/docs/modules.md" "$T/modules.md" | head -10; } | sed 's/^/#   /'
fi
for doc in "$ROOT"/README.md "$ROOT"/docs/*.md; do
  [ -f "$doc" ] || continue
  case $(basename "$doc") in language-translator.md) continue ;; esac
  python3 - "$doc" "$T" <<'PY'
import sys, os
doc, out = sys.argv[1], sys.argv[2]
lines = open(doc, encoding="utf-8").read().split("\n")
blocks, i = [], 0
while i < len(lines):
    l = lines[i]
    if l.startswith("```") and len(l) > 3:
        kind, start, body = l[3:].strip(), i + 1, []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i]); i += 1
        blocks.append((kind, start, "\n".join(body) + "\n"))
    i += 1
n = 0
base = os.path.basename(doc).replace(".md", "")
for k, (info, line, body) in enumerate(blocks):
    words = info.split()
    kind = words[0]
    if kind not in ("deal", "lua", "deal-error", "deal-stdin"):
        continue
    n += 1
    ext = {"lua": "lua", "deal-stdin": "stdin"}.get(kind, "deal")
    name = f"{base}_{line}"
    file = f"{name}.{ext}"
    args = []
    for w in words[1:]:
        if w.startswith("name="): file = w[5:]
        else: args.append(w)
    open(os.path.join(out, file), "w").write(body)
    want = blocks[k + 1][2] if k + 1 < len(blocks) and blocks[k + 1][0] == "output" else None
    if want is not None:
        open(os.path.join(out, f"{name}.want"), "w").write(want)
    open(os.path.join(out, f"{name}.kind"), "w").write(kind)
    open(os.path.join(out, f"{name}.file"), "w").write(file)
    open(os.path.join(out, f"{name}.args"), "w").write(" ".join(args))
PY
  [ $? = 0 ] || nok "docs $(basename "$doc"): cannot extract its examples"
done
cd "$T" || exit 1
for k in *.kind; do
  [ -f "$k" ] || continue
  name=${k%.kind}
  kind=$(cat "$name.kind") file=$(cat "$name.file") args=$(cat "$name.args")
  # shellcheck disable=SC2086
  if [ "$kind" = deal-stdin ]; then timeout 60 "$DEAL" $args < "$file" > "$name.got" 2> "$name.err"; rc=$?
  else timeout 60 "$DEAL" $args "$file" > "$name.got" 2> "$name.err"; rc=$?; fi
  label="docs ${name%_*}.md line ${name##*_}"
  sed -i 's/\r$//' "$name.got"        # CSV ends lines in CRLF; a .md shows LF
  if [ "$kind" = deal-error ]; then
    label="$label fails as documented"
    if [ $rc -eq 0 ]; then nok "$label" "it exits 0; output: $(head -c 200 "$name.got")"; continue; fi
  elif [ $rc -ne 0 ]; then nok "$label" "exit $rc: $(head -c 300 "$name.err")"; continue; fi
  if [ ! -f "$name.want" ] || cmp -s "$name.want" "$name.got"; then ok "$label"
  else nok "$label" "output differs (diff want got):
$(diff "$name.want" "$name.got" | head -5)"; fi
done
