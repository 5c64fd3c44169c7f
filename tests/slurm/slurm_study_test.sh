#!/usr/bin/env bash
# A tiny study planned with `bgm plan --slurm`, submitted as job arrays to a real one-node Slurm
# cluster (munged + slurmctld + slurmd on loopback), must end with the summary and weights of the
# same study run locally in one process with the same seed and threads.
# Usage: slurm_study_test.sh BGM   (exit 77 = skipped: no Slurm and it cannot be installed here)
set -uo pipefail
bgm=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo -n"
  echo "slurm test: installing slurm-wlm and munge (Debian packages)" >&2
  if ! (export DEBIAN_FRONTEND=noninteractive; $SUDO apt-get update -qq && \
        $SUDO apt-get install -y -qq --no-install-recommends slurm-wlm munge) >/dev/null 2>&1; then
    echo "SKIPPED: slurm-wlm and munge are not installed and could not be installed here" >&2
    exit 77
  fi
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "SKIPPED: the one-node test cluster runs its daemons as root (SlurmUser=root); this user is not root" >&2
  exit 77
fi

work=$(mktemp -d /tmp/bgm-slurm.XXXXXX)
source "$here/one_node_cluster.sh"
trap 'stop_cluster "$work/cluster"; rm -rf "$work"' EXIT
start_cluster "$work/cluster" || { cat "$work"/cluster/log/*.log >&2; exit 1; }
export SLURM_CONF="$work/cluster/slurm.conf"

tiny=(--width 8 --train-subset 100 --test-subset 50 --replicas 2 --adv-epochs 1 --vanilla-epochs 1
      --sota-epochs 1 --sota-schedule cosine:1 --precision fp32 --measures false --seeds 3-4)
started=$(date +%s)
"$bgm" plan reproduce "${tiny[@]}" --out "$work/slurm-study" --store "$work/store-slurm" \
  --slurm --slurm-cpus 2 --slurm-throttle 2 --slurm-time 00:30:00 || exit 1
bash "$work/slurm-study/slurm/submit.sh" || exit 1
for _ in $(seq 1 600); do
  [[ -z $(squeue -h 2>/dev/null) ]] && break
  sleep 1
done
if [[ -n $(squeue -h) ]]; then
  echo "slurm test: jobs still queued after 10 minutes:" >&2; squeue >&2; exit 1
fi
echo "slurm test: the study ran on Slurm in $(( $(date +%s) - started )) s" >&2
if [[ ! -f $work/slurm-study/summary.json ]]; then
  echo "slurm test: no summary.json; the jobs' logs:" >&2
  tail -n 20 "$work"/slurm-study/slurm/logs/* >&2
  exit 1
fi
grep -c "done" "$work"/slurm-study/slurm/logs/task-* >/dev/null || { echo "no task log says done" >&2; exit 1; }

started=$(date +%s)
"$bgm" --threads 2 reproduce "${tiny[@]}" --out "$work/local-study" --store "$work/store-local" >"$work/local.log" 2>&1 ||
  { cat "$work/local.log" >&2; exit 1; }
echo "slurm test: the same study in one process took $(( $(date +%s) - started )) s" >&2

/usr/bin/python3 - "$work/slurm-study" "$work/local-study" <<'PY' || exit 1
import json, sys, filecmp, os
def strip(j):  # what depends on the machine's speed
    if isinstance(j, dict):
        return {k: strip(v) for k, v in j.items() if k not in ("seconds", "images_per_second")}
    if isinstance(j, list):
        return [strip(v) for v in j]
    return j
a, b = (strip(json.load(open(os.path.join(d, "summary.json")))) for d in sys.argv[1:3])
if a != b:
    print("slurm test: the summaries differ:\n", json.dumps(a, indent=1)[:3000], "\n---\n", json.dumps(b, indent=1)[:3000])
    sys.exit(1)
for role in ("W0R", "W0A", "WVR", "WSR", "WVA", "WSA"):
    x, y = (os.path.join(d, "weights", role + ".pt") for d in sys.argv[1:3])
    if not filecmp.cmp(x, y, shallow=False):
        print("slurm test: weights differ:", role); sys.exit(1)
print("slurm test: summary.json (timings aside) and the six weights of seed 3 equal the local study's; seeds",
      a.get("seeds"))
PY
