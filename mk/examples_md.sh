#!/bin/sh
# mk/examples_md.sh DEAL FILE: rewrites the output blocks of docs/examples.md
# from what DEAL prints. Each block follows a marker line
#   <!-- output: deal check --explain examples/x.deal -->
# and is the ```text fence after it: the command runs from the repository's
# root and its output replaces the fence's body. Prints the new page.
#   sh mk/examples_md.sh ./deal docs/examples.md > docs/examples.md.tmp   (make docs)
DEAL=${1:?usage: examples_md.sh DEAL FILE}
FILE=${2:?usage: examples_md.sh DEAL FILE}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case $DEAL in /*) ;; *) DEAL=$(pwd)/$DEAL ;; esac
case $FILE in /*) ;; *) FILE=$(pwd)/$FILE ;; esac
cd "$ROOT" || exit 2
state=text        # text: copying; want: after a marker; skip: inside the old block
cmd=
while IFS= read -r line || [ -n "$line" ]; do
  case $state in
    text)
      printf '%s\n' "$line"
      case $line in
        '<!-- output: deal '*' -->')
          cmd=${line#'<!-- output: deal '}; cmd=${cmd%' -->'}; state=want ;;
      esac ;;
    want)
      printf '%s\n' "$line"
      if [ "$line" = '```text' ]; then
        # shellcheck disable=SC2086   (the marker's words are the arguments)
        "$DEAL" $cmd 2>&1
        state=skip
      fi ;;
    skip)
      if [ "$line" = '```' ]; then printf '%s\n' "$line"; state=text; fi ;;
  esac
done < "$FILE"
[ "$state" = text ] || { echo "examples_md.sh: a marker without its \`\`\`text block" >&2; exit 1; }
