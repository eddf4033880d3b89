package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/tr119/tr119/engine"
)

// applyView renders apply events: JSON lines, or text with a progress bar
// per stage on a terminal and plain lines elsewhere.
type applyView struct {
	w    io.Writer
	json *json.Encoder
	tty  bool
	bars map[string]*progressbar.ProgressBar
	last map[string]time.Time // when each stage's last progress line went out
}

// progressEvery spaces plain progress lines: a log file wants a pulse,
// not every repetition.
const progressEvery = 2 * time.Second

func newApplyView(w io.Writer, asJSON bool) *applyView {
	v := &applyView{w: w, bars: map[string]*progressbar.ProgressBar{}, last: map[string]time.Time{}}
	if asJSON {
		v.json = json.NewEncoder(w)
		v.json.SetEscapeHTML(false)
	}
	if f, ok := outputFile(w); ok && !asJSON {
		v.tty = term.IsTerminal(int(f.Fd()))
	}
	return v
}

// outputFile returns the file w writes to, looking through the writer
// that hides file() contents, so that a terminal is still seen as one.
func outputFile(w io.Writer) (*os.File, bool) {
	if r, ok := w.(*redactWriter); ok {
		w = r.w
	}
	f, ok := w.(*os.File)
	return f, ok
}

// event renders one engine event; the engine serialises the calls.
func (v *applyView) event(ev engine.Event) {
	if v.json != nil {
		v.json.Encode(ev)
		return
	}
	switch ev.Type {
	case engine.EventStart:
		fmt.Fprintf(v.w, "%s: running\n", ev.Stage)
	case engine.EventProgress:
		v.progress(ev)
	case engine.EventEnd:
		if b := v.bars[ev.Stage]; b != nil {
			b.Finish()
			fmt.Fprintln(v.w)
			delete(v.bars, ev.Stage)
		}
		fmt.Fprintln(v.w, endLine(ev))
	}
}

func (v *applyView) progress(ev engine.Event) {
	if !v.tty {
		if now := time.Now(); now.Sub(v.last[ev.Stage]) >= progressEvery || (ev.Total > 0 && ev.Done >= ev.Total) {
			v.last[ev.Stage] = now
		} else {
			return
		}
		if ev.Total > 0 {
			fmt.Fprintf(v.w, "%s: %d/%d %s%s\n", ev.Stage, ev.Done, ev.Total, ev.Note, timing(ev))
		} else {
			fmt.Fprintf(v.w, "%s: %d %s%s\n", ev.Stage, ev.Done, ev.Note, timing(ev))
		}
		return
	}
	b := v.bars[ev.Stage]
	if b == nil {
		total := ev.Total
		if total <= 0 {
			total = -1
		}
		b = progressbar.NewOptions64(total, progressbar.OptionSetWriter(v.w), progressbar.OptionSetDescription(ev.Stage),
			progressbar.OptionSetPredictTime(false))
		v.bars[ev.Stage] = b
	}
	if ev.Total > 0 && b.GetMax64() != ev.Total {
		b.ChangeMax64(ev.Total)
	}
	b.Describe(ev.Stage + " " + ev.Note + timing(ev))
	b.Set64(ev.Done)
}

// timing is a progress line's " (elapsed 1m04s, about 2m10s left)".
func timing(ev engine.Event) string {
	if ev.Elapsed <= 0 {
		return ""
	}
	s := " (elapsed " + clock(ev.Elapsed)
	if ev.Remaining > 0 {
		s += ", about " + clock(ev.Remaining) + " left"
	}
	return s + ")"
}

// clock formats seconds as 45s, 3m07s or 2h05m.
func clock(sec float64) string {
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

func endLine(ev engine.Event) string {
	switch ev.Status {
	case engine.StatusExecuted:
		return fmt.Sprintf("%s: executed in %.2fs", ev.Stage, ev.Seconds)
	case engine.StatusCached:
		return fmt.Sprintf("%s: cached", ev.Stage)
	case engine.StatusFailed:
		return fmt.Sprintf("%s: failed: %s", ev.Stage, ev.Error)
	case engine.StatusUnavailable:
		return fmt.Sprintf("%s: unavailable: %s", ev.Stage, ev.Note)
	default:
		return fmt.Sprintf("%s: %s (%s)", ev.Stage, ev.Status, ev.Note)
	}
}

// summary renders the apply's closing lines: the counts, the stages the
// plan expected to run that were found cached, the results folder and,
// last, the report's path.
func (v *applyView) summary(plan *engine.Plan, out *engine.Outcome, resultsDir string) {
	counts := map[string]int{}
	for _, s := range []string{engine.StatusExecuted, engine.StatusCached, engine.StatusUnavailable,
		engine.StatusFailed, engine.StatusSkipped, engine.StatusCancelled} {
		counts[s] = out.Count(s)
	}
	report := reportPath(out, resultsDir)
	cutoff := earlyCutoff(plan, out)
	if v.json != nil {
		v.json.Encode(map[string]any{"type": "summary", "counts": counts, "results": resultsDir,
			"report": report, "unchanged_inputs": cutoff})
		return
	}
	word := "complete"
	if counts[engine.StatusFailed]+counts[engine.StatusCancelled]+counts[engine.StatusSkipped] > 0 {
		word = "failed"
	}
	fmt.Fprintf(v.w, "\nApply %s: %d executed, %d cached, %d unavailable, %d failed, %d skipped, %d cancelled.\n",
		word, counts[engine.StatusExecuted], counts[engine.StatusCached], counts[engine.StatusUnavailable],
		counts[engine.StatusFailed], counts[engine.StatusSkipped], counts[engine.StatusCancelled])
	if n := len(cutoff); n > 0 {
		fmt.Fprintf(v.w, "%d %s the plan counted as running %s cached: %s inputs came out unchanged.\n",
			n, plural(n, "stage", "stages"), plural(n, "was", "were"), plural(n, "its", "their"))
	}
	if resultsDir != "" {
		fmt.Fprintf(v.w, "Results: %s\n", resultsDir)
	}
	if report != "" {
		fmt.Fprintf(v.w, "Report: %s\n", report)
	}
}

// earlyCutoff lists the stages the plan expected to run or rerun that
// apply found cached, because their upstream outputs did not change.
func earlyCutoff(plan *engine.Plan, out *engine.Outcome) []string {
	cutoff := []string{}
	if plan == nil {
		return cutoff
	}
	for _, s := range out.Stages {
		if ps := plan.Stage(s.Stage.Addr); ps != nil && ps.Action != engine.ActionCached && s.Status == engine.StatusCached {
			cutoff = append(cutoff, s.Stage.Addr)
		}
	}
	return cutoff
}

// reportPath is the path of the report the apply placed in resultsDir:
// the HTML output of a report stage, else its Markdown; "" when none.
func reportPath(out *engine.Outcome, resultsDir string) string {
	if resultsDir == "" {
		return ""
	}
	kinds := map[string]string{}
	for _, s := range out.Stages {
		kinds[s.Stage.Addr] = s.Stage.KindName
	}
	best := ""
	for _, f := range engine.ResultFiles(out) {
		if kinds[f.Stage] != "report" {
			continue
		}
		switch f.Output.MediaType {
		case "text/html":
			return filepath.Join(resultsDir, filepath.FromSlash(f.Path))
		case "text/markdown":
			best = cmp.Or(best, filepath.Join(resultsDir, filepath.FromSlash(f.Path)))
		}
	}
	return best
}
