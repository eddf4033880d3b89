package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// modeRules are the token accounting rules of each mode (DESIGN.md,
// "Measuring"; the report's 2.1 and 2.3).
var modeRules = map[string]string{
	"prefill":  "one forward pass over the padded prompt batch; tokens = batch_size x padded seq_len.",
	"generate": "uncached greedy loop (the whole sequence is re-run for each new token); tokens = tokens produced.",
	"decode":   "KV-cache greedy loop; tokens = tokens produced, the first by the prefill step (time to first token kept apart).",
}

// method writes the metric definitions and how this data was aggregated.
func (in *input) method(d *doc) {
	d.section("Method and metric definitions")
	var ms []string
	for _, m := range modes(in.t["cells"]) {
		r := modeRules[m]
		if r == "" {
			r = "a mode tr119 does not define; see the runs table."
		}
		ms = append(ms, fmt.Sprintf("**%s**: %s", m, r))
	}
	d.p("Modes in this data:")
	d.list(ms...)
	d.p("Per cell (backend x scenario x mode) a repetition is the sample: its tokens and time are summed over its prompts, " +
		"so n is the number of repetitions. Warmups, drift-check repeats and degraded calls are excluded. Definitions:")
	d.list(
		"throughput (tok/s) = tokens / seconds of the repetition; the cell's value is the mean over repetitions with a 95% t interval.",
		"seconds per 1M tokens = 1e6 / throughput; hours per 1M = seconds / 3600.",
		"energy (kWh/1M) = measured energy (J) / tokens x 1e6 / 3.6e6, from the power domain(s) the cost stage attributes; carbon (gCO2e/1M) = kWh/1M x carbon intensity.",
		"infra $/1M = hours per 1M x the tier's $ per hour (for the cell's device class); energy $/1M = kWh/1M x $ per kWh; total = infra + energy.",
		"across scenarios (aggregate = time): mean seconds per 1M, effective throughput = 1e6 / mean seconds, effective power = mean kWh x 3.6e6 / mean seconds; aggregate = arithmetic averages throughput and power instead.",
		"request cost = prompt tokens at the prefill rate + generated tokens at the generation mode's rate, priced as above.",
	)
	f := in.t["cells"]
	doms := map[string]bool{}
	for i := 0; i < f.Len; i++ {
		if s := f.Str(artifacts.ACDomains, i); s != "" {
			doms[s] = true
		}
	}
	if len(doms) > 0 {
		var ds []string
		for k := range doms {
			ds = append(ds, k)
		}
		sort.Strings(ds)
		d.p("Energy domains used by the cost stage: " + joinTicks(ds) + ".")
	}
}

// environment writes the measured environment tables, one column per
// environment.
func (in *input) environment(d *doc) {
	d.section("Environment")
	if len(in.envs) == 0 {
		d.p("No environment table was given to the report; the results manifest records each stage's environment.")
		return
	}
	if len(in.envs) == 1 {
		f, a := in.envs[0], in.envArts[0]
		t := table{source: fmt.Sprintf("`environments[0]` from %s (sha256 %s)", a.Stage, short(a.SHA256)), header: []string{"Key", "Value"}}
		for i := 0; i < f.Len; i++ {
			t.rows = append(t.rows, []string{f.Str("key", i), envValue(f.Str("key", i), f.Str("value", i))})
		}
		d.table(t, "The environment table has no row.")
		return
	}
	// Several benchmarks: what they share once, then what differs, one
	// column per environment (repeated lines merged).
	vals := make([]map[string]string, len(in.envs))
	keys := map[string]bool{}
	var srcs, heads []string
	for k, f := range in.envs {
		vals[k] = map[string]string{}
		for i := 0; i < f.Len; i++ {
			vals[k][f.Str("key", i)] = f.Str("value", i)
			keys[f.Str("key", i)] = true
		}
		a := in.envArts[k]
		srcs = append(srcs, fmt.Sprintf("`environments[%d]` from %s (sha256 %s)", k, a.Stage, short(a.SHA256)))
		heads = append(heads, a.Stage)
	}
	same := table{source: strings.Join(srcs, ", "), header: []string{"Key", "Value (every environment)"}}
	diff := table{source: strings.Join(srcs, ", "), header: append([]string{"Key"}, heads...)}
	for _, k := range sortedMapKeys(keys) {
		row := []string{k}
		equal := true
		for e := range vals {
			v, ok := vals[e][k]
			if !ok {
				v = "-"
			}
			if v != vals[0][k] {
				equal = false
			}
			row = append(row, envValue(k, v))
		}
		if equal {
			same.rows = append(same.rows, row[:2])
		} else {
			diff.rows = append(diff.rows, row)
		}
	}
	d.p(fmt.Sprintf("%d environments (one per benchmark stage): what they share, then what differs.", len(in.envs)))
	d.table(same, "The environments share no value.")
	d.table(diff, "The environments do not differ.")
}

// inputs writes the cost model's inputs: from cost_analysis.json when
// given, else the hourly rates seen in the summary.
func (in *input) inputs(d *doc) {
	d.section("Cost-model inputs")
	if cfg, ok := in.costJSON["config"].(map[string]any); ok {
		a := in.cfg.Arts["cost_json"]
		src := fmt.Sprintf("`cost_json` from %s (sha256 %s)", a.Stage, short(a.SHA256))
		t := table{source: src, header: []string{"Tier", "$ per hour"}}
		tiers, _ := cfg["tiers"].([]any)
		for _, x := range tiers {
			m, _ := x.(map[string]any)
			name, _ := m["name"].(string)
			if v, ok := m["usd_per_hour"].(float64); ok {
				t.rows = append(t.rows, []string{name, exact(v)})
				continue
			}
			by, _ := m["usd_per_hour_by_class"].(map[string]any)
			var parts []string
			for _, k := range sortedKeys(by) {
				v, _ := by[k].(float64)
				parts = append(parts, fmt.Sprintf("%s: %s", k, exact(v)))
			}
			t.rows = append(t.rows, []string{name, strings.Join(parts, ", ")})
		}
		d.add(t)
		var facts []string
		for _, k := range []struct{ key, label string }{{"usd_per_kwh", "electricity $ per kWh"}, {"carbon_g_per_kwh", "carbon intensity gCO2e per kWh"},
			{"aggregate", "aggregate"}, {"reference_tier", "reference tier"}, {"confidence", "confidence level"}} {
			switch v := cfg[k.key].(type) {
			case float64:
				facts = append(facts, fmt.Sprintf("%s: %s", k.label, exact(v)))
			case string:
				facts = append(facts, fmt.Sprintf("%s: %s", k.label, v))
			}
		}
		if r, ok := cfg["request"].(map[string]any); ok {
			facts = append(facts, fmt.Sprintf("request mix: %s prompt + %s generated tokens (%v)", anyNum(r["prompt_tokens"]), anyNum(r["generate_tokens"]), r["generation_mode"]))
		}
		if r, ok := cfg["tco"].(map[string]any); ok {
			facts = append(facts, fmt.Sprintf("TCO: %s tokens per month over %s months", anyNum(r["tokens_per_month"]), anyNum(r["months"])))
		}
		d.list(facts...)
		if in.noEnergy {
			d.p(fmt.Sprintf("**The electricity price has no effect on these results**: no backend has an energy reading, so re-pricing electricity "+
				"(now $%s per kWh) changes no cost in this report.", anyNum(cfg["usd_per_kwh"])))
		}
		return
	}
	f := in.t["summary"]
	t := table{source: in.src("summary"), header: []string{"Tier", "Device class", "$ per hour"}}
	seen := map[string]bool{}
	for i := 0; i < f.Len; i++ {
		k := f.Str(artifacts.ACTier, i) + "\x00" + f.Str(artifacts.ACDeviceClass, i)
		if seen[k] {
			continue
		}
		seen[k] = true
		t.rows = append(t.rows, []string{f.Str(artifacts.ACTier, i), f.Str(artifacts.ACDeviceClass, i), exact(f.Num(artifacts.ACUSDPerHour, i))})
	}
	d.add(t)
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// anyNum formats a JSON number with num, anything else as Go prints it.
func anyNum(v any) string {
	if f, ok := v.(float64); ok {
		return exact(f)
	}
	return fmt.Sprint(v)
}
