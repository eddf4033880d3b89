package engine

import (
	"bytes"
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// MaxNesting is the deepest bracket, brace, parenthesis and template
// interpolation nesting a pipeline, variables file or -var value may
// have. HCL's parser recurses once per level, and a few hundred thousand
// levels overflow the stack and kill the process; no real pipeline comes
// near this.
const MaxNesting = 256

// checkNesting scans src's tokens (the lexer does not recurse) and
// reports the first place nesting goes beyond MaxNesting, before the
// parser is given src.
func checkNesting(src []byte, filename string, start hcl.Pos) *hcl.Diagnostic {
	// Every level below opens with one of these characters, so a file
	// with few of them (most pipelines) cannot nest too deep: no need to
	// lex it.
	openers := 0
	for _, c := range []byte("[{(\"<") {
		openers += bytes.Count(src, []byte{c})
	}
	if openers <= MaxNesting {
		return nil
	}
	tokens, _ := hclsyntax.LexConfig(src, filename, start)
	depth := 0
	for _, t := range tokens {
		switch t.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl,
			hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depth = max(depth-1, 0)
		}
		if depth > MaxNesting {
			rng := t.Range
			return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Nesting too deep",
				Detail: fmt.Sprintf("Brackets, braces, parentheses and templates are nested more than %d deep here. "+
					"Flatten the value, or read deep data from a file instead of writing it in the pipeline.", MaxNesting),
				Subject: &rng}
		}
	}
	return nil
}
