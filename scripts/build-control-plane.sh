#!/usr/bin/env bash
# Builds the kwok profile's control plane from Go modules (no binary downloads are reachable here):
# kube-apiserver, kube-controller-manager and kube-scheduler from k8s.io/kubernetes, etcd from its own
# modules, kwok and kwokctl from sigs.k8s.io/kwok. Prints the bin directory; a second run is instant.
#
# k8s.io/kubernetes is required as scripts/kubernetes-module.sh writes it. etcd is built in
# a module of its own: beside k8s.io/kubernetes, `go mod tidy` lifts shared dependencies past what the
# staging modules were released with.
set -euo pipefail
# shellcheck source=kubernetes-module.sh
source "$(dirname "$0")/kubernetes-module.sh"

KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.34.4}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.4}" # the version k8s.io/kubernetes ${KUBERNETES_VERSION} is tested with
KWOK_VERSION="${KWOK_VERSION:-v0.8.0}"
cache="${BENCH_CONTROL_PLANE_CACHE:-$HOME/.cache/performance-observatory/control-plane-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION}"
bin="$cache/bin"
binaries=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok kwokctl)

all_built() {
  for name in "${binaries[@]}"; do [[ -x "$bin/$name" ]] || return 1; done
}
if all_built; then
  echo "$bin"
  exit 0
fi
command -v go >/dev/null || {
  echo "build-control-plane: Go is not on PATH; install Go >= 1.24 (the kwok profile builds Kubernetes from source)" >&2
  exit 1
}

mkdir -p "$bin" "$cache/kubernetes" "$cache/etcd"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
started=$SECONDS
log() { echo "build-control-plane: $* ($((SECONDS - started)) s)" >&2; }

build_kubernetes() {
  cd "$cache/kubernetes"
  write_kubernetes_module control-plane kube-apiserver kube-controller-manager kube-scheduler
  log "kubernetes modules resolved"
  for cmd in kube-apiserver kube-controller-manager kube-scheduler; do
    go build -trimpath -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBERNETES_VERSION" \
      -o "$bin/$cmd" "k8s.io/kubernetes/cmd/$cmd"
    log "$cmd built"
  done
}

build_etcd() {
  cd "$cache/etcd"
  printf 'module performance-observatory/etcd\ngo 1.24.0\nrequire go.etcd.io/etcd/server/v3 %s\ntool go.etcd.io/etcd/server/v3\n' \
    "$ETCD_VERSION" >go.mod
  go mod tidy
  go build -trimpath -ldflags "-s -w" -o "$bin/etcd" go.etcd.io/etcd/server/v3
  log "etcd built"
}

build_kwok() {
  GOBIN="$bin" go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
  log "kwok and kwokctl built"
}

[[ -x "$bin/kwokctl" ]] || build_kwok
[[ -x "$bin/etcd" ]] || build_etcd
[[ -x "$bin/kube-scheduler" ]] || build_kubernetes
all_built || {
  echo "build-control-plane: some binaries are missing from $bin" >&2
  exit 1
}
echo "$bin"
