package main

import (
	"io"
	"strings"

	"github.com/tr119/tr119/engine"
)

// redactWriter hides what the pipeline's file() calls read from
// everything the CLI prints (diagnostics, errors, plan reasons, events):
// `path = file("/etc/shadow")` must never print the file.
type redactWriter struct {
	w io.Writer
	p *engine.Pipeline
}

// Write implements io.Writer.
func (r *redactWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(r.w, r.p.Redact(string(b))); err != nil {
		return 0, err
	}
	return len(b), nil
}

// redactOutput makes the app's output hide p's file() contents.
func (a *app) redactOutput(p *engine.Pipeline) {
	if p == nil {
		return
	}
	if r, ok := a.stdout.(*redactWriter); ok {
		a.stdout = r.w
	}
	if r, ok := a.stderr.(*redactWriter); ok {
		a.stderr = r.w
	}
	a.stdout = &redactWriter{w: a.stdout, p: p}
	a.stderr = &redactWriter{w: a.stderr, p: p}
}

// hideReplacedContents rewrites plan reasons "ATTR: OLD -> NEW" whose new
// value is the contents of a file read by file(): the old value, recorded
// in the workspace state, was that file's earlier contents, which Redact
// cannot recognise.
func hideReplacedContents(p *engine.Pipeline, plan *engine.Plan) {
	for _, s := range plan.Stages {
		for i, r := range s.Reasons {
			attr, change, ok := strings.Cut(r, ": ")
			if !ok || !strings.Contains(change, " -> ") {
				continue
			}
			if hidden := p.Redact(change); hidden != change {
				_, now, _ := strings.Cut(hidden, " -> ")
				if strings.Contains(now, "(contents of ") {
					s.Reasons[i] = attr + ": (earlier file contents) -> " + now
				}
			}
		}
	}
}
