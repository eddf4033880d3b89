package benchmark

import (
	"context"
	"os"
	"strconv"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/telemetry/procfs"
)

// usageSource reads the CPU time and peak memory of the process doing a
// backend's calls: tr119 itself (in-process backends), a worker's
// /proc/PID (backends.Process), or what the worker reports
// (backends.UsageReporter). The machine's CPU utilisation always comes
// from the stage's own clock.
type usageSource interface {
	// Reset starts new peaks (at a cell's start).
	Reset(ctx context.Context)
	// Now reads CPU time at a window's edge.
	Now(ctx context.Context) cpuSnap
	// Peak returns the peak RSS and device memory since Reset (nil:
	// unknown).
	Peak(ctx context.Context) (rss, gpu *int64)
}

// newUsage picks the usage source for an opened model.
func newUsage(model backends.Model, self peakRSS, clock cpuClock) usageSource {
	if r, ok := model.(backends.UsageReporter); ok {
		return reportedUsage{r: r, clock: clock}
	}
	if p, ok := model.(backends.Process); ok {
		return pidUsage{pid: p.PID(), r: procfs.New("", p.PID()), clock: clock}
	}
	return selfUsage{rss: self, clock: clock}
}

// selfUsage is tr119's own process.
type selfUsage struct {
	rss   peakRSS
	clock cpuClock
}

func (u selfUsage) Reset(context.Context)              { u.rss.Reset() }
func (u selfUsage) Now(context.Context) cpuSnap        { return u.clock.Now() }
func (u selfUsage) Peak(context.Context) (_, _ *int64) { return u.rss.Peak(), nil }

// pidUsage is another process read through /proc/PID (10 ms ticks for
// CPU time: windows of at least min_energy_window keep that small).
type pidUsage struct {
	pid   int
	r     *procfs.Reader
	clock cpuClock
}

func (u pidUsage) Reset(context.Context) {
	_ = os.WriteFile("/proc/"+strconv.Itoa(u.pid)+"/clear_refs", []byte("5"), 0)
}

func (u pidUsage) Now(context.Context) cpuSnap {
	s := u.clock.Now()
	s.proc, s.procOK = 0, false
	if v, err := u.r.CPUSeconds(); err == nil {
		s.proc, s.procOK = v, true
	}
	return s
}

func (u pidUsage) Peak(context.Context) (_, _ *int64) {
	p, err := u.r.Process()
	if err != nil {
		return nil, nil
	}
	return ptr(p.PeakRSSBytes), nil
}

// reportedUsage asks the backend (a worker reporting its own getrusage,
// VmHWM and device allocator peak).
type reportedUsage struct {
	r     backends.UsageReporter
	clock cpuClock
}

func (u reportedUsage) Reset(ctx context.Context) { _ = u.r.ResetPeaks(ctx) }

func (u reportedUsage) Now(ctx context.Context) cpuSnap {
	s := u.clock.Now()
	s.proc, s.procOK = 0, false
	if x, err := u.r.Usage(ctx); err == nil {
		s.proc, s.procOK = x.CPUSeconds, true
	}
	return s
}

func (u reportedUsage) Peak(ctx context.Context) (rss, gpu *int64) {
	x, err := u.r.Usage(ctx)
	if err != nil {
		return nil, nil
	}
	if x.PeakRSSBytes > 0 {
		rss = ptr(x.PeakRSSBytes)
	}
	if x.GPUMemoryBytes > 0 {
		gpu = ptr(x.GPUMemoryBytes)
	}
	return rss, gpu
}
