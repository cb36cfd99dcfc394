#!/usr/bin/env bash
# Builds the PostgreSQL image the docker profile uses from Debian packages, for machines that reach the
# Debian archive but no container image registry (air-gapped CI, this workplace). Idempotent: an image that
# exists is kept. Name: BENCH_POSTGRES_IMAGE (default below). Needs root, debootstrap and a running Docker.
set -euo pipefail
cd "$(dirname "$0")"

PG_IMAGE=${BENCH_POSTGRES_IMAGE:-performance-observatory/postgres:offline}
if docker image inspect "$PG_IMAGE" >/dev/null 2>&1; then
  echo "offline-images: $PG_IMAGE is present"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "offline-images: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }

# The machine's own Debian mirror, as apt is configured, so no address is hard-coded here.
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)

started=$(date +%s)
rootfs=$(mktemp -d /tmp/observatory-rootfs-XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "offline-images: building $PG_IMAGE with debootstrap (a few minutes)"
debootstrap --variant=minbase --include=postgresql bookworm "$rootfs" ${mirror:+"$mirror"} >/tmp/observatory-debootstrap.log 2>&1 ||
  { tail -20 /tmp/observatory-debootstrap.log >&2; exit 1; }
install -m 0755 offline-images/postgres-entrypoint.sh "$rootfs/usr/local/bin/docker-entrypoint.sh"
# The distribution's cluster is not used: the entry point initialises its own data directory.
rm -rf "$rootfs"/var/lib/postgresql/* "$rootfs"/var/cache/apt/archives/*.deb
tar -C "$rootfs" -c . | docker import \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'EXPOSE 5432' \
  - "$PG_IMAGE" >/dev/null
echo "offline-images: $PG_IMAGE built in $(( $(date +%s) - started )) s, $(docker image inspect -f '{{.Size}}' "$PG_IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
