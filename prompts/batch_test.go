package prompts

import (
	"slices"
	"testing"
)

func TestDefaultShapes(t *testing.T) {
	tk, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	// The report's section 3.1 table: padded prefill seq_len 11 / 19 / 27.
	tests := []struct {
		set    string
		batch  int
		seqLen int
		lens   []int
	}{
		{"short", 1, 11, []int{9, 7}},
		{"medium", 1, 19, []int{17, 14}},
		{"long", 1, 27, []int{25, 19}},
		{"short", 4, 11, []int{9, 7}},
		{"medium", 4, 19, []int{17, 14}},
	}
	for _, tt := range tests {
		s, err := Resolve(tk, DefaultSets()[tt.set], tt.batch, DefaultMargin)
		if err != nil {
			t.Fatalf("%s: %v", tt.set, err)
		}
		if s.SeqLen != tt.seqLen {
			t.Errorf("%s: seq_len %d, want %d", tt.set, s.SeqLen, tt.seqLen)
		}
		for i, b := range s.Batches {
			if b.PromptTokens != tt.lens[i] || b.Size != tt.batch || len(b.IDs) != tt.batch*tt.seqLen {
				t.Errorf("%s prompt %d: tokens %d size %d ids %d", tt.set, i, b.PromptTokens, b.Size, len(b.IDs))
			}
		}
	}
}

func TestEncodeKnownIDs(t *testing.T) {
	tk, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	// GPT-2's tokenizer gives "Hello world" = [15496, 995].
	if got := tk.Encode("Hello world"); !slices.Equal(got, []int64{15496, 995}) {
		t.Fatalf("Encode(Hello world) = %v", got)
	}
}

func TestLeftPadding(t *testing.T) {
	tk, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(tk, []string{"Hello world", "Hello"}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Longest is 2 tokens, margin 1: seq_len 3; "Hello" gets 2 pads.
	want := []struct{ ids, mask []int64 }{
		{[]int64{EOS, 15496, 995, EOS, 15496, 995}, []int64{0, 1, 1, 0, 1, 1}},
		{[]int64{EOS, EOS, 15496, EOS, EOS, 15496}, []int64{0, 0, 1, 0, 0, 1}},
	}
	for i, w := range want {
		b := s.Batches[i]
		if !slices.Equal(b.IDs, w.ids) || !slices.Equal(b.Mask, w.mask) {
			t.Errorf("batch %d: ids %v mask %v, want %v %v", i, b.IDs, b.Mask, w.ids, w.mask)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	tk, err := NewTokenizer()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		prompts []string
		batch   int
		margin  int
	}{
		{"empty set", nil, 1, 0},
		{"empty prompt", []string{""}, 1, 0},
		{"zero batch", []string{"a"}, 0, 0},
		{"negative margin", []string{"a"}, 1, -1},
	}
	for _, tt := range tests {
		if _, err := Resolve(tk, tt.prompts, tt.batch, tt.margin); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}
