package procfs

import (
	"os"
	"testing"
)

// The sampler reads these every interval: their cost is its cost.
func BenchmarkCPU(b *testing.B) {
	if _, err := os.Stat("/proc/stat"); err != nil {
		b.Skip("no /proc")
	}
	r := New("", 0)
	for b.Loop() {
		if _, err := r.CPU(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProcess(b *testing.B) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		b.Skip("no /proc")
	}
	r := New("", 0)
	for b.Loop() {
		if _, err := r.Process(); err != nil {
			b.Fatal(err)
		}
	}
}
