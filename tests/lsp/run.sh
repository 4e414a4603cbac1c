#!/bin/sh
# tests/lsp/run.sh DEAL: the language server, `deal lsp`, driven by real
# clients (docs/lsp.md):
#   features.py      a scripted client speaking JSON-RPC: every feature, a
#                    newer edit killing the run it replaces, models that loop,
#                    allocate or read files (tests/lsp/lspclient.py)
#   nvim.lua         Neovim's built-in client (vim.lsp), headless
#   eglot-test.el    Emacs with eglot, in batch
#   vscode-client.js the VS Code extension's LanguageClient
#                    (vscode-languageclient), started by editors/vscode's
#                    extension.js
# Installs what is missing: Debian packages through mk/deps.sh, the
# extension's npm dependencies into editors/vscode/node_modules (ignored by
# git). TAP lines; always exits 0.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
root=$(cd "$TAP_LIB/../.." && pwd)
cd "$root" || exit 0
sh mk/deps.sh python3 neovim emacs-nox elpa-eglot >"$TMP/deps.log" 2>&1 \
  || deps_why=$(tr '\n' ' ' <"$TMP/deps.log" | cut -c1-200)

# --- the scripted client ---------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
  timeout 300 python3 tests/lsp/features.py "$DEAL" "$TMP/features" >"$TMP/features.tap" 2>&1
  relay features.py $? "$TMP/features.tap"
else
  nok "python3 unavailable: ${deps_why:-apt-get install python3}"
fi

# The editors' checks read a run's values: they need `deal --json` (the
# results branch's export), which the server's runs are.
if "$DEAL" --json - </dev/null 2>&1 | grep -q "unrecognized option '--json'"; then
  skip "nvim, eglot and vscode client" "this deal has no --json (the results branch)"
  exit 0
fi

# --- Neovim ------------------------------------------------------------------
if command -v nvim >/dev/null 2>&1; then
  mkdir -p "$TMP/nvim"
  DEAL=$DEAL LSP_DIR="$TMP/nvim" LSP_TAP="$TMP/nvim.tap" timeout 120 \
    nvim --headless -u NONE -i NONE -S tests/lsp/nvim.lua </dev/null >"$TMP/nvim.log" 2>&1
  rc=$?
  sed 's/^/# /' "$TMP/nvim.log" >>"$TMP/nvim.tap"
  relay nvim $rc "$TMP/nvim.tap"
else
  nok "neovim unavailable: ${deps_why:-nvim not on PATH}"
fi

# --- Emacs with eglot ------------------------------------------------------
if command -v emacs >/dev/null 2>&1; then
  mkdir -p "$TMP/eglot"
  # -q, not -Q: site-start puts Debian's elpa packages (eglot) on the path
  DEAL=$DEAL LSP_DIR="$TMP/eglot" timeout 120 emacs -q --batch -L editors/emacs \
    -l tests/lsp/eglot-test.el >"$TMP/eglot.tap" 2>"$TMP/eglot.log"
  rc=$?
  sed 's/^/# /' "$TMP/eglot.log" | grep -v '^# Loading' >>"$TMP/eglot.tap"
  relay eglot $rc "$TMP/eglot.tap"
else
  nok "emacs unavailable: ${deps_why:-emacs not on PATH}"
fi

# --- VS Code's language client -------------------------------------------------
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  if [ ! -f editors/vscode/node_modules/vscode-languageclient/package.json ]; then
    (cd editors/vscode && timeout 300 npm install --silent --no-audit --no-fund \
       --no-package-lock --omit=dev) >"$TMP/npm.log" 2>&1
  fi
  if [ -f editors/vscode/node_modules/vscode-languageclient/package.json ]; then
    timeout 120 node tests/lsp/vscode-client.js "$DEAL" "$TMP/vscode" >"$TMP/vscode.tap" 2>&1
    relay vscode-client.js $? "$TMP/vscode.tap"
  else
    nok "vscode-languageclient unavailable: npm install failed: $(tail -n 3 "$TMP/npm.log" | tr '\n' ' ' | cut -c1-200)"
  fi
else
  nok "node/npm unavailable (apt-get install nodejs npm)"
fi
exit 0
