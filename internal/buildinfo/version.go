package buildinfo

import (
	"runtime/debug"
	"sync"
)

// Release is the release version. Release builds may set it with
// -ldflags "-X github.com/tr119/tr119/internal/buildinfo.Release=...".
var Release = "0.1.0-dev"

var version = sync.OnceValue(func() string {
	bi, _ := debug.ReadBuildInfo()
	return format(Release, bi)
})

// Version is Release, with "+REVISION" (the first 12 hex digits) when the
// binary records its VCS revision and "-dirty" when the tree had changes.
func Version() string { return version() }

func format(release string, bi *debug.BuildInfo) string {
	if bi == nil {
		return release
	}
	v, dirty := release, false
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && len(s.Value) >= 12:
			v += "+" + s.Value[:12]
		case s.Key == "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty {
		v += "-dirty"
	}
	return v
}
