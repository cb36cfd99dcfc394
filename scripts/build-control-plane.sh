#!/usr/bin/env bash
# Builds a Kubernetes control plane from Go modules for the kwok profile (issue 6), into a cache directory:
# kube-apiserver, kube-controller-manager and kube-scheduler from k8s.io/kubernetes (its staging modules
# replaced by their published v0.x versions), etcd from its server module, and kwok/kwokctl. A second run
# finds everything built and returns at once. Prints the directory. CGO off: static binaries.
set -euo pipefail
K8S_VERSION=${K8S_VERSION:-v1.34.4}
ETCD_VERSION=${ETCD_VERSION:-v3.6.16}
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}
DIR=${BENCH_CONTROL_PLANE_DIR:-$HOME/.cache/performance-observatory/control-plane-$K8S_VERSION}
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok kwokctl)

missing=0
for b in "${BINARIES[@]}"; do [ -x "$DIR/bin/$b" ] || missing=1; done
if [ "$missing" = 0 ]; then echo "$DIR"; exit 0; fi
command -v go >/dev/null || { echo "build-control-plane: Go is needed (go.dev/dl or the distribution's golang)" >&2; exit 1; }

started=$(date +%s)
work="$DIR/src"
mkdir -p "$work" "$DIR/bin"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
cd "$work"

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging paths, which a
# dependent module cannot use: replace each with the published version of the same release (v1.N.M -> v0.N.M).
staging_version="v0.${K8S_VERSION#v1.}"
cat > go.mod <<MOD
module performance-observatory/control-plane

go 1.24
MOD
go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
kube_mod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
for module in $(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$kube_mod"); do
  go mod edit -replace="$module=$module@$staging_version"
done

# etcd's main package lives in a module with replace directives; this one-line main calls the same code.
mkdir -p cmd/etcd
cat > cmd/etcd/main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
go mod tidy >/dev/null 2>&1 || true

echo "build-control-plane: building Kubernetes $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION into $DIR/bin (cold: many minutes)" >&2
go build -trimpath -ldflags='-s -w' -o "$DIR/bin/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler
go build -trimpath -ldflags='-s -w' -o "$DIR/bin/etcd" ./cmd/etcd
GOBIN="$DIR/bin" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@$KWOK_VERSION"
echo "build-control-plane: built in $(( $(date +%s) - started )) s" >&2
echo "$DIR"
