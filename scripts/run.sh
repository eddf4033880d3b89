#!/usr/bin/env bash
# run.sh [PIPELINE] [apply flags...] — the main job (README): fetches ONNX
# Runtime 1.29.0 from npm, builds tr119 into bin/, and applies the pipeline
# (default: pipeline.hcl, the TR119 experiment on this machine's CPU), e.g.
#   scripts/run.sh -var preset=tiny -out results-tiny   # the same on a tiny model
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-onnxruntime.sh
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -Wno-deprecated-declarations"
go build -buildvcs=auto -o bin/tr119 ./cmd/tr119
pipeline=pipeline.hcl
if [[ $# -gt 0 && $1 != -* ]]; then
  pipeline=$1
  shift
fi
exec bin/tr119 apply -onnxruntime-lib "$PWD/third_party/onnxruntime/libonnxruntime.so.1" "$@" "$pipeline"
