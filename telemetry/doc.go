// Package telemetry measures power and energy for timed windows. It owns
// the Recorder: sampling goroutines over NVML (GPU), RAPL powercap (CPU
// package, DRAM) and procfs (CPU time, utilisation, RSS), the attribution
// of energy to a window [Mark, Mark] with its source and evidence, the
// idle baseline, and the raw samples table (telemetry_samples/v1).
//
// Attribution for a window, per domain: a counter (NVML total energy,
// RAPL energy_uj) interpolated at the window's edges when one exists
// (measured_counter); else trapezoidal integration of power samples
// (measured_samples); else a model, only when asked (modeled: the CPU's
// TDP times its utilisation); else unavailable, with the reason. Nothing
// is ever filled in with a guess.
//
// The subpackages do the reading (nvml, rapl, procfs) and the math
// (series); this package knows nothing of the engine or of stages.
package telemetry
