package telemetry

import (
	"io/fs"
	"log/slog"
	"time"

	"github.com/tr119/tr119/telemetry/nvml"
	"github.com/tr119/tr119/telemetry/series"
)

// DefaultInterval is the sampling interval when Options.Interval is 0.
const DefaultInterval = 50 * time.Millisecond

// DefaultCounterInterval is Options.CounterInterval when it is 0.
const DefaultCounterInterval = 2 * time.Second

// gpuCounterStep is how often the NVML total energy counter advances: on
// the H200 every ~100 ms (measured there, with a 10 ms trace of it).
const gpuCounterStep = 100 * time.Millisecond

// Options configure a Recorder.
type Options struct {
	// Interval between readings of the RAPL counters; 0 means
	// DefaultInterval. procfs is read every 250 ms (or Interval if
	// longer), the GPU's power sample buffer (which holds ~2.4 s) every
	// 500 ms and its status every second; every Mark reads RAPL, procfs
	// and the GPU counters at once.
	Interval time.Duration
	// CounterInterval is how often the GPU energy counters are read
	// between window edges; 0 means DefaultCounterInterval. Every Mark
	// also has them read at once and one counter step later, so a
	// window's edges are bracketed closely whatever this is. It is not
	// Interval because one NVML counter read costs ~4 ms of CPU on an
	// H200 (the driver spins): read every 50 ms that alone would be 8% of
	// a core. Each Mark costs two such reads (Marks less than 20 ms apart
	// share them): Mark window edges, not every call inside a window.
	CounterInterval time.Duration
	// PowercapRoot is the powercap sysfs folder; "" means
	// /sys/class/powercap.
	PowercapRoot string
	// PowercapFS, when set, is read instead of PowercapRoot (tests).
	PowercapFS fs.FS
	// ProcRoot is the proc folder; "" means /proc.
	ProcRoot string
	// PID is the process whose CPU time and memory are sampled: a
	// backend's worker when its calls run in another process; 0 means
	// this process.
	PID int
	// ModelCPUTDPWatts > 0 asks for a modeled cpu_package power (TDP times
	// system CPU utilisation) where RAPL is unavailable. It is always
	// labelled "modeled"; 0 leaves such a domain unavailable.
	ModelCPUTDPWatts float64
	// Log receives sampling errors at debug level; nil discards them.
	Log *slog.Logger
	// NVML opens the GPU library; nil loads NVML (libnvidia-ml.so.1).
	NVML NVMLOpener
}

// GPU is one GPU as the Recorder reads it; *nvml.Device is one. Calls
// come from one goroutine at a time.
type GPU interface {
	// Name is the GPU's product name.
	Name() string
	// EnergyMJ reads the cumulative energy counter in millijoules.
	EnergyMJ() (uint64, error)
	// PowerSamples returns the power samples (T in Unix nanoseconds, V in
	// watts) newer than those returned by the previous call, oldest first.
	PowerSamples() ([]series.Point, error)
	// Status reads the GPU's state: utilisation, memory, temperature,
	// clocks, throttle reasons, power limit (keys as nvml.Status*).
	Status() (map[string]float64, error)
}

// GPULib is an opened GPU library and its devices.
type GPULib interface {
	// GPUs are the devices, in index order.
	GPUs() []GPU
	// Info describes the library and devices (driver, versions, names).
	Info() map[string]string
	// Close releases the library.
	Close() error
}

// NVMLOpener opens the GPU library. An error makes the gpu domain
// unavailable with the error as its reason; it never fails Open.
type NVMLOpener func() (GPULib, error)

// OpenNVML is the default NVMLOpener: NVML loaded from the dynamic
// loader's search path.
func OpenNVML() (GPULib, error) {
	l, err := nvml.Open("")
	if err != nil {
		return nil, err
	}
	return nvmlLib{l}, nil
}

// nvmlLib adapts *nvml.Lib to GPULib.
type nvmlLib struct{ *nvml.Lib }

func (l nvmlLib) GPUs() []GPU {
	var g []GPU
	for _, d := range l.Devices() {
		g = append(g, d)
	}
	return g
}
