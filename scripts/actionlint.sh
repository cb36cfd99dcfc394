#!/usr/bin/env bash
# Lints .github/workflows with actionlint (pinned), built once from its Go module into the tools folder.
set -euo pipefail
version=v1.7.12
tools="${PERF_OBSERVATORY_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/performance-observatory}/actionlint-$version"
if [ ! -x "$tools/actionlint" ]; then
  command -v go >/dev/null || { echo "actionlint: needs Go to build actionlint $version (or put actionlint at $tools/)." >&2; exit 1; }
  echo "actionlint: building $version into $tools"
  GOBIN="$tools" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$version"
fi
cd "$(dirname "$0")/.."
"$tools/actionlint" -no-color
echo "actionlint: workflows clean"
