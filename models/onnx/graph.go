package onnx

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/tr119/tr119/artifacts"
)

// Graph builds a GraphProto. Node outputs get unique names derived from
// the current scope, so callers pass value names around as strings.
type Graph struct {
	name    string
	scope   string
	seq     int
	nodes   []Node
	inits   []Tensor
	inputs  []ValueInfo
	outputs []ValueInfo
}

// NewGraph returns an empty graph called name.
func NewGraph(name string) *Graph { return &Graph{name: name} }

// SetScope sets the prefix of the names given to later node outputs, e.g.
// "h.3.attn", so a graph dump reads like the model.
func (g *Graph) SetScope(s string) { g.scope = s }

// Input declares a graph input and returns its name.
func (g *Graph) Input(v ValueInfo) string {
	g.inputs = append(g.inputs, v)
	return v.Name
}

// Output declares value as a graph output called v.Name, adding an
// Identity node when the value has another name.
func (g *Graph) Output(value string, v ValueInfo) {
	if value != v.Name {
		g.nodes = append(g.nodes, Node{Op: "Identity", Inputs: []string{value}, Outputs: []string{v.Name}})
	}
	g.outputs = append(g.outputs, v)
}

// Initializer adds a tensor to the graph's initializers and returns its
// name.
func (g *Graph) Initializer(t Tensor) string {
	g.inits = append(g.inits, t)
	return t.Name
}

// Op adds a node with one output and returns the output's name.
func (g *Graph) Op(op string, inputs []string, attrs ...Attr) string {
	return g.OpN(op, "", 1, inputs, attrs...)[0]
}

// OpN adds a node of the given domain ("" is ai.onnx) with n outputs and
// returns their names.
func (g *Graph) OpN(op, domain string, n int, inputs []string, attrs ...Attr) []string {
	g.seq++
	base := op + "_" + strconv.Itoa(g.seq)
	if g.scope != "" {
		base = g.scope + "/" + base
	}
	outs := make([]string, n)
	for i := range outs {
		outs[i] = base + ":" + strconv.Itoa(i)
	}
	g.nodes = append(g.nodes, Node{Op: op, Domain: domain, Name: base, Inputs: inputs, Outputs: outs, Attrs: attrs})
	return outs
}

// Int64s adds an int64 constant initializer of the given dims (nil dims:
// a 1-D tensor of len(v); empty non-nil dims: a scalar).
func (g *Graph) Int64s(dims []int64, v ...int64) string {
	raw := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(raw[8*i:], uint64(x))
	}
	return g.constant(Int64, dims, len(v), raw)
}

// Float32s adds a float32 constant initializer (dims as for Int64s).
func (g *Graph) Float32s(dims []int64, v ...float32) string {
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(x))
	}
	return g.constant(Float, dims, len(v), raw)
}

func (g *Graph) constant(t DataType, dims []int64, n int, raw []byte) string {
	if dims == nil {
		dims = []int64{int64(n)}
	}
	g.seq++
	name := "const_" + strconv.Itoa(g.seq)
	if g.scope != "" {
		name = g.scope + "/" + name
	}
	return g.Initializer(Tensor{Name: name, Type: t, Dims: dims, Raw: raw})
}

// WriteFile writes m to path atomically.
func (m *Model) WriteFile(path string) error {
	b := m.Marshal()
	err := artifacts.WriteAtomicFunc(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("write onnx model: %w", err)
	}
	return nil
}

func float32bits(f float32) uint32 { return math.Float32bits(f) }

func itoa(v int64) string { return strconv.FormatInt(v, 10) }
