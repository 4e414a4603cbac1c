#!/bin/sh
# mk/deps.sh PKG...: make sure Debian packages are installed.
# As root, install what is missing (apt-get update once first); otherwise
# stop and print the exact apt-get line, so a newcomer knows what to run.
missing=""
for p in "$@"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
    || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "deps: installing$missing" >&2
  stamp=/tmp/.deal-apt-updated
  if [ ! -f "$stamp" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && touch "$stamp" || exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2 \
    || { echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
else
  echo "deps: missing packages. Run:" >&2
  echo "  sudo apt-get install$missing" >&2
  exit 1
fi
