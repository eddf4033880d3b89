package artifacts

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// smallSchema is a contract covering every supported type, required and
// nullable.
func smallSchema() *arrow.Schema {
	md := arrow.NewMetadata([]string{SchemaKey}, []string{"small/v1"})
	return arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.BinaryTypes.String},
		{Name: "n", Type: arrow.PrimitiveTypes.Int64},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "ok", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "note", Type: arrow.BinaryTypes.String},
	}, &md)
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// readCase is one reader table-test case: a file and either the wanted
// column types (as "name:type" joined by spaces) and rows, or an error.
type readCase struct {
	name    string
	file    string
	opt     ReadOptions
	want    string // "name:type ..." of the output schema
	rows    int64
	wantErr string
}

func runReadCases(t *testing.T, fileName string, read func(string, ReadOptions) (arrow.Table, error), cases []readCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := writeTemp(t, fileName, tc.file)
			tbl, err := read(p, tc.opt)
			if tc.wantErr != "" {
				if err == nil {
					tbl.Release()
					t.Fatalf("no error, want %q", tc.wantErr)
				}
				if err.Error() != tc.wantErr {
					t.Fatalf("err = %q\nwant  %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Release()
			if got := schemaString(tbl.Schema()); got != tc.want {
				t.Errorf("schema = %q\nwant     %q", got, tc.want)
			}
			if tbl.NumRows() != tc.rows {
				t.Errorf("rows = %d, want %d", tbl.NumRows(), tc.rows)
			}
			if tc.opt.Schema != nil && SchemaVersion(tbl.Schema()) != SchemaVersion(tc.opt.Schema) {
				t.Errorf("version = %q", SchemaVersion(tbl.Schema()))
			}
		})
	}
}

func schemaString(s *arrow.Schema) string {
	var parts []string
	for _, f := range s.Fields() {
		null := ""
		if f.Nullable {
			null = "?"
		}
		parts = append(parts, f.Name+":"+f.Type.String()+null)
	}
	return strings.Join(parts, " ")
}

func TestReadCSV(t *testing.T) {
	sch := ReadOptions{Schema: smallSchema()}
	const want = "id:utf8 n:int64 x:float64? ok:bool? note:utf8"
	cases := []readCase{
		{name: "typed", file: "id,n,x,ok,note\na,1,1.5,true,hi\nb,2,,,\n", opt: sch, want: want, rows: 2},
		{name: "bom and crlf", file: "\xef\xbb\xbfid,n,x,ok,note\r\na,1,2,false,\r\n", opt: sch, want: want, rows: 1},
		{name: "whole floats as integers", file: "id,n,note\na,3.0,\nb,1e3,\n", opt: sch, want: want, rows: 2},
		{name: "header only", file: "id,n,x,ok,note\n", opt: sch, want: want, rows: 0},
		{name: "other column order", file: "note,ok,x,n,id\n,,,1,a\n", opt: sch, want: want, rows: 1},
		{name: "nullable column missing", file: "id,n,note\na,1,\n", opt: sch, want: want, rows: 1},
		{name: "extra kept", file: "id,n,note,extra\na,1,,7\n", opt: sch, want: want + " extra:int64?", rows: 1},
		{name: "extra dropped", file: "id,n,note,extra\na,1,,7\n", opt: ReadOptions{Schema: smallSchema(), Extra: ExtraDrop}, want: want, rows: 1},
		{name: "infer", file: "s,i,f,b,e,big\nx,1,1,true,,1e400\ny,-2,2.5,F,,2\n", want: "s:utf8? i:int64? f:float64? b:bool? e:utf8? big:float64?", rows: 2, opt: ReadOptions{AllowNonFinite: true}},
		{name: "quoted newline keeps line numbers", file: "id,n,note\na,1,\"two\nlines\"\nb,x,\n", opt: sch, wantErr: `t.csv:4: column "n": "x" is not an integer`},

		{name: "empty file", file: "", opt: sch, wantErr: "t.csv: empty file (want a header row)"},
		{name: "missing required", file: "id,x\na,1\n", opt: sch, wantErr: `t.csv: required columns "n", "note" of schema small/v1 missing`},
		{name: "extra rejected", file: "id,n,note,zzz\na,1,,\n", opt: ReadOptions{Schema: smallSchema(), Extra: ExtraReject}, wantErr: `t.csv:1: column "zzz" is not in schema small/v1`},
		{name: "not a number", file: "id,n,x,note\na,1,1.5,\nb,2,abc,\n", opt: sch, wantErr: `t.csv:3: column "x": "abc" is not a number`},
		{name: "not an integer", file: "id,n,note\na,1.5,\n", opt: sch, wantErr: `t.csv:2: column "n": "1.5" is not an integer`},
		{name: "not a bool", file: "id,n,ok,note\na,1,yes,\n", opt: sch, wantErr: `t.csv:2: column "ok": "yes" is not true or false`},
		{name: "NaN", file: "id,n,x,note\na,1,NaN,\n", opt: sch, wantErr: `t.csv:2: column "x": "NaN" is not a finite number (leave it empty or null for a missing value)`},
		{name: "overflow", file: "id,n,x,note\na,1,1e999,\n", opt: sch, wantErr: `t.csv:2: column "x": "1e999" is not a finite number (leave it empty or null for a missing value)`},
		{name: "empty required int", file: "id,n,note\na,,\n", opt: sch, wantErr: `t.csv:2: column "n": missing value in a required column`},
		{name: "ragged short", file: "id,n,note\na,1,\nb,2\n", opt: sch, wantErr: "t.csv:3: 2 fields, the header has 3"},
		{name: "ragged long", file: "id,n,note\na,1,,9\n", opt: sch, wantErr: "t.csv:2: 4 fields, the header has 3"},
		{name: "duplicate header", file: "id,n,id\n", opt: sch, wantErr: `t.csv:1: column "id" appears twice (columns 1 and 3)`},
		{name: "empty header name", file: "id,,n\n", wantErr: "t.csv:1: column 2 has no name"},
		{name: "bad quote", file: "id,n,note\na,1,\"x\n", opt: sch, wantErr: `t.csv: parse error on line 2, column 8: extraneous or missing " in quoted-field`},
	}
	runReadCases(t, "t.csv", ReadCSV, cases)
}

func TestReadJSONL(t *testing.T) {
	sch := ReadOptions{Schema: smallSchema()}
	const want = "id:utf8 n:int64 x:float64? ok:bool? note:utf8"
	cases := []readCase{
		{name: "typed", file: `{"id":"a","n":1,"x":1.5,"ok":true,"note":""}` + "\n\n" + `{"note":"z","n":2,"id":"b","x":null}` + "\n", opt: sch, want: want, rows: 2},
		{name: "infer in first-seen order", file: `{"b":1,"a":"x"}` + "\n" + `{"c":true,"b":2.5}` + "\n", want: "b:float64? a:utf8? c:bool?", rows: 2},
		{name: "extra kept", file: `{"id":"a","n":1,"note":"","e":3}` + "\n", opt: sch, want: want + " e:int64?", rows: 1},

		{name: "empty file", file: "\n  \n", opt: sch, wantErr: "t.jsonl: empty file (want one JSON object per line)"},
		{name: "missing required", file: `{"id":"a"}` + "\n", opt: sch, wantErr: `t.jsonl: required columns "n", "note" of schema small/v1 missing`},
		{name: "absent required value", file: `{"id":"a","n":1,"note":""}` + "\n" + `{"id":"b","note":""}` + "\n", opt: sch, wantErr: `t.jsonl:2: column "n": missing value in a required column`},
		{name: "string for int", file: `{"id":"a","n":"12","note":""}` + "\n", opt: sch, wantErr: `t.jsonl:1: column "n": "12" is not an integer`},
		{name: "whole float for int", file: `{"id":"a","n":2.0,"note":""}` + "\n", opt: sch, want: want, rows: 1},
		{name: "huge float for int", file: `{"id":"a","n":1e300,"note":""}` + "\n", opt: sch, wantErr: `t.jsonl:1: column "n": 1e300 is not an integer`},
		{name: "fraction for int", file: `{"id":"a","n":1.5,"note":""}` + "\n", opt: sch, wantErr: `t.jsonl:1: column "n": 1.5 is not an integer`},
		{name: "number for string", file: `{"id":7,"n":1,"note":""}` + "\n", opt: sch, wantErr: `t.jsonl:1: column "id": 7 is not a string`},
		{name: "string for float", file: `{"id":"a","n":1,"x":"NaN","note":""}` + "\n", opt: sch, wantErr: `t.jsonl:1: column "x": "NaN" is not a number`},
		{name: "not an object", file: `[1,2]` + "\n", wantErr: "t.jsonl:1:1: want a JSON object"},
		{name: "bad json", file: `{"a":1,}` + "\n", wantErr: `t.jsonl:1:8: bad JSON: want a quoted key`},
		{name: "trailing data", file: `{"a":1} {"b":2}` + "\n", wantErr: "t.jsonl:1:9: bad JSON: data after the object"},
		{name: "nested", file: `{"a":{"b":1}}` + "\n", wantErr: `t.jsonl:1:6: column "a": nested objects and arrays are not supported`},
		{name: "duplicate key", file: `{"a":1,"a":2}` + "\n", wantErr: `t.jsonl:1:8: key "a" appears twice`},
		{name: "bad number", file: `{"a":01}` + "\n", wantErr: `t.jsonl:1:7: bad JSON: want ',' or '}' after the value of "a"`},
		{name: "bad literal", file: `{"a":tru}` + "\n", wantErr: `t.jsonl:1:6: column "a": bad JSON value`},
		{name: "unterminated string", file: `{"a":"x}` + "\n", wantErr: `t.jsonl:1:6: bad JSON: unterminated string`},
		{name: "bad escape", file: `{"a":"\q"}` + "\n", wantErr: `t.jsonl:1:6: bad JSON string: invalid character 'q' in string escape code`},
		{name: "escapes", file: `{"a":"\u00e9\"\n","b":-1.5e-3}` + "\n", want: "a:utf8? b:float64?", rows: 1},
		{name: "mixed kinds", file: `{"a":1}` + "\n" + `{"a":"x"}` + "\n", wantErr: `t.jsonl:2: column "a": "x" is a string, earlier rows hold a number`},
	}
	runReadCases(t, "t.jsonl", ReadJSONL, cases)
}

func TestReadCSVValues(t *testing.T) {
	p := writeTemp(t, "v.csv", "id,n,x,ok,note\na,1,1.5,true,hi\nb,-2,,,\n")
	tbl, err := ReadCSV(p, ReadOptions{Schema: smallSchema()})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	x, xv, _ := Float64Col(tbl, "x")
	n, _, _ := Int64Col(tbl, "n")
	note, nv, _ := StringCol(tbl, "note")
	ok, okv, _ := BoolCol(tbl, "ok")
	if x[0] != 1.5 || !xv[0] || xv[1] || n[1] != -2 || note[0] != "hi" || note[1] != "" || !nv[1] || !ok[0] || okv[1] {
		t.Errorf("values: x=%v/%v n=%v note=%q/%v ok=%v/%v", x, xv, n, note, nv, ok, okv)
	}
}

func TestRunsSmallCSVImports(t *testing.T) {
	tbl, err := ReadCSV("testdata/runs_small.csv", ReadOptions{Schema: RunsSchema(), Extra: ExtraReject})
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if !tbl.Schema().Equal(RunsSchema()) || SchemaVersion(tbl.Schema()) != RunsVersion {
		t.Errorf("schema differs from runs/v1:\n%s", tbl.Schema())
	}
	if tbl.NumRows() != 24 {
		t.Errorf("rows = %d", tbl.NumRows())
	}
}

func TestConformTable(t *testing.T) {
	full, err := ReadCSV("testdata/runs_small.csv", ReadOptions{Schema: RunsSchema()})
	if err != nil {
		t.Fatal(err)
	}
	defer full.Release()
	drop := func(names ...string) arrow.Table {
		s := full.Schema()
		var fields []arrow.Field
		var cols []arrow.Column
		for i, f := range s.Fields() {
			if !contains(names, f.Name) {
				fields = append(fields, f)
				cols = append(cols, *full.Column(i))
			}
		}
		return array.NewTable(arrow.NewSchema(fields, nil), cols, full.NumRows())
	}
	tests := []struct {
		name    string
		tbl     arrow.Table
		opt     ReadOptions
		wantErr string
	}{
		{"same", full, ReadOptions{Schema: RunsSchema()}, ""},
		{"nullable missing", drop(ColTTFTMS), ReadOptions{Schema: RunsSchema()}, ""},
		{"required missing", drop(ColTokens), ReadOptions{Schema: RunsSchema()}, `required column "tokens" of schema runs/v2 missing`},
		{"extra rejected", full, ReadOptions{Schema: smallSchema(), Extra: ExtraReject}, `required columns "id", "n", "note" of schema small/v1 missing`},
		{"wrong type", retype(full, ColTokens), ReadOptions{Schema: RunsSchema()}, `column "tokens" is utf8, schema runs/v2 wants int64`},
		{"nan", nanAt(full, ColLatencyMS, 3), ReadOptions{Schema: RunsSchema()}, `row 4: column "latency_ms": NaN is not a finite number`},
		{"null in required", nullAt(full, ColTokens, 5), ReadOptions{Schema: RunsSchema()}, `row 6: column "tokens": missing value in a required column`},
	}
	for _, tt := range tests {
		if tt.tbl != full {
			defer tt.tbl.Release()
		}
		t.Run(tt.name, func(t *testing.T) {
			out, err := ConformTable(tt.tbl, tt.opt)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer out.Release()
			if !out.Schema().Equal(RunsSchema()) {
				t.Errorf("schema:\n%s", out.Schema())
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// replaceCol returns tbl with column name replaced by arr.
func replaceCol(tbl arrow.Table, name string, arr arrow.Array) arrow.Table {
	defer arr.Release()
	s := tbl.Schema()
	fields := s.Fields()
	cols := make([]arrow.Column, len(fields))
	for i, f := range fields {
		cols[i] = *tbl.Column(i)
		if f.Name == name {
			fields[i] = arrow.Field{Name: name, Type: arr.DataType(), Nullable: true}
			ch := arrow.NewChunked(arr.DataType(), []arrow.Array{arr})
			defer ch.Release()
			cols[i] = *arrow.NewColumn(fields[i], ch)
			defer cols[i].Release()
		}
	}
	return array.NewTable(arrow.NewSchema(fields, nil), cols, tbl.NumRows())
}

func retype(tbl arrow.Table, name string) arrow.Table {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	for i := int64(0); i < tbl.NumRows(); i++ {
		b.Append("7")
	}
	return replaceCol(tbl, name, b.NewArray())
}

func nanAt(tbl arrow.Table, name string, row int) arrow.Table {
	vals, valid, _ := Float64Col(tbl, name)
	vals[row], valid[row] = math.NaN(), true
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(vals, valid)
	return replaceCol(tbl, name, b.NewArray())
}

func nullAt(tbl arrow.Table, name string, row int) arrow.Table {
	vals, valid, _ := Int64Col(tbl, name)
	valid[row] = false
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues(vals, valid)
	return replaceCol(tbl, name, b.NewArray())
}
