package benchmark

import (
	"sort"

	"github.com/tr119/tr119/engine"
)

// Settings implements engine.SettingsUser: the settings its backends read
// (library and interpreter locations), so that a settings block or
// -setting key no backend reads is an error.
func (k *Kind) Settings() []engine.Setting {
	m := k.reg.Settings()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]engine.Setting, 0, len(names))
	for _, n := range names {
		out = append(out, engine.Setting{Name: n, Doc: m[n]})
	}
	return out
}
