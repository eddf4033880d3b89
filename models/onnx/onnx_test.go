package onnx

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// dump renders protobuf bytes as an indented field tree, so the test
// reads the encoding back without the generated ONNX types. A
// length-delimited field is shown as a string when it is printable and
// opened as a message otherwise.
func dump(t *testing.T, b []byte, indent string) string {
	t.Helper()
	var sb strings.Builder
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		switch typ {
		case protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			b = b[n:]
			fmt.Fprintf(&sb, "%s%d: %d\n", indent, num, int64(v))
		case protowire.Fixed32Type:
			v, n := protowire.ConsumeFixed32(b)
			b = b[n:]
			fmt.Fprintf(&sb, "%s%d: 0x%08x\n", indent, num, v)
		case protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				t.Fatalf("bad bytes: %v", protowire.ParseError(n))
			}
			b = b[n:]
			if !printable(v) {
				fmt.Fprintf(&sb, "%s%d {\n%s%s}\n", indent, num, dump(t, v, indent+"  "), indent)
			} else {
				fmt.Fprintf(&sb, "%s%d: %q\n", indent, num, v)
			}
		default:
			t.Fatalf("unexpected wire type %d", typ)
		}
	}
	return sb.String()
}

func TestMarshal(t *testing.T) {
	g := NewGraph("g")
	x := g.Input(ValueInfo{Name: "x", Type: Float, Shape: []Dim{{Param: "batch"}, {Value: 2}}})
	w := g.Initializer(Tensor{Name: "w", Type: Float, Dims: []int64{2}, External: &External{Location: "weights.bin", Offset: 16, Length: 8}})
	g.SetScope("blk")
	y := g.Op("Add", []string{x, w})
	z := g.Op("Softmax", []string{y}, AttrInt("axis", -1))
	g.Output(z, ValueInfo{Name: "y", Type: Float, Shape: []Dim{{Param: "batch"}, {Value: 2}}})
	m := &Model{IRVersion: 8, Opsets: map[string]int64{"": 17, "com.microsoft": 1}, ProducerName: "tr119", Graph: g}

	got := dump(t, m.Marshal(), "")
	want := []string{
		"1: 8",       // ir_version
		`2: "tr119"`, // producer
		`1: "com.microsoft"`,
		"2: 17",
		`2: "weights.bin"`, // external data location value
		`1: "offset"`,
		`2: "16"`,
		"14: 1", // data_location EXTERNAL
		"20: 2", // attribute type INT
		"3: -1", // axis
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("encoding lacks %q:\n%s", w, got)
		}
	}
	if a, b := m.Marshal(), m.Marshal(); string(a) != string(b) {
		t.Error("Marshal is not deterministic")
	}
	if !strings.Contains(string(m.Marshal()), "blk/Add_1:0") {
		t.Error("scoped output names missing")
	}
}

func TestConstants(t *testing.T) {
	g := NewGraph("c")
	s := g.Int64s([]int64{}, -1)
	v := g.Float32s(nil, 1, 2)
	if len(g.inits) != 2 {
		t.Fatalf("%d initializers", len(g.inits))
	}
	tests := []struct {
		name string
		got  Tensor
		dims int
		raw  int
	}{{s, g.inits[0], 0, 8}, {v, g.inits[1], 1, 8}}
	for _, tt := range tests {
		if tt.got.Name != tt.name || len(tt.got.Dims) != tt.dims || len(tt.got.Raw) != tt.raw {
			t.Errorf("%s: dims %v, %d raw bytes", tt.name, tt.got.Dims, len(tt.got.Raw))
		}
	}
	if g.inits[0].Raw[0] != 0xff || g.inits[0].Raw[7] != 0xff {
		t.Errorf("-1 encoded as %x", g.inits[0].Raw)
	}
}

func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return len(b) > 0
}
