#!/bin/sh
# The language server (deal lsp): a syntax error and a unit error reported
# after an edit of each seed model, beside a fresh `deal --json` run of the
# same text. See bench/lsp.py.
if ! command -v python3 >/dev/null 2>&1; then
  echo "   deal lsp latencies: skipped (needs python3)"
  exit 0
fi
python3 bench/lsp.py ./deal
