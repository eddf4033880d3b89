package nvml

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	gonvml "github.com/NVIDIA/go-nvml/pkg/nvml"
	"github.com/tr119/tr119/telemetry/series"
)

// Status keys: what Device.Status reports.
const (
	StatusUtilGPUPct   = "util_gpu_pct"
	StatusUtilMemPct   = "util_mem_pct"
	StatusMemUsedBytes = "mem_used_bytes"
	StatusTempC        = "temp_c"
	StatusSMClockMHz   = "sm_clock_mhz"
	StatusThrottleMask = "throttle_reasons"
	StatusPowerW       = "power_usage_w"
	StatusPowerLimitW  = "power_limit_w"
)

// Device is one GPU. Its methods are not safe for concurrent use: the
// recorder calls them from one goroutine at a time.
type Device struct {
	index    int
	h        gonvml.Device
	name     string
	lastSeen uint64 // newest power sample timestamp (µs) already returned
}

// Name is the GPU's product name, e.g. "NVIDIA H200".
func (d *Device) Name() string { return d.name }

// EnergyMJ reads the total energy counter (millijoules since the driver
// loaded). It steps about every 100 ms on an H200.
func (d *Device) EnergyMJ() (uint64, error) {
	v, ret := d.h.GetTotalEnergyConsumption()
	if ret != gonvml.SUCCESS {
		return 0, fmt.Errorf("gpu%d total energy: %w", d.index, ret)
	}
	return v, nil
}

// PowerSamples returns the driver's power samples (about one per 20 ms)
// newer than those returned before, oldest first: T is the sample's CPU
// timestamp in Unix nanoseconds, V the power in watts.
func (d *Device) PowerSamples() ([]series.Point, error) {
	vt, s, ret := d.h.GetSamples(gonvml.TOTAL_POWER_SAMPLES, d.lastSeen)
	if ret == gonvml.ERROR_NOT_FOUND {
		return nil, nil // no sample since lastSeen
	}
	if ret != gonvml.SUCCESS {
		return nil, fmt.Errorf("gpu%d power samples: %w", d.index, ret)
	}
	out := make([]series.Point, 0, len(s))
	for _, x := range s {
		if x.TimeStamp <= d.lastSeen {
			continue
		}
		out = append(out, series.Point{T: int64(x.TimeStamp) * 1000, V: value(vt, x.SampleValue) / 1000})
	}
	sortPoints(out)
	if n := len(out); n > 0 {
		d.lastSeen = uint64(out[n-1].T / 1000)
	}
	return out, nil
}

// value decodes an NVML sample value (the union nvmlValue_t) as float64;
// power samples are unsigned milliwatts.
func value(vt gonvml.ValueType, b [8]byte) float64 {
	u := binary.LittleEndian.Uint64(b[:])
	switch vt {
	case gonvml.VALUE_TYPE_DOUBLE:
		return math.Float64frombits(u)
	case gonvml.VALUE_TYPE_UNSIGNED_INT:
		return float64(uint32(u))
	case gonvml.VALUE_TYPE_SIGNED_INT:
		return float64(int32(uint32(u)))
	case gonvml.VALUE_TYPE_SIGNED_LONG_LONG:
		return float64(int64(u))
	default:
		return float64(u)
	}
}

// Status reads what a sample of the GPU's state holds (keys Status*).
// Fields the GPU does not support are left out; an error only when none
// could be read.
func (d *Device) Status() (map[string]float64, error) {
	m := make(map[string]float64, 8)
	var last gonvml.Return
	ok := func(ret gonvml.Return) bool {
		if ret != gonvml.SUCCESS {
			last = ret
		}
		return ret == gonvml.SUCCESS
	}
	if u, ret := d.h.GetUtilizationRates(); ok(ret) {
		m[StatusUtilGPUPct], m[StatusUtilMemPct] = float64(u.Gpu), float64(u.Memory)
	}
	if mem, ret := d.h.GetMemoryInfo(); ok(ret) {
		m[StatusMemUsedBytes] = float64(mem.Used)
	}
	if t, ret := d.h.GetTemperature(gonvml.TEMPERATURE_GPU); ok(ret) {
		m[StatusTempC] = float64(t)
	}
	if c, ret := d.h.GetClockInfo(gonvml.CLOCK_SM); ok(ret) {
		m[StatusSMClockMHz] = float64(c)
	}
	if r, ret := d.h.GetCurrentClocksEventReasons(); ok(ret) {
		m[StatusThrottleMask] = float64(r)
	}
	if p, ret := d.h.GetPowerUsage(); ok(ret) {
		m[StatusPowerW] = float64(p) / 1000
	}
	if p, ret := d.h.GetEnforcedPowerLimit(); ok(ret) {
		m[StatusPowerLimitW] = float64(p) / 1000
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("gpu%d status: %w", d.index, last)
	}
	return m, nil
}

// sortPoints sorts by T: NVML returns its ring buffer in ring order.
func sortPoints(p []series.Point) {
	slices.SortFunc(p, func(a, b series.Point) int { return cmp.Compare(a.T, b.T) })
}

// EnergyField reads the total energy counter through NVML's field values
// (NVML_FI_DEV_TOTAL_ENERGY_CONSUMPTION): the value in millijoules and
// the driver's timestamp of it in Unix microseconds.
func (d *Device) EnergyField() (mj uint64, tsUS int64, err error) {
	v := []gonvml.FieldValue{{FieldId: gonvml.FI_DEV_TOTAL_ENERGY_CONSUMPTION}}
	if ret := d.h.GetFieldValues(v); ret != gonvml.SUCCESS {
		return 0, 0, fmt.Errorf("gpu%d energy field: %w", d.index, ret)
	}
	if r := gonvml.Return(v[0].NvmlReturn); r != gonvml.SUCCESS {
		return 0, 0, fmt.Errorf("gpu%d energy field: %w", d.index, r)
	}
	return binary.LittleEndian.Uint64(v[0].Value[:]), v[0].Timestamp, nil
}
