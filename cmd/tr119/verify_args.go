package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// verifyTarget resolves verify's argument, which may name a results
// folder, a manifest, or a workspace (a pipeline .hcl file or the folder
// holding the .hcl files), to the manifest to check and the workspace
// (the pipeline path for -reproduce; "" when the argument named results).
func verifyTarget(arg string) (manifest, pipeline string, err error) {
	if arg == "" {
		if m := filepath.Join("results", "manifest.json"); isFile(m) {
			return m, ".", nil
		}
		arg = "."
	}
	fi, err := os.Stat(arg)
	if err != nil {
		return "", "", fmt.Errorf("verify %s: %w", arg, err)
	}
	if !fi.IsDir() {
		if strings.HasSuffix(arg, ".hcl") {
			return filepath.Join(filepath.Dir(arg), "results", "manifest.json"), arg, nil
		}
		return arg, "", nil
	}
	if m := filepath.Join(arg, "manifest.json"); isFile(m) {
		return m, "", nil
	}
	if hcl, _ := filepath.Glob(filepath.Join(arg, "*.hcl")); len(hcl) > 0 {
		m := filepath.Join(arg, "results", "manifest.json")
		if !isFile(m) {
			return "", "", fmt.Errorf("verify: %s is a workspace without results (no %s): run tr119 apply first, or name a results folder", arg, m)
		}
		return m, arg, nil
	}
	return "", "", fmt.Errorf("verify: %s holds neither manifest.json nor a pipeline (.hcl files): name a results folder, its manifest.json or a workspace", arg)
}

// isFile reports whether path is a regular file (or a link to one).
func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}
