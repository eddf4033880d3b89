package mutation

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tr119/tr119/cache"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/all"
)

// target is a shipped pipeline the campaign mutates.
type target struct {
	name string            // as reported
	dir  string            // its workspace folder, relative to the repository root
	file string            // the pipeline file inside dir
	vars map[string]string // -var values (the tiny preset)
}

var targets = []target{
	{"pipeline.hcl", ".", "pipeline.hcl", map[string]string{"preset": "tiny", "repetitions": "2"}},
	{"examples/analysis", "examples/analysis", "pipeline.hcl", nil},
	{"examples/quickstart", "examples/quickstart", "pipeline.hcl", nil},
}

// result is one mutant's fate.
type result struct {
	Target, Mutant string
	Accepted       bool   // validate accepted it
	Applied        bool   // it was applied
	Err            string `json:",omitempty"` // the apply's failure: a violation
	Seconds        float64
}

// job is a mutant to judge in a worker's workspace.
type job struct {
	t     target
	name  string
	src   []byte
	apply bool
}

// TestMutationCampaign mutates the shipped pipelines and demands that
// every mutant `validate` accepts applies cleanly on the tiny preset.
// By default (CI) it validates every mutant and applies a handful;
// TR119_MUTATION=full applies every accepted mutant
// (TR119_MUTATION_WORKERS in parallel, results as JSON lines in
// TR119_MUTATION_OUT, TR119_MUTATION_TARGET=NAME for one target only).
func TestMutationCampaign(t *testing.T) {
	if os.Getenv("TR119_ONNXRUNTIME_LIB") == "" {
		t.Skip("TR119_ONNXRUNTIME_LIB is not set: the benchmarks need ONNX Runtime")
	}
	full := os.Getenv("TR119_MUTATION") == "full"
	if testing.Short() && !full {
		t.Skip("-short")
	}
	root := filepath.Join("..", "..")
	var jobs []job
	only := os.Getenv("TR119_MUTATION_TARGET")
	for _, tg := range targets {
		if only != "" && tg.name != only {
			continue
		}
		src, err := os.ReadFile(filepath.Join(root, tg.dir, tg.file))
		if err != nil {
			t.Fatal(err)
		}
		skip := map[string]bool{}
		for v := range tg.vars {
			skip[v] = true
		}
		ms, err := Mutants(filepath.ToSlash(filepath.Join(tg.dir, tg.file)), src, Options{SkipVariables: skip})
		if err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, job{t: tg, name: "(unmutated)", src: src, apply: true})
		for _, m := range ms {
			jobs = append(jobs, job{t: tg, name: m.Name, src: m.Src, apply: full})
		}
	}
	if !full {
		pickApplies(t, jobs)
	}
	workers := 1
	if n, err := strconv.Atoi(os.Getenv("TR119_MUTATION_WORKERS")); err == nil && n > 0 {
		workers = n
	} else if full {
		workers = max(1, runtime.NumCPU()/2)
	}
	results := runJobs(t, root, jobs, workers)
	report(t, results, full)
}

// pickApplies marks for apply, in CI, the first mutant validate accepts in
// each of a few stages whose re-runs are cheap.
func pickApplies(t *testing.T, jobs []job) {
	want := []string{"stage.cost.tr119", "stage.stats.tr119", "stage.report.tr119", "stage.validate.", "stage.export."}
	for _, w := range want {
		for i := range jobs {
			j := &jobs[i]
			if j.apply || !strings.Contains(j.name, " "+w) {
				continue
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, j.t.file), j.src, 0o644); err != nil {
				t.Fatal(err)
			}
			if copyInputs(t, filepath.Join("..", "..", j.t.dir), dir, j.t.file) != nil {
				continue
			}
			if _, diags := engine.Load(dir, all.Registry(), engine.LoadOptions{Vars: varArgs(j.t.vars)}); !diags.HasErrors() {
				j.apply = true
				break
			}
		}
	}
}

// runJobs judges the jobs, each worker in its own workspaces (one per
// target, so that the cache spares the stages a mutant leaves alone). A
// worker applies a target's unmutated pipeline before its first mutant of
// that target, which fills its cache.
func runJobs(t *testing.T, root string, jobs []job, workers int) []result {
	// Mutants that re-run a benchmark go last, so a run cut short has
	// judged the most mutants.
	sort.SliceStable(jobs, func(i, j int) bool { return !measures(jobs[i].name) && measures(jobs[j].name) })
	unmutated := map[string]job{}
	byWorker := make([][]job, workers)
	n := 0
	for _, j := range jobs {
		if j.name == "(unmutated)" {
			unmutated[j.t.name] = j
			continue
		}
		w := 0
		if j.apply {
			w = n % workers
			n++
		}
		byWorker[w] = append(byWorker[w], j)
	}
	for w := range byWorker {
		var with []job
		warmed := map[string]bool{}
		for _, j := range byWorker[w] {
			if j.apply && !warmed[j.t.name] {
				warmed[j.t.name] = true
				with = append(with, unmutated[j.t.name])
			}
			with = append(with, j)
		}
		byWorker[w] = with
	}
	for name, j := range unmutated { // every target's own pipeline is judged at least once
		found := false
		for _, x := range byWorker[0] {
			found = found || (x.t.name == name && x.name == "(unmutated)")
		}
		if !found {
			byWorker[0] = append([]job{j}, byWorker[0]...)
		}
	}
	var mu sync.Mutex
	var results []result
	var wg sync.WaitGroup
	base := t.TempDir()
	var progress *json.Encoder // each result as it comes, for long runs
	if out := os.Getenv("TR119_MUTATION_OUT"); out != "" {
		f, err := os.Create(out + ".partial")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		progress = json.NewEncoder(f)
	}
	for w := range byWorker {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for _, j := range byWorker[w] {
				r := judge(t, root, filepath.Join(base, fmt.Sprintf("w%d", w), strings.ReplaceAll(j.t.name, "/", "_")), j)
				mu.Lock()
				results = append(results, r)
				if progress != nil {
					progress.Encode(r)
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	return dedupe(results)
}

// measures reports whether a mutant changes what a benchmark measures.
func measures(name string) bool {
	for _, s := range []string{" local.prompts", " local.scenarios", " stage.benchmark", " stage.model", " var.devices", " var.repetitions", " var.preset"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// dedupe keeps one result per mutant (the unmutated pipelines run once per
// worker), a failed one where there is one.
func dedupe(results []result) []result {
	seen := map[[2]string]int{}
	var out []result
	for _, r := range results {
		k := [2]string{r.Target, r.Mutant}
		if i, ok := seen[k]; ok {
			if r.Err != "" {
				out[i] = r
			}
			continue
		}
		seen[k] = len(out)
		out = append(out, r)
	}
	return out
}

// judge validates one mutant in ws and applies it when asked and
// accepted.
func judge(t *testing.T, root, ws string, j job) result {
	r := result{Target: j.t.name, Mutant: j.name}
	if err := os.MkdirAll(ws, 0o755); err != nil {
		r.Err = err.Error()
		return r
	}
	if err := copyInputs(t, filepath.Join(root, j.t.dir), ws, j.t.file); err != nil {
		r.Err = err.Error()
		return r
	}
	if err := os.WriteFile(filepath.Join(ws, j.t.file), j.src, 0o644); err != nil {
		r.Err = err.Error()
		return r
	}
	p, diags := engine.Load(ws, all.Registry(), engine.LoadOptions{Vars: varArgs(j.t.vars)})
	if diags.HasErrors() {
		return r
	}
	r.Accepted = true
	if !j.apply {
		return r
	}
	r.Applied = true
	start := time.Now()
	err := apply(p, ws)
	r.Seconds = time.Since(start).Seconds()
	if err != nil {
		r.Err = err.Error()
	}
	return r
}

// apply runs the pipeline in ws with a cache kept there.
func apply(p *engine.Pipeline, ws string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	c, err := cache.Open(filepath.Join(ws, ".tr119", "cache"), cache.Options{})
	if err != nil {
		return err
	}
	o := &engine.Options{Store: engine.NewCacheStore(c), Parallelism: 2, TempDir: filepath.Join(ws, ".tr119", "tmp"),
		Settings: map[string]string{"onnxruntime_library": os.Getenv("TR119_ONNXRUNTIME_LIB")}}
	plan, err := engine.MakePlan(ctx, p, o)
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	out, err := engine.Apply(ctx, p, plan, o)
	if err != nil {
		return fmt.Errorf("apply: %w", err)
	}
	return out.Err()
}

// copyInputs copies the workspace's other files (CSV inputs) once.
func copyInputs(t *testing.T, from, to, skip string) error {
	ents, err := os.ReadDir(from)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.IsDir() || e.Name() == skip || strings.HasSuffix(e.Name(), ".hcl") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if _, err := os.Stat(filepath.Join(to, e.Name())); err == nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func varArgs(vars map[string]string) []engine.VarArg {
	var out []engine.VarArg
	for k, v := range vars {
		out = append(out, engine.VarArg{Name: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// report counts the fates and fails on violations: accepted mutants
// whose apply failed.
func report(t *testing.T, results []result, full bool) {
	sort.Slice(results, func(i, j int) bool {
		if results[i].Target != results[j].Target {
			return results[i].Target < results[j].Target
		}
		return results[i].Mutant < results[j].Mutant
	})
	var mutants, rejected, applied, violations int
	for _, r := range results {
		if r.Mutant != "(unmutated)" {
			mutants++
			if !r.Accepted {
				rejected++
			}
		} else if !r.Accepted {
			t.Errorf("%s: the shipped pipeline itself does not validate", r.Target)
		}
		if r.Applied {
			applied++
		}
		if r.Accepted && r.Err != "" {
			violations++
			t.Errorf("VIOLATION %s: validate accepted, apply failed: %s", r.Mutant, firstLine(r.Err))
		}
	}
	t.Logf("mutation campaign: %d mutants, %d rejected by validate, %d accepted; %d applies; %d violations",
		mutants, rejected, mutants-rejected, applied, violations)
	if out := os.Getenv("TR119_MUTATION_OUT"); out != "" {
		f, err := os.Create(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		enc := json.NewEncoder(f)
		for _, r := range results {
			enc.Encode(r)
		}
	}
	if full && os.Getenv("TR119_MUTATION_TARGET") == "" && mutants < 200 {
		t.Errorf("only %d mutants: the campaign promises at least 200", mutants)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
