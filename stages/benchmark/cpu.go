package benchmark

import (
	"syscall"

	"github.com/tr119/tr119/telemetry/procfs"
)

// cpuClock reads the CPU time at a window's edge: the process's own (for
// process_cpu_s) and the whole machine's (for system_cpu_util).
type cpuClock interface {
	Now() cpuSnap
}

// cpuSnap is one reading; a false ok leaves that part unknown.
type cpuSnap struct {
	proc        float64 // process user + system seconds
	procOK      bool
	busy, total float64 // system CPU seconds over all CPUs
	sysOK       bool
}

// usage returns the process's CPU seconds per call and the machine's CPU
// utilisation between two readings (nil where unknown).
func (a cpuSnap) usage(b cpuSnap, calls int) (perCall, util *float64) {
	if a.procOK && b.procOK && calls > 0 {
		perCall = ptr((b.proc - a.proc) / float64(calls))
	}
	if a.sysOK && b.sysOK && b.total > a.total {
		util = ptr(min(1, max(0, (b.busy-a.busy)/(b.total-a.total))))
	}
	return perCall, util
}

// procCPU reads getrusage (microsecond resolution, unlike /proc's 10 ms
// ticks) for the process and /proc/stat for the machine.
type procCPU struct{ r *procfs.Reader }

func newProcCPU() procCPU { return procCPU{r: procfs.New("", 0)} }

// Now implements cpuClock.
func (p procCPU) Now() cpuSnap {
	var s cpuSnap
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.proc = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
		s.procOK = true
	}
	if t, err := p.r.CPU(); err == nil {
		s.busy, s.total, s.sysOK = t.Busy, t.Total, true
	}
	return s
}
