package model

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/models/gpt2"
)

type nopProgress struct{}

func (nopProgress) Report(int64, int64, string) {}

// lastProgress keeps the last report.
type lastProgress struct{ done, total int64 }

func (p *lastProgress) Report(done, total int64, _ string) { p.done, p.total = done, total }

func TestRunProgressAndCancel(t *testing.T) {
	tiny := body(map[string]cty.Value{"preset": cty.StringVal("tiny")})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p := &lastProgress{}
	if _, err := New().Run(context.Background(), &engine.Run{Config: tiny, OutDir: t.TempDir(), Progress: p, Log: log}); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := gpt2.Preset("tiny"); p.total != 4*cfg.Params() || p.done != p.total {
		t.Errorf("last progress %d/%d, want all of %d bytes", p.done, p.total, 4*cfg.Params())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	out := t.TempDir()
	_, err := New().Run(ctx, &engine.Run{Config: tiny, OutDir: out, Progress: nopProgress{}, Log: log})
	if err == nil || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("cancelled run: err = %v", err)
	}
	if ents, _ := os.ReadDir(filepath.Join(out, "model")); len(ents) != 0 {
		t.Errorf("cancelled run left files: %v", ents)
	}
}

func body(attrs map[string]cty.Value) cty.Value {
	full := map[string]cty.Value{
		"source": cty.StringVal("synthetic"),
		"preset": cty.NullVal(cty.String),
		"seed":   cty.NullVal(cty.Number),
		"dir":    cty.NullVal(cty.String),
		"fused":  cty.False,
	}
	for k, v := range attrs {
		full[k] = v
	}
	return cty.ObjectVal(full)
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name  string
		attrs map[string]cty.Value
		want  config
		err   string
	}{
		{"defaults", nil, config{Source: "synthetic", Preset: "gpt2", Seed: 42}, ""},
		{"tiny seed 7", map[string]cty.Value{"preset": cty.StringVal("tiny"), "seed": cty.NumberIntVal(7)}, config{Source: "synthetic", Preset: "tiny", Seed: 7}, ""},
		{"checkpoint", map[string]cty.Value{"source": cty.StringVal("huggingface"), "dir": cty.StringVal("ckpt")}, config{Source: "huggingface", Dir: "ckpt"}, ""},
		{"bad source", map[string]cty.Value{"source": cty.StringVal("s3")}, config{}, `source: "s3" is not`},
		{"negative seed", map[string]cty.Value{"seed": cty.NumberIntVal(-1)}, config{}, "seed: -1 is below the minimum of 0"},
		{"fractional seed", map[string]cty.Value{"seed": cty.NumberFloatVal(1.5)}, config{}, "seed: 1.5 is not a whole number"},
		{"checkpoint without dir", map[string]cty.Value{"source": cty.StringVal("huggingface")}, config{}, `source: source = "huggingface" needs dir`},
		{"checkpoint with preset", map[string]cty.Value{"source": cty.StringVal("huggingface"), "dir": cty.StringVal("x"), "preset": cty.StringVal("gpt2")}, config{}, "preset: preset is only used"},
		{"seed above 2^64-1", map[string]cty.Value{"seed": cty.MustParseNumberVal("18446744073709551616")}, config{}, "seed: seed 18446744073709551616 is above"},
		{"fused", map[string]cty.Value{"fused": cty.True}, config{Source: "synthetic", Preset: "gpt2", Seed: 42, Fused: true}, ""},
		{"synthetic with dir", map[string]cty.Value{"dir": cty.StringVal("x")}, config{}, "dir: dir is only used"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decode(body(tt.attrs))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("decode = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func run(t *testing.T, workspace string, attrs map[string]cty.Value) (string, error) {
	t.Helper()
	out := t.TempDir()
	res, err := New().Run(context.Background(), &engine.Run{
		Addr: "stage.model.test", Label: "test", Config: body(attrs), Workspace: workspace, OutDir: out,
		Progress: nopProgress{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		return "", err
	}
	if hf, err := os.ReadDir(filepath.Join(out, res.Outputs["hf"])); err != nil || len(hf) != 2 {
		t.Errorf("hf output: %d files, %v; want config.json and model.safetensors", len(hf), err)
	}
	return filepath.Join(out, res.Outputs["onnx"]), nil
}

func TestRun(t *testing.T) {
	ws := t.TempDir()
	tiny := map[string]cty.Value{"preset": cty.StringVal("tiny"), "seed": cty.NumberIntVal(3)}
	a, err := run(t, ws, tiny)
	if err != nil {
		t.Fatal(err)
	}
	b, err := run(t, ws, tiny)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"config.json", "model.safetensors", "model.onnx", "model_last.onnx", "decoder.onnx", "decoder_with_past.onnx"} {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err1 != nil || err2 != nil || !bytes.Equal(x, y) {
			t.Errorf("%s: not identical across runs (%v, %v)", f, err1, err2)
		}
	}
	cj, _ := os.ReadFile(filepath.Join(a, "config.json"))
	if !strings.Contains(string(cj), `"preset": "tiny"`) || !strings.Contains(string(cj), `"seed": 3`) {
		t.Errorf("config.json does not record preset and seed:\n%s", cj)
	}

	// The synthetic folder is itself a Hugging Face checkpoint: reading it
	// back must give the same weights.
	if err := os.Rename(a, filepath.Join(ws, "ckpt")); err != nil {
		t.Fatal(err)
	}
	hf := map[string]cty.Value{"source": cty.StringVal("huggingface"), "dir": cty.StringVal("ckpt")}
	c, err := run(t, ws, hf)
	if err != nil {
		t.Fatal(err)
	}
	x, _ := os.ReadFile(filepath.Join(ws, "ckpt", "model.safetensors"))
	y, _ := os.ReadFile(filepath.Join(c, "model.safetensors"))
	if !bytes.Equal(x, y) {
		t.Error("weights changed going through source = huggingface")
	}
	if cfg, err := gpt2.ReadConfig(c); err != nil || cfg.NEmbd != 64 {
		t.Errorf("ReadConfig = %+v, %v", cfg, err)
	}
	ins, err := New().(engine.FileInputer).FileInputs(body(hf))
	if err != nil || len(ins) != 1 || ins[0] != "ckpt" {
		t.Errorf("FileInputs = %v, %v", ins, err)
	}

	_, err = run(t, ws, map[string]cty.Value{"source": cty.StringVal("huggingface"), "dir": cty.StringVal("nope")})
	if err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Errorf("missing checkpoint: err = %v", err)
	}
	fused, err := run(t, ws, map[string]cty.Value{"preset": cty.StringVal("tiny"), "fused": cty.True})
	if err != nil {
		t.Fatal(err)
	}
	if g, _ := os.ReadFile(filepath.Join(fused, "decoder_with_past.onnx")); !bytes.Contains(g, []byte("MultiHeadAttention")) {
		t.Error("fused = true wrote graphs without MultiHeadAttention")
	}
	if g, _ := os.ReadFile(filepath.Join(b, "decoder_with_past.onnx")); bytes.Contains(g, []byte("MultiHeadAttention")) {
		t.Error("standard graphs use com.microsoft operators")
	}

	_, err = run(t, ws, map[string]cty.Value{"preset": cty.StringVal("gpt5")})
	if err == nil || !strings.Contains(err.Error(), `preset: "gpt5" is not one of`) {
		t.Errorf("bad preset: err = %v", err)
	}
}
