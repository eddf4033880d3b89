package main

import (
	"context"
	"math"
	"os/exec"
	"strings"
	"testing"
)

func TestMeanCV(t *testing.T) {
	tests := []struct {
		x        []float64
		mean, cv float64
	}{
		{[]float64{10, 10, 10}, 10, 0},
		{[]float64{9, 11}, 10, math.Sqrt2 / 10},
		{[]float64{5}, 5, 0},
	}
	for _, tc := range tests {
		m, cv := meanCV(tc.x)
		if math.Abs(m-tc.mean) > 1e-12 || math.Abs(cv-tc.cv) > 1e-12 {
			t.Errorf("meanCV(%v) = %v, %v; want %v, %v", tc.x, m, cv, tc.mean, tc.cv)
		}
	}
}

// The lockstep protocol with a stand-in for gpu-load.py.
func TestChild(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	script := `echo ready 3 20.0; while read l; do [ "$l" = b ] || exit 0; echo ok 20.5; done`
	c, err := start(context.Background(), sh, "-c", script)
	if err != nil {
		t.Fatal(err)
	}
	f, err := c.expect("ready")
	if err != nil || field(f, 1) != "3" || field(f, 9) != "?" {
		t.Fatalf("ready: %v %v", f, err)
	}
	if err := c.send("b"); err != nil {
		t.Fatal(err)
	}
	if f, err := c.expect("ok"); err != nil || f[1] != "20.5" {
		t.Fatalf("ok: %v %v", f, err)
	}
	if err := c.send("b"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.expect("ready"); err == nil || !strings.Contains(err.Error(), `got "ok 20.5"`) {
		t.Errorf("out of step: err = %v", err)
	}
	if err := c.wait(); err != nil {
		t.Fatal(err)
	}
}
