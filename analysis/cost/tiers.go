package cost

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// StandardTiers are the built-in tier names, in output order before user
// tiers; HCL may write them directly in a pricing block.
var StandardTiers = []string{"on_demand", "spot", "reserved_1y", "reserved_3y"}

// Tier names with a fixed meaning.
const (
	TierLocal      = "local"
	TierEnergyOnly = "energy_only"
)

// HoursPerYear converts annual amounts to hourly ones (365 days).
const HoursPerYear = 8760

// Tier is an hourly price, either one for every device class (All) or
// one per class (ByClass, e.g. {"gpu": 1.006, "cpu": 0.17}).
type Tier struct {
	Name    string
	All     float64
	ByClass map[string]float64
}

// Rate is the tier's USD per hour for a device class.
func (t Tier) Rate(class string) (float64, error) {
	if t.ByClass == nil {
		return t.All, nil
	}
	r, ok := t.ByClass[class]
	if !ok {
		return 0, fmt.Errorf("pricing tier %q has no price for device class %q", t.Name, class)
	}
	return r, nil
}

// PerClass is a value for every device class (ByClass nil: All) or one
// per class.
type PerClass struct {
	All     float64
	ByClass map[string]float64
}

// For returns the value for a device class and whether there is one.
func (p PerClass) For(class string) (float64, bool) {
	if p.ByClass == nil {
		return p.All, true
	}
	v, ok := p.ByClass[class]
	return v, ok
}

// Local is an owned machine: its price amortised over its lifetime at a
// utilisation, plus yearly maintenance (optional; zero value: none).
// Electricity is added like in every tier.
type Local struct {
	HardwareUSD, LifetimeYears, Utilisation, MaintenanceUSDPerYear PerClass
}

// Tier converts the local machine into an hourly tier for the given
// device classes: (hardware/lifetime + maintenance) / (8760 h * utilisation).
func (l Local) Tier(classes []string) (Tier, error) {
	t := Tier{Name: TierLocal, ByClass: map[string]float64{}}
	for _, class := range classes {
		var v [4]float64
		for i, f := range []struct {
			name string
			p    PerClass
		}{{"hardware_usd", l.HardwareUSD}, {"lifetime_years", l.LifetimeYears}, {"utilisation", l.Utilisation}, {"maintenance_usd_per_year", l.MaintenanceUSDPerYear}} {
			x, ok := f.p.For(class)
			if !ok && i < 3 {
				return Tier{}, fmt.Errorf("local tier: %s has no value for device class %q", f.name, class)
			}
			v[i] = x
		}
		hw, life, util, maint := v[0], v[1], v[2], v[3]
		if hw < 0 || life <= 0 || util <= 0 || util > 1 || maint < 0 {
			return Tier{}, fmt.Errorf("local tier: device class %q: want hardware_usd >= 0, lifetime_years > 0, 0 < utilisation <= 1, maintenance_usd_per_year >= 0", class)
		}
		t.ByClass[class] = (hw/life + maint) / (HoursPerYear * util)
	}
	return t, nil
}

// orderTiers puts the standard tiers first (in their order), then user
// tiers by name, then local; names must be unique and rates >= 0.
func orderTiers(in []Tier) ([]Tier, error) {
	rank := func(name string) int {
		if i := slices.Index(StandardTiers, name); i >= 0 {
			return i
		}
		if name == TierLocal {
			return len(StandardTiers) + 1
		}
		return len(StandardTiers)
	}
	out := slices.Clone(in)
	seen := map[string]bool{}
	for _, t := range out {
		if seen[t.Name] || t.Name == TierEnergyOnly || t.Name == "" {
			return nil, fmt.Errorf("pricing tier %q: duplicate or reserved name", t.Name)
		}
		seen[t.Name] = true
		rates := []float64{t.All}
		for _, r := range t.ByClass {
			rates = append(rates, r)
		}
		for _, r := range rates {
			if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
				return nil, fmt.Errorf("pricing tier %q: price %v: want finite and >= 0", t.Name, r)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Tier) int {
		return cmp.Or(cmp.Compare(rank(a.Name), rank(b.Name)), cmp.Compare(a.Name, b.Name))
	})
	return out, nil
}
