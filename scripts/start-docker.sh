#!/usr/bin/env bash
# Makes a Docker engine answer on /var/run/docker.sock: installs Debian's docker.io when missing and starts
# dockerd when nothing answers. Idempotent. Exits 1 with the reason when the engine cannot run here.
set -euo pipefail
# Debian puts dockerd (and the iptables it runs) in /usr/sbin, which a plain user's PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"
ping() { curl -fsS --unix-socket /var/run/docker.sock http://localhost/_ping >/dev/null 2>&1; }
if ping; then exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
if ! command -v dockerd >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends docker.io debootstrap >/dev/null
fi
$SUDO sh -c 'nohup dockerd >/var/log/observatory-dockerd.log 2>&1 &'
for _ in $(seq 1 60); do
  if ping; then
    echo "start-docker: dockerd answers"
    # A fresh engine: no run of ours can be live, so what earlier ones left is stale. That includes the
    # node-container profiles' work directories (app-image tarballs of hundreds of MB,
    # harness/cluster/container-environment-supervisor.ts).
    bash "$(dirname "$0")/remove-stale-containers.sh" || echo "start-docker: could not remove what earlier runs left (above); it does not stop this one"
    rm -rf "${TMPDIR:-/tmp}"/performance-observatory-kube-* "${TMPDIR:-/tmp}"/performance-observatory-k3s-*
    exit 0
  fi
  sleep 0.5
done
echo "start-docker: dockerd did not answer within 30 s; its log ends:" >&2
$SUDO tail -20 /var/log/observatory-dockerd.log >&2 || true
exit 1
