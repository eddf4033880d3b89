package telemetry

import (
	"io/fs"
	"log/slog"
	"time"

	"github.com/tr119/tr119/telemetry/nvml"
	"github.com/tr119/tr119/telemetry/series"
)

// DefaultInterval is the sampling interval when Options.Interval is 0:
// twice per NVML energy counter step (~100 ms), and cheap (see
// BenchmarkPoll).
const DefaultInterval = 50 * time.Millisecond

// Options configure a Recorder.
type Options struct {
	// Interval between readings of every counter and sampler; 0 means
	// DefaultInterval.
	Interval time.Duration
	// PowercapRoot is the powercap sysfs folder; "" means
	// /sys/class/powercap.
	PowercapRoot string
	// PowercapFS, when set, is read instead of PowercapRoot (tests).
	PowercapFS fs.FS
	// ProcRoot is the proc folder; "" means /proc.
	ProcRoot string
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
