#!/usr/bin/env bash
# remote.sh PARTS WORKSPACE [tr119 apply arguments...] — on a GPU machine:
# unpacks what scripts/gpu/pack.sh made (every file in the folder PARTS),
# puts ONNX Runtime's CUDA provider and the CUDA 13 / cuDNN libraries of the
# machine's Python environment on LD_LIBRARY_PATH, and runs tr119 apply in
# WORKSPACE with the arguments given.
#
#   TR119_CUDA_LIBS  folders of libcudart/libcublas/libcudnn for CUDA 13
#                    (default: the nvidia/cu13/lib and nvidia/cudnn/lib of
#                    python3's site-packages)
set -euo pipefail
parts=${1:?usage: remote.sh PARTS WORKSPACE [apply args...]}
ws=${2:?usage: remote.sh PARTS WORKSPACE [apply args...]}
shift 2
if [ ! -x "$parts/tr119" ]; then
  xz -dc "$parts/tr119.xz" >"$parts/tr119"
  chmod +x "$parts/tr119"
fi
if [ ! -e "$parts/ort/libonnxruntime.so.1" ]; then
  mkdir -p "$parts/ort"
  ls "$parts"/ort.part* >/dev/null 2>&1 && cat "$parts"/ort.part* | xz -d | tar xf - -C "$parts/ort" ||
    xz -dc "$parts/ort.tar.xz" | tar xf - -C "$parts/ort"
fi
if [ -z "${TR119_CUDA_LIBS:-}" ]; then
  site=$(python3 -c 'import site; print(site.getsitepackages()[0])')
  TR119_CUDA_LIBS=$site/nvidia/cu13/lib:$site/nvidia/cudnn/lib
fi
export LD_LIBRARY_PATH=$parts/ort:$TR119_CUDA_LIBS${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export TR119_ONNXRUNTIME_LIB=$parts/ort/libonnxruntime.so.1
cd "$ws"
exec "$parts/tr119" apply "$@"
