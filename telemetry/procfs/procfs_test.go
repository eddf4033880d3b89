package procfs

import (
	"math"
	"os"
	"strings"
	"testing"
)

func TestProcess(t *testing.T) {
	p, err := New("testdata/proc", 4242).Process()
	if err != nil {
		t.Fatal(err)
	}
	want := Process{CPUSeconds: 3.75, RSSBytes: 4096 * 1024, PeakRSSBytes: 8192 * 1024}
	if p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}
}

func TestRSS(t *testing.T) {
	got, err := New("testdata/proc", 4242).RSS()
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(1024 * os.Getpagesize()); got != want {
		t.Errorf("got %d, want %d", got, want)
	}
}

func TestCPU(t *testing.T) {
	c, err := New("testdata/proc", 0).CPU()
	if err != nil {
		t.Fatal(err)
	}
	// busy = 1000+50+300+10+20+30 ticks, total adds 8000+100.
	if math.Abs(c.Busy-14.1) > 1e-9 || math.Abs(c.Total-95.1) > 1e-9 {
		t.Errorf("got %+v, want busy 14.1 s, total 95.1 s", c)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"stat column", func() error { _, err := New("testdata/bad", 0).CPU(); return err }, "testdata/bad/stat:1: column 4"},
		{"process fields", func() error { _, err := New("testdata/bad", 1).Process(); return err }, "testdata/bad/1/stat:1: 3 fields"},
		{"statm", func() error { _, err := New("testdata/bad", 1).RSS(); return err }, "testdata/bad/1/statm:1: field 2"},
		{"missing", func() error { _, err := New("testdata/absent", 0).CPU(); return err }, "read system stat"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestSelf(t *testing.T) {
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc here")
	}
	p, err := New("", 0).Process()
	if err != nil {
		t.Fatal(err)
	}
	if p.RSSBytes <= 0 || p.PeakRSSBytes < p.RSSBytes {
		t.Errorf("self = %+v", p)
	}
}
