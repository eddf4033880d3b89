package backends

import (
	"context"
	"time"
)

// Looper is implemented by a Runner that times calls inside its own
// process and loops them itself (an out-of-process worker, where a round
// trip per call would land in the timed window). The stage then makes one
// Loop call per energy window instead of calling Run in a loop; the
// window's energy marks are still taken by the stage around it.
type Looper interface {
	// Loop performs calls over one batch (as Run) until Until is met and
	// returns every call's Output, each with Latency set to the call's own
	// time. On an error it returns the calls finished before it and the
	// error (wrapping context.DeadlineExceeded when a call ran past
	// Until.Timeout); the stage keeps those calls and degrades the row.
	Loop(ctx context.Context, ids, mask []int64, until Until) ([]Output, error)
}

// Until says when a Loop stops.
type Until struct {
	// Calls is the least number of calls (at least 1).
	Calls int
	// Duration, when positive, keeps calling until the time since the
	// first call started reaches it (min_energy_window); zero means
	// exactly Calls calls.
	Duration time.Duration
	// Timeout bounds each call (the stage's `timeout`): a call that runs
	// longer is abandoned and Loop returns an error.
	Timeout time.Duration
}

// Process is implemented by a Model whose calls run in another process.
// The stage then measures that process's usage, not tr119's: CPU seconds
// and peak RSS from /proc/PID (peak reset through /proc/PID/clear_refs at
// each cell start), unless the Model also implements UsageReporter.
type Process interface {
	// PID is the worker's process id; it must stay the same for the
	// Model's life (a restarted worker is a new Model).
	PID() int
}

// UsageReporter is implemented by a Model that reports the usage of the
// process doing its calls itself (getrusage, VmHWM, the device
// allocator's peak). Where implemented, the stage reads it at each
// window's edges, outside the timed and energy windows, in place of
// /proc.
type UsageReporter interface {
	// Usage returns the usage of the process doing the calls.
	Usage(ctx context.Context) (Usage, error)
	// ResetPeaks starts new maxima of PeakRSSBytes and GPUMemoryBytes; the
	// stage calls it at each cell's start.
	ResetPeaks(ctx context.Context) error
}

// Usage is the resource use of the process doing a backend's calls.
type Usage struct {
	// CPUSeconds is the process's user + system CPU time since it
	// started (cumulative; the stage takes differences).
	CPUSeconds float64
	// PeakRSSBytes is the peak resident set since the last ResetPeaks;
	// 0 when unknown.
	PeakRSSBytes int64
	// GPUMemoryBytes is the peak device memory the process allocated
	// since the last ResetPeaks; 0 when unknown or on the CPU.
	GPUMemoryBytes int64
}
