package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tr119/tr119/telemetry"
	"github.com/tr119/tr119/telemetry/nvml"
)

// cost splits the sampler's CPU cost over d: NVML loaded but unused, the
// recorder without a GPU (procfs and the ticker), and the whole recorder.
func cost(ctx context.Context, w io.Writer, d time.Duration) error {
	pct := func(what string, f func() error) error {
		c0, s0, t0 := cpuTime(), schedTime(), time.Now()
		if err := f(); err != nil {
			return err
		}
		el := time.Since(t0).Seconds()
		fmt.Fprintf(w, "cpu %-32s %.3f%% of one core by getrusage, %.3f%% by schedstat, over %v\n", what,
			100*(cpuTime()-c0).Seconds()/el, 100*(schedTime()-s0).Seconds()/el, d)
		return nil
	}
	sleep := func() error { time.Sleep(d); return nil }
	if err := pct("idle process", sleep); err != nil {
		return err
	}
	lib, err := nvml.Open("")
	if err == nil {
		err = pct("nvml open, no calls", sleep)
		lib.Close()
	}
	if err != nil {
		fmt.Fprintln(w, "nvml:", err)
	}
	noGPU := func() (telemetry.GPULib, error) { return nil, errors.New("left out") }
	for _, o := range []telemetry.Options{{NVML: noGPU}, {}} {
		rec, err := telemetry.Open(ctx, o)
		if err != nil {
			return err
		}
		what := "recorder, gpu " + rec.Domains()[0].Source
		if err := pct(what, sleep); err != nil {
			return err
		}
		rec.Close()
	}
	return nil
}
