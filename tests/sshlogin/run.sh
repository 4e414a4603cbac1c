#!/bin/sh
# The GNU parallel --sshlogin recipe of docs/scale.md against a real sshd:
# this suite starts /usr/sbin/sshd on a free port of 127.0.0.1 with a host key,
# a user key and its authorized_keys all made in its temporary directory
# (nothing in /etc/ssh, ~/.ssh or any authorized_keys outside it), as two
# "hosts", node1 and node2, each with its own home directory there and `deal`
# on its PATH. parallel reaches them through PARALLEL_SSH (ssh -F with a
# generated config). The doc's block runs as written (tests/lib/recipe.sh):
#   1. all shards succeed: merged.json is `deal --json` of the same model,
#      seed and samples, run here, and nothing is left on the hosts;
#   2. node2 has no deal: its shards fail, parallel says how many, deal merge
#      names a missing part; deal is installed on node2 and the same block,
#      run again, reruns only those shards (--resume-failed) and completes
#      the merge.
# A counted SKIP, with the reason, when sshd, parallel or rsync is missing or
# sshd does not start.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
. "$TAP_LIB/recipe.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DOC=$ROOT/docs/scale.md
MODEL_DIR=$ROOT/tests/slurm
model=gpu_hall.deal n=4 seed=7 samples=200000

for c in /usr/sbin/sshd ssh ssh-keygen parallel rsync perl python3; do
  command -v $c > /dev/null 2>&1 && continue
  skip "GNU parallel --sshlogin recipe (docs/scale.md)" \
    "$c is not installed (Debian: openssh-server openssh-client parallel rsync; make test installs them)"
  exit 0
done

# --- the hosts ---------------------------------------------------------------
S=$TMP/ssh
mkdir -p "$S" "$TMP/node1/home" "$TMP/node1/bin" "$TMP/node2/home" "$TMP/node2/bin" "$TMP/empty" "$TMP/bin"
# deal installed on both hosts, and here, where the merge runs
for b in "$TMP/node1/bin" "$TMP/node2/bin" "$TMP/bin"; do ln -s "$DEAL" "$b/deal"; done
PATH=$TMP/bin:$PATH
ssh-keygen -q -t ed25519 -N '' -C 'deal test host' -f "$S/host_key" &&
  ssh-keygen -q -t ed25519 -N '' -C 'deal test user' -f "$S/user_key" &&
  cp "$S/user_key.pub" "$S/authorized_keys" ||
  { nok "ssh-keygen makes the keys"; exit 0; }
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Each login runs in its node's directory, with that node's PATH: the client
# names the node (SetEnv DEAL_NODE, below). HOME points at an empty directory
# from the start, so the login shell reads no ~/.bashrc of this machine.
cat > "$S/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $S/host_key
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
AllowUsers $(id -un)
AcceptEnv DEAL_NODE
SetEnv HOME=$TMP/empty
ForceCommand case "\$DEAL_NODE" in node[12]) ;; *) echo "no DEAL_NODE" >&2; exit 1 ;; esac; cd "$TMP/\$DEAL_NODE/home" && HOME=\$PWD PATH="$TMP/\$DEAL_NODE/bin:/usr/bin:/bin" exec /bin/sh -c "\$SSH_ORIGINAL_COMMAND"
EOF
printf '[127.0.0.1]:%s %s\n' "$port" "$(cat "$S/host_key.pub")" > "$S/known_hosts"
cat > "$S/ssh_config" <<EOF
Host node1 node2
  HostName 127.0.0.1
  Port $port
  User $(id -un)
  IdentityFile $S/user_key
  IdentitiesOnly yes
  UserKnownHostsFile $S/known_hosts
  GlobalKnownHostsFile /dev/null
  HostKeyAlias [127.0.0.1]:$port
  StrictHostKeyChecking yes
  BatchMode yes
Host node1
  SetEnv DEAL_NODE=node1
Host node2
  SetEnv DEAL_NODE=node2
EOF
printf '1/node1\n1/node2\n' > "$S/hosts.txt"

# sshd's privilege separation needs /run/sshd (root only); it is the empty
# directory the openssh-server package itself makes at boot, so it stays.
[ "$(id -u)" != 0 ] || [ -d /run/sshd ] || mkdir -m 755 /run/sshd
/usr/sbin/sshd -D -e -f "$S/sshd_config" > "$S/sshd.log" 2>&1 < /dev/null &
sshd_pid=$!
# stopped at exit; and should this shell be killed outright, by a watchdog
sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 2; done; kill "$2" 2>/dev/null; sleep 1; rm -rf "$3"' \
  - $$ $sshd_pid "$TMP" > /dev/null 2>&1 < /dev/null &
watchdog=$!
at_exit 'kill $sshd_pid $watchdog 2>/dev/null; wait $sshd_pid 2>/dev/null'
up=1
for i in $(seq 50); do
  ssh -F "$S/ssh_config" node1 true > "$S/first.log" 2>&1 && { up=0; break; }
  kill -0 $sshd_pid 2>/dev/null || break
  sleep 0.2
done
if [ $up != 0 ]; then
  skip "GNU parallel --sshlogin recipe (docs/scale.md)" \
    "sshd did not start: $(tail -n 2 "$S/sshd.log" | tr '\n' ' ') $(tail -n 1 "$S/first.log")"
  exit 0
fi
ok "sshd on 127.0.0.1:$port with a throwaway host key and user key ($(ssh -V 2>&1))"

# Runs the doc's block as a reader would paste it, in the current directory:
# the run's names set, HOME a scratch one (parallel keeps ~/.parallel), ssh
# through the test's config. Output to ssh-run.out; returns its status.
run_recipe() {
  recipe "$DOC" ssh-run > ssh-run.sh || return 99
  cp "$S/hosts.txt" .
  HOME=$TMP/local-home PARALLEL_SSH="ssh -F $S/ssh_config" \
    model=$model n=$n seed=$seed samples=$samples \
    sh -c '. ./ssh-run.sh' > ssh-run.out 2>&1
}
mkdir "$TMP/local-home"

# The reference: one run of the same model, seed and samples, here.
mkdir "$TMP/single" && cp "$MODEL_DIR/$model" "$TMP/single/"
(cd "$TMP/single" && "$DEAL" --json --seed $seed --samples $samples "$model" > single.json 2> single.err)
check "the single run prints JSON (exit $?)" \
  $(python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/single/single.json" 2>/dev/null; echo $?) \
  "$(head -c 300 "$TMP/single/single.err")"

# --- 1. every shard succeeds ---------------------------------------------------
mkdir "$TMP/run" && cd "$TMP/run" && cp "$MODEL_DIR/$model" .
t0=$(date +%s)
run_recipe
check "the recipe runs $n shards on node1 and node2 and merges them ($(($(date +%s) - t0)) s)" $? \
  "$(tail -n 8 ssh-run.out)"
hosts=$(awk -F'\t' 'NR > 1 && $7 == 0 { print $2 }' shards.log | sort -u | tr '\n' ' ')
check "both hosts ran shards: $hosts" $([ "$hosts" = "node1 node2 " ]; echo $?) "$(cat shards.log)"
python3 "$ROOT/tests/shard/compare.py" "$TMP/single/single.json" merged.json $n > compare.out 2>&1
check "merged.json is the single run's: $(head -1 compare.out)" $? "$(cat compare.out)"
left=$(find "$TMP/node1/home" "$TMP/node2/home" -mindepth 1 | head -5)
check "--cleanup leaves nothing on the hosts" $([ -z "$left" ]; echo $?) "$left"

# --- 2. deal missing on node2, then installed ------------------------------------
mkdir "$TMP/fail" && cd "$TMP/fail" && cp "$MODEL_DIR/$model" .
rm "$TMP/node2/bin/deal"
run_recipe
rc=$?
failed=$(awk -F'\t' 'NR > 1 && $7 != 0' shards.log | wc -l)
check "without deal on node2 its shards fail ($failed of $n) and the recipe says so" \
  $([ "$failed" -ge 1 ] && [ "$failed" -lt $n ] && [ $rc != 0 ] && grep -q 'missing' ssh-run.out; echo $?) \
  "status $rc; $(tail -n 5 ssh-run.out); $(cat shards.log)"
check "no merged.json from a partial run" $([ ! -e merged.json ]; echo $?)
ln -s "$DEAL" "$TMP/node2/bin/deal"
cp shards.log shards.first
run_recipe
check "with deal on node2 the same block completes the run" $? "$(tail -n 8 ssh-run.out)"
rerun=$(($(wc -l < shards.log) - $(wc -l < shards.first)))
check "it reran only the $failed failed shards ($rerun)" $([ "$rerun" = "$failed" ]; echo $?) "$(cat shards.log)"
python3 "$ROOT/tests/shard/compare.py" "$TMP/single/single.json" merged.json $n > compare.out 2>&1
check "merged.json is the single run's" $? "$(cat compare.out)"

kill $sshd_pid && wait $sshd_pid 2>/dev/null
kill -0 $sshd_pid 2>/dev/null
check "sshd stopped" $([ $? != 0 ]; echo $?)
