package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
)

// Read reads and checks a manifest strictly: unknown fields,
// trailing data, wrong type URIs, malformed digests, unsafe or duplicate
// subject names, unknown statuses and dangling references are errors
// naming the file (with line:column for JSON errors) and the field.
func Read(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	m, err := Parse(b)
	if err != nil {
		var me *Error
		if errors.As(err, &me) {
			me.File = path
		}
		return nil, err
	}
	return m, nil
}

// Error is a problem in a manifest, located by line and column
// for JSON errors, or by field path (in Msg) for content errors.
type Error struct {
	// File is the manifest's path, when known.
	File string
	// Line and Col locate a JSON error (1-based); 0 for content errors.
	Line, Col int
	// Msg says what is wrong.
	Msg string
}

// Error formats the error as FILE:LINE:COL: MSG (omitting what is unknown).
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File + ":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d:", e.Line, e.Col)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	return b.String() + e.Msg
}

// Parse is Read on bytes. Errors are *Error.
func Parse(b []byte) (*Manifest, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return nil, jsonError(b, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := lineCol(b, dec.InputOffset())
		return nil, &Error{Line: line, Col: col, Msg: "trailing data after the manifest"}
	}
	if err := m.validate(); err != nil {
		return nil, &Error{Msg: err.Error()}
	}
	return &m, nil
}

// jsonError locates a decoding error in b.
func jsonError(b []byte, dec *json.Decoder, err error) *Error {
	off := dec.InputOffset()
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset - 1 // Offset counts the bad byte itself
	case errors.As(err, &typ):
		off = typ.Offset
		err = fmt.Errorf("%s: want %s, got JSON %s", typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return &Error{Line: 1, Col: 1, Msg: "empty file, want a manifest"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		err = errors.New("unexpected end of file (truncated?)")
	}
	line, col := lineCol(b, off)
	return &Error{Line: line, Col: col, Msg: strings.TrimPrefix(err.Error(), "json: ")}
}

// lineCol turns a byte offset into 1-based line and column.
func lineCol(b []byte, off int64) (int, int) {
	off = max(0, min(off, int64(len(b))))
	before := b[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

// validate checks what the JSON decoder cannot.
func (m *Manifest) validate() error {
	want := func(field, got, want string) error {
		if got != want {
			return fmt.Errorf("%s is %q, want %q", field, got, want)
		}
		return nil
	}
	bd := m.Predicate.BuildDefinition
	if err := errors.Join(
		want("_type", m.Type, StatementType),
		want("predicateType", m.PredicateType, ProvenanceType),
		want("predicate.buildDefinition.buildType", bd.BuildType, BuildType),
	); err != nil {
		return err
	}
	stages := map[string]bool{}
	for i, s := range m.Predicate.RunDetails.Byproducts {
		if err := s.validate(); err != nil {
			return fmt.Errorf("predicate.runDetails.byproducts[%d]: %w", i, err)
		}
		if stages[s.Name] {
			return fmt.Errorf("predicate.runDetails.byproducts[%d]: stage %q listed twice", i, s.Name)
		}
		stages[s.Name] = true
	}
	subjects := map[string]bool{}
	for i, s := range m.Subject {
		if err := s.validate(stages); err != nil {
			return fmt.Errorf("subject[%d]: %w", i, err)
		}
		if subjects[s.Name] {
			return fmt.Errorf("subject[%d]: %q listed twice", i, s.Name)
		}
		subjects[s.Name] = true
	}
	for i, s := range m.Predicate.RunDetails.Byproducts {
		for j, o := range s.Annotations.Outputs {
			if !subjects[o] {
				return fmt.Errorf("predicate.runDetails.byproducts[%d].annotations.outputs[%d]: %q is not a subject", i, j, o)
			}
		}
	}
	for i, r := range bd.ExternalParameters.Pipeline {
		if err := r.validate(); err != nil {
			return fmt.Errorf("predicate.buildDefinition.externalParameters.pipeline[%d]: %w", i, err)
		}
	}
	for i, r := range bd.ResolvedDependencies {
		if err := r.validate(); err != nil {
			return fmt.Errorf("predicate.buildDefinition.resolvedDependencies[%d]: %w", i, err)
		}
	}
	return nil
}

func (s Subject) validate(stages map[string]bool) error {
	if err := checkResultPath(s.Name); err != nil {
		return fmt.Errorf("name: %w", err)
	}
	if err := checkDigest(s.Digest, true); err != nil {
		return err
	}
	if s.Annotations.Size < 0 {
		return fmt.Errorf("annotations.size %d is negative", s.Annotations.Size)
	}
	if !stages[s.Annotations.Stage] {
		return fmt.Errorf("annotations.stage %q is not a recorded stage", s.Annotations.Stage)
	}
	return nil
}

func (r ResourceDescriptor) validate() error {
	if r.Name == "" {
		return errors.New("name is empty")
	}
	return checkDigest(r.Digest, false)
}

func (s StageRecord) validate() error {
	if s.Name == "" {
		return errors.New("name is empty")
	}
	f := s.Annotations
	switch f.Status {
	case StageExecuted, StageCached:
		if !isSHA256(f.ActionKey) {
			return fmt.Errorf("annotations.actionKey %q: want 64 lowercase hex digits", f.ActionKey)
		}
	case StageUnavailable, StageFailed, StageSkipped:
		if f.ActionKey != "" && !isSHA256(f.ActionKey) {
			return fmt.Errorf("annotations.actionKey %q: want 64 lowercase hex digits", f.ActionKey)
		}
	default:
		return fmt.Errorf("annotations.status %q: want executed, cached, unavailable, failed or skipped", f.Status)
	}
	if e := f.OutputsFrom; e != nil {
		if err := e.validate(); err != nil {
			return fmt.Errorf("annotations.outputsFrom.%w", err)
		}
	}
	if f.Kind == "" {
		return errors.New("annotations.kind is empty")
	}
	if f.KeyLinesSHA256 != "" && !isSHA256(f.KeyLinesSHA256) {
		return fmt.Errorf("annotations.keyLinesSha256 %q: want 64 lowercase hex digits", f.KeyLinesSHA256)
	}
	for i, in := range f.Inputs {
		if in.Name == "" || !isSHA256(in.SHA256) {
			return fmt.Errorf("annotations.inputs[%d]: want a name and a 64-hex-digit sha256", i)
		}
	}
	if f.Duration < 0 {
		return errors.New("annotations.duration is negative")
	}
	return nil
}

func (e *EarlierApply) validate() error {
	if e.InvocationID == "" {
		return errors.New("invocationId is empty")
	}
	if e.Status != StageExecuted && e.Status != StageCached {
		return fmt.Errorf("status %q: want executed or cached", e.Status)
	}
	if !isSHA256(e.ActionKey) {
		return fmt.Errorf("actionKey %q: want 64 lowercase hex digits", e.ActionKey)
	}
	if e.KeyLinesSHA256 != "" && !isSHA256(e.KeyLinesSHA256) {
		return fmt.Errorf("keyLinesSha256 %q: want 64 lowercase hex digits", e.KeyLinesSHA256)
	}
	for i, in := range e.Inputs {
		if in.Name == "" || !isSHA256(in.SHA256) {
			return fmt.Errorf("inputs[%d]: want a name and a 64-hex-digit sha256", i)
		}
	}
	return nil
}

// checkDigest checks a digest set's sha256 (required or optional).
func checkDigest(d DigestSet, required bool) error {
	sha, ok := d["sha256"]
	if !ok {
		if required {
			return errors.New("digest.sha256 is missing")
		}
		return nil
	}
	if !isSHA256(sha) {
		return fmt.Errorf("digest.sha256 %q: want 64 lowercase hex digits", sha)
	}
	return nil
}

// checkResultPath accepts clean slash-separated paths that stay inside
// the results folder.
func checkResultPath(p string) error {
	if !fs.ValidPath(p) || p == "." || strings.ContainsAny(p, "\\\n\r") {
		return fmt.Errorf("%q is not a clean relative path inside the results folder", p)
	}
	return nil
}

// isSHA256 reports whether s is 64 lowercase hex digits.
func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
