package artifacts

import (
	"os"
	"strings"
	"testing"
)

func TestLookupSchema(t *testing.T) {
	s, ok := LookupSchema(RunsVersion)
	if !ok || !s.Equal(RunsSchema()) || SchemaVersion(s) != RunsVersion {
		t.Fatalf("LookupSchema(%q) = %v, %v", RunsVersion, s, ok)
	}
	if _, ok := LookupSchema("runs/v0"); ok {
		t.Error("unknown version found")
	}
	for _, v := range SchemaVersions() {
		s, ok := LookupSchema(v)
		if !ok || SchemaVersion(s) != v {
			t.Errorf("LookupSchema(%q) gives version %q", v, SchemaVersion(s))
		}
	}
	if got := SchemaVersions(); !contains(got, RunsVersion) || !contains(got, CostCellsVersion) {
		t.Errorf("SchemaVersions() = %v", got)
	}
	req := RequiredColumns(s)
	if !contains(req, ColTokens) || contains(req, ColLatencyMS) {
		t.Errorf("RequiredColumns = %v", req)
	}
}

// TestRunsTableDocumented keeps docs/runs-table.md in step with the
// schema: every column (per-domain ones as D_suffix) has a row there that
// states its type and whether it is required.
func TestRunsTableDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/runs-table.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, f := range RunsSchema().Fields() {
		name := f.Name
		for _, d := range Domains {
			if rest, ok := strings.CutPrefix(name, d+"_"); ok {
				name = "D_" + rest
			}
		}
		typ := map[string]string{"utf8": "string", "int64": "int64", "float64": "float64", "bool": "bool"}[f.Type.String()]
		req := "yes"
		if f.Nullable {
			req = "no"
		}
		row := "| `" + name + "` | " + typ + " | "
		i := strings.Index(doc, row)
		if i < 0 {
			t.Errorf("docs/runs-table.md has no row starting %q", row)
			continue
		}
		line := doc[i:]
		line = line[:strings.IndexByte(line, '\n')]
		if cells := strings.Split(line, " | "); len(cells) < 5 || cells[3] != req {
			t.Errorf("%s: docs say required %q, schema says %q", name, cells[3], req)
		}
	}
}
