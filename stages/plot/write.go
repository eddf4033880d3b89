package plot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// IndexEntry is one figure in index.json.
type IndexEntry struct {
	// ID is the figure's stable name: MODE_METRIC.
	ID string `json:"id"`
	// Title is the figure's title as drawn.
	Title string `json:"title"`
	// Mode is prefill, generate or decode.
	Mode string `json:"mode"`
	// Metric is the plotted column (or a name for a derived view).
	Metric string `json:"metric"`
	// PNG and SVG are the file names inside the folder.
	PNG string `json:"png"`
	SVG string `json:"svg"`
	// Source is the sha256 of the artifact the values came from.
	Source string `json:"source_sha256"`
	// Missing counts the values drawn as n/a (not measured).
	Missing int `json:"missing"`
	// Number is the figure's number (1, 2, ...) in index order.
	Number int `json:"number"`
	// Caption says what the figure shows, its error bars, notes (such
	// as backends without energy) and the artifact it was drawn from.
	Caption string `json:"caption"`
}

// Index is index.json.
type Index struct {
	Schema  string       `json:"schema"`
	Figures []IndexEntry `json:"figures"`
}

// caption is the chart's caption with its source artifact.
func caption(c chart) string {
	src := c.Source
	if len(src) > 12 {
		src = src[:12]
	}
	out := c.Caption
	if n := c.missing(); n > 0 && !c.Scatter {
		out += fmt.Sprintf(" %d value(s) not measured are marked n/a.", n)
	}
	return out + fmt.Sprintf(" Source: %s (sha256 %s).", c.SourceName, src)
}

// write draws every chart as PNG and SVG into dir and writes index.json,
// each file atomically.
func write(ctx context.Context, dir string, cs []chart, prog engine.Progress) error {
	idx := Index{Schema: "figures/v1", Figures: []IndexEntry{}}
	for i, c := range cs {
		if err := ctx.Err(); err != nil {
			return err
		}
		prog.Report(int64(i), int64(len(cs)), c.ID)
		e := IndexEntry{ID: c.ID, Title: c.Title, Mode: c.Mode, Metric: c.Metric, PNG: c.ID + ".png", SVG: c.ID + ".svg",
			Source: c.Source, Missing: c.missing(), Number: i + 1, Caption: caption(c)}
		for _, f := range []struct{ format, name string }{{"png", e.PNG}, {"svg", e.SVG}} {
			b, err := render(c, f.format)
			if err != nil {
				return err
			}
			if err := artifacts.WriteFileAtomic(filepath.Join(dir, f.name), b, 0o644); err != nil {
				return fmt.Errorf("write %s: %w", f.name, err)
			}
		}
		idx.Figures = append(idx.Figures, e)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(idx); err != nil {
		return fmt.Errorf("encode index: %w", err)
	}
	prog.Report(int64(len(cs)), int64(len(cs)), "done")
	return artifacts.WriteFileAtomic(filepath.Join(dir, IndexFile), b.Bytes(), 0o644)
}
