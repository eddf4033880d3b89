package frame

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tr119/tr119/artifacts"
)

// write stores a small validation/v1 table and returns its path.
func write(t *testing.T) string {
	t.Helper()
	b := artifacts.NewBuilder(artifacts.ValidationSchema())
	defer b.Release()
	rows := [][]any{
		{"energy", "warn", "a", "s1", "prefill", "few samples", 2.0},
		{"coverage", "info", "b", "s1", "decode", "ok", nil},
	}
	for _, r := range rows {
		if err := b.Append(r...); err != nil {
			t.Fatal(err)
		}
	}
	tbl := b.Table()
	defer tbl.Release()
	p := filepath.Join(t.TempDir(), "v.parquet")
	if err := artifacts.WriteParquet(p, tbl); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRead(t *testing.T) {
	f, err := Read(write(t))
	if err != nil {
		t.Fatal(err)
	}
	if f.Len != 2 || f.Version != artifacts.ValidationVersion {
		t.Fatalf("len %d version %q", f.Len, f.Version)
	}
	if got := f.Str(artifacts.AVSeverity, 1); got != "info" {
		t.Errorf("severity[1] = %q", got)
	}
	if got := f.Num(artifacts.AVValue, 0); got != 2 {
		t.Errorf("value[0] = %v", got)
	}
	if got := f.Num(artifacts.AVValue, 1); !math.IsNaN(got) {
		t.Errorf("null value[1] = %v, want NaN", got)
	}
	if got := f.Rows(artifacts.ACMode, "decode"); len(got) != 1 || got[0] != 1 {
		t.Errorf("rows(mode=decode) = %v", got)
	}
	if got := f.Distinct(artifacts.ACScenario); len(got) != 1 || got[0] != "s1" {
		t.Errorf("distinct scenarios = %v", got)
	}
}

func TestRequire(t *testing.T) {
	f, err := Read(write(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, prefix string
		cols         []string
		want         string
	}{
		{"ok", "validation/", []string{artifacts.AVCheck, artifacts.AVValue}, ""},
		{"wrong version", "cost_cells/", nil, `want cost_cells/`},
		{"missing column", "", []string{"nope"}, `column "nope" missing`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := f.Require(tc.prefix, tc.cols...)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "v.parquet") {
				t.Fatalf("err = %v, want it to name the file and contain %q", err, tc.want)
			}
		})
	}
}

func TestReadMissingFile(t *testing.T) {
	if _, err := Read(filepath.Join(t.TempDir(), "none.parquet")); err == nil {
		t.Fatal("no error for a missing file")
	}
}
