package exportstage

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

type noProgress struct{}

func (noProgress) Report(int64, int64, string) {}

// tableArtifact writes a small inferred table to Parquet and returns it
// as an artifact.
func tableArtifact(t *testing.T) engine.Artifact {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "in.csv")
	os.WriteFile(src, []byte("name,score,n\nb,1.5,2\na,,1\nc,0.1,3\n"), 0o644)
	tbl, err := artifacts.ReadCSV(src, artifacts.ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	p := filepath.Join(dir, "t.parquet")
	if err := artifacts.WriteParquet(p, tbl); err != nil {
		t.Fatal(err)
	}
	return engine.Artifact{Path: p, SHA256: "x", MediaType: artifacts.ParquetMediaType, Stage: "stage.import.t", Available: true}
}

func list(s ...string) cty.Value {
	if len(s) == 0 {
		return cty.NullVal(cty.List(cty.String))
	}
	vals := make([]cty.Value, len(s))
	for i, x := range s {
		vals[i] = cty.StringVal(x)
	}
	return cty.ListVal(vals)
}

var empty = cty.ListValEmpty(cty.String)

func run(t *testing.T, a engine.Artifact, formats, columns, sortBy cty.Value) (map[string]string, *engine.Result, error) {
	t.Helper()
	cfg := cty.ObjectVal(map[string]cty.Value{"table": a.Value(), "formats": formats, "columns": columns, "sort_by": sortBy})
	out := t.TempDir()
	res, err := New().Run(context.Background(), &engine.Run{Addr: "stage.export.t", Label: "t", Config: cfg,
		Workspace: t.TempDir(), OutDir: out, Progress: noProgress{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, nil, err
	}
	files := map[string]string{}
	for name, rel := range res.Outputs {
		b, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		files[name] = string(b)
	}
	return files, res, nil
}

func TestExport(t *testing.T) {
	a := tableArtifact(t)
	tests := []struct {
		name                     string
		formats, columns, sortBy cty.Value
		want                     map[string]string
		wantErr                  string
	}{
		{"no formats", empty, list(), list(), nil, "formats: formats needs at least 1 element"},
		{"all", list(), list(), list(), map[string]string{
			"csv":   "name,score,n\nb,1.5,2\na,,1\nc,0.1,3\n",
			"jsonl": `{"name":"b","score":1.5,"n":2}` + "\n" + `{"name":"a","score":null,"n":1}` + "\n" + `{"name":"c","score":0.1,"n":3}` + "\n",
		}, ""},
		{"csv sorted and selected", list("csv"), list("n", "name"), list("-score"), map[string]string{
			"csv": "n,name\n2,b\n3,c\n1,a\n",
		}, ""},
		{"sort by name", list("csv"), list(), list("name"), map[string]string{
			"csv": "name,score,n\na,,1\nb,1.5,2\nc,0.1,3\n",
		}, ""},
		{"bad format", list("xlsx"), list(), list(), nil, `formats[0]: "xlsx" is not one of "csv", "jsonl"`},
		{"twice", list("csv", "csv"), list(), list(), nil, `formats[1]: formats lists "csv" twice`},
		{"no columns", list(), empty, list(), nil, "columns: columns needs at least 1 element"},
		{"unknown column", list(), list("nope"), list(), nil, `export: columns: column "nope" missing (columns: name, score, n)`},
		{"unknown sort column", list(), list(), list("nope"), nil, `export: sort_by: sort by "nope": column "nope" missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files, _, err := run(t, a, tt.formats, tt.columns, tt.sortBy)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != len(tt.want) {
				t.Errorf("outputs %v, want %d", files, len(tt.want))
			}
			for name, want := range tt.want {
				if files[name] != want {
					t.Errorf("%s:\ngot  %q\nwant %q", name, files[name], want)
				}
			}
		})
	}
}

func TestExportUnavailable(t *testing.T) {
	a := engine.Artifact{Stage: "stage.benchmark.gpu", Reason: "no GPU"}
	_, res, err := run(t, a, list(), list(), list())
	if err != nil {
		t.Fatal(err)
	}
	if want := "table from stage.benchmark.gpu unavailable: no GPU"; res.Unavailable != want {
		t.Errorf("Unavailable = %q, want %q", res.Unavailable, want)
	}
}

func TestExportRunsSmallIsIdentity(t *testing.T) {
	tbl, err := artifacts.ReadCSV("../../artifacts/testdata/runs_small.csv", artifacts.ReadOptions{Schema: artifacts.RunsSchema()})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "runs.parquet")
	err = artifacts.WriteParquet(p, tbl)
	tbl.Release()
	if err != nil {
		t.Fatal(err)
	}
	files, _, err := run(t, engine.Artifact{Path: p, Available: true}, list("csv"), list(), list())
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile("../../artifacts/testdata/runs_small.csv")
	if !bytes.Equal([]byte(files["csv"]), orig) {
		t.Error("exporting the imported runs_small.csv does not give it back")
	}
}
