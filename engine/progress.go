package engine

import (
	"sync"
	"time"
)

// Event types emitted by Apply.
const (
	EventStart    = "start"
	EventProgress = "progress"
	EventEnd      = "end"
)

// Stage statuses at the end of an apply.
const (
	StatusExecuted    = "executed"
	StatusCached      = "cached"
	StatusFailed      = "failed"
	StatusUnavailable = "unavailable"
	StatusSkipped     = "skipped"
	StatusCancelled   = "cancelled"
)

// Event is one thing that happened to a stage during apply. Views render
// it (a bar or a line on a terminal, a JSON line with -json).
type Event struct {
	// Type is start, progress or end.
	Type string `json:"type"`
	// Stage is the stage address; Kind its kind.
	Stage string `json:"stage"`
	Kind  string `json:"kind"`
	// Done and Total are a progress report's counts (Total 0: unknown).
	Done  int64 `json:"done,omitempty"`
	Total int64 `json:"total,omitempty"`
	// Note is a progress report's note, or an end event's reason.
	Note string `json:"note,omitempty"`
	// Status is an end event's outcome (executed, cached, ...).
	Status string `json:"status,omitempty"`
	// Seconds is an end event's duration.
	Seconds float64 `json:"seconds,omitempty"`
	// Error is a failed stage's error.
	Error string `json:"error,omitempty"`
}

// emitter serialises calls to the OnEvent callback.
type emitter struct {
	mu sync.Mutex
	fn func(Event)
}

func (e *emitter) emit(ev Event) {
	if e.fn == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.fn(ev)
}

// stageProgress is the Progress handed to a running stage.
type stageProgress struct {
	em         *emitter
	addr, kind string
}

// Report implements Progress.
func (p *stageProgress) Report(done, total int64, note string) {
	p.em.emit(Event{Type: EventProgress, Stage: p.addr, Kind: p.kind, Done: done, Total: total, Note: note})
}

func seconds(d time.Duration) float64 {
	return float64(d.Round(time.Millisecond)) / float64(time.Second)
}
