# tests/slurm/cluster.sh: a one-node Slurm cluster in a directory (sourced).
#
#   cluster_start DIR SECONDS [TOP]
#                               starts munged, slurmctld and slurmd, run from
#                               DIR (config, keys, state, spool, logs) as this
#                               user (root), each in the foreground of a
#                               background job so that its pid is known; waits
#                               until the node is idle. Sets CLUSTER_CONF, the
#                               slurm.conf that clients need as SLURM_CONF
#                               (not exported here: a process with it in its
#                               environment is the cluster's, see below).
#                               Fails after SECONDS with CLUSTER_WHY set.
#   cluster_stop                cancels every job, stops the daemons (by pid),
#                               then any process still running with DIR in its
#                               environment (a job's slurmstepd or its
#                               children); idempotent. A watchdog calls it when
#                               the shell that started the cluster dies without
#                               stopping it (killed by a signal it cannot trap),
#                               and removes TOP (default DIR).
#   slurm CMD...                runs a Slurm client command on this cluster
#   cluster_leftovers           prints the pids and commands of processes that
#                               still have SLURM_CONF=CLUSTER_CONF in their
#                               environment: the daemons, slurmstepd, jobs
#
# No systemd and nothing in /etc: a generated slurm.conf (SLURM_CONF),
# proctrack/linuxproc and task/none (no cgroups needed), free ports on
# 127.0.0.1, munged with its own key and socket.

CLUSTER_DIR="" CLUSTER_CONF="" CLUSTER_WHY="" CLUSTER_PIDS="" CLUSTER_WATCHDOG=""

slurm() { SLURM_CONF=$CLUSTER_CONF "$@"; }

# A free TCP port on 127.0.0.1, as the kernel hands one out.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# cluster_daemon NAME CMD...: start CMD in the background, output to NAME.log.
cluster_daemon() {
  name=$1; shift
  "$@" > "$CLUSTER_DIR/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$CLUSTER_DIR/$name.pid"
  CLUSTER_PIDS="$CLUSTER_PIDS $!"
}

cluster_conf() {
  d=$CLUSTER_DIR node=$1 host=$2
  cat <<EOF
# written by tests/slurm/cluster.sh for one test run
ClusterName=dealtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$d/munge/socket
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pidfile
SlurmdPidFile=$d/slurmd.pidfile
SlurmctldLogFile=$d/log/slurmctld.file.log
SlurmdLogFile=$d/log/slurmd.file.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SwitchType=switch/none
MailProg=/bin/true
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=deal Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

# Waits until CMD succeeds or the deadline (epoch seconds) passes.
cluster_wait() {
  deadline=$1; shift
  until "$@" > /dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.2
  done
}

cluster_node_idle() { slurm sinfo -h -o %T 2>/dev/null | grep -qx idle; }

cluster_start() {
  CLUSTER_DIR=$1 deadline=$(($(date +%s) + $2)) top=${3:-$1}
  for c in munged mungekey munge slurmctld slurmd sbatch squeue scontrol scancel sinfo python3; do
    command -v $c > /dev/null 2>&1 || { CLUSTER_WHY="$c is not installed (Debian: slurm-wlm munge python3)"; return 1; }
  done
  [ "$(id -u)" = 0 ] || { CLUSTER_WHY="slurmd must run as root to start jobs (this is uid $(id -u))"; return 1; }
  mkdir -p "$CLUSTER_DIR/munge" "$CLUSTER_DIR/state" "$CLUSTER_DIR/spool" "$CLUSTER_DIR/log" || return 1
  chmod 700 "$CLUSTER_DIR/munge"
  mungekey --create --keyfile="$CLUSTER_DIR/munge/munge.key" > "$CLUSTER_DIR/log/mungekey.log" 2>&1 \
    || { CLUSTER_WHY="mungekey failed: $(tail -n 2 "$CLUSTER_DIR/log/mungekey.log")"; return 1; }
  cluster_watchdog "$top"
  # --force: the socket's directory is ours only (munged wants it open to all)
  cluster_daemon munged munged --foreground --force --socket="$CLUSTER_DIR/munge/socket" \
    --key-file="$CLUSTER_DIR/munge/munge.key" --pid-file="$CLUSTER_DIR/munge/munged.pid" \
    --seed-file="$CLUSTER_DIR/munge/seed" --log-file="$CLUSTER_DIR/log/munged.file.log"
  cluster_wait $deadline sh -c 'munge -S "$1" -n | unmunge -S "$1"' - "$CLUSTER_DIR/munge/socket" \
    || { CLUSTER_WHY="munged did not answer: $(tail -n 3 "$CLUSTER_DIR/log/munged.log")"; return 1; }
  node=$(slurmd -C 2> "$CLUSTER_DIR/log/slurmd-C.log" | grep '^NodeName=') \
    || { CLUSTER_WHY="slurmd -C failed: $(tail -n 2 "$CLUSTER_DIR/log/slurmd-C.log")"; return 1; }
  host=${node#NodeName=}; host=${host%% *}
  cluster_conf "$node" "$host" > "$CLUSTER_DIR/slurm.conf"
  CLUSTER_CONF=$CLUSTER_DIR/slurm.conf
  cluster_daemon slurmctld env SLURM_CONF="$CLUSTER_CONF" slurmctld -D
  cluster_wait $deadline sh -c 'SLURM_CONF=$1 scontrol ping | grep -q UP' - "$CLUSTER_CONF" \
    || { CLUSTER_WHY="slurmctld did not come up: $(tail -n 3 "$CLUSTER_DIR/log/slurmctld.log")"; return 1; }
  cluster_daemon slurmd env SLURM_CONF="$CLUSTER_CONF" slurmd -D -N "$host"
  cluster_wait $deadline cluster_node_idle \
    || { CLUSTER_WHY="node $host is not idle: $(slurm sinfo -h -o '%T %E' 2>&1 | head -1); $(tail -n 3 "$CLUSTER_DIR/log/slurmd.log")"; return 1; }
}

# A process outside this shell that stops the cluster if this shell dies
# first, then removes TOP. It keeps no descriptor of ours open (the caller's
# output may be a pipe that must see its end).
cluster_watchdog() {
  sh -c 'while kill -0 "$1" 2>/dev/null && [ -d "$2" ]; do sleep 2; done
         [ -f "$2/stopped" ] && exit 0
         for f in "$2"/*.pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null; done
         sleep 3
         for p in /proc/[0-9]*; do
           tr "\0" "\n" 2>/dev/null < "$p/environ" | grep -qxF "SLURM_CONF=$2/slurm.conf" &&
             kill -9 "${p#/proc/}" 2>/dev/null
         done
         rm -rf "$3"' - $$ "$CLUSTER_DIR" "$1" > /dev/null 2>&1 < /dev/null &
  CLUSTER_WATCHDOG=$!
}

cluster_leftovers() {
  [ -n "$CLUSTER_CONF" ] || return 0
  for p in /proc/[0-9]*; do
    pid=${p#/proc/}
    [ "$pid" = $$ ] && continue
    tr '\0' '\n' 2>/dev/null < "$p/environ" | grep -qxF "SLURM_CONF=$CLUSTER_CONF" || continue
    printf '%s %s\n' "$pid" "$(tr '\0' ' ' 2>/dev/null < "$p/cmdline" | cut -c1-100)"
  done
}

cluster_stop() {
  [ -n "$CLUSTER_DIR" ] && [ ! -f "$CLUSTER_DIR/stopped" ] || return 0
  if [ -n "$CLUSTER_CONF" ] && [ -f "$CLUSTER_CONF" ]; then
    slurm scancel --user="$(id -un)" > /dev/null 2>&1
    i=0; while [ $i -lt 50 ] && [ -n "$(slurm squeue -h 2>/dev/null)" ]; do sleep 0.2; i=$((i + 1)); done
  fi
  for pid in $CLUSTER_PIDS; do kill "$pid" 2>/dev/null; done
  for pid in $CLUSTER_PIDS; do
    i=0; while [ $i -lt 50 ] && kill -0 "$pid" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    kill -9 "$pid" 2>/dev/null
  done
  # what outlived its daemon: a job's slurmstepd and the job's processes
  cluster_leftovers | while read -r pid _; do kill -9 "$pid" 2>/dev/null; done
  : > "$CLUSTER_DIR/stopped"
  [ -z "$CLUSTER_WATCHDOG" ] || kill "$CLUSTER_WATCHDOG" 2>/dev/null
}
