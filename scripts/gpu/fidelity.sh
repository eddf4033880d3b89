#!/usr/bin/env bash
# fidelity.sh PARTS OUT [torchfidelity flags...] — on a GPU machine: times
# tr119's torch worker against bench/torchfidelity/plain.py (a plain
# PyTorch script) on the same calls, eager and then compiled, with the
# torchfidelity binary scripts/gpu/pack.sh put in PARTS (torchfidelity.xz is
# all it needs there: about 9 MB, one carried folder). Each table goes to
# OUT/fidelity-eager.txt and OUT/fidelity-compile.txt.
#
# Defaults: transformers on cuda:0, the gpt2 preset (written to a scratch
# folder), one torch thread a side; flags given here come later and win,
# e.g. -threads 0 or -device cuda:1. Compiling takes minutes (each shape
# and mode compiles its own graphs on both sides), so the compiled pass
# runs 4 rounds instead of 6.
set -euo pipefail
parts=${1:?usage: fidelity.sh PARTS OUT [torchfidelity flags...]}
out=${2:?usage: fidelity.sh PARTS OUT [torchfidelity flags...]}
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
if [ ! -x "$parts/torchfidelity" ]; then
  xz -dc "$parts/torchfidelity.xz" >"$parts/torchfidelity"
  chmod +x "$parts/torchfidelity"
fi
mkdir -p "$out"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd "$top"
run() { # run NAME [flags...]
  local name=$1
  shift
  "$parts/torchfidelity" -python python3 -impl transformers -device cuda:0 -preset gpt2 -model "$scratch/gpt2" \
    -plain "$top/bench/torchfidelity/plain.py" "$@" >"$out/fidelity-$name.txt" 2>"$out/fidelity-$name.log" &&
    grep -v '^round' "$out/fidelity-$name.txt" || { tail -20 "$out/fidelity-$name.log" >&2; return 1; }
}
echo "== eager"
run eager "$@"
echo "== compiled"
run compile -rounds 4 "$@" -compile
