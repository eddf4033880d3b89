package ortcheck

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/tr119/tr119/models/gpt2"
)

// expected is what a transformers script saved beside a checkpoint: a
// left-padded batch and GPT2LMHeadModel's logits at its real positions.
type expected struct {
	IDs    [][]int64     `json:"input_ids"`
	Mask   [][]int64     `json:"attention_mask"`
	Logits [][][]float64 `json:"logits"` // [row][position][vocab]; empty at padding
}

// TestHFCheckpoint converts a checkpoint written by transformers
// ($TR119_HF_CHECKPOINT, with expected.json beside it) through
// source = "huggingface" and compares model.onnx with transformers'
// logits. $TR119_HF_OUT, if set, keeps the converted folder so transformers
// can load it back. Skipped without a checkpoint: none is stored in the
// repository, as it would be large.
func TestHFCheckpoint(t *testing.T) {
	needORT(t)
	src := os.Getenv("TR119_HF_CHECKPOINT")
	if src == "" {
		t.Skip("TR119_HF_CHECKPOINT not set: no transformers checkpoint to compare with")
	}
	raw, err := os.ReadFile(filepath.Join(src, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want expected
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	ck, err := gpt2.OpenCheckpoint(src)
	if err != nil {
		t.Fatal(err)
	}
	defer ck.Close()
	out := os.Getenv("TR119_HF_OUT")
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := gpt2.WriteFolder(out, ck.Config, ck, gpt2.Provenance{Source: "huggingface"}); err != nil {
		t.Fatal(err)
	}
	var rows [][]int64
	for r := range want.IDs {
		var real []int64
		for i, id := range want.IDs[r] {
			if want.Mask[r][i] == 1 {
				real = append(real, id)
			}
		}
		rows = append(rows, real)
	}
	b := leftPad(rows...)
	s := openSession(t, filepath.Join(out, "model.onnx"), []string{"input_ids", "attention_mask"}, []string{"logits"})
	got := s.run(t, [][]int64{b.ids, b.mask}, [][]int64{b.shape(), b.shape()}, nil)[0]
	v := ck.Config.VocabSize
	var worst float64
	for r := range b.rows {
		for i, w := range want.Logits[r] {
			if len(w) == 0 {
				continue
			}
			worst = max(worst, maxDiff(got.data[(r*b.seq+i)*v:(r*b.seq+i+1)*v], w))
		}
	}
	t.Logf("max |onnx - transformers| = %.3g", worst)
	if worst > 1e-4 {
		t.Fatalf("max abs diff %.3g > 1e-4", worst)
	}
}
