package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/tr119/tr119/telemetry"
)

// settle is skipped at the start of the idle phase: the GPU's power
// decays for a moment after the load stops.
const settle = 3 * time.Second

// steady runs gpu-load.py steady and compares counter and samples over
// the busy window.
func steady(ctx context.Context, c config, rec *telemetry.Recorder, w io.Writer) (bool, error) {
	ch, err := start(ctx, c.python, c.script, "steady",
		"--busy", secs(c.busy), "--idle", secs(c.idle))
	if err != nil {
		return false, err
	}
	marks := map[string]telemetry.Mark{}
	for _, ev := range []string{"ready", "busy_start", "busy_end", "idle_end"} {
		if _, err := ch.expect(ev); err != nil {
			return false, err
		}
		marks[ev] = rec.Mark()
	}
	if err := ch.wait(); err != nil {
		return false, err
	}
	b0, b1 := marks["busy_start"], marks["busy_end"]
	gpu := func(m map[string]telemetry.Measurement) telemetry.Measurement { return m[telemetry.DomainGPU] }
	byCounter := gpu(rec.EnergyFrom(b0, b1, telemetry.SourceCounter))
	bySamples := gpu(rec.EnergyFrom(b0, b1, telemetry.SourceSamples))
	idle := gpu(rec.Energy(b1.Add(settle), marks["idle_end"]))
	if byCounter.EnergyJ == nil || bySamples.EnergyJ == nil || idle.EnergyJ == nil {
		return false, fmt.Errorf("busy window: counter %q, samples %q, idle %q", byCounter.Reason, bySamples.Reason, idle.Reason)
	}
	busyS := (b1.Offset() - b0.Offset()).Seconds()
	fmt.Fprintf(w, "idle phase (%.1f s after a %v settle): %.1f W (counter, %d updates)\n",
		(marks["idle_end"].Offset() - b1.Add(settle).Offset()).Seconds(), settle, *idle.PowerW, idle.Samples)
	fmt.Fprintf(w, "busy phase (%.2f s): %.1f W by counter, %.1f W by samples\n", busyS, *byCounter.PowerW, *bySamples.PowerW)
	fmt.Fprintf(w, "busy energy: counter %.1f J (%d updates), samples %.1f J (%d samples)",
		*byCounter.EnergyJ, byCounter.Samples, *bySamples.EnergyJ, bySamples.Samples)
	if byCounter.ActiveJ != nil {
		fmt.Fprintf(w, ", active (counter, less idle baseline) %.1f J", *byCounter.ActiveJ)
	}
	fmt.Fprintln(w)
	diff := (*bySamples.EnergyJ - *byCounter.EnergyJ) / *byCounter.EnergyJ
	return verdict(w, math.Abs(diff) < 0.05, fmt.Sprintf("counter vs samples over the busy window: %+.2f%% (limit 5%%)", 100*diff)), nil
}

func secs(d time.Duration) string { return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) }
