package importstage

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// Version is the import kind's implementation version; bump it whenever
// the same file and attributes would give other table bytes.
const Version = "1"

// outFile is the output table's file name inside the run's OutDir.
const outFile = "table.parquet"

// Kind is the import stage kind.
type Kind struct{}

var _ engine.FileInputer = Kind{}

// New returns the import kind.
func New() engine.Kind { return Kind{} }

// Info implements engine.Kind.
func (Kind) Info() engine.KindInfo {
	return engine.KindInfo{
		Name:          "import",
		Version:       Version,
		Deterministic: true,
		Doc: "Reads a CSV (header row), JSON-lines or Parquet file of the workspace (path; format csv|jsonl|parquet, " +
			"default from the extension) into a typed Parquet table. With schema = \"runs/v2\" (or another known " +
			"contract) the file is checked against it: every non-nullable column must be present, nullable ones it " +
			"lacks are filled with nulls, and the table carries the contract's version. Without a schema, column " +
			"types are inferred (int64, float64, bool, string). extra_columns = keep|drop|reject says what happens to " +
			"columns the schema lacks (default keep); NaN and Inf are errors unless allow_non_finite = true.",
		Outputs: []engine.OutputInfo{
			{Name: "table", MediaType: artifacts.ParquetMediaType, Doc: "The imported table (Parquet, pinned writer settings)."},
		},
	}
}

// Schema implements engine.Kind.
func (Kind) Schema() *schema.Body { return bodySchema() }

// FileInputs implements engine.FileInputer: the imported file's hash is
// part of the action key.
func (Kind) FileInputs(v cty.Value) ([]string, error) {
	c, err := parseConfig(v)
	if err != nil {
		return nil, err
	}
	return []string{c.path}, nil
}

// Run implements engine.Kind.
func (Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	cfg, err := parseConfig(r.Config)
	if err != nil {
		return nil, err
	}
	path := cfg.path
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.Workspace, path)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.Progress.Report(0, 1, "reading "+cfg.path)
	// Text input is streamed into Parquet a row group at a time, so a
	// million-row CSV never sits in memory whole.
	schema, rows, err := artifacts.ConvertTableFile(path, cfg.format, cfg.read, filepath.Join(r.OutDir, outFile))
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	if rows == 0 && cfg.read.Schema != nil {
		// Said here, about the user's file: a later stage could only name
		// the cached table.
		return nil, fmt.Errorf("import: %s has no data rows (only a header): a %s table needs at least one row",
			cfg.path, artifacts.SchemaVersion(cfg.read.Schema))
	}
	r.Log.Info("imported", "path", cfg.path, "format", cfg.format, "schema", artifacts.SchemaVersion(schema),
		"rows", rows, "columns", schema.NumFields())
	r.Progress.Report(1, 1, fmt.Sprintf("%d rows", rows))
	return &engine.Result{Outputs: map[string]string{"table": outFile}}, nil
}
