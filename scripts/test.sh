#!/usr/bin/env bash
# test.sh — the project's test command (README, .ci/run): fetches ONNX
# Runtime (the backend and model tests run real graphs), then runs every
# test with the race detector. Extra arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-onnxruntime.sh >/dev/null
# The report's HTML test renders it in headless Chromium and skips without
# it. CI (CI=true, root, Debian) installs it so that the check really runs.
if [ "${CI:-}" = true ] && ! command -v chromium >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) ||
    echo "test.sh: could not install chromium; the HTML rendering test will skip" >&2
fi
# The torch backend's tests drive a real Python worker with Debian's
# torch (CPU) and skip without it; CI installs it so that they really run.
if [ "${CI:-}" = true ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >/dev/null) ||
    echo "test.sh: could not install python3-torch; the torch worker tests will skip" >&2
fi
export TR119_ONNXRUNTIME_LIB=${TR119_ONNXRUNTIME_LIB:-$PWD/third_party/onnxruntime/libonnxruntime.so.1}
# go-nvml's header marks some functions deprecated; the warnings are noise.
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -Wno-deprecated-declarations"
go vet ./...
go test -race -timeout 40m "$@" ./...
# Fuzz targets keep running briefly in CI (their seed corpora already ran
# as tests above): the HCL loader (any input; nesting depth), the manifest
# reader and runs import. TR119_FUZZTIME=0 skips them; longer by hand:
# TR119_FUZZTIME=10m scripts/test.sh -run '^$'.
fuzztime=${TR119_FUZZTIME:-5s}
if [ "$fuzztime" != 0 ]; then
  for target in engine:FuzzLoad engine:FuzzLoadNesting manifest:FuzzRead artifacts:FuzzImportRuns; do
    go test -run '^$' -fuzz "^${target#*:}\$" -fuzztime="$fuzztime" "./${target%%:*}"
  done
fi
