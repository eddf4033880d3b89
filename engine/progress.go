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
	// Elapsed is a progress report's seconds since the stage started.
	Elapsed float64 `json:"elapsed_s,omitempty"`
	// Remaining estimates a progress report's seconds left, from the pace
	// since the stage's first report (the first repetition, whose warm-up
	// is slower, is left out); 0 until there are two reports to go by.
	Remaining float64 `json:"remaining_s,omitempty"`
}

// emitter serialises calls to the OnEvent callback and times each
// stage's progress.
type emitter struct {
	mu     sync.Mutex
	fn     func(Event)
	now    func() time.Time // default time.Now
	stages map[string]*pace
}

// pace is one running stage's timing: when it started and its first
// progress report.
type pace struct {
	start, first time.Time
	firstDone    int64
}

func (e *emitter) emit(ev Event) {
	if e.fn == nil {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	now := time.Now
	if e.now != nil {
		now = e.now
	}
	if e.stages == nil {
		e.stages = map[string]*pace{}
	}
	switch ev.Type {
	case EventStart:
		e.stages[ev.Stage] = &pace{start: now()}
	case EventEnd:
		delete(e.stages, ev.Stage)
	case EventProgress:
		if p := e.stages[ev.Stage]; p != nil {
			p.time(&ev, now())
		}
	}
	e.fn(ev)
}

// time fills in a progress event's elapsed and remaining seconds.
func (p *pace) time(ev *Event, now time.Time) {
	ev.Elapsed = seconds(now.Sub(p.start))
	if p.first.IsZero() {
		p.first, p.firstDone = now, ev.Done
		return
	}
	if n := ev.Done - p.firstDone; n > 0 && ev.Total > ev.Done {
		perStep := now.Sub(p.first) / time.Duration(n)
		ev.Remaining = seconds(perStep * time.Duration(ev.Total-ev.Done))
	}
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
