package artifacts

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

func TestWriteCSVJSONLRoundTrip(t *testing.T) {
	in, err := ReadCSV("testdata/runs_small.csv", ReadOptions{Schema: RunsSchema()})
	if err != nil {
		t.Fatal(err)
	}
	defer in.Release()
	dir := t.TempDir()
	for _, tc := range []struct {
		ext   string
		write func(*bytes.Buffer, arrow.Table) error
		read  func(string, ReadOptions) (arrow.Table, error)
	}{
		{"csv", func(b *bytes.Buffer, tb arrow.Table) error { return WriteCSV(b, tb) }, ReadCSV},
		{"jsonl", func(b *bytes.Buffer, tb arrow.Table) error { return WriteJSONL(b, tb) }, ReadJSONL},
	} {
		var buf bytes.Buffer
		if err := tc.write(&buf, in); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "runs."+tc.ext)
		os.WriteFile(p, buf.Bytes(), 0o644)
		out, err := tc.read(p, ReadOptions{Schema: RunsSchema(), Extra: ExtraReject})
		if err != nil {
			t.Fatalf("%s: %v", tc.ext, err)
		}
		if !array.TableEqual(in, out) {
			t.Errorf("%s round trip changed the table", tc.ext)
		}
		out.Release()
		var again bytes.Buffer
		tc.write(&again, in)
		if !bytes.Equal(buf.Bytes(), again.Bytes()) {
			t.Errorf("%s: two writes differ", tc.ext)
		}
	}
	// The CSV export of the imported example is the example itself.
	var buf bytes.Buffer
	WriteCSV(&buf, in)
	orig, _ := os.ReadFile("testdata/runs_small.csv")
	if !bytes.Equal(buf.Bytes(), orig) {
		t.Error("WriteCSV(ReadCSV(runs_small.csv)) differs from runs_small.csv")
	}
}

func TestWriteTextFormatting(t *testing.T) {
	s := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	tbl, err := NewTable(s,
		Column{Values: []string{"a,\"b\"\n", "tab\there \x01 é \xff", ""}, Valid: []bool{true, true, false}},
		Column{Values: []float64{0.1, 1e21, math.NaN()}, Valid: []bool{true, true, true}},
		Column{Values: []int64{-3, 0, 0}, Valid: []bool{true, true, false}},
		Column{Values: []bool{true, false, false}, Valid: []bool{true, true, false}},
	)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{
		{"csv", func(b *bytes.Buffer) error { return WriteCSV(b, tbl) },
			"s,f,i,b\n\"a,\"\"b\"\"\n\",0.1,-3,true\ntab\there \x01 é \xff,1e+21,0,false\n,NaN,,\n"},
		{"jsonl", func(b *bytes.Buffer) error { return WriteJSONL(b, tbl) },
			`{"s":"a,\"b\"\n","f":0.1,"i":-3,"b":true}` + "\n" +
				`{"s":"tab\there \u0001 é \ufffd","f":1e+21,"i":0,"b":false}` + "\n" +
				`{"s":null,"f":null,"i":null,"b":null}` + "\n"},
	}
	one, err := NewTable(arrow.NewSchema([]arrow.Field{{Name: "only", Type: arrow.BinaryTypes.String, Nullable: true}}, nil),
		Column{Values: []string{"", "x", ""}, Valid: []bool{true, true, false}})
	if err != nil {
		t.Fatal(err)
	}
	defer one.Release()
	tests = append(tests, struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{"csv one column", func(b *bytes.Buffer) error { return WriteCSV(b, one) }, "only\n\"\"\nx\n\"\"\n"})
	for _, tt := range tests {
		var buf bytes.Buffer
		if err := tt.write(&buf); err != nil {
			t.Fatal(err)
		}
		if buf.String() != tt.want {
			t.Errorf("%s:\ngot  %q\nwant %q", tt.name, buf.String(), tt.want)
		}
	}
}
