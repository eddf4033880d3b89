package artifacts

import (
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func sortFixture(t *testing.T) arrow.Table {
	t.Helper()
	s := arrow.NewSchema([]arrow.Field{
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "i", Type: arrow.PrimitiveTypes.Int64},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	tbl, err := NewTable(s,
		Column{Values: []string{"b", "a", "", "a", "c"}, Valid: []bool{true, true, false, true, true}},
		Column{Values: []float64{2, math.NaN(), 1, 0, 3}, Valid: []bool{true, true, true, false, true}},
		Column{Values: []int64{0, 1, 2, 3, 4}},
		Column{Values: []bool{true, false, true, false, false}, Valid: []bool{true, true, false, true, true}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

func TestSortTable(t *testing.T) {
	tbl := sortFixture(t)
	defer tbl.Release()
	tests := []struct {
		keys    string
		want    []int64 // the "i" column after sorting
		wantErr string
	}{
		{"s", []int64{1, 3, 0, 4, 2}, ""},
		{"-s", []int64{4, 0, 1, 3, 2}, ""},
		{"s,-i", []int64{3, 1, 0, 4, 2}, ""},
		{"f", []int64{2, 0, 4, 1, 3}, ""},
		{"-f", []int64{1, 4, 0, 2, 3}, ""},
		{"b,i", []int64{1, 3, 4, 0, 2}, ""},
		{"-i", []int64{4, 3, 2, 1, 0}, ""},
		{"nope", nil, `sort by "nope": column "nope" missing`},
	}
	for _, tt := range tests {
		var keys []SortKey
		for _, k := range strings.Split(tt.keys, ",") {
			keys = append(keys, ParseSortKey(k))
		}
		out, err := SortTable(tbl, keys)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("%s: err = %v, want %q", tt.keys, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got, _, _ := Int64Col(out, "i")
		out.Release()
		if !slicesEqual(got, tt.want) {
			t.Errorf("sort by %s: i = %v, want %v", tt.keys, got, tt.want)
		}
	}
}

func TestSelectColumns(t *testing.T) {
	tbl := sortFixture(t)
	defer tbl.Release()
	out, err := SelectColumns(tbl, []string{"i", "s"})
	if err != nil {
		t.Fatal(err)
	}
	if got := schemaString(out.Schema()); got != "i:int64 s:utf8?" {
		t.Errorf("schema = %q", got)
	}
	out.Release()
	for names, want := range map[string]string{
		"i,i": `column "i" selected twice`,
		"x":   `column "x" missing (columns: s, f, i, b)`,
	} {
		if _, err := SelectColumns(tbl, strings.Split(names, ",")); err == nil || err.Error() != want {
			t.Errorf("%s: err = %v, want %q", names, err, want)
		}
	}
}

func slicesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
