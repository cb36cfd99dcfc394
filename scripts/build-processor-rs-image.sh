#!/usr/bin/env bash
# Builds performance-observatory/processor-rs:<tag> for the cluster profiles, from the Rust processor that
# scripts/build-processor-rs.sh built: an image from scratch holding the binary and the shared libraries
# it loads (glibc's loader, libc, libm, libgcc_s) at their paths on this machine. No base image, so no
# registry; and a binary built on a runner with a newer glibc than a Debian base's still runs. Idempotent:
# an image whose label carries the binary's hash is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${BENCH_APP_IMAGE_TAG:-dev}
image=performance-observatory/processor-rs:$tag
binary=apps/processor-rs/target/release/processor-rs
[ -x "$binary" ] || { echo "processor-rs-image: $binary is not built; run bash scripts/build-processor-rs.sh" >&2; exit 1; }

label=dev.performance-observatory.source-hash
hash=$(sha256sum "$binary" | cut -c1-16)
if [ "$(docker image inspect -f "{{ index .Config.Labels \"$label\" }}" "$image" 2>/dev/null)" = "$hash" ]; then
  echo "processor-rs-image: $image is current ($hash)"
  exit 0
fi

context=$(mktemp -d /tmp/observatory-processor-rs-XXXXXX)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/rootfs/usr/local/bin" "$context/rootfs/etc"
cp "$binary" "$context/rootfs/usr/local/bin/processor-rs"
# The loader and every library the binary loads, at the paths it looks for them.
for library in $(ldd "$binary" | grep -o '/[^ ]*'); do
  mkdir -p "$context/rootfs$(dirname "$library")"
  cp -L "$library" "$context/rootfs$library"
done
# Name resolution (the database's Service name) reads these; the runtime mounts hosts and resolv.conf.
printf 'hosts: files dns\n' >"$context/rootfs/etc/nsswitch.conf"
cat >"$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
# Non-root, as the Node images run; the filesystem can be read-only.
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/processor-rs"]
DOCKERFILE
docker build --quiet --label "$label=$hash" -t "$image" "$context" >/dev/null
echo "processor-rs-image: $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
