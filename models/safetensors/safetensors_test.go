package safetensors

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "m.safetensors")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRoundTrip(t *testing.T) {
	entries := []Entry{{"b", []int64{2, 3}}, {"a", []int64{4}}, {"s", nil}}
	data := map[string][]float32{"b": {1, 2, 3, 4, 5, 6}, "a": {-1, 0.5, 1e-8, 3e38}, "s": {7}}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, entries, map[string]string{"format": "pt"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := w.Write(e.Name, data[e.Name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Layout().HeaderSize%8 != 0 {
		t.Errorf("header size %d is not 8-aligned", w.Layout().HeaderSize)
	}
	f, err := Open(writeFile(t, buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.Metadata()["format"]; got != "pt" {
		t.Errorf("metadata format = %q", got)
	}
	if got := strings.Join(f.Names(), ","); got != "a,b,s" {
		t.Errorf("names = %s", got)
	}
	for _, e := range entries {
		got, err := f.Float32s(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(got, data[e.Name]) {
			t.Errorf("%s = %v, want %v", e.Name, got, data[e.Name])
		}
		info, _ := f.Info(e.Name)
		if info.Offset != w.Layout().Offsets[e.Name] {
			t.Errorf("%s offset %d, writer said %d", e.Name, info.Offset, w.Layout().Offsets[e.Name])
		}
	}
}

func TestWriterErrors(t *testing.T) {
	tests := []struct {
		name  string
		write func(w *Writer) error
		want  string
	}{
		{"wrong order", func(w *Writer) error { return w.Write("y", []float32{1}) }, `got tensor "y", want "x"`},
		{"wrong size", func(w *Writer) error { return w.Write("x", []float32{1, 2}) }, "got 2 elements, want 1"},
		{"missing", func(w *Writer) error { return w.Close() }, "0 of 2 tensors written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := NewWriter(&bytes.Buffer{}, []Entry{{"x", []int64{1}}, {"y", []int64{1}}}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := tt.write(w); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := NewWriter(&bytes.Buffer{}, []Entry{{"x", nil}, {"x", nil}}, nil); err == nil {
		t.Fatal("duplicate names accepted")
	}
}

// rawFile builds a safetensors file from a header and data by hand.
func rawFile(header string, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func TestHalfFormats(t *testing.T) {
	// 1.0, -2.0, 0.5, 65504 (max half), smallest subnormal 2^-24.
	f16 := []uint16{0x3c00, 0xc000, 0x3800, 0x7bff, 0x0001}
	// bfloat16 of 1.0, -2.0, 0.5, 3.140625.
	b16 := []uint16{0x3f80, 0xc000, 0x3f00, 0x4049}
	var data bytes.Buffer
	binary.Write(&data, binary.LittleEndian, f16)
	binary.Write(&data, binary.LittleEndian, b16)
	hdr := `{"h":{"dtype":"F16","shape":[5],"data_offsets":[0,10]},"b":{"dtype":"BF16","shape":[2,2],"data_offsets":[10,18]}}`
	f, err := Open(writeFile(t, rawFile(hdr, data.Bytes())))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tests := []struct {
		name string
		want []float32
	}{
		{"h", []float32{1, -2, 0.5, 65504, 1.0 / (1 << 24)}},
		{"b", []float32{1, -2, 0.5, 3.140625}},
	}
	for _, tt := range tests {
		got, err := f.Float32s(tt.name)
		if err != nil {
			t.Fatal(err)
		}
		if !equal(got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"short", []byte{1, 2}, "read header length"},
		{"huge header", rawFile("", nil)[:0:0], "read header length"},
		{"length past end", append(binary.LittleEndian.AppendUint64(nil, 1000), '{', '}'), "header length 1000 is invalid"},
		{"bad json", rawFile("{x", nil), "header"},
		{"offsets past end", rawFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, make([]byte, 4)), `tensor "a": data_offsets`},
		{"size mismatch", rawFile(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, make([]byte, 8)), `do not fit`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Open(writeFile(t, tt.file))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
	f, err := Open(writeFile(t, rawFile(`{"a":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}`, make([]byte, 8))))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Float32s("a"); err == nil || !strings.Contains(err.Error(), "dtype I64 is not supported") {
		t.Fatalf("err = %v", err)
	}
	if _, err := f.Float32s("zz"); err == nil || !strings.Contains(err.Error(), `no tensor "zz"`) {
		t.Fatalf("err = %v", err)
	}
}

func equal(a, b []float32) bool {
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
