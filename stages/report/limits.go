package report

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/tr119/tr119/analysis/checks"
	"github.com/tr119/tr119/artifacts"
)

// limitations writes section 9 from what the data shows: unavailable
// energy and its reasons, uncached generate, a single device, degraded
// calls, few repetitions, the measurement problems of the summary, inputs
// that were unavailable. It never names a mode, backend or domain the data
// lacks.
func (in *input) limitations(d *doc) {
	d.section("Limitations")
	var out []string
	f := in.t["cells"]
	missing := map[string][]string{} // reason -> cells
	for i := 0; i < f.Len; i++ {
		if r := f.Str(artifacts.ACReason, i); r != "" && isNaN(f.Num(artifacts.ACEnergy, i)) {
			missing[r] = append(missing[r], f.Str(artifacts.ACBackend, i)+"/"+f.Str(artifacts.ACScenario, i)+"/"+f.Str(artifacts.ACMode, i))
		}
	}
	for _, r := range sortedMapKeys(missing) {
		backends := map[string]bool{}
		for _, c := range missing[r] {
			backends[strings.SplitN(c, "/", 2)[0]] = true
		}
		out = append(out, fmt.Sprintf("Energy unavailable for %s (%s): %s. Their energy, carbon and total cost are shown as n/a, never as zero; "+
			"infra cost is still priced, and every backend of a mode is ranked on infra cost.",
			plural(len(missing[r]), "cell", "cells"), joinTicks(sortedMapKeys(backends)), r))
	}
	out = append(out, in.notApplicable()...)
	out = append(out, in.slowDecode()...)
	ms := modes(f)
	if slices.Contains(ms, "generate") {
		s := "`generate` is uncached: every new token re-runs the whole sequence, so its cost is a worst case for serving"
		if slices.Contains(ms, "decode") {
			s += "; `decode` (KV cache) is the realistic one"
		} else {
			s += "; a KV-cache mode was not measured"
		}
		out = append(out, s+".")
	}
	for _, x := range in.qualityIssues() {
		out = append(out, x.text)
	}
	if in.busySkipped == checks.SkippedNoCores {
		out = append(out, in.busyNotChecked())
	}
	devices, envs := map[string]bool{}, map[string]bool{}
	degraded := 0
	for _, r := range in.runs {
		for i := 0; i < r.Len; i++ {
			devices[r.Str(artifacts.ColDevice, i)] = true
			envs[r.Str(artifacts.ColEnvironmentID, i)] = true
			if r.Str(artifacts.ColStatus, i) == "degraded" {
				degraded++
			}
		}
	}
	if len(in.runs) > 0 {
		if len(envs) == 1 {
			out = append(out, fmt.Sprintf("Single hardware: every run has the same environment id (devices %s); rankings may differ on other machines.", joinTicks(sortedMapKeys(devices))))
		}
		if degraded > 0 {
			out = append(out, fmt.Sprintf("%d calls were degraded (errors, timeouts or broken invariants) and excluded from the means.", degraded))
		}
	}
	minN := -1.0
	for i := 0; i < f.Len; i++ {
		if n := f.Num(artifacts.ACN, i); minN < 0 || n < minN {
			minN = n
		}
	}
	if minN >= 0 && minN < 5 {
		out = append(out, fmt.Sprintf("Some cells have only n = %s repetitions: their confidence intervals are wide and per-cell tests weak.", count(minN)))
	}
	s := in.t["summary"]
	if s.Len > 0 {
		sc := s.Num(artifacts.ACNScenarios, 0)
		if sc < 3 {
			out = append(out, fmt.Sprintf("Only %s per mode: the across-scenario statistics have little or no power and the mean says little about other workload shapes.",
				plural(int(sc), "scenario", "scenarios")))
		}
	}
	for _, u := range in.cfg.Unavailable {
		out = append(out, "Input unavailable, its section is left out: "+u+".")
	}
	if len(out) == 0 {
		out = append(out, "None found in the data beyond the method's own assumptions (section 2).")
	}
	d.list(out...)
}

func isNaN(v float64) bool { return v != v }

func sortedMapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// notApplicable names the modes a backend cannot run (cells/v1 status
// not_applicable, with the backend's reason): they have no rows, so the
// backend is absent from those modes' rankings rather than last in them.
func (in *input) notApplicable() []string {
	type key struct{ backend, reason string }
	modesOf := map[key]map[string]bool{}
	for _, f := range in.benchCells {
		for i := 0; i < f.Len; i++ {
			if f.Str("status", i) != "not_applicable" {
				continue
			}
			k := key{f.Str(artifacts.ColBackend, i), f.Str("status_reason", i)}
			if modesOf[k] == nil {
				modesOf[k] = map[string]bool{}
			}
			modesOf[k][f.Str(artifacts.ColMode, i)] = true
		}
	}
	keys := slices.SortedFunc(maps.Keys(modesOf), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.backend, b.backend), cmp.Compare(a.reason, b.reason))
	})
	var out []string
	for _, k := range keys {
		ms := sortedMapKeys(modesOf[k])
		where := "those modes' rankings"
		if len(ms) == 1 {
			where = "that mode's ranking"
		}
		out = append(out, fmt.Sprintf("Not applicable: `%s` cannot run %s (%s). It has no rows there, so it is absent from %s, not ranked last.",
			k.backend, joinTicks(ms), k.reason, where))
	}
	return out
}

// slowDecode names the backends whose KV-cache decode produced tokens
// more slowly than their uncached generate loop, which a reader would not
// expect; for ONNX Runtime on CUDA it adds the cause tr119 knows of: its
// binding keeps tensors in host memory.
func (in *input) slowDecode() []string {
	f := in.t["summary"]
	var slow, hostCopies []string
	for _, b := range sortedDistinct(f, artifacts.ACBackend) {
		thr := map[string]float64{}
		for _, i := range f.Rows(artifacts.ACBackend, b, artifacts.ACTier, in.tier) {
			thr[f.Str(artifacts.ACMode, i)] = f.Num(artifacts.ACEffThr, i)
		}
		dec, okD := thr["decode"]
		gen, okG := thr["generate"]
		if !okD || !okG || !(dec < gen) {
			continue
		}
		slow = append(slow, fmt.Sprintf("%s (%s against %s tok/s)", tick(b), num(dec), num(gen)))
		if in.envOf(b, "onnxruntime.provider") == "cuda" {
			hostCopies = append(hostCopies, b)
		}
	}
	if len(slow) == 0 {
		return nil
	}
	s := "KV-cache `decode` produced tokens more slowly than the uncached `generate` loop for " + joinAnd(slow) +
		": at these sequence lengths the cache's per-step work cost more than re-running the whole sequence."
	if len(hostCopies) > 0 {
		s += " For " + joinTicks(hostCopies) + " part of that is tr119's ONNX Runtime binding: its tensors live in host memory, " +
			"so with the CUDA provider every decode step copies the KV cache to the GPU and back."
	}
	return []string{s}
}

// envOf is key's value in the environment of backend's runs ("" when no
// environment table given records it).
func (in *input) envOf(backend, key string) string {
	ids := map[string]bool{}
	for _, r := range in.runs {
		for _, i := range r.Rows(artifacts.ColBackend, backend) {
			ids[r.Str(artifacts.ColEnvironmentID, i)] = true
		}
	}
	for _, e := range in.envs {
		for i := 0; i < e.Len; i++ {
			if ids[e.Str(artifacts.ColEnvironmentID, i)] && e.Str("key", i) == key {
				return e.Str("value", i)
			}
		}
	}
	return ""
}
