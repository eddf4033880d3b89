package backends_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/schema"
)

func reg(name string, fp map[string]string) backends.Registration {
	return backends.Registration{
		Name: name, Schema: &schema.Body{}, Settings: map[string]string{name + "_library": "where " + name + " is"},
		New:         func(backends.Config) (backends.Backend, error) { return nil, nil },
		Fingerprint: func(backends.FingerprintRequest) map[string]string { return fp },
	}
}

func TestRegistry(t *testing.T) {
	r := backends.NewRegistry(reg("b", map[string]string{"library_sha256": "bb"}), reg("a", nil))
	if got := r.Names(); !slices.Equal(got, []string{"a", "b"}) {
		t.Errorf("names %v", got)
	}
	if _, ok := r.Lookup("b"); !ok {
		t.Error("b not found")
	}
	if _, ok := r.Lookup("c"); ok {
		t.Error("c found")
	}
	fp := r.Fingerprints(backends.FingerprintRequest{})
	if len(fp) != 1 || fp["b.library_sha256"] != "bb" {
		t.Errorf("fingerprints %v", fp)
	}
	if s := r.Settings(); len(s) != 2 || s["a_library"] == "" {
		t.Errorf("settings %v", s)
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	defer func() {
		if p := recover(); p == nil || !strings.Contains(p.(string), "registered twice") {
			t.Errorf("panic %v", p)
		}
	}()
	backends.NewRegistry(reg("a", nil), reg("a", nil))
}

func TestRegisterIncompletePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a registration without New was accepted")
		}
	}()
	backends.NewRegistry(backends.Registration{Name: "x", Schema: &schema.Body{Attrs: []*schema.Attr{{Name: "v", Type: cty.String}}}})
}
