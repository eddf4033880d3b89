package onnxruntime

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
)

// block decodes an onnxruntime block body with the registration's schema.
func blockValue(t *testing.T, body string) cty.Value {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(body), "b.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	v, diags := hcldec.Decode(f.Body, Registration().Schema.Spec(), nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return v
}

// TestDeclaredVersion: the library must report the declared version; a
// mismatch fails before anything is opened, naming both; the pinned
// version opens and records the library's hash and location.
func TestDeclaredVersion(t *testing.T) {
	lib := testLibrary(t)
	dir := tinyFolder(t)
	opts := backends.Options{Device: "cpu", Modes: []backends.Mode{backends.Prefill}}
	_, err := (&Backend{Library: lib, Settings: Settings{Version: "1.28.0"}}).Open(context.Background(), dir, opts)
	if !errors.Is(err, backends.ErrRuntimeMismatch) || !strings.Contains(err.Error(), "reports version "+PinnedVersion) || !strings.Contains(err.Error(), `"1.28.0"`) {
		t.Fatalf("declared 1.28.0: %v", err)
	}
	be, err := newBackend(backends.Config{Block: blockValue(t, ""), Device: "cpu", Settings: map[string]string{LibrarySetting: lib}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := be.Open(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	ls := m.Load()
	sha, _ := backends.FileSHA256(lib)
	if ls.Runtime["version"] != PinnedVersion || ls.Runtime["library_sha256"] != sha || ls.Locations["library"] != lib || ls.Runtime["provider"] != "cpu" {
		t.Errorf("load stats %+v", ls)
	}
	fp := Registration().Fingerprint(backends.FingerprintRequest{Settings: map[string]string{LibrarySetting: lib}, Hash: backends.FileSHA256})
	if fp["library_sha256"] != sha {
		t.Errorf("fingerprint %v, want the library's hash", fp)
	}
	if fp := Registration().Fingerprint(backends.FingerprintRequest{Settings: map[string]string{LibrarySetting: "/nonexistent.so"}, Hash: backends.FileSHA256}); fp != nil {
		t.Errorf("no library: fingerprint %v, want none", fp)
	}
}

func TestBlockErrors(t *testing.T) {
	for _, tt := range []struct{ body, device, want string }{
		{`graph_optimization = "max"`, "cpu", "graph_optimization"},
		{`provider = "rocm"`, "cpu", `provider: "rocm" is not one of`},
		{`provider = "cuda"`, "cpu", "does not run on device"},
		{`provider = "cpu"`, "cuda:0", "does not run on device"},
		{`intra_op_threads = 2.5`, "cpu", "whole number"},
		{`version = ""`, "cpu", "declare the runtime version"},
	} {
		_, err := newBackend(backends.Config{Block: blockValue(t, tt.body), Device: tt.device, Settings: map[string]string{LibrarySetting: "x"}})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s on %s: %v, want %q", tt.body, tt.device, err, tt.want)
		}
	}
}
