#!/bin/sh
# Every example in README.md and docs/*.md runs: each ```deal (or ```lua)
# block is run by deal; when the next fenced block is ```output, the
# printed text must match it exactly. Blocks marked ```deal-error must fail.
DEAL=${1:-./deal}
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
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
for k, (kind, line, body) in enumerate(blocks):
    if kind not in ("deal", "lua", "deal-error"):
        continue
    n += 1
    ext = "lua" if kind == "lua" else "deal"
    name = f"{base}_{line}"
    open(os.path.join(out, f"{name}.{ext}"), "w").write(body)
    want = blocks[k + 1][2] if k + 1 < len(blocks) and blocks[k + 1][0] == "output" else None
    if want is not None:
        open(os.path.join(out, f"{name}.want"), "w").write(want)
    open(os.path.join(out, f"{name}.kind"), "w").write(kind)
PY
done
cd "$T" || exit 1
for f in *.deal *.lua; do
  [ -f "$f" ] || continue
  name=${f%.*}
  kind=$(cat "$name.kind")
  timeout 60 "$DEAL" "$f" > "$name.got" 2> "$name.err"; rc=$?
  label="docs ${name%_*}.md line ${name##*_}"
  if [ "$kind" = deal-error ]; then
    if [ $rc -ne 0 ]; then echo "ok - $label fails as documented"
    else echo "not ok - $label should fail"; fi
    continue
  fi
  if [ $rc -ne 0 ]; then echo "not ok - $label: exit $rc: $(head -c 200 "$name.err" | tr '\n' ' ')"; continue; fi
  if [ ! -f "$name.want" ] || cmp -s "$name.want" "$name.got"; then
    echo "ok - $label"
  else
    echo "not ok - $label: output differs"; diff "$name.want" "$name.got" | head -5 | sed 's/^/#   /'
  fi
done
