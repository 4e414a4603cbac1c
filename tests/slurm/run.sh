#!/bin/sh
# The Slurm recipe of docs/scale.md on a real one-node cluster: this suite
# starts munged, slurmctld and slurmd in its temporary directory
# (tests/slurm/cluster.sh), writes the job script and runs the submit and
# retry blocks exactly as the doc has them (tests/lib/recipe.sh), and compares
# the merge job's merged.json with `deal --json` of the same model, seed and
# samples, run here. Then a run whose task 3 fails: the merge job must stay
# pending, `deal merge` of the parts there are must name the missing one, and
# the retry block must complete the run. Every daemon and job is stopped at
# exit, whatever happens.
#
# Needs root and Debian slurm-wlm, munge (make test installs them). When the
# daemons cannot start within CLUSTER_SECONDS (120), the suite is a counted
# SKIP saying why; under `make test-slurm` (SLURM_REQUIRED=1) a failure.
DEAL=${1:-./deal}
. "$(dirname "$0")/../lib/tap.sh"
. "$TAP_LIB/recipe.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DOC=$ROOT/docs/scale.md
. "$HERE/cluster.sh"

# The run: the doc's four names, with a sample count a test can afford.
model=gpu_hall.deal n=4 seed=7 samples=200000

# `deal` on the PATH of the jobs, as an installed one would be.
mkdir "$TMP/bin" && ln -s "$DEAL" "$TMP/bin/deal"
PATH=$TMP/bin:$PATH

at_exit cluster_stop
t0=$(date +%s)
if ! cluster_start "$TMP/cluster" "${CLUSTER_SECONDS:-120}" "$TMP"; then
  if [ -n "$SLURM_REQUIRED" ]; then
    nok "a one-node Slurm cluster starts" "$CLUSTER_WHY"
  else
    skip "Slurm recipe (docs/scale.md)" "no Slurm cluster within ${CLUSTER_SECONDS:-120} s: $CLUSTER_WHY"
  fi
  exit 0
fi
ok "a one-node Slurm cluster starts: munged, slurmctld, slurmd idle in $(($(date +%s) - t0)) s ($(slurm sinfo -V))"

# Runs doc block NAME in the current directory as a reader would paste it,
# with the run's names and Slurm's config set; its output to NAME.out, then
# the job ids it set (array, merge, again) to NAME.ids.
run_recipe() {
  recipe "$DOC" "$1" > "$1.sh" || return 1
  SLURM_CONF=$CLUSTER_CONF model=$model n=$n seed=$seed samples=$samples array=$array merge=$merge \
    sh -c '. ./"$1".sh; rc=$?; echo "$array $merge $again" > "$1.ids"; exit $rc' - "$1" > "$1.out" 2>&1
}

# Waits until every job named leaves the queue (SECONDS at most).
wait_jobs() {
  secs=$1; shift
  end=$(($(date +%s) + secs))
  while [ -n "$(slurm squeue -h -j "$(echo "$@" | tr ' ' ,)" 2>/dev/null)" ]; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.5
  done
}

# "TASK STATE EXIT" for each task of array job $1, in task order.
task_states() {
  slurm scontrol -o show job "$1" | sed -n 's/.*ArrayTaskId=\([0-9]*\) .*JobState=\([A-Z_]*\) .*ExitCode=\([0-9:]*\).*/\1 \2 \3/p' | sort -n
}
job_field() { slurm scontrol -o show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -1; }

# The reference: one run of the same model, seed and samples, here.
mkdir "$TMP/single" && cp "$HERE/$model" "$TMP/single/"
(cd "$TMP/single" && "$DEAL" --json --seed $seed --samples $samples "$model" > single.json 2> single.err)
single_rc=$?
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/single/single.json" 2>/dev/null
check "the single run prints JSON (exit $single_rc)" $? "$(head -c 300 "$TMP/single/single.err")"

# --- the recipe, as written ------------------------------------------------
mkdir "$TMP/run" && cd "$TMP/run" && cp "$HERE/$model" .
recipe "$DOC" deal-shard.sbatch > deal-shard.sbatch
check "docs/scale.md has the job script deal-shard.sbatch" $?
array="" merge=""
t1=$(date +%s)
run_recipe slurm-submit
read -r array merge _ < slurm-submit.ids
check "the submit block submits the array ($array) and the merge ($merge)" \
  $(grep -qx "shards: job $array, merge: job $merge" slurm-submit.out; echo $?) "$(cat slurm-submit.out)"
wait_jobs 300 "$array" "$merge"
check "the shards and the merge finish within 300 s ($(($(date +%s) - t1)) s)" $? \
  "$(slurm squeue 2>&1 | head -5)"
states=$(task_states "$array")
want=$(seq $n | sed 's/$/ COMPLETED 0:0/')
# status 0 although a claim of the model fails: a shard judges no claim, or
# afterok would never start the merge
check "each of the $n tasks completed with status 0 (the model has a failing claim)" \
  $([ "$states" = "$want" ]; echo $?) \
  "states: $states; $(tail -n 3 part-*.log)"
check "the merge job ran after them, exit status $single_rc as the single run's" \
  $([ "$(job_field "$merge" ExitCode)" = "$single_rc:0" ]; echo $?) \
  "merge job: $(job_field "$merge" JobState) $(job_field "$merge" ExitCode); merge.log: $(head -c 300 merge.log)"
python3 "$ROOT/tests/shard/compare.py" "$TMP/single/single.json" merged.json $n > compare.out 2>&1
check "merged.json is the single run's: $(head -1 compare.out)" $? "$(cat compare.out)"

# --- a task fails: the merge waits, deal merge names the gap, the retry ------
mkdir "$TMP/fail" && cd "$TMP/fail" && cp "$HERE/$model" . && cp ../run/deal-shard.sbatch .
mkdir part-3.json    # task 3 cannot write its part: a directory is in the way
array="" merge=""
run_recipe slurm-submit
read -r array merge _ < slurm-submit.ids
wait_jobs 300 "$array"
states=$(task_states "$array")
check "task 3 fails, the others complete" \
  $(echo "$states" | grep -q '^3 FAILED [1-9]' && [ "$(echo "$states" | grep -c COMPLETED)" = $((n - 1)) ]; echo $?) \
  "states: $states"
grep -q 'part-3.json' part-3.log
check "part-3.log says why: $(head -1 part-3.log)" $? "$(cat part-3.log)"
end=$(($(date +%s) + 30))
until [ "$(job_field "$merge" Reason)" = DependencyNeverSatisfied ] || [ "$(date +%s)" -ge "$end" ]; do sleep 0.5; done
check "the merge job stays pending: $(job_field "$merge" JobState) $(job_field "$merge" Reason)" \
  $([ "$(job_field "$merge" JobState)" = PENDING ] && [ ! -e merge.log ] && [ ! -e merged.json ]; echo $?) \
  "$(slurm scontrol show job "$merge" | head -5)"
run_expect "deal merge of the parts there are names the missing one" fail "3 of 4" \
  "$DEAL" merge --json -o partial.json part-1.json part-2.json part-4.json
rmdir part-3.json    # the cause, fixed
run_recipe slurm-retry
rc=$?
read -r _ _ again < slurm-retry.ids
check "the retry block resubmits task 3 ($again) and points the merge at it" \
  $([ $rc = 0 ] && [ -n "$again" ] && task_states "$again" | grep -q '^3 '; echo $?) "$(cat slurm-retry.out)"
wait_jobs 300 "$merge" "$again"
check "after the retry the merge job ran: $(job_field "$merge" JobState)" \
  $([ "$(job_field "$merge" ExitCode)" = "$single_rc:0" ] && [ -s merged.json ]; echo $?) \
  "merge: $(job_field "$merge" JobState) $(job_field "$merge" Reason) $(job_field "$merge" ExitCode); $(cat slurm-retry.out)"
python3 "$ROOT/tests/shard/compare.py" "$TMP/single/single.json" merged.json $n > compare.out 2>&1
check "merged.json after the retry is the single run's" $? "$(cat compare.out)"

# --- nothing left behind -----------------------------------------------------
cd "$TMP" || exit 0
cluster_stop
left=$(cluster_leftovers)
check "every daemon and job stopped" $([ -z "$left" ]; echo $?) "$left"
