package gpt2

import "testing"

func TestProvenanceName(t *testing.T) {
	for _, c := range []struct {
		p    *Provenance
		want string
	}{
		{nil, ""},
		{&Provenance{Source: "huggingface"}, ""},
		{&Provenance{Source: "synthetic", Preset: "gpt2"}, "gpt2"},
		{&Provenance{Source: "synthetic", Preset: "tiny", Fused: true}, "tiny-fused"},
	} {
		if got := c.p.Name(); got != c.want {
			t.Errorf("%+v: Name() = %q, want %q", c.p, got, c.want)
		}
	}
}
