package synthruns

import (
	"bytes"
	"strings"
	"testing"

	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/artifacts"
)

func TestCSVHeaderAndSize(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, Default()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	var names []string
	for _, f := range artifacts.RunsSchema().Fields() {
		names = append(names, f.Name)
	}
	if lines[0] != strings.Join(names, ",") {
		t.Errorf("header %q", lines[0])
	}
	// 5 backends x 5 scenarios x 2 modes x (7 reps + 2 warmups) x 2 prompts.
	if got, want := len(lines)-1, 5*5*2*9*2; got != want {
		t.Errorf("%d rows, want %d", got, want)
	}
	var again bytes.Buffer
	if err := WriteCSV(&again, Default()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("same seed, different bytes")
	}
}

func TestRowsGroupIntoReportMatrix(t *testing.T) {
	cells, err := runs.Cells(Rows(Default()), runs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cells) != 50 {
		t.Fatalf("%d cells, want 50", len(cells))
	}
	for _, c := range cells {
		if len(c.Reps) != 7 || c.Warmups != 4 || !c.HasEnergy() {
			t.Fatalf("cell %s/%s/%s: %d reps, %d warmup rows, energy %q", c.Backend, c.Scenario, c.Mode, len(c.Reps), c.Warmups, c.EnergyMissing)
		}
	}
	if got := Default().WithRows(1_000_000).Reps; got != 10000 {
		t.Errorf("reps for 1M rows = %d, want 10000", got)
	}
}
