package telemetry

import (
	"sort"

	"github.com/tr119/tr119/telemetry/series"
)

// key names one series of readings: a domain ("gpu", "cpu_package",
// "dram", "system", "process", "window"), a device ("gpu0",
// "intel-rapl:0", "self") and a channel ("energy_j", "power_sample_w",
// "temp_c", ...).
type key struct{ domain, device, channel string }

// Channels of the series the recorder keeps.
const (
	chEnergyJ     = "energy_j"       // cumulative counter, joules
	chPowerSample = "power_sample_w" // driver power sample, watts
	chCPUBusy     = "cpu_busy_s"     // system CPU busy time, all CPUs
	chCPUTotal    = "cpu_total_s"    // system CPU time, all CPUs
	chProcCPU     = "cpu_s"          // process user+system CPU time
	chProcRSS     = "rss_bytes"
	chProcPeakRSS = "peak_rss_bytes"
	chWinStart    = "window_start" // value: the window's index
	chWinEnd      = "window_end"
)

// store holds every series, append-only, in time order per series.
type store struct {
	m map[key][]series.Point
}

func newStore() *store { return &store{m: map[key][]series.Point{}} }

func (s *store) add(k key, p series.Point) { s.m[k] = append(s.m[k], p) }

// get returns the series; callers must not modify it.
func (s *store) get(k key) []series.Point { return s.m[k] }

// keys returns every key, sorted.
func (s *store) keys() []key {
	ks := make([]key, 0, len(s.m))
	for k := range s.m {
		ks = append(ks, k)
	}
	sort.Slice(ks, func(i, j int) bool {
		a, b := ks[i], ks[j]
		if a.domain != b.domain {
			return a.domain < b.domain
		}
		if a.device != b.device {
			return a.device < b.device
		}
		return a.channel < b.channel
	})
	return ks
}

// around returns the part of pts from margin before t0 to the first point
// after t1 (and one beyond), enough to attribute [t0, t1] without walking
// a long history.
func around(pts []series.Point, t0, t1, margin int64) []series.Point {
	lo := sort.Search(len(pts), func(i int) bool { return pts[i].T >= t0-margin })
	hi := sort.Search(len(pts), func(i int) bool { return pts[i].T > t1 })
	return pts[max(0, lo-1):min(len(pts), hi+2)]
}
