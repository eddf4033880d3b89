package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tr119/tr119/manifest"
	"github.com/tr119/tr119/schema"
)

// showTarget turns what show was given into a file. A path that exists,
// or anything not starting with "stage.", is taken as a path. A stage
// output address (stage.cost.tr119.summary,
// stage.benchmark.onnxruntime["cpu"].runs) or a stage address with one
// Parquet output is looked up in the results folder's manifest, so the
// file shown is the one the last apply recorded.
func showTarget(arg, out string) (string, error) {
	if _, err := os.Stat(arg); err == nil || !strings.HasPrefix(arg, "stage.") {
		return arg, nil
	}
	if out == "" {
		out = "results"
	}
	mpath := filepath.Join(out, "manifest.json")
	m, err := manifest.Read(mpath)
	if err != nil {
		return "", fmt.Errorf("%s names a stage output, but the results manifest cannot be read (apply first, or name the results folder with -out): %w", arg, err)
	}
	stages := map[string]manifest.StageFacts{}
	var names []string
	for _, s := range m.Predicate.RunDetails.Byproducts {
		stages[s.Name] = s.Annotations
		names = append(names, s.Name)
	}
	addr, output := arg, ""
	if _, ok := stages[arg]; !ok {
		i := strings.LastIndex(arg, ".")
		if rest := arg[i+1:]; !strings.ContainsAny(rest, `]"`) {
			addr, output = arg[:i], rest
		}
	}
	facts, ok := stages[addr]
	if !ok {
		for _, base := range []string{arg, addr} {
			var inst []string
			for _, n := range names {
				if strings.HasPrefix(n, base+"[") {
					inst = append(inst, n)
				}
			}
			if len(inst) > 0 {
				return "", fmt.Errorf("%s: %s has instances; name one: %s", arg, base, strings.Join(inst, ", "))
			}
		}
		return "", fmt.Errorf("%s: %s has no stage %s.%s", arg, mpath, addr, schema.DidYouMean(addr, names))
	}
	if len(facts.Outputs) == 0 {
		why := facts.Status
		if facts.Reason != "" {
			why += ": " + facts.Reason
		}
		return "", fmt.Errorf("%s: %s has no results in %s (%s)", arg, addr, out, why)
	}
	var match, parquet, all []string
	for _, o := range facts.Outputs {
		base := filepath.Base(o)
		name := strings.TrimSuffix(base, filepath.Ext(base))
		all = append(all, name)
		if name == output {
			match = append(match, o)
		}
		if filepath.Ext(o) == ".parquet" {
			parquet = append(parquet, o)
		}
	}
	if output == "" && len(parquet) == 1 {
		match = parquet
	} else if output == "" && len(facts.Outputs) == 1 {
		match = facts.Outputs
	}
	if len(match) != 1 {
		if output == "" {
			return "", fmt.Errorf("%s has several outputs; name one, as in %s.%s (its outputs: %s)", addr, addr, all[0], strings.Join(all, ", "))
		}
		return "", fmt.Errorf("%s: %s has no output %q; its outputs are %s.%s", arg, addr, output, strings.Join(all, ", "), schema.DidYouMean(output, all))
	}
	return filepath.Join(out, filepath.FromSlash(match[0])), nil
}

// notParquet says why path cannot be shown when it is not a Parquet file
// (which starts with the magic "PAR1"), so a CSV or JSON result gets a
// plain answer instead of a decoder's complaint; "" when it is one or
// cannot be read (Show then names the error).
func notParquet(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var magic [4]byte
	if n, _ := f.Read(magic[:]); n == 4 && string(magic[:]) == "PAR1" {
		return ""
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		return fmt.Sprintf("%s is a folder, not a Parquet table", path)
	}
	return fmt.Sprintf("%s is not a Parquet table (show prints Parquet artifacts; open this one as it is)", path)
}
