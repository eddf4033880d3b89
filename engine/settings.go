package engine

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// DeclareSetting declares a tool setting (settings { NAME = "..." } and
// -setting NAME=...): library and interpreter locations and the like,
// handed to every Run and kept out of every key. The registry is the one
// place settings are declared; a name declared twice panics.
func (r *Registry) DeclareSetting(name, doc string) {
	if r.settings == nil {
		r.settings = map[string]string{}
	}
	if _, dup := r.settings[name]; dup {
		panic(fmt.Sprintf("engine: setting %q declared twice", name))
	}
	r.settings[name] = doc
}

// SettingNames returns the declared settings, sorted.
func (r *Registry) SettingNames() []string { return sortedKeys(r.settings) }

// SettingDoc returns a declared setting's description.
func (r *Registry) SettingDoc(name string) string { return r.settings[name] }

// CheckSetting returns an error with a did-you-mean hint when name is not
// a declared setting. A registry that declares none (a test's) accepts
// any name.
func (r *Registry) CheckSetting(name string) error {
	if len(r.settings) == 0 {
		return nil
	}
	if _, ok := r.settings[name]; ok {
		return nil
	}
	return fmt.Errorf("there is no setting %q. %s", name, didYouMean(name, r.SettingNames(), ""))
}

// checkSettingAttr reports a settings block attribute that is not a
// declared setting, at its name.
func (p *Pipeline) checkSettingAttr(a *hcl.Attribute) *hcl.Diagnostic {
	if p.reg == nil || len(p.reg.settings) == 0 {
		return nil
	}
	if _, ok := p.reg.settings[a.Name]; ok {
		return nil
	}
	return errDiag(a.NameRange, "Unknown setting",
		fmt.Sprintf("There is no setting %q. %s", a.Name, didYouMean(a.Name, p.reg.SettingNames(), "")))
}
