# tests/lib/recipe.sh: the shell recipes of a doc, as the reader copies them
# (sourced). A fenced block whose info string has `recipe=NAME`
# (```sh recipe=slurm-submit) is a recipe; the tests run it as written, so
# the doc is exactly what is tested.
#
#   recipe DOC NAME     prints the body of the block NAME of DOC; fails, with
#                       a message on stderr, when DOC has no such block or
#                       has it twice
recipe() {
  awk -v name="$2" -v doc="$1" '
    /^```/ && inside { inside = 0; next }
    /^```/ { for (i = 1; i <= NF; i++) if ($i == "recipe=" name) { inside = 1; found++ }; next }
    inside { print }
    END {
      if (found != 1) { printf "%s: %d blocks with recipe=%s (want 1)\n", doc, found, name > "/dev/stderr"; exit 1 }
    }' "$1"
}
