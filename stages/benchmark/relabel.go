package benchmark

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/engine"
)

// KeyConfig implements engine.KeyConfiger: the label's default (the
// stage's name) made explicit, the selected backend's block with its
// defaults filled in, and the blocks of other backends left out, so that
// registering a backend never changes another's keys.
func (k *Kind) KeyConfig(label string, v cty.Value) cty.Value {
	if !v.IsKnown() || v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute("backend") {
		return v
	}
	be := v.GetAttr("backend")
	if !be.IsKnown() || be.IsNull() || be.Type() != cty.String {
		return v
	}
	attrs := v.AsValueMap()
	for _, n := range k.reg.Names() {
		delete(attrs, n)
	}
	if reg, ok := k.reg.Lookup(be.AsString()); ok {
		given := cty.NullVal(cty.DynamicPseudoType)
		if v.Type().HasAttribute(reg.Name) {
			given = v.GetAttr(reg.Name)
		}
		attrs[reg.Name] = backendBlock(reg, given)
	}
	if l := attrs["label"]; l.IsNull() {
		attrs["label"] = cty.StringVal(label)
	}
	return cty.ObjectVal(attrs)
}

// DisplayAttrs implements engine.Relabeler: the schema's display-only
// attributes (the label names the backend in tables and figures; it
// changes no measurement).
func (k *Kind) DisplayAttrs() []string {
	var out []string
	for _, a := range bodySchema(k.reg).Attrs {
		if a.Display {
			out = append(out, a.Name)
		}
	}
	return out
}

// Relabel implements engine.Relabeler: it copies an earlier measurement's
// outputs, rewriting the label in the runs, calls and cells tables.
func (k *Kind) Relabel(ctx context.Context, r *engine.Run, earlier map[string]engine.Artifact) (*engine.Result, error) {
	cfg, err := parseConfig(r.Config, k.reg, r.Label)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.Addr, err)
	}
	runs, ok := earlier["runs"]
	if !ok {
		return nil, fmt.Errorf("earlier outputs have no runs table")
	}
	old, err := oldLabel(runs.Path)
	if err != nil {
		return nil, err
	}
	label := func(string) string { return cfg.Label }
	runID := func(id string) string { return cfg.Label + strings.TrimPrefix(id, old) }
	plan := map[string]map[string]func(string) string{
		"runs":  {artifacts.ColBackend: label, artifacts.ColRunID: runID},
		"calls": {artifacts.ColRunID: runID},
		"cells": {artifacts.ColBackend: label},
	}
	res := &engine.Result{Outputs: map[string]string{}}
	for name, a := range earlier {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		dst := filepath.Join(r.OutDir, name+".parquet")
		if cols, ok := plan[name]; ok {
			err = relabelTable(a.Path, dst, cols)
		} else {
			err = copyFile(a.Path, dst)
		}
		if err != nil {
			return nil, fmt.Errorf("relabel %s: %w", name, err)
		}
		res.Outputs[name] = name + ".parquet"
	}
	return res, nil
}

// oldLabel is the label a runs table was written with.
func oldLabel(path string) (string, error) {
	tbl, err := artifacts.ReadParquetColumns(path, []string{artifacts.ColBackend})
	if err != nil {
		return "", err
	}
	defer tbl.Release()
	v, _, err := artifacts.StringCol(tbl, artifacts.ColBackend)
	if err != nil || len(v) == 0 {
		return "", fmt.Errorf("runs table %s: no label: %v", path, err)
	}
	return v[0], nil
}

// relabelTable copies a Parquet table, mapping the string columns named
// in cols.
func relabelTable(src, dst string, cols map[string]func(string) string) error {
	tbl, err := artifacts.ReadParquet(src)
	if err != nil {
		return err
	}
	defer tbl.Release()
	s := tbl.Schema()
	out := make([]arrow.Column, s.NumFields())
	for i, f := range s.Fields() {
		fn, ok := cols[f.Name]
		if !ok {
			out[i] = *tbl.Column(i)
			continue
		}
		vals, valid, err := artifacts.StringCol(tbl, f.Name)
		if err != nil {
			return err
		}
		b := array.NewStringBuilder(memory.DefaultAllocator)
		for j, v := range vals {
			if valid[j] {
				b.Append(fn(v))
			} else {
				b.AppendNull()
			}
		}
		arr := b.NewArray()
		b.Release()
		ch := arrow.NewChunked(f.Type, []arrow.Array{arr})
		arr.Release()
		out[i] = *arrow.NewColumn(f, ch)
		ch.Release()
	}
	nt := array.NewTable(s, out, tbl.NumRows())
	defer nt.Release()
	return artifacts.WriteParquet(dst, nt)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := artifacts.CreateAtomic(dst)
	if err != nil {
		return err
	}
	defer f.Abort()
	if _, err := io.Copy(f, in); err != nil {
		return err
	}
	return f.Commit()
}

// Fingerprint implements engine.RuntimeFingerprinter: the runtime each
// backend would find now, as "<backend>.<key>" environment entries.
func (k *Kind) Fingerprint(settings map[string]string, workspace string, hash func(string) (string, error)) map[string]string {
	return k.reg.Fingerprints(backends.FingerprintRequest{Settings: settings, Workspace: workspace, Hash: hash})
}
