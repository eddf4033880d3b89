package gpt2

import (
	"fmt"
	"math"

	"github.com/tr119/tr119/models/onnx"
	"github.com/tr119/tr119/models/safetensors"
)

// GraphKind selects one of the four graphs of a model folder.
type GraphKind int

// The graphs of docs/model-folder.md.
const (
	// Full is model.onnx: logits for every position.
	Full GraphKind = iota
	// Last is model_last.onnx: logits for the last position only.
	Last
	// Decoder is decoder.onnx: last logits plus present keys and values.
	Decoder
	// DecoderWithPast is decoder_with_past.onnx: one step on a KV cache.
	DecoderWithPast
)

// File returns the graph's file name in a model folder.
func (k GraphKind) File() string {
	return [...]string{"model.onnx", "model_last.onnx", "decoder.onnx", "decoder_with_past.onnx"}[k]
}

// GraphKinds lists every graph a folder holds.
var GraphKinds = []GraphKind{Full, Last, Decoder, DecoderWithPast}

// ONNX versions written: opset 17 has LayerNormalization; IR 8 goes
// with it.
const (
	opset     = 17
	irVersion = 8
)

// Options select a graph variant.
type Options struct {
	// Fused uses ONNX Runtime's com.microsoft operators (MultiHeadAttention,
	// FastGelu, SkipLayerNormalization) instead of their standard-ONNX
	// expansions. Such graphs run on ONNX Runtime only.
	Fused bool
}

// builder holds what the block functions share while building one graph.
type builder struct {
	g       *onnx.Graph
	cfg     Config
	weights string // file holding the weights, relative to the graph
	layout  safetensors.Layout
	shapes  map[string][]int64
	added   map[string]bool
}

// BuildGraph returns the ONNX model of the given kind. Its weights are
// external data in weightsFile (a safetensors file in the same folder,
// laid out as layout says), so graphs share one copy of the weights.
func BuildGraph(cfg Config, kind GraphKind, weightsFile string, layout safetensors.Layout, opts Options) (*onnx.Model, error) {
	b := &builder{g: onnx.NewGraph("gpt2"), cfg: cfg, weights: weightsFile, layout: layout,
		shapes: map[string][]int64{}, added: map[string]bool{}}
	for _, t := range cfg.Tensors() {
		if _, ok := layout.Offsets[t.Name]; !ok {
			return nil, fmt.Errorf("build %s: weights layout lacks %q", kind.File(), t.Name)
		}
		b.shapes[t.Name] = t.Shape
	}
	opsets := map[string]int64{"": opset}
	if opts.Fused {
		opsets[msDomain] = 1
	}
	b.build(kind, opts.Fused)
	return &onnx.Model{IRVersion: irVersion, Opsets: opsets,
		ProducerName: "tr119", ProducerVersion: "1", Graph: b.g}, nil
}

var (
	batchDim = onnx.Dim{Param: "batch"}
	seqDim   = onnx.Dim{Param: "sequence"}
)

// graphInputs is a graph's inputs.
type graphInputs struct {
	ids, mask string
	past      [][2]string // per layer key, value; nil without a past
}

func (b *builder) build(kind GraphKind, fused bool) {
	g, cfg := b.g, b.cfg
	in := b.inputs(kind == DecoderWithPast)
	kvDim := seqDim
	if in.past != nil {
		kvDim = onnx.Dim{Param: "past_plus_one"}
	}
	kvShape := []onnx.Dim{batchDim, {Value: int64(cfg.NHead)}, kvDim, {Value: int64(cfg.HeadDim())}}

	g.SetScope("embed")
	pos := b.positions(in.ids, in.mask, in.past != nil)
	h := g.Op("Add", []string{
		g.Op("Gather", []string{b.weight("wte.weight"), in.ids}, onnx.AttrInt("axis", 0)),
		g.Op("Gather", []string{b.weight("wpe.weight"), pos}, onnx.AttrInt("axis", 0)),
	})
	var presents [][2]string
	if fused {
		h, presents = b.fusedBlocks(h, in)
	} else {
		h, presents = b.blocks(h, in)
	}

	g.SetScope("head")
	if kind == Full {
		g.Output(b.lmHeadAll(h, in.ids), onnx.ValueInfo{Name: "logits", Type: onnx.Float,
			Shape: []onnx.Dim{batchDim, seqDim, {Value: int64(cfg.VocabSize)}}})
		return
	}
	// Left padding puts every row's newest token last.
	last := g.Op("Gather", []string{h, g.Int64s([]int64{}, -1)}, onnx.AttrInt("axis", 1))
	g.Output(b.lmHead(last), onnx.ValueInfo{Name: "logits", Type: onnx.Float,
		Shape: []onnx.Dim{batchDim, {Value: int64(cfg.VocabSize)}}})
	if kind == Last {
		return
	}
	for l, kv := range presents {
		g.Output(kv[0], onnx.ValueInfo{Name: fmt.Sprintf("present.%d.key", l), Type: onnx.Float, Shape: kvShape})
		g.Output(kv[1], onnx.ValueInfo{Name: fmt.Sprintf("present.%d.value", l), Type: onnx.Float, Shape: kvShape})
	}
}

// inputs declares the graph inputs of docs/model-folder.md.
func (b *builder) inputs(withPast bool) graphInputs {
	g, cfg := b.g, b.cfg
	idsShape, maskShape := []onnx.Dim{batchDim, seqDim}, []onnx.Dim{batchDim, seqDim}
	if withPast {
		idsShape = []onnx.Dim{batchDim, {Value: 1}}
		maskShape = []onnx.Dim{batchDim, {Param: "past_plus_one"}}
	}
	in := graphInputs{
		ids:  g.Input(onnx.ValueInfo{Name: "input_ids", Type: onnx.Int64, Shape: idsShape}),
		mask: g.Input(onnx.ValueInfo{Name: "attention_mask", Type: onnx.Int64, Shape: maskShape}),
	}
	if withPast {
		pastShape := []onnx.Dim{batchDim, {Value: int64(cfg.NHead)}, {Param: "past"}, {Value: int64(cfg.HeadDim())}}
		for l := range cfg.NLayer {
			k := g.Input(onnx.ValueInfo{Name: fmt.Sprintf("past.%d.key", l), Type: onnx.Float, Shape: pastShape})
			v := g.Input(onnx.ValueInfo{Name: fmt.Sprintf("past.%d.value", l), Type: onnx.Float, Shape: pastShape})
			in.past = append(in.past, [2]string{k, v})
		}
	}
	return in
}

// blocks applies the transformer blocks and ln_f in standard ONNX and
// returns the normalised hidden states and each layer's keys and values.
func (b *builder) blocks(h string, in graphInputs) (string, [][2]string) {
	b.g.SetScope("mask")
	bias := b.attentionBias(in.ids, in.mask)
	var presents [][2]string
	for l := range b.cfg.NLayer {
		var past *[2]string
		if in.past != nil {
			past = &in.past[l]
		}
		var kv [2]string
		h, kv = b.attention(l, h, bias, past)
		h = b.mlp(l, h)
		presents = append(presents, kv)
	}
	b.g.SetScope("head")
	return b.layerNorm(h, "ln_f"), presents
}

// weight returns the initializer of a model tensor, adding it (as external
// data) on first use.
func (b *builder) weight(name string) string {
	if !b.added[name] {
		b.added[name] = true
		b.g.Initializer(onnx.Tensor{Name: name, Type: onnx.Float, Dims: b.shapes[name],
			External: &onnx.External{Location: b.weights, Offset: b.layout.Offsets[name], Length: b.layout.Sizes[name]}})
	}
	return name
}

// positions returns position ids [batch, sequence] from the mask, as
// Hugging Face does for left-padded GPT-2: cumsum(mask) - 1, with padding
// clamped to 0. With a past, the mask spans past and new tokens, so only
// its last sequence columns are the new tokens' positions.
func (b *builder) positions(ids, mask string, withPast bool) string {
	g := b.g
	cs := g.Op("CumSum", []string{mask, g.Int64s([]int64{}, 1)})
	pos := g.Op("Max", []string{g.Op("Sub", []string{cs, g.Int64s([]int64{}, 1)}), g.Int64s([]int64{}, 0)})
	if !withPast {
		return pos
	}
	seq := g.Op("Slice", []string{g.Op("Shape", []string{ids}), g.Int64s(nil, 1), g.Int64s(nil, 2)})
	return g.Op("Slice", []string{pos, g.Op("Neg", []string{seq}), g.Int64s(nil, math.MaxInt64), g.Int64s(nil, 1)})
}

// attentionBias returns the additive mask [batch, 1, sequence, keys]: 0
// where query i may attend key j (j is not padding and j <= i in absolute
// position), a large negative number elsewhere. keys = mask length; the
// queries are the last sequence of them.
func (b *builder) attentionBias(ids, mask string) string {
	g := b.g
	dim := func(x string, i int64) string { // 0-D size of x's dim i
		return g.Op("Gather", []string{g.Op("Shape", []string{x}), g.Int64s([]int64{}, i)}, onnx.AttrInt("axis", 0))
	}
	keys, seq := dim(mask, 1), dim(ids, 1)
	one := g.Int64s([]int64{}, 1)
	kIdx := g.Op("Range", []string{g.Int64s([]int64{}, 0), keys, one})
	qIdx := g.Op("Range", []string{g.Op("Sub", []string{keys, seq}), keys, one})
	causal := g.Op("LessOrEqual", []string{
		g.Op("Unsqueeze", []string{kIdx, g.Int64s(nil, 0)}), // [1, keys]
		g.Op("Unsqueeze", []string{qIdx, g.Int64s(nil, 1)}), // [seq, 1]
	})
	notPad := g.Op("Unsqueeze", []string{g.Op("Cast", []string{mask}, onnx.AttrInt("to", int64(onnx.Bool))), g.Int64s(nil, 1, 2)})
	allowed := g.Op("And", []string{causal, notPad})
	// -1e9, not -inf: a fully masked row (a padding query) stays finite.
	return g.Op("Where", []string{allowed, g.Float32s([]int64{}, 0), g.Float32s([]int64{}, -1e9)})
}

// layerNorm applies the LayerNorm whose weights are prefix.weight and
// prefix.bias over the last axis.
func (b *builder) layerNorm(x, prefix string) string {
	return b.g.Op("LayerNormalization", []string{x, b.weight(prefix + ".weight"), b.weight(prefix + ".bias")},
		onnx.AttrInt("axis", -1), onnx.AttrFloat("epsilon", float32(b.cfg.LayerNormEps)))
}

// conv1D is GPT-2's Conv1D: x·W + b with W stored [in, out].
func (b *builder) conv1D(x, prefix string) string {
	return b.g.Op("Add", []string{b.g.Op("MatMul", []string{x, b.weight(prefix + ".weight")}), b.weight(prefix + ".bias")})
}

// attention is block l's attention sub-block with its residual: it
// returns h + attn(ln_1(h)) and the keys and values [batch, head, keys,
// head_dim] (past ones included) for present outputs.
func (b *builder) attention(l int, h, bias string, past *[2]string) (string, [2]string) {
	g, cfg := b.g, b.cfg
	p := fmt.Sprintf("h.%d.", l)
	g.SetScope(p + "attn")
	e := int64(cfg.NEmbd)
	x := b.layerNorm(h, p+"ln_1")
	qkv := g.OpN("Split", "", 3, []string{b.conv1D(x, p+"attn.c_attn"), g.Int64s(nil, e, e, e)}, onnx.AttrInt("axis", 2))
	headShape := g.Int64s(nil, 0, 0, int64(cfg.NHead), int64(cfg.HeadDim()))
	heads := func(t string) string { // [b, s, e] -> [b, head, s, head_dim]
		return g.Op("Transpose", []string{g.Op("Reshape", []string{t, headShape})}, onnx.AttrInts("perm", 0, 2, 1, 3))
	}
	q, k, v := heads(qkv[0]), heads(qkv[1]), heads(qkv[2])
	if past != nil {
		k = g.Op("Concat", []string{past[0], k}, onnx.AttrInt("axis", 2))
		v = g.Op("Concat", []string{past[1], v}, onnx.AttrInt("axis", 2))
	}
	// Scale q rather than the scores: it is the smaller tensor.
	q = g.Op("Mul", []string{q, g.Float32s([]int64{}, float32(1/math.Sqrt(float64(cfg.HeadDim()))))})
	kT := g.Op("Transpose", []string{k}, onnx.AttrInts("perm", 0, 1, 3, 2))
	scores := g.Op("Add", []string{g.Op("MatMul", []string{q, kT}), bias})
	probs := g.Op("Softmax", []string{scores}, onnx.AttrInt("axis", -1))
	ctx := g.Op("Transpose", []string{g.Op("MatMul", []string{probs, v})}, onnx.AttrInts("perm", 0, 2, 1, 3))
	ctx = g.Op("Reshape", []string{ctx, g.Int64s(nil, 0, 0, e)})
	return g.Op("Add", []string{h, b.conv1D(ctx, p+"attn.c_proj")}), [2]string{k, v}
}

// mlp is block l's MLP sub-block with its residual: h + mlp(ln_2(h)).
func (b *builder) mlp(l int, h string) string {
	g := b.g
	p := fmt.Sprintf("h.%d.", l)
	g.SetScope(p + "mlp")
	x := b.conv1D(b.layerNorm(h, p+"ln_2"), p+"mlp.c_fc")
	x = b.geluNew(x)
	return g.Op("Add", []string{h, b.conv1D(x, p+"mlp.c_proj")})
}

// geluNew is GPT-2's tanh approximation of GELU,
// 0.5·x·(1 + tanh(sqrt(2/π)·(x + 0.044715·x³))), written as the
// Hugging Face export writes it so ONNX Runtime can fuse it.
func (b *builder) geluNew(x string) string {
	g := b.g
	cube := g.Op("Pow", []string{x, g.Float32s([]int64{}, 3)})
	inner := g.Op("Add", []string{x, g.Op("Mul", []string{cube, g.Float32s([]int64{}, 0.044715)})})
	t := g.Op("Tanh", []string{g.Op("Mul", []string{inner, g.Float32s([]int64{}, float32(math.Sqrt(2/math.Pi)))})})
	half := g.Op("Mul", []string{x, g.Float32s([]int64{}, 0.5)})
	return g.Op("Mul", []string{half, g.Op("Add", []string{t, g.Float32s([]int64{}, 1)})})
}

// lmHead projects [batch, n_embd] onto the vocabulary with the tied token
// embedding: Gemm with transB reads wte [vocab, n_embd] as stored.
func (b *builder) lmHead(x string) string {
	return b.g.Op("Gemm", []string{x, b.weight("wte.weight")}, onnx.AttrInt("transB", 1))
}

// lmHeadAll is lmHead for [batch, sequence, n_embd]: Gemm is 2-D, so
// flatten the positions and restore them afterwards.
func (b *builder) lmHeadAll(x, ids string) string {
	g := b.g
	flat := g.Op("Reshape", []string{x, g.Int64s(nil, -1, int64(b.cfg.NEmbd))})
	shape := g.Op("Concat", []string{g.Op("Shape", []string{ids}), g.Int64s(nil, int64(b.cfg.VocabSize))}, onnx.AttrInt("axis", 0))
	return g.Op("Reshape", []string{b.lmHead(flat), shape})
}
