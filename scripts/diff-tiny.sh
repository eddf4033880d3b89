#!/usr/bin/env bash
# diff-tiny.sh: tr119 diff on two applies of pipeline.hcl with -var preset=tiny.
#
# A is the pipeline as written. B is the same pipeline with the benchmark
# deliberately slowed: intra_op_threads = 1 and, while B's benchmark runs,
# one busy loop per core competing for the CPU. Then:
#   tr119 diff A A   must print "no change" and exit 0;
#   tr119 diff A B   must exit 1 and flag the throughput drop.
# Run from the repository root; TR119 names the binary (default: build it).
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
hogs=()
cleanup() {
  for p in "${hogs[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
tr119=${TR119:-}
if [[ -z $tr119 ]]; then
  tr119=$work/tr119
  go build -o "$tr119" ./cmd/tr119
fi
export TR119_ONNXRUNTIME_LIB=${TR119_ONNXRUNTIME_LIB:-$root/third_party/onnxruntime/libonnxruntime.so.1}
mkdir -p "$work/a" "$work/b"
export TR119_VAR_preset=tiny
cp pipeline.hcl "$work/a/pipeline.hcl"
# B: the benchmark's onnxruntime block (its only line) also sets one thread.
sed 's/^  onnxruntime { provider = each.value.provider }$/  onnxruntime {\n    provider         = each.value.provider\n    intra_op_threads = 1\n  }/' pipeline.hcl >"$work/b/pipeline.hcl"
grep -q 'intra_op_threads = 1' "$work/b/pipeline.hcl"

(cd "$work/a" && "$tr119" apply >apply.log)
for _ in $(seq "$(nproc)"); do
  (while :; do :; done) &
  hogs+=($!)
done
(cd "$work/b" && "$tr119" apply >apply.log)
for p in "${hogs[@]}"; do kill "$p"; done
hogs=()

echo "== tr119 diff A A"
"$tr119" diff "$work/a/results" "$work/a/results" | tail -1
echo "== tr119 diff A B"
set +e
"$tr119" diff "$work/a/results" "$work/b/results"
rc=$?
set -e
echo "exit status $rc"
if ((rc != 1)); then
  echo "diff-tiny: want exit 1 (a throughput drop flagged), got $rc" >&2
  exit 1
fi
"$tr119" diff "$work/a/results" "$work/a/results" >/dev/null
echo "diff-tiny: ok"
