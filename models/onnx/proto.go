package onnx

import (
	"sort"

	"google.golang.org/protobuf/encoding/protowire"
)

// DataType is an ONNX TensorProto.DataType.
type DataType int32

// The element types tr119 uses.
const (
	Float   DataType = 1
	Int32   DataType = 6
	Int64   DataType = 7
	Bool    DataType = 9
	Float16 DataType = 10
)

// Tensor is a TensorProto: an initializer or a constant attribute. Either
// Raw holds the little-endian bytes, or External names a file (relative
// to the model's folder) and the byte range holding them.
type Tensor struct {
	Name     string
	Type     DataType
	Dims     []int64
	Raw      []byte
	External *External
}

// External locates a tensor's bytes in another file.
type External struct {
	Location string
	Offset   int64
	Length   int64
}

// Dim is one dimension of a ValueInfo: a fixed size, or a symbolic name
// when Param is set.
type Dim struct {
	Value int64
	Param string
}

// ValueInfo declares a graph input or output: a tensor's name, element
// type and shape.
type ValueInfo struct {
	Name  string
	Type  DataType
	Shape []Dim
}

// Attr is an AttributeProto; build one with AttrInt, AttrInts, AttrFloat
// or AttrString.
type Attr struct {
	name string
	typ  int32
	i    int64
	f    float32
	s    string
	ints []int64
}

// AttrInt is an INT attribute.
func AttrInt(name string, v int64) Attr { return Attr{name: name, typ: 2, i: v} }

// AttrFloat is a FLOAT attribute.
func AttrFloat(name string, v float32) Attr { return Attr{name: name, typ: 1, f: v} }

// AttrString is a STRING attribute.
func AttrString(name, v string) Attr { return Attr{name: name, typ: 3, s: v} }

// AttrInts is an INTS attribute.
func AttrInts(name string, v ...int64) Attr { return Attr{name: name, typ: 7, ints: v} }

// Node is a NodeProto.
type Node struct {
	Op      string
	Domain  string
	Name    string
	Inputs  []string
	Outputs []string
	Attrs   []Attr
}

// Model is a ModelProto holding one graph.
type Model struct {
	IRVersion int64
	// Opsets maps an operator set domain ("" is ai.onnx) to its version.
	Opsets          map[string]int64
	ProducerName    string
	ProducerVersion string
	Graph           *Graph
}

// Marshal encodes the model as protobuf bytes. Output is deterministic.
func (m *Model) Marshal() []byte {
	var b []byte
	b = appendVarint(b, 1, uint64(m.IRVersion))
	b = appendString(b, 2, m.ProducerName)
	b = appendString(b, 3, m.ProducerVersion)
	b = appendMessage(b, 7, m.Graph.marshal())
	domains := make([]string, 0, len(m.Opsets))
	for d := range m.Opsets {
		domains = append(domains, d)
	}
	sort.Strings(domains)
	for _, d := range domains {
		var op []byte
		if d != "" {
			op = appendString(op, 1, d)
		}
		op = appendVarint(op, 2, uint64(m.Opsets[d]))
		b = appendMessage(b, 8, op)
	}
	return b
}

func (g *Graph) marshal() []byte {
	var b []byte
	for _, n := range g.nodes {
		b = appendMessage(b, 1, n.marshal())
	}
	b = appendString(b, 2, g.name)
	for _, t := range g.inits {
		b = appendMessage(b, 5, t.marshal())
	}
	for _, v := range g.inputs {
		b = appendMessage(b, 11, v.marshal())
	}
	for _, v := range g.outputs {
		b = appendMessage(b, 12, v.marshal())
	}
	return b
}

func (n Node) marshal() []byte {
	var b []byte
	for _, in := range n.Inputs {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendString(b, in)
	}
	for _, out := range n.Outputs {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendString(b, out)
	}
	b = appendString(b, 3, n.Name)
	b = appendString(b, 4, n.Op)
	for _, a := range n.Attrs {
		b = appendMessage(b, 5, a.marshal())
	}
	b = appendString(b, 7, n.Domain)
	return b
}

func (a Attr) marshal() []byte {
	var b []byte
	b = appendString(b, 1, a.name)
	switch a.typ {
	case 1:
		b = protowire.AppendTag(b, 2, protowire.Fixed32Type)
		b = protowire.AppendFixed32(b, float32bits(a.f))
	case 2:
		b = protowire.AppendTag(b, 3, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(a.i))
	case 3:
		b = protowire.AppendTag(b, 4, protowire.BytesType)
		b = protowire.AppendString(b, a.s)
	case 7:
		for _, v := range a.ints {
			b = protowire.AppendTag(b, 8, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(v))
		}
	}
	b = appendVarint(b, 20, uint64(a.typ))
	return b
}

func (t Tensor) marshal() []byte {
	var b []byte
	for _, d := range t.Dims {
		b = protowire.AppendTag(b, 1, protowire.VarintType)
		b = protowire.AppendVarint(b, uint64(d))
	}
	b = appendVarint(b, 2, uint64(t.Type))
	b = appendString(b, 8, t.Name)
	if t.External != nil {
		b = appendEntry(b, 13, "location", t.External.Location)
		b = appendEntry(b, 13, "offset", itoa(t.External.Offset))
		b = appendEntry(b, 13, "length", itoa(t.External.Length))
		b = appendVarint(b, 14, 1) // data_location = EXTERNAL
		return b
	}
	b = protowire.AppendTag(b, 9, protowire.BytesType)
	b = protowire.AppendBytes(b, t.Raw)
	return b
}

func (v ValueInfo) marshal() []byte {
	var shape []byte
	for _, d := range v.Shape {
		var dim []byte
		if d.Param != "" {
			dim = appendString(dim, 2, d.Param)
		} else {
			dim = protowire.AppendTag(dim, 1, protowire.VarintType)
			dim = protowire.AppendVarint(dim, uint64(d.Value))
		}
		shape = appendMessage(shape, 1, dim)
	}
	var tt []byte
	tt = appendVarint(tt, 1, uint64(v.Type))
	tt = protowire.AppendTag(tt, 2, protowire.BytesType)
	tt = protowire.AppendBytes(tt, shape)
	var typ []byte
	typ = appendMessage(typ, 1, tt)
	var b []byte
	b = appendString(b, 1, v.Name)
	b = appendMessage(b, 2, typ)
	return b
}

// appendString writes a string field, omitting it when empty (proto2
// optional semantics: absent and empty read the same for ONNX).
func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendVarint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

func appendMessage(b []byte, num protowire.Number, msg []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, msg)
}

// appendEntry writes a StringStringEntryProto.
func appendEntry(b []byte, num protowire.Number, k, v string) []byte {
	var e []byte
	e = appendString(e, 1, k)
	e = protowire.AppendTag(e, 2, protowire.BytesType)
	e = protowire.AppendString(e, v)
	return appendMessage(b, num, e)
}
