package gpt2

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// GPT-2's tokenizer: 50257 tokens, <|endoftext|> = 50256.
const (
	GPT2Vocab = 50257
	GPT2EOS   = 50256
)

// Config is the shape of a GPT-2 family model.
type Config struct {
	NLayer     int
	NHead      int
	NEmbd      int
	NInner     int // MLP width; 4*NEmbd in every preset
	VocabSize  int
	NPositions int
	// LayerNormEps is LayerNorm's epsilon (1e-5 for GPT-2).
	LayerNormEps float64
	BOS, EOS     int
}

// HeadDim is the size of one attention head.
func (c Config) HeadDim() int { return c.NEmbd / c.NHead }

// Validate reports a config that cannot describe a GPT-2 model.
func (c Config) Validate() error {
	switch {
	case c.NLayer <= 0 || c.NHead <= 0 || c.NEmbd <= 0 || c.NInner <= 0 || c.VocabSize <= 0 || c.NPositions <= 0:
		return fmt.Errorf("n_layer, n_head, n_embd, n_inner, vocab_size and n_positions must be positive (got %d, %d, %d, %d, %d, %d)",
			c.NLayer, c.NHead, c.NEmbd, c.NInner, c.VocabSize, c.NPositions)
	case c.NEmbd%c.NHead != 0:
		return fmt.Errorf("n_embd %d is not a multiple of n_head %d", c.NEmbd, c.NHead)
	case c.LayerNormEps <= 0:
		return fmt.Errorf("layer_norm_epsilon must be positive, got %g", c.LayerNormEps)
	}
	return nil
}

func preset(layers, heads, embd, positions int) Config {
	return Config{NLayer: layers, NHead: heads, NEmbd: embd, NInner: 4 * embd, VocabSize: GPT2Vocab,
		NPositions: positions, LayerNormEps: 1e-5, BOS: GPT2EOS, EOS: GPT2EOS}
}

var presets = map[string]Config{
	"tiny":        preset(2, 2, 64, 256),
	"gpt2":        preset(12, 12, 768, 1024),
	"gpt2-medium": preset(24, 16, 1024, 1024),
	"gpt2-large":  preset(36, 20, 1280, 1024),
	"gpt2-xl":     preset(48, 25, 1600, 1024),
}

// Preset returns the named preset: tiny, gpt2, gpt2-medium, gpt2-large or
// gpt2-xl.
func Preset(name string) (Config, error) {
	c, ok := presets[name]
	if !ok {
		return Config{}, fmt.Errorf("unknown preset %q (want one of %s)", name, strings.Join(PresetNames(), ", "))
	}
	return c, nil
}

// PresetNames returns the preset names, sorted.
func PresetNames() []string {
	out := make([]string, 0, len(presets))
	for n := range presets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Provenance says where a folder's weights came from; it is recorded in
// config.json's "tr119" object.
type Provenance struct {
	Source string `json:"source"`           // "synthetic" or "huggingface"
	Preset string `json:"preset,omitempty"` // synthetic only
	Seed   uint64 `json:"seed"`             // synthetic only
	// Fused records Options.Fused; WriteFolderOptions sets it.
	Fused bool `json:"fused"`
}

// hfConfig is config.json: Hugging Face GPT2Config fields in a fixed order.
type hfConfig struct {
	ActivationFunction string      `json:"activation_function"`
	Architectures      []string    `json:"architectures"`
	AttnPdrop          float64     `json:"attn_pdrop"`
	BOSTokenID         *int        `json:"bos_token_id"`
	EmbdPdrop          float64     `json:"embd_pdrop"`
	EOSTokenID         *int        `json:"eos_token_id"`
	InitializerRange   float64     `json:"initializer_range"`
	LayerNormEpsilon   float64     `json:"layer_norm_epsilon"`
	ModelType          string      `json:"model_type"`
	NCtx               int         `json:"n_ctx"`
	NEmbd              int         `json:"n_embd"`
	NHead              int         `json:"n_head"`
	NInner             *int        `json:"n_inner"`
	NLayer             int         `json:"n_layer"`
	NPositions         int         `json:"n_positions"`
	ResidPdrop         float64     `json:"resid_pdrop"`
	TieWordEmbeddings  *bool       `json:"tie_word_embeddings"`
	TorchDtype         string      `json:"torch_dtype"`
	VocabSize          int         `json:"vocab_size"`
	TR119              *Provenance `json:"tr119,omitempty"`
}

// marshalConfig renders config.json.
func marshalConfig(c Config, p Provenance) ([]byte, error) {
	tie := true
	h := hfConfig{
		ActivationFunction: "gelu_new", Architectures: []string{"GPT2LMHeadModel"},
		AttnPdrop: 0.1, EmbdPdrop: 0.1, ResidPdrop: 0.1, InitializerRange: 0.02,
		BOSTokenID: &c.BOS, EOSTokenID: &c.EOS, LayerNormEpsilon: c.LayerNormEps, ModelType: "gpt2",
		NCtx: c.NPositions, NEmbd: c.NEmbd, NHead: c.NHead, NInner: &c.NInner, NLayer: c.NLayer,
		NPositions: c.NPositions, TieWordEmbeddings: &tie, TorchDtype: "float32", VocabSize: c.VocabSize, TR119: &p,
	}
	b, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode config: %w", err)
	}
	return append(b, '\n'), nil
}

// ReadConfig reads dir/config.json, a Hugging Face GPT-2 config, and
// returns its shape. Only model_type "gpt2" with the gelu_new activation
// and tied embeddings is accepted.
func ReadConfig(dir string) (Config, error) {
	c, _, err := readConfig(dir)
	return c, err
}

// ReadProvenance reads where dir's weights came from (config.json's tr119
// object); nil when the folder was not written by tr119.
func ReadProvenance(dir string) (*Provenance, error) {
	_, p, err := readConfig(dir)
	return p, err
}

// Name is a short model name for tables: the preset, with "-fused" for
// the fused graphs ("gpt2", "gpt2-fused"); empty for a checkpoint.
func (p *Provenance) Name() string {
	if p == nil || p.Preset == "" {
		return ""
	}
	if p.Fused {
		return p.Preset + "-fused"
	}
	return p.Preset
}

func readConfig(dir string) (Config, *Provenance, error) {
	path := filepath.Join(dir, "config.json")
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, nil, fmt.Errorf("read model config: %w", err)
	}
	var h hfConfig
	if err := json.Unmarshal(b, &h); err != nil {
		return Config{}, nil, fmt.Errorf("%s: %w", path, err)
	}
	if h.ModelType != "gpt2" {
		return Config{}, nil, fmt.Errorf("%s: unsupported architecture: model_type %q (only \"gpt2\" is supported)", path, h.ModelType)
	}
	switch h.ActivationFunction {
	case "gelu_new", "gelu_pytorch_tanh", "":
	default:
		return Config{}, nil, fmt.Errorf("%s: unsupported activation_function %q (want gelu_new)", path, h.ActivationFunction)
	}
	if h.TieWordEmbeddings != nil && !*h.TieWordEmbeddings {
		return Config{}, nil, fmt.Errorf("%s: untied word embeddings are not supported", path)
	}
	c := Config{NLayer: h.NLayer, NHead: h.NHead, NEmbd: h.NEmbd, NInner: 4 * h.NEmbd, VocabSize: h.VocabSize,
		NPositions: h.NPositions, LayerNormEps: h.LayerNormEpsilon, BOS: GPT2EOS, EOS: GPT2EOS}
	if h.NInner != nil {
		c.NInner = *h.NInner
	}
	if h.BOSTokenID != nil {
		c.BOS = *h.BOSTokenID
	}
	if h.EOSTokenID != nil {
		c.EOS = *h.EOSTokenID
	}
	if c.LayerNormEps == 0 {
		c.LayerNormEps = 1e-5
	}
	if err := c.Validate(); err != nil {
		return Config{}, nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, h.TR119, nil
}
