package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tr119/tr119/cache"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/manifest"
)

// pipelineFlag is verify's -pipeline: a bare -pipeline checks the
// workspace in the current folder, -pipeline=PATH another one, and
// -pipeline=false turns the check off. Unset, the check runs on the
// workspace verify was pointed at (or the current folder), when it
// holds a pipeline.
type pipelineFlag struct {
	path string
	set  bool
	off  bool
}

// String implements flag.Value.
func (f *pipelineFlag) String() string { return f.path }

// IsBoolFlag lets -pipeline stand alone.
func (f *pipelineFlag) IsBoolFlag() bool { return true }

// Set implements flag.Value.
func (f *pipelineFlag) Set(s string) error {
	f.set = true
	switch s {
	case "true":
		f.path, f.off = ".", false
	case "false":
		f.off = true
	default:
		f.path, f.off = s, false
	}
	return nil
}

// where returns the workspace to compare with, or "" for no check; ws
// is the workspace verify's argument names ("" when none).
func (f *pipelineFlag) where(ws string) string {
	switch {
	case f.off:
		return ""
	case f.set:
		return cmp.Or(f.path, ".")
	case ws != "" && holdsPipeline(ws):
		return ws
	}
	return ""
}

// holdsPipeline reports whether path is a pipeline file or a folder with one.
func holdsPipeline(path string) bool {
	st, err := os.Stat(path)
	if err != nil {
		return false
	}
	if !st.IsDir() {
		return true
	}
	m, _ := filepath.Glob(filepath.Join(path, "*.hcl"))
	return len(m) > 0
}

// comparePipeline says how the workspace pipeline p (loaded with the
// recorded variables) differs from what the manifest records the results
// were made from: pipeline files and the files stages read.
func comparePipeline(p *engine.Pipeline, m *manifest.Manifest) []string {
	ext := m.Predicate.BuildDefinition.ExternalParameters
	var problems []string
	recorded := map[string]string{}
	for _, r := range ext.Pipeline {
		recorded[r.Name] = r.Digest["sha256"]
	}
	for _, name := range slices.Sorted(maps.Keys(p.Files)) {
		sum := sha256.Sum256(p.Files[name])
		now := hex.EncodeToString(sum[:])
		switch was, ok := recorded[name]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("pipeline %s: not among the files the results were made from", name))
		case was != now:
			problems = append(problems, fmt.Sprintf("pipeline %s: changed since the results were made (sha256 %s, recorded %s)", name, now, was))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(recorded)) {
		if _, ok := p.Files[name]; !ok {
			problems = append(problems, fmt.Sprintf("pipeline %s: the results were made with it; it is gone", name))
		}
	}
	return append(problems, inputDiffs(p.Workspace, m)...)
}

// inputDiffs names the files stages read (inputs "file PATH") whose
// content now differs from the recorded digest.
func inputDiffs(workspace string, m *manifest.Manifest) []string {
	type use struct{ sha, stage string }
	uses := map[string]use{}
	for _, b := range m.Predicate.RunDetails.Byproducts {
		inputs := b.Annotations.Inputs
		if e := b.Annotations.OutputsFrom; e != nil {
			inputs = e.Inputs
		}
		for _, in := range inputs {
			if path, ok := strings.CutPrefix(in.Name, "file "); ok {
				if _, seen := uses[path]; !seen {
					uses[path] = use{in.SHA256, b.Name}
				}
			}
		}
	}
	var memo *cache.HashMemo
	if mm, err := cache.OpenHashMemo(filepath.Join(workspace, ".tr119", "hashes")); err == nil {
		memo = mm // read, never saved: verify changes nothing
	}
	var problems []string
	for _, path := range slices.Sorted(maps.Keys(uses)) {
		u := uses[path]
		abs := path
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(workspace, path)
		}
		now, err := hashInput(memo, abs)
		switch {
		case err != nil:
			problems = append(problems, fmt.Sprintf("input %s (read by %s): %v", path, u.stage, err))
		case now != u.sha:
			problems = append(problems, fmt.Sprintf("input %s (read by %s): changed since the results were made (sha256 %s, recorded %s)", path, u.stage, now, u.sha))
		}
	}
	return problems
}

// hashInput hashes a file, or a folder by its tree listing, as keys do.
func hashInput(memo *cache.HashMemo, path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", fmt.Errorf("gone: %w", err)
	}
	var sha string
	switch {
	case st.IsDir() && memo != nil:
		sha, _, err = memo.Dir(path)
	case st.IsDir():
		sha, _, err = cache.HashDir(path)
	case memo != nil:
		sha, _, err = memo.File(path)
	default:
		sha, _, err = cache.HashFile(path)
	}
	return sha, err
}
