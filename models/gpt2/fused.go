package gpt2

import (
	"fmt"

	"github.com/tr119/tr119/models/onnx"
)

// msDomain is ONNX Runtime's contrib operator domain.
const msDomain = "com.microsoft"

// fusedBlocks is blocks with ONNX Runtime's fused operators: each residual
// Add and the LayerNorm after it become one SkipLayerNormalization (whose
// fourth output is the residual sum), attention is one MultiHeadAttention
// (causal, with the padding mask and the KV cache), and the MLP's bias and
// GELU one FastGelu.
func (b *builder) fusedBlocks(h string, in graphInputs) (string, [][2]string) {
	g, cfg := b.g, b.cfg
	g.SetScope("mask")
	keyMask := g.Op("Cast", []string{in.mask}, onnx.AttrInt("to", int64(onnx.Int32)))
	x := b.layerNorm(h, "h.0.ln_1")
	var presents [][2]string
	for l := range cfg.NLayer {
		p := fmt.Sprintf("h.%d.", l)
		var past *[2]string
		if in.past != nil {
			past = &in.past[l]
		}
		g.SetScope(p + "attn")
		attn, kv := b.multiHeadAttention(x, p, keyMask, past)
		presents = append(presents, kv)
		x, h = b.skipLayerNorm(attn, h, p+"attn.c_proj.bias", p+"ln_2")

		g.SetScope(p + "mlp")
		a := g.OpN("FastGelu", msDomain, 1, []string{g.Op("MatMul", []string{x, b.weight(p + "mlp.c_fc.weight")}), b.weight(p + "mlp.c_fc.bias")})[0]
		out := g.Op("MatMul", []string{a, b.weight(p + "mlp.c_proj.weight")})
		next := "ln_f"
		if l+1 < cfg.NLayer {
			next = fmt.Sprintf("h.%d.ln_1", l+1)
		}
		x, h = b.skipLayerNorm(out, h, p+"mlp.c_proj.bias", next)
	}
	return x, presents
}

// multiHeadAttention is the attention of block p on normalised input x,
// without c_proj's bias (the following SkipLayerNormalization adds it). It
// returns the projected output and the present keys and values.
func (b *builder) multiHeadAttention(x, p, keyMask string, past *[2]string) (string, [2]string) {
	g, e := b.g, int64(b.cfg.NEmbd)
	qkv := g.OpN("Split", "", 3, []string{g.Op("MatMul", []string{x, b.weight(p + "attn.c_attn.weight")}), g.Int64s(nil, e, e, e)}, onnx.AttrInt("axis", 2))
	inputs := []string{qkv[0], qkv[1], qkv[2], b.weight(p + "attn.c_attn.bias"), keyMask, ""}
	if past != nil {
		inputs = append(inputs, past[0], past[1])
	}
	outs := g.OpN("MultiHeadAttention", msDomain, 3, inputs,
		onnx.AttrInt("num_heads", int64(b.cfg.NHead)), onnx.AttrInt("unidirectional", 1))
	return g.Op("MatMul", []string{outs[0], b.weight(p + "attn.c_proj.weight")}), [2]string{outs[1], outs[2]}
}

// skipLayerNorm returns LayerNorm(input + skip + bias) with the weights of
// ln, and the sum itself (the new residual stream).
func (b *builder) skipLayerNorm(input, skip, bias, ln string) (normed, sum string) {
	outs := b.g.OpN("SkipLayerNormalization", msDomain, 4,
		[]string{input, skip, b.weight(ln + ".weight"), b.weight(ln + ".bias"), b.weight(bias)},
		onnx.AttrFloat("epsilon", float32(b.cfg.LayerNormEps)))
	return outs[0], outs[3]
}
