#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for the scale-out test (e2e/slurm.e2e.ts) and for trying
# docs/scale-out.md's array job by hand:
#   tools/slurm-local.sh up DIR     start munged, slurmctld and slurmd with their config, state, socket,
#                                   pid files and logs in DIR; prints the SLURM_CONF line to export
#   tools/slurm-local.sh down DIR   stop exactly the daemons `up` started (by the pids in DIR), remove DIR
# Needs root (slurmd starts jobs as their users) and Debian's slurm-wlm and munge (.ci/run installs them).
# Ports: SLURMCTLD_PORT (6817) and SLURMD_PORT (6818). Facts behind the settings: research/slurm.md.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 up|down DIR" >&2
  exit 2
fi

# Stop the process whose pid is in $1 (if it is still running), waiting until it is gone.
stop_pid_file() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

down() {
  # Jobs still running would outlive slurmd (each step has its own slurmstepd): cancel them first.
  if [ -f "$dir/slurm.conf" ] && [ -f "$dir/slurmctld.pid" ] && kill -0 "$(cat "$dir/slurmctld.pid")" 2>/dev/null; then
    export SLURM_CONF="$dir/slurm.conf"
    scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 1 150); do
      [ -z "$(squeue -h 2>/dev/null)" ] && ! pgrep -f "^slurmstepd: " >/dev/null && break
      sleep 0.2
    done
  fi
  # slurmctld writes its state while exiting: each daemon is waited for before the folder goes.
  stop_pid_file "$dir/slurmd.pid"
  stop_pid_file "$dir/slurmctld.pid"
  stop_pid_file "$dir/munge/munged.pid"
  rm -rf "$dir"
}

up() {
  if [ "$(id -u)" != 0 ]; then
    echo "$0 up needs root (slurmd starts jobs as their users); run it with sudo." >&2
    exit 1
  fi
  for tool in munged slurmctld slurmd sinfo; do
    if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
      echo "$tool is missing: install Debian's slurm-wlm and munge (apt-get install slurm-wlm munge)." >&2
      exit 1
    fi
  done
  mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge"
  dir=$(cd "$dir" && pwd)
  chmod 0755 "$dir"
  chown munge:munge "$dir/munge"
  chmod 0755 "$dir/munge"
  if ! runuser -u munge -- test -x "$dir/munge"; then
    echo "$dir is not reachable by the munge user: choose a folder whose parents others may enter (o+x), e.g. under /tmp." >&2
    exit 1
  fi
  local key=/etc/munge/munge.key
  if [ ! -f "$key" ]; then
    key="$dir/munge/munge.key"
    dd if=/dev/urandom of="$key" bs=1024 count=1 status=none
    chown munge:munge "$key"
    chmod 0400 "$key"
  fi
  runuser -u munge -- /usr/sbin/munged --socket="$dir/munge/socket" --key-file="$key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/munged.seed"

  local host mem
  host=$(hostname -s)
  mem=$(free -m | awk '/^Mem:/ { print ($2 > 2048 ? $2 - 1024 : $2) }')
  cat >"$dir/slurm.conf" <<CONF
ClusterName=dgslocal
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=${SLURMCTLD_PORT:-6817}
SlurmdPort=${SLURMD_PORT:-6818}
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MailProg=/bin/true
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  /usr/sbin/slurmctld -f "$SLURM_CONF"
  /usr/sbin/slurmd -f "$SLURM_CONF"
  for _ in $(seq 1 100); do
    if [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; then
      echo "export SLURM_CONF=$SLURM_CONF"
      return 0
    fi
    sleep 0.2
  done
  echo "The local Slurm cluster did not come up in 20 s; see the logs in $dir/log." >&2
  exit 1
}

case "$cmd" in
up) up ;;
down) down ;;
*)
  echo "usage: $0 up|down DIR" >&2
  exit 2
  ;;
esac
