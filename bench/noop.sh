#!/usr/bin/env bash
# Times `tr119 apply` as a whole process in an applied workspace: a no-op
# (everything cached, results in place) and a re-price (a new electricity
# price each run: cost, stats, plot, validate and report run again on the
# cached measurements). Prints the median wall and CPU (user+sys) time.
# Issue 9's targets on 2 cores for the default pipeline: no-op <= 50 ms,
# re-price <= 1 s.
#
#   bench/noop.sh [-n RUNS] [-b TR119] [WORKSPACE]
#
# WORKSPACE defaults to the repository root (the default pipeline, ~3 min
# to apply first on 2 cores); `bench/noop.sh -w tiny` applies
# pipeline.hcl with -var preset=tiny in a temporary workspace first. The binary defaults
# to bin/tr119 (built here).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=15 bin="" ws=""
while getopts "n:b:w:" o; do
	case $o in
	n) runs=$OPTARG ;;
	b) bin=$OPTARG ;;
	w) ws=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$bin" ]; then
	go build -o bin/tr119 ./cmd/tr119
	bin=$PWD/bin/tr119
fi
ws=${1:-$ws}
if [ "$ws" = tiny ]; then
	ws=$(mktemp -d)
	cp pipeline.hcl "$ws/pipeline.hcl"
	export TR119_VAR_preset=tiny
fi
ws=${ws:-$PWD}
(cd "$ws" && "$bin" apply >/dev/null) || { echo "full apply failed" >&2; exit 1; }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

measure() { # name, then the apply arguments; RUN in them is the run number
	local name=$1 wall=() cpu=() t
	shift
	for i in $(seq 1 "$runs"); do
		local args=("${@//RUN/$i}")
		TIMEFORMAT='%3R %3U %3S'
		t=$( { time (cd "$ws" && "$bin" apply "${args[@]}" >/dev/null 2>&1 || echo "apply ${args[*]} failed" >&2); } 2>&1 | tail -1)
		wall+=("$(echo "$t" | awk '{printf "%.0f", $1*1000}')")
		cpu+=("$(echo "$t" | awk '{printf "%.0f", ($2+$3)*1000}')")
	done
	printf '%-8s median wall %4s ms, cpu %4s ms over %d runs (wall ms: %s)\n' "$name" \
		"$(printf '%s\n' "${wall[@]}" | median)" "$(printf '%s\n' "${cpu[@]}" | median)" "$runs" "${wall[*]}"
}

measure no-op
measure re-price -var "usd_per_kwh=0.3RUN"
