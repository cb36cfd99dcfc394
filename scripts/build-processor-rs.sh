#!/usr/bin/env bash
# Builds the Rust processor (apps/processor-rs) from its Cargo.lock into apps/processor-rs/target/release,
# where harness/implementations.ts looks for it. Cargo's target folder is the cache: unchanged sources
# build in about a second, a cold build takes about a minute on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/../apps/processor-rs"
if ! command -v cargo >/dev/null; then
  echo "build-processor-rs: no Rust toolchain (cargo); install Rust 1.85 or later, or the Rust processor's tests skip, naming why" >&2
  exit 1
fi
cargo build --release --locked --quiet
echo "build-processor-rs: $(pwd)/target/release/processor-rs"
