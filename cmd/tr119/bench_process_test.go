package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// benchWorkspace applies a pipeline once in a new workspace and returns
// it with the tr119 command: TR119_BENCH_WORKSPACE names an applied
// workspace to use as is (the default pipeline: the repository root);
// else pipeline.hcl is copied and applied with -var preset=tiny, through
// TR119_VAR_preset (about 15 s on 2 cores).
func benchWorkspace(b *testing.B) (bin, dir string) {
	b.Helper()
	bin, err := exec.LookPath("tr119")
	if err != nil {
		b.Skip("tr119 test command not on PATH")
	}
	if dir = os.Getenv("TR119_BENCH_WORKSPACE"); dir != "" {
		return bin, dir
	}
	dir = b.TempDir()
	src, err := os.ReadFile("../../pipeline.hcl")
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv("TR119_VAR_preset", "tiny")
	os.WriteFile(filepath.Join(dir, "pipeline.hcl"), src, 0o644)
	if out, err := runIn(bin, dir, "apply"); err != nil {
		b.Fatalf("full apply: %v\n%s", err, out)
	}
	return bin, dir
}

func runIn(bin, dir string, args ...string) ([]byte, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}

// timeProcesses runs tr119 once per loop with args(i), whole process,
// and reports the median wall time.
func timeProcesses(b *testing.B, bin, dir string, args func(i int) []string) {
	var times []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if out, err := runIn(bin, dir, args(i)...); err != nil {
			b.Fatalf("apply: %v\n%s", err, out)
		}
		times = append(times, time.Since(start))
		i++
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}

// BenchmarkNoopApplyProcess is `tr119 apply` as a whole process after a
// full apply: everything cached, results in place. Issue 9's target for
// the default pipeline (~480 MB of results): median ≤ 50 ms on 2 cores.
//
//	go test ./cmd/tr119 -run '^$' -bench NoopApplyProcess -benchtime 20x
//	TR119_BENCH_WORKSPACE=$PWD go test ./cmd/tr119 -run '^$' -bench NoopApplyProcess -benchtime 20x
func BenchmarkNoopApplyProcess(b *testing.B) {
	bin, dir := benchWorkspace(b)
	timeProcesses(b, bin, dir, func(int) []string { return []string{"apply"} })
}

// BenchmarkRepriceProcess is `tr119 apply` with a new electricity price
// each time: the cost, stats, plot, validate and report stages run again
// on cached measurements. Issue 9's target: ≤ 1 s (must not regress).
func BenchmarkRepriceProcess(b *testing.B) {
	bin, dir := benchWorkspace(b)
	timeProcesses(b, bin, dir, func(i int) []string {
		return []string{"apply", "-var", "usd_per_kwh=" + strconv.FormatFloat(0.3+float64(i)/1000, 'f', 3, 64)}
	})
}
