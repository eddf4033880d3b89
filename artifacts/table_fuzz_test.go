package artifacts

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

func TestParseInt(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12", 12, true}, {"-3", -3, true}, {"3.0", 3, true}, {"1e3", 1000, true},
		{"1.5", 0, false}, {"1e300", 0, false}, {"abc", 0, false}, {"", 0, false}, {"NaN", 0, false},
		{"9223372036854775807", 9223372036854775807, true},
	}
	for _, tt := range tests {
		if got, ok := parseInt(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("parseInt(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// fuzzRoundTrip reads data as a file of format, and when that succeeds
// checks that writing the table and reading it back gives the same table:
// the readers never panic and the writers are their exact inverse.
func fuzzRoundTrip(t *testing.T, data []byte, ext string, read func(string, ReadOptions) (arrow.Table, error), write func(*bytes.Buffer, arrow.Table) error) {
	dir := t.TempDir()
	p := filepath.Join(dir, "in."+ext)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	opt := ReadOptions{Schema: smallSchema(), Extra: ExtraDrop}
	tbl, err := read(p, opt)
	if err != nil {
		return
	}
	defer tbl.Release()
	var buf bytes.Buffer
	if err := write(&buf, tbl); err != nil {
		t.Fatal(err)
	}
	q := filepath.Join(dir, "out."+ext)
	os.WriteFile(q, buf.Bytes(), 0o644)
	back, err := read(q, opt)
	if err != nil {
		t.Fatalf("re-reading the written table: %v\n%q", err, buf.Bytes())
	}
	defer back.Release()
	if !array.TableEqual(tbl, back) {
		t.Fatalf("round trip changed the table\nin  %q\nout %q", data, buf.Bytes())
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"id,n,x,ok,note\na,1,1.5,true,hi\nb,2,,,\n",
		"note,n,id\n\"q\"\"x\",-0,\"a\nb\"\n",
		"id,n,note,x\na,1e3,,-0\n",
		"\xef\xbb\xbfid,n,note\r\na,1,\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, "csv", ReadCSV, func(b *bytes.Buffer, tb arrow.Table) error { return WriteCSV(b, tb) })
	})
}

func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		`{"id":"a","n":1,"x":1.5,"ok":true,"note":"hi"}` + "\n" + `{"id":"b","n":2,"note":""}`,
		`{"note":"\u00e9\n","n":-0,"id":"\ud800"}`,
		`{"id":"a","n":3.0,"x":1e-7,"note":"","extra":[1]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRoundTrip(t, data, "jsonl", ReadJSONL, func(b *bytes.Buffer, tb arrow.Table) error { return WriteJSONL(b, tb) })
	})
}
