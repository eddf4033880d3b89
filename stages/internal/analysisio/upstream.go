package analysisio

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"

	acost "github.com/tr119/tr119/analysis/cost"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
)

// PricedTiers returns the tiers a cost stage's evaluated config prices:
// the standard tiers written in its pricing block, its tier blocks, local
// when it has a local block, and energy_only. ok is false while the
// pricing or local block is not known yet.
func PricedTiers(cost cty.Value) (tiers []string, ok bool) {
	if cost.IsNull() || !cost.IsKnown() || !cost.Type().IsObjectType() {
		return nil, false
	}
	get := func(v cty.Value, n string) cty.Value {
		if v.IsNull() || !v.Type().IsObjectType() || !v.Type().HasAttribute(n) {
			return cty.NullVal(cty.DynamicPseudoType)
		}
		return v.GetAttr(n)
	}
	p, l := get(cost, "pricing"), get(cost, "local")
	if !p.IsKnown() || !l.IsKnown() {
		return nil, false
	}
	if !p.IsNull() {
		for _, t := range acost.StandardTiers {
			x := get(p, t)
			if !x.IsKnown() {
				return nil, false
			}
			if !x.IsNull() {
				tiers = append(tiers, t)
			}
		}
		blocks := get(p, "tier")
		if !blocks.IsKnown() {
			return nil, false
		}
		tiers = append(tiers, SortedKeys(blocks)...)
	}
	if !l.IsNull() {
		tiers = append(tiers, acost.TierLocal)
	}
	return append(tiers, acost.TierEnergyOnly), true
}

// CheckTier checks an analysis stage's tier against each upstream cost
// stage: left out, it is the cost stage's headline tier; written, it must
// be that tier (the cost stage reports a headline it cannot resolve).
func CheckTier(config cty.Value, upstream []engine.Upstream) []*schema.PathError {
	if config.IsNull() || !config.IsKnown() || !config.Type().HasAttribute("tier") {
		return nil
	}
	t := config.GetAttr("tier")
	if !t.IsKnown() || t.IsNull() {
		return nil
	}
	tier := t.AsString()
	var errs []*schema.PathError
	for _, u := range upstream {
		if u.Kind != "cost" {
			continue
		}
		tiers, ok := PricedTiers(u.Config)
		if !ok {
			continue
		}
		set := ""
		if u.Config.Type().HasAttribute("headline_tier") {
			h := u.Config.GetAttr("headline_tier")
			if !h.IsKnown() {
				continue
			}
			if !h.IsNull() {
				set = h.AsString()
			}
		}
		headline, err := acost.ResolveHeadlineTier(tiers, set)
		if err != nil || tier == headline {
			continue
		}
		what := "does not price it"
		if slices.Contains(tiers, tier) {
			what = "prices it, but its headline tier is " + strconv.Quote(headline)
		}
		errs = append(errs, schema.Errorf(cty.GetAttrPath("tier"), "Tier is not the headline tier",
			"This stage reads tier %q, but %s %s (it prices %s). Leave tier out to use %q, or set headline_tier = %q on the cost stage.",
			tier, u.Addr, what, strings.Join(tiers, ", "), headline, tier))
	}
	return errs
}

// CheckRunsSource demands that every import stage feeding an analysis
// stage reads its file against a table contract whose version starts
// with prefix ("runs/"): an inferred table lacks the contract's types
// and required columns (an empty cell becomes null). An import whose file
// is not there yet is left to fail on its own.
func CheckRunsSource(upstream []engine.Upstream, workspace, attr, prefix string) []*schema.PathError {
	var errs []*schema.PathError
	for _, u := range upstream {
		if u.Kind != "import" || u.Config.IsNull() || !u.Config.IsKnown() || !u.Config.Type().HasAttribute("schema") {
			continue
		}
		s := u.Config.GetAttr("schema")
		if !s.IsKnown() || !fileExists(u.Config, workspace) {
			continue
		}
		if s.IsNull() || !strings.HasPrefix(s.AsString(), prefix) {
			got := "no schema"
			if !s.IsNull() {
				got = fmt.Sprintf("schema = %q", s.AsString())
			}
			errs = append(errs, schema.Errorf(cty.GetAttrPath(attr), "Not a runs table",
				"%s imports its file with %s; this stage reads runs tables: set schema = \"%sv2\" (or the file's version) on the import.", u.Addr, got, prefix))
		}
	}
	return errs
}

// fileExists reports whether an import config's path names a file.
func fileExists(cfg cty.Value, workspace string) bool {
	if !cfg.Type().HasAttribute("path") {
		return false
	}
	p := cfg.GetAttr("path")
	if !p.IsKnown() || p.IsNull() || p.Type() != cty.String {
		return false
	}
	path := p.AsString()
	if !filepath.IsAbs(path) {
		path = filepath.Join(workspace, path)
	}
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}
