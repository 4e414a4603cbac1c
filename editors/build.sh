#!/bin/sh
# editors/build.sh [OUTDIR]: package the VS Code extension as
# OUTDIR/deal-<version>.vsix (default OUTDIR: build/editors) and print its path.
# @vscode/vsce is installed on first use into .cache/npm, and the extension's
# own dependencies (vscode-languageclient) into editors/vscode/node_modules,
# which the package carries (both ignored by git).
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
npmdir="$root/.cache/npm"
vsce="$npmdir/node_modules/.bin/vsce"
if [ ! -x "$vsce" ]; then
  command -v npm >/dev/null 2>&1 || { echo "editors/build.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
  npm install --silent --no-audit --no-fund --prefix "$npmdir" @vscode/vsce >&2
fi
if [ ! -f "$root/editors/vscode/node_modules/vscode-languageclient/package.json" ]; then
  (cd "$root/editors/vscode" && npm install --silent --no-audit --no-fund --no-package-lock --omit=dev >&2)
fi
version=$(node -p "require('$root/editors/vscode/package.json').version")
outdir=${1:-$root/build/editors}
mkdir -p "$outdir"
out="$(cd "$outdir" && pwd)/deal-$version.vsix"
cd "$root/editors/vscode"
"$vsce" package --allow-missing-repository --skip-license --out "$out" >&2
echo "$out"
