#!/usr/bin/env bash
# What `pnpm test` needs beyond the toolchain (scripts/setup.sh), installed or started when missing and
# instant when present: headless Chromium (the HTML report's test), the Rust processor (the contract
# tests run on both implementations), the container engine with the offline
# PostgreSQL and Node base images and the app images built on them (the docker profile's tests), and the
# kwok profile's control plane built from Go modules into the tools cache (about 7 minutes cold on 2
# cores), and the kube profile's node image (its node binaries about 3.5 minutes cold). The README's test command and .ci/run both run it. Where dockerd cannot run, or Go is missing,
# it says so and the tests that need them skip, each naming why.
set -euo pipefail
cd "$(dirname "$0")/.."
# dockerd, debootstrap and iptables live in /usr/sbin, which a plain user's PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"

bash scripts/install-chromium.sh
# The Rust processor, for the contract tests that run on each implementation.
started=$SECONDS
bash scripts/build-processor-rs.sh || echo "test-setup: the Rust processor did not build; its tests will be skipped, each naming why"
echo "test-setup: Rust processor ready in $((SECONDS - started)) s"
if ! { bash scripts/start-docker.sh && bash scripts/build-offline-images.sh && bash scripts/build-app-images.sh; }; then
  echo "test-setup: no usable container engine here; the docker profile's tests will be skipped, each naming why"
fi
if command -v go >/dev/null; then
  started=$SECONDS
  bash scripts/build-control-plane.sh >/dev/null
  echo "test-setup: control plane ready in $((SECONDS - started)) s"
  # The kube profile's node: runc needs cgo with libseccomp's headers, pause a static C build.
  if docker info >/dev/null 2>&1; then
    if ! { command -v gcc && command -v pkg-config && pkg-config --exists libseccomp; } >/dev/null 2>&1; then
      SUDO=""
      [ "$(id -u)" = 0 ] || SUDO=sudo
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends gcc libc6-dev pkg-config libseccomp-dev >/dev/null
    fi
    started=$SECONDS
    bash scripts/build-kube-image.sh
    echo "test-setup: kube node image ready in $((SECONDS - started)) s"
  fi
else
  echo "test-setup: no Go toolchain; the operator integration tests will be skipped, each naming why"
fi
