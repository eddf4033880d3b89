// Command kinddoc writes docs/kinds: one reference page per stage kind and
// data block, generated from their schemas, and an index. Run it from the
// repository root after changing a kind's schema:
//
//	go run ./internal/kinddoc
//
// Its test fails when the pages on disk differ from what it would write.
package main
