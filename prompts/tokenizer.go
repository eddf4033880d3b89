package prompts

import (
	"fmt"
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// Encoding is the tiktoken name of GPT-2's byte-pair encoding.
const Encoding = "r50k_base"

// EOS is GPT-2's end-of-text token id; it is also the pad id.
const EOS = 50256

var (
	encOnce sync.Once
	enc     *tiktoken.Tiktoken
	encErr  error
)

// Tokenizer encodes text into GPT-2 token ids.
type Tokenizer struct{ t *tiktoken.Tiktoken }

// NewTokenizer returns the GPT-2 tokenizer. tiktoken-go keeps its loader
// in a package global, so it is set once for the process, to the offline
// loader whose vocabulary is embedded in the binary.
func NewTokenizer() (*Tokenizer, error) {
	encOnce.Do(func() {
		tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
		enc, encErr = tiktoken.GetEncoding(Encoding)
	})
	if encErr != nil {
		return nil, fmt.Errorf("load %s encoding: %w", Encoding, encErr)
	}
	return &Tokenizer{t: enc}, nil
}

// Encode returns the token ids of text. Special tokens are treated as
// plain text, as GPT-2's tokenizer does for user prompts.
func (tk *Tokenizer) Encode(text string) []int64 {
	ids := tk.t.EncodeOrdinary(text)
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i] = int64(id)
	}
	return out
}
