# Sourced by the build scripts: writes a Go module in the current directory that requires
# k8s.io/kubernetes $KUBERNETES_VERSION and names the commands to build as its tools.
#
# k8s.io/kubernetes requires its staging modules at v0.0.0 with replaces into ./staging, which a
# dependent module does not see; we replace each with its published v0.<minor>.<patch>.
write_kubernetes_module() {
  local name="$1"
  shift
  local staging_version="v0.${KUBERNETES_VERSION#v1.}"
  local kubernetes_mod
  kubernetes_mod="$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  {
    echo "module performance-observatory/$name"
    echo "go 1.24.0"
    echo "require k8s.io/kubernetes $KUBERNETES_VERSION"
    echo "replace ("
    sed -n 's#^\s*\(k8s.io/[a-z-]*\) => ./staging/.*#  \1 => \1 '"$staging_version"'#p' "$kubernetes_mod"
    echo ")"
    for cmd in "$@"; do echo "tool k8s.io/kubernetes/cmd/$cmd"; done
  } >go.mod
  go mod tidy
}

# The source directory of the k8s.io/kubernetes module, for the files it ships beside the Go code.
kubernetes_source_dir() {
  go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p'
}
