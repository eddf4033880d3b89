package benchmark

import (
	"context"
	"time"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/telemetry"
)

// energyMeter is what the benchmark needs of telemetry: an idle baseline
// before the cells, and energy per domain between two marks. The
// telemetry package provides the real one; noMeter is the machine with
// no energy domain at all.
type energyMeter interface {
	// Available says whether any domain can measure energy; when none
	// can, repetitions are not looped into long windows.
	Available() bool
	// Idle measures the idle baseline for d.
	Idle(ctx context.Context, d time.Duration) error
	// Mark returns an opaque point in time for Between.
	Mark() mark
	// Between returns each domain's energy between two marks.
	Between(a, b mark) map[string]measurement
	// Close stops sampling.
	Close() error
}

// mark is a point in time of an energy meter.
type mark struct {
	t   time.Time
	rec telemetry.Mark
}

// recorded is implemented by meters that keep raw samples and describe
// their sources; the stage writes both out.
type recorded interface {
	Environment() map[string]string
	WriteSamples(path string) error
}

// measurement is one domain's energy over a window.
type measurement struct {
	EnergyJ, ActiveJ, PowerW, IdlePowerW *float64
	Samples                              int64
	Source, Reason                       string
}

// noMeter is a machine without NVML or RAPL: every domain unavailable,
// with the reason.
type noMeter struct{ reasons map[string]string }

func newNoMeter(reasons map[string]string) *noMeter {
	r := map[string]string{}
	for _, d := range artifacts.Domains {
		r[d] = "no energy source on this machine"
	}
	for d, why := range reasons {
		r[d] = why
	}
	return &noMeter{reasons: r}
}

func (*noMeter) Available() bool                                 { return false }
func (*noMeter) Idle(ctx context.Context, _ time.Duration) error { return ctx.Err() }
func (*noMeter) Mark() mark                                      { return mark{t: time.Now()} }
func (*noMeter) Close() error                                    { return nil }

func (m *noMeter) Between(a, b mark) map[string]measurement {
	out := make(map[string]measurement, len(m.reasons))
	for d, why := range m.reasons {
		out[d] = measurement{Source: artifacts.SourceUnavailable, Reason: why}
	}
	return out
}
