#!/usr/bin/env bash
# Builds the kube profile's node from Go modules and the kubernetes module's own C source (no binary
# downloads are reachable here): kubelet and kube-proxy from k8s.io/kubernetes, containerd v2 with its
# runc shim and ctr, runc (cgo, for seccomp), the CNI plugins the node's network needs, and pause.
# Prints the bin directory; a second run is instant.
#
# Debian's containerd (1.6.20) is below containerd's tested minimum for Kubernetes 1.34 (1.6.39), hence
# the build. containerd v2.2.3 and later have no exclude or replace directives, so `go install` works.
set -euo pipefail
# shellcheck source=kubernetes-module.sh
source "$(dirname "$0")/kubernetes-module.sh"

KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.34.4}"
CONTAINERD_VERSION="${CONTAINERD_VERSION:-v2.2.9}"
RUNC_VERSION="${RUNC_VERSION:-v1.4.4}"
CNI_PLUGINS_VERSION="${CNI_PLUGINS_VERSION:-v1.9.1}"
COREDNS_VERSION="${COREDNS_VERSION:-v1.14.7}"
cache="${BENCH_NODE_CACHE:-$HOME/.cache/performance-observatory/node-$KUBERNETES_VERSION-containerd-$CONTAINERD_VERSION-runc-$RUNC_VERSION-cni-$CNI_PLUGINS_VERSION-coredns-$COREDNS_VERSION}"
bin="$cache/bin"
cni_plugins=(bridge host-local loopback portmap)
binaries=(kubelet kube-proxy containerd containerd-shim-runc-v2 ctr runc pause coredns "${cni_plugins[@]/#/cni/}")

all_built() {
  for name in "${binaries[@]}"; do [[ -x "$bin/$name" ]] || return 1; done
}
if all_built; then
  echo "$bin"
  exit 0
fi
for tool in go gcc pkg-config; do
  command -v "$tool" >/dev/null || {
    echo "build-node: $tool is not on PATH; the kube profile builds its node from source (Go >= 1.24, gcc, pkg-config)" >&2
    exit 1
  }
done
pkg-config --exists libseccomp || {
  echo "build-node: libseccomp's headers are missing; install them (apt-get install libseccomp-dev) for runc" >&2
  exit 1
}

mkdir -p "$bin/cni" "$cache/kubernetes"
export GOFLAGS=-mod=mod
started=$SECONDS
log() { echo "build-node: $* ($((SECONDS - started)) s)" >&2; }

build_kubernetes() {
  cd "$cache/kubernetes"
  CGO_ENABLED=0 write_kubernetes_module node kubelet kube-proxy
  for cmd in kubelet kube-proxy; do
    CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION" \
      -o "$bin/$cmd" "k8s.io/kubernetes/cmd/$cmd"
    log "$cmd built"
  done
}

build_containerd() {
  local module="github.com/containerd/containerd/v2"
  CGO_ENABLED=0 GOBIN="$bin" go install -trimpath -ldflags "-s -w -X $module/version.Version=$CONTAINERD_VERSION" \
    "$module/cmd/containerd@$CONTAINERD_VERSION" "$module/cmd/containerd-shim-runc-v2@$CONTAINERD_VERSION" \
    "$module/cmd/ctr@$CONTAINERD_VERSION"
  log "containerd, its runc shim and ctr built"
}

build_runc() {
  CGO_ENABLED=1 GOBIN="$bin" go install -trimpath -tags seccomp -ldflags "-s -w -X main.version=${RUNC_VERSION#v}" \
    "github.com/opencontainers/runc@$RUNC_VERSION"
  log "runc built"
}

build_cni_plugins() {
  local module="github.com/containernetworking/plugins/plugins"
  CGO_ENABLED=0 GOBIN="$bin/cni" go install -trimpath -ldflags "-s -w" \
    "$module/main/bridge@$CNI_PLUGINS_VERSION" "$module/ipam/host-local@$CNI_PLUGINS_VERSION" \
    "$module/main/loopback@$CNI_PLUGINS_VERSION" "$module/meta/portmap@$CNI_PLUGINS_VERSION"
  log "CNI plugins built"
}

# The sandbox's init process. Static: the node image has no C library of the host's version.
build_pause() {
  gcc -Os -static -Wall -Werror -DVERSION="$KUBERNETES_VERSION" -o "$bin/pause" "$(kubernetes_source_dir)/build/pause/linux/pause.c"
  strip "$bin/pause"
  log "pause built"
}

build_coredns() {
  CGO_ENABLED=0 GOBIN="$bin" go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
  log "CoreDNS built"
}

[[ -x "$bin/kube-proxy" ]] || build_kubernetes
[[ -x "$bin/ctr" ]] || build_containerd
[[ -x "$bin/runc" ]] || build_runc
[[ -x "$bin/cni/portmap" ]] || build_cni_plugins
[[ -x "$bin/pause" ]] || build_pause
[[ -x "$bin/coredns" ]] || build_coredns
all_built || {
  echo "build-node: some binaries are missing from $bin" >&2
  exit 1
}
log "node built"
echo "$bin"
