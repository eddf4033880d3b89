package cost

import (
	"math"
	"strings"
	"testing"

	"github.com/tr119/tr119/analysis/runs"
)

// TestRankLikeForLike is the GPU-machine case: a GPU backend with
// measured energy beside a CPU backend without. The CPU's infra cost alone
// is lower than the GPU's total, so ranking the GPU's total against
// nothing would recommend the wrong backend. Every backend is ranked on
// infra instead, and the basis says so.
func TestRankLikeForLike(t *testing.T) {
	gpu := cell("x-gpu", "s", "generate", 1000, 300) // 1000 s/1M
	cpu := cell("y-cpu", "s", "generate", 400, 0)    // 2500 s/1M, no energy
	cpu.Reps[0].HasEnergy = false
	cpu.EnergyMissing = "cpu_package energy unavailable: no RAPL"
	res, err := Analyse([]runs.Cell{gpu, cpu}, Config{
		Tiers: []Tier{{Name: "on_demand", ByClass: map[string]float64{"gpu": 1.0, "cpu": 0.3}}}, USDPerKWh: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	g, c := summaryOf(t, res, "x-gpu", "generate", "on_demand"), summaryOf(t, res, "y-cpu", "generate", "on_demand")
	if c.Rank != 1 || g.Rank != 2 || c.RankBasis != BasisInfra || g.RankBasis != BasisInfra {
		t.Errorf("ranks cpu %d (%s), gpu %d (%s): want cpu 1, gpu 2, both on infra", c.Rank, c.RankBasis, g.Rank, g.RankBasis)
	}
	near(t, "gpu multiple on infra", g.Multiple, g.Infra/c.Infra, 1e-12)
	// Energy-only has no infra part: only the measured backend is ranked.
	e := summaryOf(t, res, "x-gpu", "generate", TierEnergyOnly)
	if e.Rank != 1 || e.RankBasis != BasisTotal {
		t.Errorf("energy-only: gpu rank %d basis %s, want 1 on total", e.Rank, e.RankBasis)
	}
	var w, we Winner
	for _, x := range res.Winners {
		switch x.Tier {
		case "on_demand":
			w = x
		case TierEnergyOnly:
			we = x
		}
	}
	if w.Best != "y-cpu" || w.Basis != BasisInfra || math.Abs(w.BestTotal-c.Infra) > 1e-12 {
		t.Errorf("winner %+v: want y-cpu on infra", w)
	}
	if we.Best != "x-gpu" || we.Basis != BasisTotal || we.RunnerUp != "" || math.Abs(we.BestTotal-e.Total) > 1e-12 {
		t.Errorf("energy-only winner %+v: want x-gpu alone on total", we)
	}
}

func TestResolveHeadlineTier(t *testing.T) {
	tests := []struct {
		declared []string
		set      string
		want     string
		err      string
	}{
		{[]string{"spot", "on_demand", "energy_only"}, "", "on_demand", ""},
		{[]string{"spot", "on_demand"}, "spot", "spot", ""},
		{[]string{"gold"}, "", "gold", ""},
		{nil, "", TierEnergyOnly, ""},
		{[]string{"gold", "silver"}, "", "", "headline_tier is required when no on_demand tier is declared (tiers: gold, silver)"},
		{[]string{"gold", "silver"}, "bronze", "", `headline_tier "bronze" is not a priced tier (tiers: gold, silver, energy_only)`},
	}
	for _, tc := range tests {
		got, err := ResolveHeadlineTier(tc.declared, tc.set)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v %q: err %v, want %q", tc.declared, tc.set, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%v %q = %q, %v; want %q", tc.declared, tc.set, got, err, tc.want)
		}
	}
}
