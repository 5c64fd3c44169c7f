#!/usr/bin/env bash
# Starts a one-node Slurm cluster on loopback for the tests: munged, slurmctld and slurmd with
# every spool, state, log and socket in DIR, and waits until the node is idle.
#   source tests/slurm/one_node_cluster.sh; start_cluster DIR; ...; stop_cluster DIR
# Needs root (SlurmUser=root) and Debian's slurm-wlm and munge. Exports SLURM_CONF.

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_cluster() {
  local dir=$1 host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(awk '/MemTotal/ {print int($2/1024/2)}' /proc/meminfo)
  mkdir -p "$dir"/{state,spool,log,munge}
  chmod 700 "$dir/munge"
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.sock" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" || return 1
  cat >"$dir/slurm.conf" <<CONF
ClusterName=bgmtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.sock
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF=$dir/slurm.conf
  slurmctld -c -f "$SLURM_CONF" || return 1
  slurmd -f "$SLURM_CONF" || return 1
  local i
  for i in $(seq 1 60); do
    if sinfo -h -o '%t' 2>/dev/null | grep -qx 'idle'; then return 0; fi
    sleep 1
  done
  echo "one_node_cluster: the node did not become idle in 60 s; sinfo says: $(sinfo 2>&1)" >&2
  return 1
}

stop_cluster() {
  local dir=$1 f
  for f in slurmd.pid slurmctld.pid munge/munged.pid; do
    [[ -f $dir/$f ]] && kill "$(cat "$dir/$f")" 2>/dev/null
  done
  sleep 1
  return 0
}
