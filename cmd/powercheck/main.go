package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"time"

	"github.com/tr119/tr119/telemetry"
)

// config holds the command line.
type config struct {
	python, script, samples string
	busy, idle, window      time.Duration
	burstMS                 float64
	repeats                 int
	interval                time.Duration
	calls                   int
	cost                    time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.python, "python", "python3", "python interpreter with torch and cuda")
	flag.StringVar(&c.script, "script", "scripts/gpu-load.py", "the load script")
	flag.StringVar(&c.samples, "samples", "", "write the raw telemetry samples (Parquet) here")
	flag.DurationVar(&c.busy, "busy", 10*time.Second, "busy phase")
	flag.DurationVar(&c.idle, "idle", 10*time.Second, "idle phase after it")
	flag.DurationVar(&c.window, "window", 2*time.Second, "minimum energy window of the burst loop")
	flag.Float64Var(&c.burstMS, "burst-ms", 20, "length of one burst, ms")
	flag.IntVar(&c.repeats, "repeats", 5, "burst windows")
	flag.DurationVar(&c.interval, "interval", telemetry.DefaultInterval, "sampling interval")
	flag.IntVar(&c.calls, "calls", 0, "time each NVML read this many times, then exit")
	flag.DurationVar(&c.cost, "cost", 0, "measure the sampler's CPU cost, split by part, over this long each, then exit")
	flag.Parse()
	if c.cost > 0 {
		if err := cost(context.Background(), os.Stdout, c.cost); err != nil {
			fmt.Fprintln(os.Stderr, "powercheck:", err)
			os.Exit(2)
		}
		return
	}
	if c.calls > 0 {
		if err := calls(os.Stdout, c.calls); err != nil {
			fmt.Fprintln(os.Stderr, "powercheck:", err)
			os.Exit(2)
		}
		return
	}
	ok, err := run(context.Background(), c, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "powercheck:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

func run(ctx context.Context, c config, w io.Writer) (bool, error) {
	rec, err := telemetry.Open(ctx, telemetry.Options{Interval: c.interval})
	if err != nil {
		return false, err
	}
	defer rec.Close()
	env := rec.Environment()
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "env %s = %s\n", k, env[k])
	}
	if d := rec.Domains()[0]; !d.Available {
		return false, fmt.Errorf("gpu: %s", d.Reason)
	}

	// The sampler alone: its CPU cost while nothing else runs, first with
	// no window at all, then over the idle baseline (two Marks).
	c0, t0 := cpuTime(), time.Now()
	time.Sleep(5 * time.Second)
	fmt.Fprintf(w, "sampler cpu, no windows: %.3f%% of one core over 5 s (getrusage)\n",
		100*(cpuTime()-c0).Seconds()/time.Since(t0).Seconds())
	c0, t0 = cpuTime(), time.Now()
	idle, err := rec.Idle(ctx, 5*time.Second)
	if err != nil {
		return false, err
	}
	cost := (cpuTime() - c0).Seconds() / time.Since(t0).Seconds()
	fmt.Fprintf(w, "sampler cpu, idle baseline window: %.3f%% of one core (interval %v, counter interval %s; process CPU time by getrusage over the 5 s idle baseline)\n",
		100*cost, c.interval, env["telemetry.counter_interval"])
	fmt.Fprintf(w, "idle baseline (5 s before load): gpu %.1f W\n", idle[telemetry.DomainGPU])
	from := rec.Mark().Add(-5 * time.Second)
	s := rec.EnergyFrom(from, from.Add(4*time.Second), telemetry.SourceSamples)[telemetry.DomainGPU]
	if s.PowerW != nil {
		fmt.Fprintf(w, "idle by samples (4 s of it): %.1f W, %d samples\n", *s.PowerW, s.Samples)
	} else {
		fmt.Fprintf(w, "idle by samples: %s\n", s.Reason)
	}

	ok1, err := steady(ctx, c, rec, w)
	if err != nil {
		return false, err
	}
	ok2, err := bursts(ctx, c, rec, w)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(w, "powercheck cpu over the whole run: %.2f%% of one core (sampler, edge reads, and driving the load script)\n",
		100*(cpuTime()-c0).Seconds()/time.Since(t0).Seconds())
	if c.samples != "" {
		if err := rec.WriteSamples(c.samples); err != nil {
			return false, err
		}
		fmt.Fprintf(w, "samples written to %s\n", c.samples)
	}
	return ok1 && ok2, nil
}

// verdict prints a check's result.
func verdict(w io.Writer, ok bool, what string) bool {
	s := "PASS"
	if !ok {
		s = "FAIL"
	}
	fmt.Fprintf(w, "%s %s\n", s, what)
	return ok
}

// meanCV is the mean and coefficient of variation (sample SD / mean).
func meanCV(x []float64) (mean, cv float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	if len(x) > 1 && mean != 0 {
		cv = math.Sqrt(ss/float64(len(x)-1)) / math.Abs(mean)
	}
	return mean, cv
}
