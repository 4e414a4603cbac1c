#!/bin/sh
# Editors: Vim paging through a 17,000-line model as .deal beside the same
# text as .lua (target: within 3x). See tests/editors/vim-scroll.sh.
if ! command -v vim >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
  echo "   vim page-down: skipped (needs vim and python3)"
  exit 0
fi
echo "   $(sh tests/editors/vim-scroll.sh 3)"
