package engine

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/tr119/tr119/cache"
	"github.com/zclconf/go-cty/cty"
)

// KeySchema is the first line of every action key. Bump it when the way
// keys are built changes, so old cache entries stop matching.
//
// v2: a kind may put its config in a normal form first (KeyConfiger:
// defaults filled in, blocks that do not apply left out), and kinds with
// display-only attributes (Relabeler) also get a measurement key without
// them, so renaming a label relabels cached outputs instead of running
// the stage again. Locations (library, interpreter paths) are settings,
// in no key.
const KeySchema = "tr119 key v2"

// KeyConfiger is implemented by kinds whose evaluated config enters the
// key in a normal form: defaults filled in (so writing a default and
// leaving it out give one key), defaults that depend on the stage's name
// made explicit, and parts that do not apply dropped (the nested blocks
// of backends a benchmark does not use). label is the stage's name.
// config is known as a whole but may hold unknown values (parts waiting
// on upstream stages, for the plan's reasons): leave those as they are.
type KeyConfiger interface {
	KeyConfig(label string, config cty.Value) cty.Value
}

// Relabeler is implemented by kinds with display-only attributes (a
// benchmark's label): attributes that change the outputs' text but not
// what was computed or measured. Such a kind gets a second key, its
// measurement key, without them; when a stage's action key misses but
// its measurement key hits, the engine calls Relabel with the earlier
// outputs instead of running the stage, and stores the result under the
// action key.
type Relabeler interface {
	// DisplayAttrs names the top-level display-only attributes.
	DisplayAttrs() []string
	// Relabel writes r's outputs (under r.OutDir, as Run does) from the
	// outputs of an earlier run whose config differed only in display
	// attributes. It must not measure anything.
	Relabel(ctx context.Context, r *Run, earlier map[string]Artifact) (*Result, error)
}

// keyConfig is the config as it enters the action key.
func keyConfig(k Kind, label string, cfg cty.Value) cty.Value {
	// Also while parts wait on upstream stages: the plan compares the
	// known parts with the recorded key form, so they must be in that form.
	if kc, ok := k.(KeyConfiger); ok && cfg.IsKnown() {
		return kc.KeyConfig(label, cfg)
	}
	return cfg
}

// measureKey is the key of a Relabeler's config without its display
// attributes (nil for other kinds).
func measureKey(k Kind, cfg cty.Value, files []keyFile) (*ActionKey, error) {
	rl, ok := k.(Relabeler)
	if !ok || !cfg.Type().IsObjectType() {
		return nil, nil
	}
	drop := map[string]bool{}
	for _, a := range rl.DisplayAttrs() {
		drop[a] = true
	}
	attrs := map[string]cty.Value{}
	for name, v := range cfg.AsValueMap() {
		if !drop[name] {
			attrs[name] = v
		}
	}
	w, err := walkConfig(cty.ObjectVal(attrs))
	if err != nil {
		return nil, err
	}
	info := k.Info()
	info.Version += " measurement"
	key := buildKey(info, w, files)
	return &key, nil
}

// ActionKey is a stage's action key: the text lines that went into it
// (printed by `plan -explain`) and their SHA-256.
type ActionKey struct {
	// Lines are the key's text lines in order.
	Lines []string
	// ID is the SHA-256 of the lines, each followed by a newline.
	ID [32]byte
}

// String returns the key's hex digest.
func (k ActionKey) String() string { return hex.EncodeToString(k.ID[:]) }

// keyInput is one artifact found in a stage's evaluated config.
type keyInput struct {
	Name     string // attribute path, e.g. "runs[0]"
	Artifact Artifact
}

// configWalk is the result of walking an evaluated stage config: its
// canonical JSON with artifacts replaced by their input names, the
// artifacts themselves, and the flattened leaves used to explain changes.
type configWalk struct {
	JSON    string
	Inputs  []keyInput
	Leaves  map[string]string // attribute path -> canonical JSON of a leaf
	Unknown []string          // attribute paths whose value is not yet known
}

// walkConfig canonicalises an evaluated config value.
func walkConfig(v cty.Value) (*configWalk, error) {
	w := &configWalk{Leaves: map[string]string{}}
	tree, err := w.walk("", v)
	if err != nil {
		return nil, err
	}
	js, err := canonicalJSON(tree)
	if err != nil {
		return nil, err
	}
	w.JSON = js
	sort.Slice(w.Inputs, func(i, j int) bool { return w.Inputs[i].Name < w.Inputs[j].Name })
	return w, nil
}

func (w *configWalk) walk(path string, v cty.Value) (any, error) {
	if !v.IsKnown() {
		w.Unknown = append(w.Unknown, pathOrRoot(path))
		return "(unknown)", nil
	}
	if v.IsNull() {
		w.leaf(path, "null")
		return nil, nil
	}
	t := v.Type()
	if isArtifactType(t) {
		a, err := ArtifactFromValue(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", pathOrRoot(path), err)
		}
		name := pathOrRoot(path)
		w.Inputs = append(w.Inputs, keyInput{Name: name, Artifact: a})
		return "input:" + name, nil
	}
	switch {
	case t == cty.String:
		s := v.AsString()
		w.leaf(path, mustJSON(s))
		return s, nil
	case t == cty.Number:
		n := json.Number(v.AsBigFloat().Text('g', -1))
		w.leaf(path, string(n))
		return n, nil
	case t == cty.Bool:
		w.leaf(path, mustJSON(v.True()))
		return v.True(), nil
	case t.IsObjectType() || t.IsMapType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			key := k.AsString()
			sub := path + "." + key
			if path == "" {
				sub = key
			}
			if t.IsMapType() {
				sub = path + "[" + mustJSON(key) + "]"
			}
			x, err := w.walk(sub, e)
			if err != nil {
				return nil, err
			}
			out[key] = x
		}
		if len(out) == 0 {
			w.leaf(path, "{}")
		}
		return out, nil
	case t.IsListType() || t.IsSetType() || t.IsTupleType():
		out := []any{}
		i := 0
		for it := v.ElementIterator(); it.Next(); i++ {
			_, e := it.Element()
			x, err := w.walk(fmt.Sprintf("%s[%d]", path, i), e)
			if err != nil {
				return nil, err
			}
			out = append(out, x)
		}
		if len(out) == 0 {
			w.leaf(path, "[]")
		}
		return out, nil
	case t == cty.DynamicPseudoType:
		w.leaf(path, "null")
		return nil, nil
	}
	return nil, fmt.Errorf("%s: unsupported value type %s", pathOrRoot(path), t.FriendlyName())
}

func (w *configWalk) leaf(path, js string) {
	if path != "" {
		w.Leaves[path] = js
	}
}

func pathOrRoot(p string) string {
	if p == "" {
		return "(config)"
	}
	return p
}

// isArtifactType reports whether t is an object type with exactly the
// attributes of ArtifactType.
func isArtifactType(t cty.Type) bool {
	if !t.IsObjectType() {
		return false
	}
	at := t.AttributeTypes()
	if len(at) != len(ArtifactType.AttributeTypes()) {
		return false
	}
	for name := range ArtifactType.AttributeTypes() {
		if _, ok := at[name]; !ok {
			return false
		}
	}
	return true
}

// canonicalJSON encodes v with sorted object keys, no HTML escaping and no
// insignificant whitespace.
func canonicalJSON(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", fmt.Errorf("canonical json: %w", err)
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

func mustJSON(v any) string {
	s, err := canonicalJSON(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return s
}

// keyFile is one file hashed into a key: a file() read or a FileInputer path.
type keyFile struct {
	Path   string
	SHA256 string
}

// buildKey assembles the key lines of one stage and hashes them.
func buildKey(info KindInfo, w *configWalk, files []keyFile) ActionKey {
	lines := []string{
		KeySchema,
		"kind " + info.Name + " " + info.Version,
		"config " + w.JSON,
	}
	for _, in := range w.Inputs {
		sha := in.Artifact.SHA256
		if !in.Artifact.Available {
			sha = "unavailable"
		}
		lines = append(lines, "input "+in.Name+" "+sha)
	}
	sorted := append([]keyFile(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Path < sorted[j].Path })
	for i, f := range sorted {
		if i > 0 && sorted[i-1].Path == f.Path {
			continue
		}
		lines = append(lines, "file "+f.Path+" "+f.SHA256)
	}
	return ActionKey{Lines: lines, ID: hashLines(lines)}
}

func hashLines(lines []string) [32]byte { return [32]byte(cache.ActionIDFromLines(lines)) }
