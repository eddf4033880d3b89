package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// fileTracker records every file that file() or filesha256() read during
// one evaluation, so the files' hashes can go into the stage's key.
type fileTracker struct {
	workspace string
	read      map[string]string // path relative to workspace (slash form) -> hex sha256
	contents  *fileContents     // the pipeline's record of file() texts, for Redact
}

func newFileTracker(workspace string) *fileTracker {
	return &fileTracker{workspace: workspace, read: map[string]string{}}
}

// load reads path (relative to the workspace, or absolute) and records it.
func (t *fileTracker) load(path string) ([]byte, error) {
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(t.workspace, path)
	}
	b, err := os.ReadFile(full)
	if err != nil {
		return nil, fmt.Errorf("read %s (paths are relative to the workspace %s): %w", path, t.workspace, err)
	}
	rel, err := filepath.Rel(t.workspace, full)
	if err != nil {
		rel = full
	}
	sum := sha256.Sum256(b)
	t.read[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
	return b, nil
}

// pathFunc builds a function of one string path argument.
func pathFunc(body func(path string) (cty.Value, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return body(args[0].AsString())
		},
	})
}

// fileFuncs are file() and filesha256(), both recorded by t.
func fileFuncs(t *fileTracker) map[string]function.Function {
	return map[string]function.Function{
		"file": pathFunc(func(path string) (cty.Value, error) {
			b, err := t.load(path)
			if err != nil {
				return cty.NilVal, err
			}
			if !utf8.Valid(b) {
				return cty.NilVal, fmt.Errorf("%s is not UTF-8 text; use filesha256() to refer to a binary file", path)
			}
			t.contents.add(path, string(b))
			return cty.StringVal(string(b)), nil
		}),
		"filesha256": pathFunc(func(path string) (cty.Value, error) {
			if _, err := t.load(path); err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(t.read[relSlash(t.workspace, path)]), nil
		}),
	}
}

// relSlash is the tracker's key for path.
func relSlash(workspace, path string) string {
	full := path
	if !filepath.IsAbs(full) {
		full = filepath.Join(workspace, path)
	}
	rel, err := filepath.Rel(workspace, full)
	if err != nil {
		return full
	}
	return filepath.ToSlash(rel)
}

// lengthFunc is Terraform's length: of a string (in characters) or of a
// collection or structural value.
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		if ty == cty.String || ty == cty.DynamicPseudoType || ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType() {
			return cty.Number, nil
		}
		return cty.NilType, fmt.Errorf("argument must be a string, a collection or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if v.Type() == cty.String {
			return stdlib.Strlen(v)
		}
		if !v.IsKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		return v.Length(), nil
	},
})

// functions is the function table of every evaluation: the cty standard
// library under Terraform's names, try/can, and file()/filesha256()
// recorded by t. Clock and random functions (timestamp, uuid) are left out
// on purpose: an action key must not change from one plan to the next.
func (p *Pipeline) functions(t *fileTracker) map[string]function.Function {
	std := p.stdFuncs
	if std == nil {
		std = stdFunctions()
	}
	fs := make(map[string]function.Function, len(std)+2)
	for n, f := range std {
		fs[n] = f
	}
	t.contents = p.contents
	for n, f := range fileFuncs(t) {
		fs[n] = f
	}
	return fs
}

// stdFunctions is the table without the file functions, built once per
// Pipeline.
func stdFunctions() map[string]function.Function {
	return map[string]function.Function{
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
		"log": stdlib.LogFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,
		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
		"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "regex_replace": stdlib.RegexReplaceFunc,
		"replace": stdlib.ReplaceFunc, "split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc,
		"substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
		"trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
		"trimspace": stdlib.TrimSpaceFunc, "upper": stdlib.UpperFunc,
		"chunklist": stdlib.ChunklistFunc, "coalesce": stdlib.CoalesceFunc,
		"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
		"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "keys": stdlib.KeysFunc,
		"length": lengthFunc, "lookup": stdlib.LookupFunc, "merge": stdlib.MergeFunc,
		"range": stdlib.RangeFunc, "reverse": stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc, "setproduct": stdlib.SetProductFunc,
		"setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc,
		"zipmap": stdlib.ZipmapFunc, "jsonencode": stdlib.JSONEncodeFunc,
		"jsondecode": stdlib.JSONDecodeFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc,
		"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tobool": stdlib.MakeToFunc(cty.Bool),
		"tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":  stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"toset":  stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"try":    tryfunc.TryFunc, "can": tryfunc.CanFunc,
	}
}
