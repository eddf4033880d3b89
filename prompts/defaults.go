package prompts

// DefaultMargin is the padding margin of the default pipeline: with the
// default sets it gives the report's padded lengths 11, 19 and 27.
const DefaultMargin = 2

// DefaultSets returns the default pipeline's prompt sets (pipeline.hcl
// declares the same strings as locals): two prompts each, of clearly
// different lengths. Tokenized lengths: short 9 and 7, medium 17 and 14,
// long 25 and 19.
func DefaultSets() map[string][]string {
	return map[string][]string{
		"short": {
			"Explain what a KV cache is.",
			"Name three uses of a GPU.",
		},
		"medium": {
			"Describe how a transformer turns a prompt into the next token, step by step.",
			"Summarize the benefits of batching requests in an inference server.",
		},
		"long": {
			"Compare the cost per token of a small language model on a laptop CPU with the same model on a rented data center GPU.",
			"Explain why energy per token needs long timing windows when a power counter updates every hundred milliseconds.",
		},
	}
}
