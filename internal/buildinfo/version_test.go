package buildinfo

import (
	"runtime/debug"
	"testing"
)

func TestFormat(t *testing.T) {
	set := func(kv ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{}
		for i := 0; i < len(kv); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return bi
	}
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "1.0"},
		{"no vcs", set(), "1.0"},
		{"clean", set("vcs.revision", "0123456789abcdef", "vcs.modified", "false"), "1.0+0123456789ab"},
		{"dirty", set("vcs.modified", "true", "vcs.revision", "0123456789abcdef"), "1.0+0123456789ab-dirty"},
	} {
		if got := format("1.0", c.bi); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
