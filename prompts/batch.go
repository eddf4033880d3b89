package prompts

import (
	"errors"
	"fmt"
)

// Batch is one timed call's input: Batch rows of SeqLen tokens, row-major.
type Batch struct {
	// Prompt is the prompt's index in its set.
	Prompt int
	// Size is the batch size (rows).
	Size int
	// SeqLen is the padded sequence length (columns).
	SeqLen int
	// IDs holds Size*SeqLen token ids; padding is EOS on the left.
	IDs []int64
	// Mask holds Size*SeqLen attention mask values: 0 for padding, 1 for tokens.
	Mask []int64
	// PromptTokens is the prompt's unpadded token count.
	PromptTokens int
}

// Set is a scenario's prompts resolved to padded batches.
type Set struct {
	// SeqLen is the padded length: the longest tokenized prompt + margin.
	SeqLen int
	// Batches has one batch per prompt, in the set's order.
	Batches []Batch
}

// Resolve tokenizes prompts and builds one left-padded batch per prompt,
// each prompt repeated batchSize times. The padded length is the longest
// tokenized prompt plus margin.
func Resolve(tk *Tokenizer, prompts []string, batchSize, margin int) (Set, error) {
	if len(prompts) == 0 {
		return Set{}, errors.New("prompt set is empty")
	}
	if batchSize < 1 {
		return Set{}, fmt.Errorf("batch size %d: must be at least 1", batchSize)
	}
	if margin < 0 {
		return Set{}, fmt.Errorf("padding margin %d: must not be negative", margin)
	}
	toks := make([][]int64, len(prompts))
	longest := 0
	for i, p := range prompts {
		toks[i] = tk.Encode(p)
		if len(toks[i]) == 0 {
			return Set{}, fmt.Errorf("prompt %d is empty after tokenization", i)
		}
		longest = max(longest, len(toks[i]))
	}
	set := Set{SeqLen: longest + margin}
	for i, t := range toks {
		set.Batches = append(set.Batches, pad(i, t, batchSize, set.SeqLen))
	}
	return set, nil
}

// pad left-pads ids to seqLen and repeats the row batchSize times.
func pad(prompt int, ids []int64, batchSize, seqLen int) Batch {
	b := Batch{Prompt: prompt, Size: batchSize, SeqLen: seqLen, PromptTokens: len(ids),
		IDs: make([]int64, batchSize*seqLen), Mask: make([]int64, batchSize*seqLen)}
	off := seqLen - len(ids)
	for r := range batchSize {
		row := r * seqLen
		for c := range off {
			b.IDs[row+c] = EOS
		}
		copy(b.IDs[row+off:row+seqLen], ids)
		for c := off; c < seqLen; c++ {
			b.Mask[row+c] = 1
		}
	}
	return b
}
