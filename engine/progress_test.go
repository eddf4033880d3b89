package engine

import (
	"testing"
	"time"
)

// TestProgressPace: progress events carry the seconds since the stage
// started and, from the second report on, an estimate of the seconds left
// at the pace since the first report.
func TestProgressPace(t *testing.T) {
	clock := time.Unix(1000, 0)
	var got []Event
	em := &emitter{fn: func(ev Event) { got = append(got, ev) }, now: func() time.Time { return clock }}
	p := &stageProgress{em: em, addr: "stage.benchmark.cpu", kind: "benchmark"}
	em.emit(Event{Type: EventStart, Stage: p.addr})
	clock = clock.Add(10 * time.Second) // loading the model, a slow first repetition
	p.Report(1, 11, "")
	clock = clock.Add(4 * time.Second) // two more steps at 2 s each
	p.Report(3, 11, "")
	clock = clock.Add(16 * time.Second)
	p.Report(11, 11, "")
	tests := []struct{ elapsed, remaining float64 }{{0, 0}, {10, 0}, {14, 16}, {30, 0}}
	for i, want := range tests {
		if got[i].Elapsed != want.elapsed || got[i].Remaining != want.remaining {
			t.Errorf("event %d: elapsed %v remaining %v, want %v and %v", i, got[i].Elapsed, got[i].Remaining, want.elapsed, want.remaining)
		}
	}
}
