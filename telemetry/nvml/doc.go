// Package nvml reads NVIDIA GPUs through NVML (github.com/NVIDIA/go-nvml),
// which loads libnvidia-ml.so.1 at run time: a machine without the
// library or a GPU gets an error from Open that says so, never a crash.
// It is the only package of telemetry that uses cgo. Per device it reads
// the total energy counter, the driver's buffer of power samples, and a
// status (utilisation, memory used, temperature, SM clock, throttle
// reasons, power draw and limit).
package nvml
