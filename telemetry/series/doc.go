// Package series owns the energy attribution math over time series: a
// cumulative counter interpolated at a window's edges, trapezoidal
// integration of power samples, and counter wrap-around. It knows nothing
// of devices or files: times are int64 nanoseconds on one clock chosen by
// the caller, values are float64 in the caller's units (joules, watts).
package series
