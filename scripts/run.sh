#!/usr/bin/env bash
# run.sh [PIPELINE] [apply flags...] — the main job (README): fetches ONNX
# Runtime 1.29.0 from npm, builds tr119 into bin/, and applies the pipeline
# (default: pipeline.hcl, the TR119 experiment on this machine's CPU).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-onnxruntime.sh
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -Wno-deprecated-declarations"
go build -buildvcs=auto -o bin/tr119 ./cmd/tr119
pipeline=${1:-pipeline.hcl}
shift || true
exec bin/tr119 apply -onnxruntime-lib "$PWD/third_party/onnxruntime/libonnxruntime.so.1" "$@" "$pipeline"
