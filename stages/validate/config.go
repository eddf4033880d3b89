package validate

import (
	"fmt"
	"math"

	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/analysis/checks"
	"github.com/tr119/tr119/analysis/runs"
	"github.com/tr119/tr119/engine"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

func spec() hcldec.Spec {
	num := func(n string) hcldec.Spec { return &hcldec.AttrSpec{Name: n, Type: cty.Number} }
	return hcldec.ObjectSpec{
		"runs":                 &hcldec.AttrSpec{Name: "runs", Type: cty.List(engine.ArtifactType)},
		"cost_cells":           &hcldec.AttrSpec{Name: "cost_cells", Type: engine.ArtifactType},
		"cost_tiers":           &hcldec.AttrSpec{Name: "cost_tiers", Type: engine.ArtifactType},
		"strict":               &hcldec.AttrSpec{Name: "strict", Type: cty.Bool},
		"min_repetitions":      num("min_repetitions"),
		"min_energy_samples":   num("min_energy_samples"),
		"throughput_tolerance": num("throughput_tolerance"),
		"drift_tolerance":      num("drift_tolerance"),
		"usd_per_kwh":          num("usd_per_kwh"),
		"carbon_g_per_kwh":     num("carbon_g_per_kwh"),
		"energy_policy":        &hcldec.AttrSpec{Name: "energy_policy", Type: cty.String},
		"energy_basis":         &hcldec.AttrSpec{Name: "energy_basis", Type: cty.String},
	}
}

type config struct {
	Runs                 []engine.Artifact
	CostCells, CostTiers *engine.Artifact
	Strict               bool
	Checks               checks.Options
	Factors              checks.Factors
	Opt                  runs.Options
}

func decode(v cty.Value) (config, error) {
	var c config
	var err error
	if x := aio.Attr(v, "runs"); !x.IsNull() {
		if c.Runs, err = aio.Artifacts(x, "runs"); err != nil {
			return c, err
		}
	}
	if c.Runs == nil && aio.Attr(v, "cost_cells").IsNull() {
		return c, fmt.Errorf("nothing to validate: set runs, or cost_cells and cost_tiers")
	}
	for _, a := range []struct {
		name string
		dst  **engine.Artifact
	}{{"cost_cells", &c.CostCells}, {"cost_tiers", &c.CostTiers}} {
		if x := aio.Attr(v, a.name); !x.IsNull() {
			art, err := engine.ArtifactFromValue(x)
			if err != nil {
				return c, fmt.Errorf("%s: %w", a.name, err)
			}
			*a.dst = &art
		}
	}
	nums := map[string]float64{}
	for _, n := range []string{"min_repetitions", "min_energy_samples", "throughput_tolerance", "drift_tolerance", "usd_per_kwh", "carbon_g_per_kwh"} {
		if nums[n], err = aio.Number(v, n, math.NaN()); err != nil {
			return c, err
		}
		if x := nums[n]; !math.IsNaN(x) && x < 0 {
			return c, fmt.Errorf("%s: %v: want >= 0", n, x)
		}
	}
	zero := func(x float64) float64 {
		if math.IsNaN(x) {
			return 0 // the checks' default
		}
		return x
	}
	c.Checks = checks.Options{MinReps: int(zero(nums["min_repetitions"])), MinSamples: int64(zero(nums["min_energy_samples"])),
		ThroughputTol: zero(nums["throughput_tolerance"]), DriftTol: zero(nums["drift_tolerance"])}
	c.Factors = checks.Factors{USDPerKWh: nums["usd_per_kwh"], CarbonGPerKWh: nums["carbon_g_per_kwh"]}
	var e1, e2, e3 error
	c.Strict, e1 = aio.Bool(v, "strict", false)
	c.Opt.Policy, e2 = aio.String(v, "energy_policy", runs.PolicyDominant)
	c.Opt.Basis, e3 = aio.String(v, "energy_basis", runs.BasisTotal)
	for _, e := range []error{e1, e2, e3} {
		if e != nil {
			return c, e
		}
	}
	c.Checks.Policy = c.Opt.Policy
	return c, nil
}
