package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/tr119/tr119/telemetry"
)

// bursts measures one short burst through looped windows: the load script
// runs a burst for every "b" it reads and answers when the GPU is done;
// the window repeats bursts until it reaches c.window, and its energy is
// divided by the bursts in it, as the benchmark loops a short call.
func bursts(ctx context.Context, c config, rec *telemetry.Recorder, w io.Writer) (bool, error) {
	ch, err := start(ctx, c.python, c.script, "burst", "--ms", strconv.FormatFloat(c.burstMS, 'f', -1, 64))
	if err != nil {
		return false, err
	}
	f, err := ch.expect("ready")
	if err != nil {
		return false, err
	}
	fmt.Fprintf(w, "burst: %s matmuls of 4096x4096 bf16, %s ms on its own\n", field(f, 1), field(f, 2))
	var total, active []float64
	c0, t0 := cpuTime(), time.Now()
	for i := 0; i < c.repeats; i++ {
		from, start := rec.Mark(), time.Now()
		n := 0
		var busyMS float64
		for time.Since(start) < c.window {
			if err := ch.send("b"); err != nil {
				return false, fmt.Errorf("gpu-load: %w", err)
			}
			f, err := ch.expect("ok")
			if err != nil {
				return false, err
			}
			v, _ := strconv.ParseFloat(field(f, 1), 64)
			busyMS += v
			n++
		}
		to := rec.Mark()
		m := rec.Energy(from, to)[telemetry.DomainGPU]
		if m.EnergyJ == nil {
			return false, fmt.Errorf("burst window: %s", m.Reason)
		}
		e := *m.EnergyJ / float64(n)
		total = append(total, e)
		line := fmt.Sprintf("burst window %d: %.3f s, %d bursts (mean %.2f ms each), %.1f J, %d counter updates: %.3f J per burst",
			i+1, (to.Offset() - from.Offset()).Seconds(), n, busyMS/float64(n), *m.EnergyJ, m.Samples, e)
		if m.ActiveJ != nil {
			a := *m.ActiveJ / float64(n)
			active = append(active, a)
			line += fmt.Sprintf(", active %.3f J", a)
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintf(w, "powercheck cpu during the burst windows: %.2f%% of one core (sampler, edge reads, and the lockstep pipe)\n",
		100*(cpuTime()-c0).Seconds()/time.Since(t0).Seconds())
	if err := ch.wait(); err != nil {
		return false, err
	}
	mean, cv := meanCV(total)
	ok := verdict(w, mean > 0 && cv < 0.10, fmt.Sprintf("burst energy %.3f J per burst, CV %.2f%% over %d windows (limit 10%%, non-zero)", mean, 100*cv, len(total)))
	if len(active) == len(total) {
		am, acv := meanCV(active)
		fmt.Fprintf(w, "burst active energy %.3f J per burst, CV %.2f%%\n", am, 100*acv)
	}
	return ok, nil
}

func field(f []string, i int) string {
	if i < len(f) {
		return f[i]
	}
	return "?"
}
