package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/manifest"
)

// changedInputs names, for each reproduced stage, the input files whose
// content now differs from what the manifest recorded, so that a failed
// `verify -reproduce` says which input changed, not only which outputs
// then differ. (The file hashes come through the hash memo, which sees
// an in-place edit even with the mtime restored: its ctime moved.)
func changedInputs(m *manifest.Manifest, out *engine.Outcome) []string {
	recorded := map[string]map[string]string{} // stage -> "file path" -> sha256
	for _, b := range m.Predicate.RunDetails.Byproducts {
		ins := map[string]string{}
		for _, in := range b.Annotations.Inputs {
			if strings.HasPrefix(in.Name, "file ") {
				ins[in.Name] = in.SHA256
			}
		}
		recorded[b.Name] = ins
	}
	var problems []string
	for _, st := range out.Stages {
		if st == nil || st.Stage == nil {
			continue
		}
		paths := make([]string, 0, len(st.Files))
		for p := range st.Files {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		for _, p := range paths {
			old, ok := recorded[st.Stage.Addr]["file "+p]
			if ok && old != st.Files[p] {
				problems = append(problems, fmt.Sprintf("%s: input file %s changed since the results were made: recorded %s, now %s",
					st.Stage.Addr, p, old, st.Files[p]))
			}
		}
	}
	return problems
}
