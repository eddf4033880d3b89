#!/usr/bin/env bash
# Fidelity: tr119's ONNX Runtime prefill latency against onnxruntime-node
# 1.29.0 (the same ONNX Runtime version) on the same model.onnx, inputs and
# thread count. Rounds alternate Go and Node back to back so machine noise
# hits both sides alike; medians pool every round's samples.
#
# usage: bench/fidelity.sh [MODEL_DIR]   (default: a gpt2-preset folder in
#        $TMPDIR/tr119-fidelity-gpt2, written on first use)
# env:   THREADS (2), ITERS (30), WARMUPS (5), ROUNDS (3), NODE_DIR (where
#        onnxruntime-node is installed; default bench/.node)
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-${TMPDIR:-/tmp}/tr119-fidelity-gpt2}
THREADS=${THREADS:-2} ITERS=${ITERS:-30} WARMUPS=${WARMUPS:-5} ROUNDS=${ROUNDS:-3}
NODE_DIR=${NODE_DIR:-bench/.node}
if [ ! -d "$NODE_DIR/node_modules/onnxruntime-node" ]; then
  # The package's post-install download is unreachable here; its bundled
  # bin/napi-v6/linux/x64 holds the addon and libonnxruntime.so.1.
  mkdir -p "$NODE_DIR"
  ONNXRUNTIME_NODE_INSTALL=skip npm install --prefix "$NODE_DIR" --no-save onnxruntime-node@1.29.0 >&2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/fidelity" ./bench/fidelity
"$work/fidelity" -write-inputs "$work/inputs.json"
"$work/fidelity" -model "$MODEL" -preset gpt2 -inputs "$work/inputs.json" -iters 1 -warmups 0 >/dev/null
for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  NODE_PATH="$NODE_DIR/node_modules" node bench/node/prefill.js "$MODEL/model.onnx" "$work/inputs.json" "$THREADS" "$ITERS" "$WARMUPS" >>"$work/node.jsonl"
  "$work/fidelity" -model "$MODEL" -inputs "$work/inputs.json" -threads "$THREADS" -iters "$ITERS" -warmups "$WARMUPS" >>"$work/go.jsonl"
done
"$work/fidelity" -compare "$work/go.jsonl,$work/node.jsonl"
