#!/usr/bin/env bash
# test.sh — the project's test command (README, .ci/run): fetches ONNX
# Runtime (the backend and model tests run real graphs), then runs every
# test with the race detector. Extra arguments go to `go test`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-onnxruntime.sh >/dev/null
export TR119_ONNXRUNTIME_LIB=${TR119_ONNXRUNTIME_LIB:-$PWD/third_party/onnxruntime/libonnxruntime.so.1}
# go-nvml's header marks some functions deprecated; the warnings are noise.
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -Wno-deprecated-declarations"
go vet ./...
go test -race -timeout 40m "$@" ./...
