package exportstage

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// Version is the export kind's implementation version; bump it whenever
// the same table and attributes would give other bytes.
const Version = "1"

// Output media types.
const (
	csvMediaType   = "text/csv"
	jsonlMediaType = "application/x-ndjson"
)

// Kind is the export stage kind.
type Kind struct{}

// New returns the export kind.
func New() engine.Kind { return Kind{} }

// Info implements engine.Kind.
func (Kind) Info() engine.KindInfo {
	return engine.KindInfo{
		Name:          "export",
		Version:       Version,
		Deterministic: true,
		Doc: "Writes a table artifact as CSV (header row, empty cell for null) and JSON lines (one object per row, " +
			"null for null). formats picks which (default both); columns selects and orders columns; sort_by sorts " +
			"rows stably by columns (\"-col\" for descending; nulls last). Floats are written as the shortest text " +
			"that reads back as the same number.",
		Outputs: []engine.OutputInfo{
			{Name: "csv", MediaType: csvMediaType, Doc: "The table as CSV (when formats has \"csv\")."},
			{Name: "jsonl", MediaType: jsonlMediaType, Doc: "The table as JSON lines (when formats has \"jsonl\")."},
		},
	}
}

// Schema implements engine.Kind.
func (Kind) Schema() *schema.Body { return bodySchema() }

// writerFor returns a format's output file name and writer; ok is false
// for an unknown format.
func writerFor(format string) (file string, write func(string, arrow.Table) error, ok bool) {
	switch format {
	case "csv":
		return "table.csv", artifacts.WriteCSVFile, true
	case "jsonl":
		return "table.jsonl", artifacts.WriteJSONLFile, true
	}
	return "", nil, false
}

// Run implements engine.Kind.
func (Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	cfg, err := parseConfig(r.Config)
	if err != nil {
		return nil, err
	}
	if !cfg.table.Available {
		return &engine.Result{Unavailable: fmt.Sprintf("table from %s unavailable: %s", cfg.table.Stage, cfg.table.Reason)}, nil
	}
	tbl, err := artifacts.ReadParquet(cfg.table.Path)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer tbl.Release()
	// Sort before selecting, so rows can be sorted by a column left out.
	if len(cfg.sortBy) > 0 {
		sorted, err := artifacts.SortTable(tbl, cfg.sortBy)
		if err != nil {
			return nil, fmt.Errorf("export: sort_by: %w", err)
		}
		defer sorted.Release()
		tbl = sorted
	}
	if cfg.columns != nil {
		sel, err := artifacts.SelectColumns(tbl, cfg.columns)
		if err != nil {
			return nil, fmt.Errorf("export: columns: %w", err)
		}
		defer sel.Release()
		tbl = sel
	}
	res := &engine.Result{Outputs: map[string]string{}}
	for i, f := range cfg.formats {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		r.Progress.Report(int64(i), int64(len(cfg.formats)), "writing "+f)
		file, write, _ := writerFor(f) // formats were checked by parseConfig
		if err := write(filepath.Join(r.OutDir, file), tbl); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
		res.Outputs[f] = file
	}
	r.Progress.Report(int64(len(cfg.formats)), int64(len(cfg.formats)), fmt.Sprintf("%d rows", tbl.NumRows()))
	return res, nil
}
