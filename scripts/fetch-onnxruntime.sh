#!/usr/bin/env bash
# fetch-onnxruntime.sh [DIR] — puts ONNX Runtime 1.29.0's shared library
# (from the npm package onnxruntime-node@1.29.0; `npm pack` downloads the
# tarball only, nothing is installed or run) at DIR/libonnxruntime.so.1.
# DIR defaults to third_party/onnxruntime in the repository. Idempotent: an
# existing library with the expected SHA-256 is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/third_party/onnxruntime}
version=1.29.0
lib=$dir/libonnxruntime.so.1
sumfile=$root/scripts/onnxruntime.sha256
if [ -f "$lib" ] && [ -f "$sumfile" ] && (cd "$dir" && sha256sum -c --quiet "$sumfile" >/dev/null 2>&1); then
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "onnxruntime-node@$version" >/dev/null)
tar xzf "$tmp/onnxruntime-node-$version.tgz" -C "$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1
mkdir -p "$dir"
cp "$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" "$lib.tmp"
mv "$lib.tmp" "$lib"
ln -sf libonnxruntime.so.1 "$dir/libonnxruntime.so"
if [ -f "$sumfile" ]; then
  (cd "$dir" && sha256sum -c --quiet "$sumfile") || { echo "fetch-onnxruntime: checksum mismatch for $lib" >&2; exit 1; }
fi
echo "onnxruntime $version: $lib"
