package telemetry

import (
	"context"
	"os"
	"testing"
)

// BenchmarkPoll is the cost of one procfs-and-RAPL read without a GPU
// (RAPL absent here, procfs real), what every Mark and every 250 ms tick
// does. A GPU adds its NVML reads (measured on the H200 with powercheck
// -calls and -cost).
func BenchmarkPoll(b *testing.B) {
	r, err := Open(context.Background(), Options{NVML: failingOpener(os.ErrNotExist), Interval: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	b.ReportAllocs()
	for b.Loop() {
		r.poll(pollEdge)
	}
}
