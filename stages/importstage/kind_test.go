package importstage

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

type noProgress struct{}

func (noProgress) Report(int64, int64, string) {}

// decode evaluates an HCL stage body with the kind's spec.
func decode(t *testing.T, body string) cty.Value {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(body), "p.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	v, diags := hcldec.Decode(f.Body, New().Schema().Spec(), nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return v
}

// run executes the kind in a fresh workspace holding files.
func run(t *testing.T, body string, files map[string]string) (string, error) {
	t.Helper()
	ws := t.TempDir()
	for name, content := range files {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(ws, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(ws, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	res, err := New().Run(context.Background(), &engine.Run{
		Addr: "stage.import.t", Label: "t", Config: decode(t, body), Workspace: ws, OutDir: out,
		Progress: noProgress{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return "", err
	}
	return filepath.Join(out, res.Outputs["table"]), nil
}

func runsSmall(t *testing.T) string {
	b, err := os.ReadFile("../../artifacts/testdata/runs_small.csv")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestImport(t *testing.T) {
	csv := runsSmall(t)
	tests := []struct {
		name    string
		body    string
		files   map[string]string
		version string
		rows    int64
		wantErr string
	}{
		{"runs csv", `path = "runs.csv"
schema = "runs/v1"`, map[string]string{"runs.csv": csv}, "runs/v1", 24, ""},
		{"inferred jsonl", `path = "x.data"
format = "jsonl"`, map[string]string{"x.data": `{"a":1}` + "\n" + `{"a":2}` + "\n"}, "", 2, ""},
		{"no extension", `path = "x.data"`, map[string]string{"x.data": "a\n1\n"}, "", 0,
			`x.data: cannot tell the format from the extension ".data" (want .csv, .jsonl or .parquet, or set the format)`},
		{"bad format", `path = "x.csv"
format = "xlsx"`, nil, "", 0, `format: "xlsx" is not one of "csv", "jsonl", "parquet"`},
		{"unknown schema", `path = "x.csv"
schema = "runs/v9"`, nil, "", 0, `schema: "runs/v9" is not one of "cost_cell_tiers/v1"`},
		{"bad extra", `path = "x.csv"
extra_columns = "maybe"`, nil, "", 0, `extra_columns: "maybe" is not one of "keep", "drop", "reject"`},
		{"missing file", `path = "nope.csv"`, nil, "", 0, "import: read csv: open "},
		{"bad cell", `path = "runs.csv"
schema = "runs/v1"`, map[string]string{"runs.csv": strings.Replace(csv, ",13.6,", ",fast,", 1)}, "", 0,
			`import: runs.csv:2: column "latency_ms": "fast" is not a number`},
		{"header only", `path = "data/runs.csv"
schema = "runs/v2"`, map[string]string{"data/runs.csv": strings.SplitAfter(csv, "\n")[0]}, "", 0,
			`import: data/runs.csv has no data rows (only a header): a runs/v2 table needs at least one row`},
		{"header only without a contract", `path = "x.csv"`, map[string]string{"x.csv": "a,b\n"}, "", 0, ""},
		{"contract", `path = "runs.csv"
schema = "runs/v2"`, map[string]string{"runs.csv": strings.Replace(csv, ",ok,", ",okay,", 1)}, "", 0,
			`import: runs.csv:2: column "status": "okay" is not one of ok, degraded`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(t, tt.body, tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s, rows, err := artifacts.ReadParquetSchema(out)
			if err != nil {
				t.Fatal(err)
			}
			if rows != tt.rows || artifacts.SchemaVersion(s) != tt.version {
				t.Errorf("rows %d version %q, want %d %q", rows, artifacts.SchemaVersion(s), tt.rows, tt.version)
			}
		})
	}
}

func TestImportDeterministic(t *testing.T) {
	files := map[string]string{"runs.csv": runsSmall(t)}
	body := "path = \"runs.csv\"\nschema = \"runs/v1\"\n"
	a, err := run(t, body, files)
	if err != nil {
		t.Fatal(err)
	}
	b, err := run(t, body, files)
	if err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("two imports of the same file differ")
	}
	// Re-importing the Parquet output gives the same bytes again.
	pq, err := run(t, body+"format = \"parquet\"\n", map[string]string{"runs.csv": string(ab)})
	if err != nil {
		t.Fatal(err)
	}
	if cb, _ := os.ReadFile(pq); !bytes.Equal(ab, cb) {
		t.Error("importing the imported Parquet changed its bytes")
	}
}

func TestFileInputs(t *testing.T) {
	got, err := Kind{}.FileInputs(decode(t, `path = "data/runs.csv"`))
	if err != nil || len(got) != 1 || got[0] != "data/runs.csv" {
		t.Errorf("FileInputs = %v, %v", got, err)
	}
	if _, err := (Kind{}).FileInputs(decode(t, `path = ""`)); err == nil {
		t.Error("want an error for an empty path")
	}
}
