package telemetry

import (
	"context"
	"os"
	"testing"
)

// BenchmarkPoll is the cost of one sampling tick without a GPU (RAPL
// absent here, procfs real): times 20 per second at the default interval,
// it is the sampler's CPU share. A GPU adds its NVML reads (measured on
// the H200 with powercheck -calls).
func BenchmarkPoll(b *testing.B) {
	r, err := Open(context.Background(), Options{NVML: failingOpener(os.ErrNotExist), Interval: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	b.ReportAllocs()
	for b.Loop() {
		r.poll(pollTick)
	}
}
