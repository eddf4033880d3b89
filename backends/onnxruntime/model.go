package onnxruntime

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/tr119/tr119/backends"
)

// Backend is the ONNX Runtime backend. Library is the shared library to
// load (see ResolveLibrary); Settings are the stage's `onnxruntime` block.
type Backend struct {
	Library  string
	Settings Settings
}

// New returns a backend that loads the library at path, with default
// settings and no declared version.
func New(path string) *Backend { return &Backend{Library: path} }

// config is what the backend needs of the folder's config.json.
type config struct {
	VocabSize int `json:"vocab_size"`
	NLayer    int `json:"n_layer"`
	NHead     int `json:"n_head"`
	NEmbd     int `json:"n_embd"`
}

func readConfig(dir string) (config, error) {
	var c config
	p := filepath.Join(dir, "config.json")
	b, err := os.ReadFile(p)
	if err != nil {
		return c, fmt.Errorf("read model config: %w", err)
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("parse %s: %w", p, err)
	}
	if c.VocabSize <= 0 || c.NLayer <= 0 || c.NHead <= 0 || c.NEmbd <= 0 || c.NEmbd%c.NHead != 0 {
		return c, fmt.Errorf("%s: vocab_size, n_layer, n_head, n_embd must be positive and n_embd divisible by n_head, got %+v", p, c)
	}
	return c, nil
}

// Graph files of a model folder (docs/model-folder.md).
const (
	graphFull     = "model.onnx"
	graphLast     = "model_last.onnx"
	graphDecoder  = "decoder.onnx"
	graphWithPast = "decoder_with_past.onnx"
)

// model is an opened folder: one session per graph its modes need.
type model struct {
	dir      string
	cfg      config
	sessions map[string]*ort.DynamicAdvancedSession
	load     backends.LoadStats
}

// Open implements backends.Backend.
func (b *Backend) Open(ctx context.Context, dir string, o backends.Options) (backends.Model, error) {
	initTime, err := Init(b.Library)
	if err != nil {
		return nil, err
	}
	ls, err := b.identify(initTime)
	if err != nil {
		return nil, err
	}
	cfg, err := readConfig(dir)
	if err != nil {
		return nil, err
	}
	set := b.Settings
	set.DeviceID = o.DeviceID
	if set.Provider == "" {
		set.Provider = "cpu"
		if o.Device != "" && o.Device != "cpu" {
			set.Provider = "cuda"
		}
	}
	so, err := sessionOptions(set)
	if err != nil {
		return nil, err
	}
	defer so.Destroy()
	provider := set.Provider
	ls.Provider = provider
	ls.Runtime["provider"] = provider
	m := &model{dir: dir, cfg: cfg, sessions: map[string]*ort.DynamicAdvancedSession{}, load: ls}
	for _, g := range graphsFor(o.Modes) {
		if err := ctx.Err(); err != nil {
			m.Close()
			return nil, err
		}
		in, out := cfg.names(g)
		start := time.Now()
		s, err := ort.NewDynamicAdvancedSession(filepath.Join(dir, g), in, out, so)
		if err != nil {
			m.Close()
			return nil, fmt.Errorf("create %s session for %s: %w", provider, g, err)
		}
		m.load.Sessions[g] = time.Since(start)
		m.sessions[g] = s
	}
	return m, nil
}

func graphsFor(modes []backends.Mode) []string {
	var gs []string
	seen := map[string]bool{}
	add := func(g ...string) {
		for _, x := range g {
			if !seen[x] {
				seen[x] = true
				gs = append(gs, x)
			}
		}
	}
	for _, m := range modes {
		switch m {
		case backends.Prefill:
			add(graphFull)
		case backends.Generate:
			add(graphLast)
		case backends.Decode:
			add(graphDecoder, graphWithPast)
		}
	}
	return gs
}

// names returns a graph's input and output names.
func (c config) names(graph string) (in, out []string) {
	in = []string{"input_ids", "attention_mask"}
	out = []string{"logits"}
	if graph == graphWithPast {
		for i := range c.NLayer {
			in = append(in, fmt.Sprintf("past.%d.key", i), fmt.Sprintf("past.%d.value", i))
		}
	}
	if graph == graphDecoder || graph == graphWithPast {
		for i := range c.NLayer {
			out = append(out, fmt.Sprintf("present.%d.key", i), fmt.Sprintf("present.%d.value", i))
		}
	}
	return in, out
}

// Load implements backends.Model.
func (m *model) Load() backends.LoadStats { return m.load }

// Close implements backends.Model.
func (m *model) Close() error {
	var first error
	for g, s := range m.sessions {
		if err := s.Destroy(); err != nil && first == nil {
			first = fmt.Errorf("destroy %s session: %w", g, err)
		}
	}
	m.sessions = nil
	return first
}

// Prepare implements backends.Model.
func (m *model) Prepare(mode backends.Mode, s backends.Shape) (backends.Runner, error) {
	if s.Batch < 1 || s.SeqLen < 1 {
		return nil, fmt.Errorf("shape %dx%d: batch and seq_len must be positive", s.Batch, s.SeqLen)
	}
	need := map[backends.Mode]string{backends.Prefill: graphFull, backends.Generate: graphLast, backends.Decode: graphWithPast}[mode]
	if need == "" {
		return nil, fmt.Errorf("mode %q: want prefill, generate or decode", mode)
	}
	if m.sessions[need] == nil {
		return nil, fmt.Errorf("mode %s: its graph %s was not opened", mode, need)
	}
	switch mode {
	case backends.Prefill:
		return newPrefill(m, s)
	case backends.Generate:
		return newGenerate(m, s)
	}
	return newDecode(m, s)
}
