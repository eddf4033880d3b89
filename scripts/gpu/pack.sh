#!/usr/bin/env bash
# pack.sh DIR — prepares what a GPU machine without Go or a package
# registry needs to run tr119: the tr119 binary (built here with cgo) and
# ONNX Runtime 1.29.0 with its CUDA 13 execution provider, as xz parts
# small enough to copy one per call when a transfer is capped (34 MiB).
#
# Sources, both from the npm registry:
#   onnxruntime-node@1.29.0                          core libonnxruntime.so.1
#   com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 libonnxruntime_providers_{cuda,shared}.so
#                                                    (ONNX Runtime 1.29.0 for CUDA 13)
# Core and provider must be the same ONNX Runtime version.
#
# Writes DIR/1 ... DIR/N, each with at most 64 MiB: DIR/1 holds tr119.xz
# and torchfidelity.xz (for scripts/gpu/fidelity.sh),
# every folder holds parts ort.partNN of one xz tar. On the GPU machine,
# put every file of every folder in one folder and run scripts/gpu/remote.sh.
set -euo pipefail
out=${1:?usage: pack.sh DIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$top" && CGO_CFLAGS="-O2 -g -Wno-deprecated-declarations" go build -o "$tmp/tr119" ./cmd/tr119)
(cd "$top" && go build -o "$tmp/torchfidelity" ./bench/torchfidelity)
xz -T0 -6 "$tmp/tr119" "$tmp/torchfidelity"
(cd "$tmp" && npm pack --silent onnxruntime-node@1.29.0 com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9 >/dev/null)
mkdir -p "$tmp/core" "$tmp/gpu" "$tmp/lib"
tar xzf "$tmp/onnxruntime-node-1.29.0.tgz" -C "$tmp/core" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
tar xzf "$tmp/com.github.asus4.onnxruntime.linux-x64-gpu-0.4.9.tgz" -C "$tmp/gpu" \
  package/Plugins/Linux/x64/libonnxruntime_providers_cuda.so package/Plugins/Linux/x64/libonnxruntime_providers_shared.so
cp "$tmp/core/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$tmp/lib/"
cp "$tmp"/gpu/package/Plugins/Linux/x64/*.so "$tmp/lib/"
tar cf - -C "$tmp/lib" . | xz -T0 -6 >"$tmp/ort.tar.xz"
split -b 34M -d "$tmp/ort.tar.xz" "$tmp/ort.part"
rm -rf "$out" && mkdir -p "$out/1"
mv "$tmp/tr119.xz" "$tmp/torchfidelity.xz" "$out/1/"
i=1
for p in "$tmp"/ort.part*; do
  mkdir -p "$out/$i"
  mv "$p" "$out/$i/"
  i=$((i + 1))
done
ls -l "$out"/*/
