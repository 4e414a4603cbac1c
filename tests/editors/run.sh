#!/bin/sh
# tests/editors/run.sh: test the Vim, Emacs and VS Code plugins in editors/
# against the shared fixtures in editors/fixtures/. Prints TAP lines
# (`ok - vim fixtures/money.deal`) through tests/lib/tap.sh; always exits
# 0, the caller counts lines.
# Installs what is missing: Debian packages through mk/deps.sh, npm
# packages into .cache/npm and the extension's dependencies into
# editors/vscode/node_modules (both ignored by git).

DEAL=${1:-${DEAL:-./deal}}
. "$(dirname "$0")/../lib/tap.sh"
root=$(cd "$TAP_LIB/../.." && pwd)
export DEAL   # the Emacs REPL tests run it (tests/lib/tap.sh made it absolute)
cd "$root" || exit 0
tmp=$TMP
npmdir="$root/.cache/npm"
TMGRAMMAR_VERSION=0.1.3
VSCE_VERSION=3.9.2
TYPESCRIPT_VERSION=5.9.3
TYPES_VSCODE_VERSION=1.75.1   # the engines.vscode of editors/vscode/package.json
TYPES_NODE_VERSION=20

# Debian packages: vim, emacs-nox, elpa-lua-mode.
sh mk/deps.sh vim emacs-nox elpa-lua-mode >"$tmp/deps.log" 2>&1 \
  || deps_why=$(tr '\n' ' ' <"$tmp/deps.log" | cut -c1-200)

# --- Vim ----------------------------------------------------------------
if command -v vim >/dev/null 2>&1; then
  DEAL_TAP_OUT="$tmp/vim.tap" timeout 120 vim -Nu NONE -i NONE -es \
    -S tests/editors/vim.vim </dev/null >"$tmp/vim.log" 2>&1
  rc=$?
  sed "s/^/# /" "$tmp/vim.log" >>"$tmp/vim.tap"
  relay vim $rc "$tmp/vim.tap"
  # Paging through a 17,000-line model on a terminal, beside the same text as
  # .lua: the figures are reported (make bench), not asserted; the check is
  # that Vim gets through it (120 s) with the deal syntax drawing ranges.
  if command -v python3 >/dev/null 2>&1; then
    if out=$(sh tests/editors/vim-scroll.sh 1 2>&1); then
      echo "ok - vim scroll 17000-line model"
    else
      echo "not ok - vim scroll 17000-line model"
    fi
    echo "# $out" | head -n 5
  else
    echo "not ok - vim scroll: python3 unavailable (apt-get install python3)"
  fi
else
  echo "not ok - vim unavailable: ${deps_why:-vim not on PATH}"
fi

# --- Emacs: with lua-mode (Debian elpa-lua-mode) and without ------------
if command -v emacs >/dev/null 2>&1; then
  luadir=$(ls -d /usr/share/emacs/site-lisp/elpa/lua-mode-* 2>/dev/null | tail -n 1)
  if [ -n "$luadir" ] && [ -f "$luadir/lua-mode.el" ]; then
    DEAL_EXPECT_PARENT=lua-mode timeout 120 emacs -Q --batch -L editors/emacs -L "$luadir" \
      -l tests/editors/deal-mode-test.el --eval '(deal-test-tap "emacs(lua-mode)")' \
      >"$tmp/emacs1.tap" 2>"$tmp/emacs1.log"
    rc=$?
    sed "s/^/# /" "$tmp/emacs1.log" >>"$tmp/emacs1.tap"
    relay "emacs(lua-mode)" $rc "$tmp/emacs1.tap"
  else
    echo "not ok - lua-mode unavailable: ${deps_why:-no /usr/share/emacs/site-lisp/elpa/lua-mode-*}"
  fi
  DEAL_EXPECT_PARENT=deal-lua-base-mode timeout 120 emacs -Q --batch -L editors/emacs \
    -l tests/editors/deal-mode-test.el --eval '(deal-test-tap "emacs(prog-mode)")' \
    >"$tmp/emacs2.tap" 2>"$tmp/emacs2.log"
  rc=$?
  sed "s/^/# /" "$tmp/emacs2.log" >>"$tmp/emacs2.tap"
  relay "emacs(prog-mode)" $rc "$tmp/emacs2.tap"
  # Byte-compiles cleanly (warnings are errors), with and without lua-mode.
  for variant in lua-mode prog-mode; do
    mkdir -p "$tmp/elc-$variant"
    cp editors/emacs/deal-mode.el "$tmp/elc-$variant/"
    set --
    [ "$variant" = lua-mode ] && [ -n "$luadir" ] && set -- -L "$luadir"
    if timeout 120 emacs -Q --batch "$@" -L "$tmp/elc-$variant" \
         --eval '(setq byte-compile-error-on-warn t)' \
         -f batch-byte-compile "$tmp/elc-$variant/deal-mode.el" >"$tmp/elc.log" 2>&1; then
      echo "ok - emacs($variant) byte-compile"
    else
      echo "not ok - emacs($variant) byte-compile"
      sed -n '1,10s/^/#   /p' "$tmp/elc.log"
    fi
  done
else
  echo "not ok - emacs unavailable: ${deps_why:-emacs not on PATH}"
fi

# --- VS Code: vscode-tmgrammar-test, manifest checks, .vsix -------------
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "not ok - vscode-tmgrammar-test unavailable: node/npm not on PATH (apt-get install nodejs npm)"
else
  tmt="$npmdir/node_modules/.bin/vscode-tmgrammar-test"
  vsce="$npmdir/node_modules/.bin/vsce"
  tsc="$npmdir/node_modules/.bin/tsc"
  if [ ! -x "$tmt" ] || [ ! -x "$vsce" ] || [ ! -x "$tsc" ] \
     || [ ! -f "$npmdir/node_modules/@types/vscode/index.d.ts" ]; then
    timeout 300 npm install --silent --no-audit --no-fund --prefix "$npmdir" \
      "vscode-tmgrammar-test@$TMGRAMMAR_VERSION" "@vscode/vsce@$VSCE_VERSION" \
      "typescript@$TYPESCRIPT_VERSION" "@types/vscode@$TYPES_VSCODE_VERSION" \
      "@types/node@$TYPES_NODE_VERSION" >"$tmp/npm.log" 2>&1
  fi
  # the extension's own dependency (its language client), for tsc and the vsix
  if [ ! -f editors/vscode/node_modules/vscode-languageclient/package.json ]; then
    (cd editors/vscode && timeout 300 npm install --silent --no-audit --no-fund \
       --no-package-lock --omit=dev) >>"$tmp/npm.log" 2>&1
  fi
  if [ -x "$tmt" ]; then
    node tests/editors/vscode-fixtures.js editors/fixtures "$tmp/vscode" >"$tmp/conv.log" 2>&1 \
      || { echo "not ok - vscode fixture conversion"; sed -n '1,5s/^/#   /p' "$tmp/conv.log"; }
    timeout 120 "$tmt" -c -g editors/vscode/syntaxes/deal.tmLanguage.json "$tmp/vscode/*.deal" \
      >"$tmp/tmt.log" 2>&1
    for f in editors/fixtures/*.deal; do
      b=${f##*/}
      if grep -q "^✓ .*/$b run successfuly" "$tmp/tmt.log"; then
        echo "ok - vscode fixtures/$b"
      else
        echo "not ok - vscode fixtures/$b"
        grep "/$b" "$tmp/tmt.log" | sed -n '1,10s/^/#   /p'
      fi
    done
  else
    echo "not ok - vscode-tmgrammar-test unavailable: npm install failed: $(tail -n 3 "$tmp/npm.log" | tr '\n' ' ' | cut -c1-200)"
  fi
  node tests/editors/vscode-package.js >"$tmp/package.tap" 2>&1
  relay "vscode-package.js" $? "$tmp/package.tap"
  node tests/editors/vscode-indent.js >"$tmp/vscode-indent.tap" 2>&1
  relay "vscode-indent.js" $? "$tmp/vscode-indent.tap"
  node tests/editors/vscode-snippets.js "$DEAL" "$tmp/snippets" >"$tmp/vscode-snippets.tap" 2>&1
  relay "vscode-snippets.js" $? "$tmp/vscode-snippets.tap"
  node tests/editors/vscode-extension.js "$DEAL" "$tmp/extension" >"$tmp/vscode-extension.tap" 2>&1
  relay "vscode-extension.js" $? "$tmp/vscode-extension.tap"
  # extension.js against the VS Code API's own declarations.
  if [ -x "$tsc" ]; then
    if timeout 120 "$tsc" --noEmit --allowJs --checkJs --strict --module commonjs \
         --target es2020 --moduleResolution node --typeRoots "$npmdir/node_modules/@types" \
         --types vscode,node editors/vscode/extension.js >"$tmp/tsc.log" 2>&1; then
      echo "ok - vscode extension.js type-checks against @types/vscode"
    else
      echo "not ok - vscode extension.js type-checks against @types/vscode"
      sed -n '1,10s/^/#   /p' "$tmp/tsc.log"
    fi
  else
    echo "not ok - tsc unavailable: npm install failed"
  fi
  if [ -x "$vsce" ]; then
    if out=$(timeout 120 sh editors/build.sh "$tmp/vsix" 2>"$tmp/vsce.log") && [ -s "$out" ]; then
      echo "ok - vscode vsix package"
    else
      echo "not ok - vscode vsix package"
      sed -n '1,10s/^/#   /p' "$tmp/vsce.log"
    fi
  else
    echo "not ok - vsce unavailable: npm install failed"
  fi
fi

# --- Error locations: the three matchers on real deal output (issue 16) --
# errors.sh runs the real deal check and deal on models whose error
# positions are known; each editor must reach exactly those positions.
diag="$tmp/diag"
matched() {   # editor, what it reached
  if [ -s "$2" ] && cmp -s "$diag/expected" "$2"; then
    echo "ok - $1 reaches every error of real deal output"
  else
    echo "not ok - $1 reaches every error of real deal output"
    diff "$diag/expected" "$2" 2>&1 | sed -n '1,12s/^/#   /p'
  fi
}
if sh tests/editors/errors.sh "$diag" >"$tmp/errors.log" 2>&1 && [ -s "$diag/check.out" ]; then
  if command -v vim >/dev/null 2>&1; then
    DEAL_DIAG_DIR="$diag" DEAL_TAP_OUT="$tmp/vim-errors.txt" timeout 120 vim -Nu NONE -i NONE -es \
      -S tests/editors/vim-errors.vim </dev/null >"$tmp/vim-errors.log" 2>&1
    matched "vim :cfile/:cnext" "$tmp/vim-errors.txt"
  fi
  if command -v emacs >/dev/null 2>&1; then
    DEAL_DIAG_DIR="$diag" timeout 120 emacs -Q --batch -L editors/emacs \
      -l tests/editors/deal-errors-test.el >"$tmp/emacs-errors.txt" 2>"$tmp/emacs-errors.log"
    matched "emacs compile/next-error" "$tmp/emacs-errors.txt"
  fi
  if command -v node >/dev/null 2>&1; then
    node tests/editors/vscode-errors.js "$diag" >"$tmp/vscode-errors.txt" 2>&1
    matched "vscode \$deal-check matcher" "$tmp/vscode-errors.txt"
  fi
else
  echo "not ok - error locations: tests/editors/errors.sh failed"
  sed -n '1,5s/^/#   /p' "$tmp/errors.log"
fi
exit 0
