// Package prompts owns the prompt side of a benchmark: GPT-2 byte-pair
// encoding (r50k_base through tiktoken-go and its offline loader, so no
// network is ever needed), and the padded batches a scenario resolves to:
// every prompt of a set is left-padded to the set's longest tokenized
// prompt plus a declared margin, with an attention mask, and a batch of N
// repeats each prompt N times (the TR119 report, section 2.3).
package prompts
