#!/usr/bin/env bash
# `bash scripts/cpu-quota.sh CPUS COMMAND...`: runs COMMAND, and every process it starts, under a CPU quota
# of CPUS cores (0.5 = half of one core), in a cgroup of its own (v1 or v2), removed afterwards. A machine
# of another speed, made honestly: record a baseline under a quota and judge an unconstrained run against
# it, or the other way round (docs/statistics.md). Needs root.
set -euo pipefail
cpus=${1:?usage: cpu-quota.sh CPUS COMMAND...}
shift
period=100000
quota=$(awk -v c="$cpus" -v p="$period" 'BEGIN { printf "%d", c * p }')
name="performance-observatory-quota-$$"
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  group=/sys/fs/cgroup/$name
  mkdir "$group"
  echo "$quota $period" >"$group/cpu.max"
else
  group=/sys/fs/cgroup/cpu/$name
  mkdir "$group"
  echo "$period" >"$group/cpu.cfs_period_us"
  echo "$quota" >"$group/cpu.cfs_quota_us"
fi
cleanup() {
  # Whatever the command left behind moves back to the root group, so the group can go.
  while read -r pid; do echo "$pid" >"$(dirname "$group")/cgroup.procs" 2>/dev/null || true; done <"$group/cgroup.procs"
  rmdir "$group" 2>/dev/null || true
}
trap cleanup EXIT
echo "cpu-quota: ${cpus} CPU(s) for: $*" >&2
status=0
bash -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' quota "$group" "$@" || status=$?
exit "$status"
