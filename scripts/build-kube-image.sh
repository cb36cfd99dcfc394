#!/usr/bin/env bash
# Builds the kube profile's node image, BENCH_KUBE_IMAGE (default performance-observatory/kube-node:v1.34.4):
# Debian minbase with what kubelet and kube-proxy call (iptables, iproute2, mount), the control plane
# (scripts/build-control-plane.sh), the node binaries (scripts/build-node.sh) and a pause image, and
# scripts/kube-node/entrypoint.sh as its entry point. Offline, as the other images are (debootstrap and
# docker import). Idempotent: an image whose label carries the hash of these sources is kept. Needs root,
# debootstrap, Go, gcc with libseccomp's headers, and a running Docker.
set -euo pipefail
cd "$(dirname "$0")"

IMAGE=${BENCH_KUBE_IMAGE:-performance-observatory/kube-node:v1.34.4}
PAUSE_IMAGE=performance-observatory/pause:kube-node
source_hash=$(cat build-kube-image.sh build-node.sh build-control-plane.sh kubernetes-module.sh kube-node/entrypoint.sh | sha256sum | cut -c1-16)
label=dev.performance-observatory.source-hash
if [ "$(docker image inspect -f "{{ index .Config.Labels \"$label\" }}" "$IMAGE" 2>/dev/null)" = "$source_hash" ]; then
  echo "kube-image: $IMAGE is current ($source_hash)"
  exit 0
fi
stale=$(docker image inspect -f '{{.Id}}' "$IMAGE" 2>/dev/null || true)
command -v debootstrap >/dev/null || { echo "kube-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
started=$SECONDS
control_plane=$(bash build-control-plane.sh)
node=$(bash build-node.sh)
echo "kube-image: binaries ready ($((SECONDS - started)) s); building $IMAGE with debootstrap"

# The machine's own Debian mirror, as apt is configured, so no address is hard-coded here.
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '/^deb / { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
rootfs=$(mktemp -d /tmp/observatory-kube-rootfs-XXXXXX)
pause_dir=$(mktemp -d /tmp/observatory-pause-XXXXXX)
trap 'rm -rf "$rootfs" "$pause_dir"' EXIT
debootstrap --variant=minbase --include=iptables,iproute2,openssl,ca-certificates,curl,conntrack,procps,libseccomp2 \
  bookworm "$rootfs" ${mirror:+"$mirror"} >/tmp/observatory-debootstrap.log 2>&1 ||
  { tail -20 /tmp/observatory-debootstrap.log >&2; exit 1; }
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

for name in kube-apiserver kube-controller-manager kube-scheduler etcd; do install -m 0755 "$control_plane/$name" "$rootfs/usr/local/bin/"; done
for name in kubelet kube-proxy containerd containerd-shim-runc-v2 ctr runc coredns; do install -m 0755 "$node/$name" "$rootfs/usr/local/bin/"; done
install -d "$rootfs/opt/cni/bin" "$rootfs/opt/images"
install -m 0755 "$node"/cni/* "$rootfs/opt/cni/bin/"
install -m 0755 kube-node/entrypoint.sh "$rootfs/usr/local/bin/entrypoint"

# The pod sandbox image: just the pause binary, saved into the node image for containerd to import.
install -m 0755 "$node/pause" "$pause_dir/pause"
tar -C "$pause_dir" -c pause | docker import --change 'ENTRYPOINT ["/pause"]' - "$PAUSE_IMAGE" >/dev/null
docker save "$PAUSE_IMAGE" -o "$rootfs/opt/images/pause.tar"
docker rmi "$PAUSE_IMAGE" >/dev/null

tar -C "$rootfs" -c . | docker import \
  --change 'ENTRYPOINT ["/usr/local/bin/entrypoint"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "ENV PAUSE_IMAGE=$PAUSE_IMAGE" \
  --change "LABEL $label=$source_hash" \
  - "$IMAGE" >/dev/null
[ -z "$stale" ] || docker rmi "$stale" >/dev/null 2>&1 || true # an older build, unless a container still uses it
echo "kube-image: $IMAGE built in $((SECONDS - started)) s, $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{ printf "%.0f MB", $1 / 1e6 }')"
