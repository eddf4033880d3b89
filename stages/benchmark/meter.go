package benchmark

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/tr119/tr119/telemetry"
)

// recorderMeter is the energyMeter over telemetry's Recorder (NVML, RAPL
// powercap, procfs). On a machine with neither NVML nor RAPL every domain
// is unavailable with the recorder's reason, and repetitions are not
// looped.
type recorderMeter struct {
	rec  *telemetry.Recorder
	idle map[string]float64
}

// openRecorder opens telemetry; pid is the process doing the backend's
// calls (0: this one), whose CPU time and memory it samples.
func openRecorder(ctx context.Context, cfg *config, log *slog.Logger, pid int) (energyMeter, error) {
	rec, err := telemetry.Open(ctx, telemetry.Options{Log: log, ModelCPUTDPWatts: cfg.ModelCPUTDPWatts, PID: pid})
	if err != nil {
		return nil, fmt.Errorf("telemetry: %w", err)
	}
	return &recorderMeter{rec: rec}, nil
}

// Available implements energyMeter.
func (m *recorderMeter) Available() bool {
	for _, d := range m.rec.Domains() {
		if d.Available {
			return true
		}
	}
	return false
}

// Idle implements energyMeter: the baseline is only measured when a
// domain can measure it; otherwise waiting would be wasted time.
func (m *recorderMeter) Idle(ctx context.Context, d time.Duration) error {
	if !m.Available() {
		return nil
	}
	idle, err := m.rec.Idle(ctx, d)
	m.idle = idle
	return err
}

// Mark implements energyMeter.
func (m *recorderMeter) Mark() mark { return mark{t: time.Now(), rec: m.rec.Mark()} }

// Between implements energyMeter.
func (m *recorderMeter) Between(a, b mark) map[string]measurement {
	out := map[string]measurement{}
	for d, x := range m.rec.Energy(a.rec, b.rec) {
		out[d] = measurement{EnergyJ: x.EnergyJ, ActiveJ: x.ActiveJ, PowerW: x.PowerW, IdlePowerW: x.IdleW,
			Samples: int64(x.Samples), Source: x.Source, Reason: x.Reason}
	}
	return out
}

// Close implements energyMeter.
func (m *recorderMeter) Close() error { return m.rec.Close() }

// Environment is what the recorder measures with.
func (m *recorderMeter) Environment() map[string]string { return m.rec.Environment() }

// WriteSamples writes the raw telemetry samples table.
func (m *recorderMeter) WriteSamples(path string) error { return m.rec.WriteSamples(path) }
