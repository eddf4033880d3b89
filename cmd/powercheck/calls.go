package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/tr119/tr119/telemetry/nvml"
	"github.com/tr119/tr119/telemetry/procfs"
)

// cpuTime is the process's user+system CPU time, at microsecond
// resolution (getrusage), finer than /proc's 10 ms ticks.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// calls times each NVML read the sampler makes, n times: what one tick
// costs and where.
func calls(w io.Writer, n int) error {
	lib, err := nvml.Open("")
	if err != nil {
		return err
	}
	defer lib.Close()
	d := lib.Devices()[0]
	proc := procfs.New("", 0)
	for _, c := range []struct {
		name string
		f    func() error
	}{
		{"EnergyMJ", func() error { _, err := d.EnergyMJ(); return err }},
		{"PowerSamples", func() error { _, err := d.PowerSamples(); return err }},
		{"Status", func() error { _, err := d.Status(); return err }},
		{"EnergyField", func() error { _, _, err := d.EnergyField(); return err }},
		{"proc CPU", func() error { _, err := proc.CPU(); return err }},
		{"proc CPUSeconds", func() error { _, err := proc.CPUSeconds(); return err }},
		{"proc RSS", func() error { _, err := proc.RSS(); return err }},
		{"proc Process", func() error { _, err := proc.Process(); return err }},
	} {
		c0, t0 := cpuTime(), time.Now()
		for i := 0; i < n; i++ {
			if err := c.f(); err != nil {
				return err
			}
		}
		fmt.Fprintf(w, "%-16s %8.1f us wall, %8.1f us cpu per call (%d calls)\n", c.name,
			float64(time.Since(t0).Microseconds())/float64(n), float64((cpuTime()-c0).Microseconds())/float64(n), n)
	}
	// A trace of both counter reads every 10 ms for 1.5 s: when do they
	// step, and what does the field's timestamp say?
	start := time.Now()
	var lastF, lastE uint64
	for time.Since(start) < 1500*time.Millisecond {
		t := time.Since(start)
		f, ts, err := d.EnergyField()
		if err != nil {
			return err
		}
		e, err := d.EnergyMJ()
		if err != nil {
			return err
		}
		if f != lastF || e != lastE {
			fmt.Fprintf(w, "trace t=%7.1fms field=%d (ts age %.1f ms) energy=%d\n", float64(t.Microseconds())/1000, f,
				float64(time.Now().UnixMicro()-ts)/1000, e)
			lastF, lastE = f, e
		}
		time.Sleep(10 * time.Millisecond)
	}
	return nil
}

// schedTime is the process's CPU time summed over its threads from
// /proc/self/task/*/schedstat: the scheduler's exact runtime in ns, where
// getrusage may be tick-sampled.
func schedTime() time.Duration {
	paths, _ := filepath.Glob("/proc/self/task/*/schedstat")
	var sum int64
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		var ns int64
		fmt.Sscan(string(b), &ns)
		sum += ns
	}
	return time.Duration(sum)
}
