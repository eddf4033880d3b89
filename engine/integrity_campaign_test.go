package engine

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/cache"
)

// The integrity campaign (issue 9) damages a workspace's cache in every
// way a careless or hostile user, bit rot or a second workspace could,
// then applies again as a new process would and checks that no stage
// was handed wrong bytes, no measurement was lost or silently re-made,
// and the store verifies clean. It is short by default (a few seconds);
// TR119_CAMPAIGN=long runs twenty times as many cases:
//
//	TR119_CAMPAIGN=long go test ./engine -run Campaign -v

// campaignScale is how many cases of each damage kind to run.
func campaignScale() int {
	if os.Getenv("TR119_CAMPAIGN") == "long" {
		return 20
	}
	return 1
}

// fileEchoKind is echo reading a workspace file (its "note") as a
// declared file input, so the input hash memo is on the campaign's path.
type fileEchoKind struct{ *echoKind }

func (k fileEchoKind) Info() KindInfo {
	i := k.echoKind.Info()
	i.Name = "fileecho"
	return i
}

func (k fileEchoKind) FileInputs(cfg cty.Value) ([]string, error) {
	return []string{str(cfg, "note")}, nil
}

func (k fileEchoKind) Run(ctx context.Context, r *Run) (*Result, error) {
	k.runs.Add(1)
	data, err := os.ReadFile(filepath.Join(r.Workspace, str(r.Config, "note")))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(r.OutDir, "out.txt"), append([]byte(str(r.Config, "text")), data...), 0o644); err != nil {
		return nil, err
	}
	return &Result{Outputs: map[string]string{"out": "out.txt"}}, nil
}

// campaignStage is the model of one stage: its output is its text, then
// the input file's content (fileecho), then its inputs' outputs.
type campaignStage struct {
	addr, text, file string
	inputs           []string
}

// bigText is the file stage "big" reads: its output is a blob above the
// cache's small-object size, which reads check through the memo rather
// than by re-hashing.
var bigText = strings.Repeat("usd_per_kwh 0.12 ", 16000)

var campaignModel = []campaignStage{
	{addr: "stage.fileecho.in", text: "in:", file: "data.csv"},
	{addr: "stage.fileecho.big", text: "big:", file: "big.txt"},
	{addr: "stage.echo.tree", text: "tree:", inputs: []string{"stage.fileecho.in"}},
	{addr: "stage.measure.m", text: "latency_ms 12.5 after ", inputs: []string{"stage.echo.tree"}},
	{addr: "stage.echo.report", text: "report:", inputs: []string{"stage.measure.m", "stage.fileecho.big"}},
}

const campaignPipeline = `
stage "fileecho" "in" {
  text = "in:"
  note = "data.csv"
}
stage "fileecho" "big" {
  text = "big:"
  note = "big.txt"
}
stage "echo" "tree" {
  text   = "tree:"
  tree   = true
  inputs = [stage.fileecho.in.out]
}
stage "measure" "m" {
  text   = "latency_ms 12.5 after "
  inputs = [stage.echo.tree.out]
}
stage "echo" "report" {
  text   = "report:"
  inputs = [stage.measure.m.out, stage.fileecho.big.out]
}
`

// campaignWS is one workspace; every apply opens the cache and memo
// afresh, as a new tr119 process does.
type campaignWS struct {
	t        testing.TB
	dir      string
	cacheDir string
	reg      *Registry
	measure  *echoKind
	file     fileEchoKind
}

func newCampaignWS(t testing.TB, dir, cacheDir, src string) *campaignWS {
	ws := &campaignWS{t: t, dir: dir, cacheDir: cacheDir, reg: NewRegistry(),
		measure: &echoKind{name: "measure", host: true},
		file:    fileEchoKind{&echoKind{name: "fileecho", deterministic: true}}}
	ws.reg.Register(&echoKind{name: "echo", deterministic: true})
	ws.reg.Register(ws.measure)
	ws.reg.Register(ws.file)
	os.MkdirAll(dir, 0o755)
	ws.write("pipeline.hcl", src)
	ws.write("data.csv", "region,usd_per_kwh\nus,0.12\n")
	ws.write("big.txt", bigText)
	return ws
}

func (ws *campaignWS) write(name, content string) {
	if err := os.WriteFile(filepath.Join(ws.dir, name), []byte(content), 0o644); err != nil {
		ws.t.Fatal(err)
	}
}

// session opens the cache, memo and options as one tr119 process would.
func (ws *campaignWS) session() (*Options, *cache.Cache, *cache.HashMemo) {
	meta := filepath.Join(ws.dir, ".tr119")
	memo, err := cache.OpenHashMemo(filepath.Join(meta, "hashes"))
	if err != nil {
		ws.t.Fatal(err)
	}
	c, err := cache.Open(ws.cacheDir, cache.Options{Memo: memo})
	if err != nil {
		ws.t.Fatal(err)
	}
	c.RegisterWorkspace(ws.dir)
	return &Options{Store: NewCacheStore(c), State: OpenState(filepath.Join(meta, "state")), Hasher: memo,
		Parallelism: 2, TempDir: filepath.Join(meta, "tmp"),
		Machine: Machine{CPU: "test cpu", Cores: 2, OS: "linux", Arch: "amd64"}}, c, memo
}

// apply plans and applies in a fresh session holding the cache's shared
// lock, returning the plan and outcome.
func (ws *campaignWS) apply() (*Plan, *Outcome, error) {
	o, c, memo := ws.session()
	unlock, err := c.Lock(context.Background(), cache.Shared, 0, nil)
	if err != nil {
		return nil, nil, err
	}
	defer unlock()
	p, diags := Load(ws.dir, ws.reg, LoadOptions{})
	if diags.HasErrors() {
		return nil, nil, diags
	}
	plan, err := MakePlan(context.Background(), p, o)
	if err != nil {
		return nil, nil, err
	}
	out, err := Apply(context.Background(), p, plan, o)
	memo.Save()
	if err == nil {
		err = out.Err()
	}
	return plan, out, err
}

// checkOutcome checks that every stage's stored output holds exactly the
// bytes the model says it must (no stage read a wrong byte) and that the
// store verifies each of them deeply. It returns the problems.
func checkOutcome(c *cache.Cache, model []campaignStage, out *Outcome, files map[string]string) []string {
	var probs []string
	got := map[string]string{}
	for _, s := range out.Stages {
		for _, o := range s.Outputs {
			if err := c.Verify(toObject(o.StoredObject)); err != nil {
				probs = append(probs, fmt.Sprintf("%s output %s does not verify: %v", s.Stage.Addr, o.Name, err))
				continue
			}
			if o.Name != "out" {
				continue
			}
			p, err := c.ObjectPath(toObject(o.StoredObject))
			if err != nil {
				probs = append(probs, fmt.Sprintf("%s: %v", s.Stage.Addr, err))
				continue
			}
			b, _ := os.ReadFile(p)
			got[s.Stage.Addr] = string(b)
		}
	}
	for _, st := range model {
		want := st.text + files[st.file]
		for _, in := range st.inputs {
			want += got[in]
		}
		if g, ok := got[st.addr]; !ok {
			probs = append(probs, st.addr+": no output")
		} else if g != want {
			probs = append(probs, fmt.Sprintf("%s: output is %d bytes that differ from the %d its inputs make (a wrong byte was served)", st.addr, len(g), len(want)))
		}
	}
	return probs
}

// damage is one way of damaging a workspace's cache or inputs; it
// returns a short description and what it means for the measurement.
type damage struct {
	name string
	do   func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (what string, m effect)
}

// effect is what a damage means for the measurement stage.
type effect int

const (
	// keeps: the measurement must stay cached, never be made again.
	keeps effect = iota
	// destroys: its own record was damaged; it must be re-measured, with
	// a plan reason saying so.
	destroys
	// changes: an input it depends on changed; it is measured again.
	changes
)

// hits says whether p is one of the measurement's record files.
func hits(ws *campaignWS, out *Outcome, p string) effect {
	if measurementFiles(ws, out)[p] {
		return destroys
	}
	return keeps
}

// outputObject returns a stage's stored output from an outcome.
func outputObject(out *Outcome, addr, name string) StoredObject {
	for _, s := range out.Stages {
		if s.Stage.Addr == addr {
			for _, o := range s.Outputs {
				if o.Name == name {
					return o.StoredObject
				}
			}
		}
	}
	return StoredObject{}
}

func objectPathIn(cacheDir, sha string) string {
	return filepath.Join(cacheDir, "objects", sha[:2], sha)
}

// storeFiles lists the files under sub of the cache, sorted.
func storeFiles(cacheDir, sub string) []string {
	var files []string
	filepath.WalkDir(filepath.Join(cacheDir, sub), func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	return files
}

// measurementFiles are the files whose damage destroys the measurement's
// record: its entry and its output blob.
func measurementFiles(ws *campaignWS, out *Outcome) map[string]bool {
	m := map[string]bool{}
	for _, s := range out.Stages {
		if s.Stage.Addr != "stage.measure.m" {
			continue
		}
		k := s.Key.String()
		m[filepath.Join(ws.cacheDir, "actions", k[:2], k)] = true
		for _, o := range s.Outputs {
			m[objectPathIn(ws.cacheDir, o.SHA256)] = true
		}
	}
	return m
}

// inPlace rewrites a file through the same inode keeping its size and
// mtime, as bit rot or a write through a hard link does.
func inPlace(t testing.TB, p string, edit func(b []byte)) {
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	edit(b)
	os.Chmod(p, 0o644)
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt(b, 0)
	f.Close()
	os.Chmod(p, st.Mode().Perm())
	os.Chtimes(p, st.ModTime(), st.ModTime())
}

func flipAt(rng *rand.Rand) func(b []byte) {
	return func(b []byte) {
		if len(b) > 0 {
			b[rng.Intn(len(b))] ^= byte(1 + rng.Intn(255))
		}
	}
}

// pick chooses a file from files.
func pick(rng *rand.Rand, files []string) string { return files[rng.Intn(len(files))] }

var damages = []damage{
	{"flip a byte of a blob", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := pick(rng, storeFiles(ws.cacheDir, "objects"))
		inPlace(t, p, flipAt(rng))
		return p, hits(ws, out, p)
	}},
	{"flip a byte of the large blob", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := objectPathIn(ws.cacheDir, outputObject(out, "stage.fileecho.big", "out").SHA256)
		inPlace(t, p, flipAt(rng))
		return p, keeps
	}},
	{"flip a byte of a tree listing", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := objectPathIn(ws.cacheDir, outputObject(out, "stage.echo.tree", "tree").SHA256)
		inPlace(t, p, flipAt(rng))
		return p, keeps
	}},
	{"truncate a blob", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := pick(rng, storeFiles(ws.cacheDir, "objects"))
		st, _ := os.Stat(p)
		os.Chmod(p, 0o644)
		os.Truncate(p, st.Size()/2)
		return p, hits(ws, out, p)
	}},
	{"delete a blob", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := pick(rng, storeFiles(ws.cacheDir, "objects"))
		os.Remove(p)
		return p, hits(ws, out, p)
	}},
	{"replace a blob by a symlink to the same bytes", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := pick(rng, storeFiles(ws.cacheDir, "objects"))
		b, _ := os.ReadFile(p)
		same := filepath.Join(t.TempDir(), "same")
		os.WriteFile(same, b, 0o644)
		os.Remove(p)
		os.Symlink(same, p)
		return p, hits(ws, out, p)
	}},
	{"replace a blob by a symlink to other bytes", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		files := storeFiles(ws.cacheDir, "objects")
		p, q := pick(rng, files), pick(rng, files)
		os.Remove(p)
		os.Symlink(q, p)
		return p, hits(ws, out, p)
	}},
	{"flip a byte of an action entry", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := pick(rng, storeFiles(ws.cacheDir, "actions"))
		inPlace(t, p, flipAt(rng))
		return p, hits(ws, out, p)
	}},
	{"copy an action entry under another key", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		files := storeFiles(ws.cacheDir, "actions")
		i := rng.Intn(len(files))
		src, dst := files[i], files[(i+1+rng.Intn(len(files)-1))%len(files)]
		b, _ := os.ReadFile(src)
		os.WriteFile(dst, b, 0o644)
		return dst, hits(ws, out, dst)
	}},
	{"flip a byte of the hash memo", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := filepath.Join(ws.dir, ".tr119", "hashes")
		inPlace(t, p, flipAt(rng))
		return p, keeps
	}},
	{"alter a digest in the hash memo", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := filepath.Join(ws.dir, ".tr119", "hashes")
		inPlace(t, p, func(b []byte) {
			i := strings.Index(string(b), `"sha256":"`) + len(`"sha256":"`) + rng.Intn(64)
			b[i] = "0123456789abcdef"[(strings.IndexByte("0123456789abcdef", b[i])+1)%16]
		})
		return p, keeps
	}},
	{"edit an input file in place, mtime restored", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		p := filepath.Join(ws.dir, "data.csv")
		inPlace(t, p, func(b []byte) { b[len(b)-2] = '9' }) // us,0.12 -> us,0.19
		return p, changes
	}},
	{"edit the state of a stage", func(t testing.TB, ws *campaignWS, out *Outcome, rng *rand.Rand) (string, effect) {
		files := storeFiles(filepath.Join(ws.dir, ".tr119"), "state")
		p := pick(rng, files)
		inPlace(t, p, flipAt(rng))
		return p, keeps
	}},
}

// TestIntegrityCampaign runs every damage kind campaignScale() times on
// fresh workspaces and checks the invariants after the next apply.
func TestIntegrityCampaign(t *testing.T) {
	n := campaignScale()
	src := campaignPipeline
	cases, failures := 0, 0
	for _, d := range damages {
		for i := 0; i < n; i++ {
			cases++
			seed := int64(len(d.name)*1000 + i)
			if probs := runDamageCase(t, d, seed, src); len(probs) > 0 {
				failures++
				t.Errorf("%s (seed %d):\n  %s", d.name, seed, strings.Join(probs, "\n  "))
			}
		}
	}
	t.Logf("integrity campaign: %d damage cases (%d kinds x %d), %d failed", cases, len(damages), n, failures)
}

// runDamageCase applies a fresh workspace, damages it, applies again and
// returns what went wrong.
func runDamageCase(t *testing.T, d damage, seed int64, src string) []string {
	rng := rand.New(rand.NewSource(seed))
	dir := t.TempDir()
	ws := newCampaignWS(t, filepath.Join(dir, "ws"), filepath.Join(dir, "ws", ".tr119", "cache"), src)
	_, out, err := ws.apply()
	if err != nil {
		return []string{"first apply: " + err.Error()}
	}
	// A second no-op apply fills the memo as a later tr119 run would.
	time.Sleep(5 * time.Millisecond)
	if _, _, err := ws.apply(); err != nil {
		return []string{"second apply: " + err.Error()}
	}
	files := map[string]string{"big.txt": bigText}
	what, effect := d.do(t, ws, out, rng)
	b, _ := os.ReadFile(filepath.Join(ws.dir, "data.csv"))
	files["data.csv"] = string(b)
	measured := ws.measure.runs.Load()

	plan, out, err := ws.apply()
	var probs []string
	if err != nil {
		return []string{fmt.Sprintf("apply after damaging %s: %v", what, err)}
	}
	_, c, _ := ws.session()
	probs = append(probs, checkOutcome(c, campaignModel, out, files)...)
	remeasured := ws.measure.runs.Load() - measured
	m := plan.Stage("stage.measure.m")
	reasons := strings.Join(m.Reasons, "; ")
	switch {
	case effect != keeps && remeasured != 1:
		probs = append(probs, fmt.Sprintf("after damaging %s the measurement was made %d times, want once", what, remeasured))
	case effect == destroys && !strings.Contains(reasons, "must be re-measured"):
		probs = append(probs, fmt.Sprintf("re-measurement without saying why: %s %q", m.Action, reasons))
	case effect == keeps && remeasured != 0:
		probs = append(probs, fmt.Sprintf("measurement re-made (%d) although only %s was damaged: %s %q", remeasured, what, m.Action, reasons))
	}
	// The store verifies clean, and a plan now has nothing to do.
	if sc, err := c.VerifyStore(); err != nil || sc.Damaged != 0 {
		probs = append(probs, fmt.Sprintf("store after the apply: %+v %v", sc, err))
	}
	o, _, _ := ws.session()
	p, _ := Load(ws.dir, ws.reg, LoadOptions{})
	again, err := MakePlan(context.Background(), p, o)
	if err != nil {
		probs = append(probs, "plan: "+err.Error())
	} else if acts := actions(again); strings.Count(acts, "=cached") != len(campaignModel) {
		probs = append(probs, "plan after the repair is not all cached:\n"+acts)
	}
	return probs
}

// TestIntegrityCampaignSharedCache runs two workspaces on one cache: one
// applies (its deterministic stages change between runs, its measurement
// never does) while the other applies and collects garbage in a loop.
// No apply may fail, no stage may read a wrong byte, and the measurement
// must be made exactly once.
func TestIntegrityCampaignSharedCache(t *testing.T) {
	n := 5 * campaignScale()
	dir := t.TempDir()
	shared := filepath.Join(dir, "shared")
	src := func(text string) string {
		return `
stage "measure" "m" {
  text = "latency_ms 12.5"
}
stage "echo" "a" {
  text   = "` + text + `"
  tree   = true
  inputs = [stage.measure.m.out]
}
stage "echo" "b" {
  text   = "b:"
  inputs = [stage.echo.a.out]
}
`
	}
	model := func(text string) []campaignStage {
		return []campaignStage{{addr: "stage.measure.m", text: "latency_ms 12.5"},
			{addr: "stage.echo.a", text: text, inputs: []string{"stage.measure.m"}},
			{addr: "stage.echo.b", text: "b:", inputs: []string{"stage.echo.a"}}}
	}
	ws1 := newCampaignWS(t, filepath.Join(dir, "ws1"), shared, src("v0"))
	ws2 := newCampaignWS(t, filepath.Join(dir, "ws2"), shared, src("w0"))
	// Workspace 1 measures first; workspace 2 then finds it in the cache.
	if _, _, err := ws1.apply(); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var probs []string
	fail := func(format string, args ...any) {
		mu.Lock()
		probs = append(probs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}
	var wg sync.WaitGroup
	loop := func(ws *campaignWS, prefix string, gc bool) {
		defer wg.Done()
		for i := 0; i < n; i++ {
			text := fmt.Sprintf("%s%d", prefix, i%4)
			ws.write("pipeline.hcl", src(text))
			_, out, err := ws.apply()
			if err != nil {
				fail("%s apply %d: %v", prefix, i, err)
				continue
			}
			_, c, _ := ws.session()
			for _, p := range checkOutcome(c, model(text), out, nil) {
				fail("%s apply %d: %s", prefix, i, p)
			}
			if gc {
				if err := collect(ws, c); err != nil {
					fail("%s gc %d: %v", prefix, i, err)
				}
			}
		}
	}
	wg.Add(2)
	go loop(ws1, "v", false)
	go loop(ws2, "w", true)
	wg.Wait()
	if got := ws1.measure.runs.Load(); got != 1 {
		fail("workspace 1 measured %d times, want once (gc in workspace 2 lost its measurement)", got)
	}
	if got := ws2.measure.runs.Load(); got != 0 {
		fail("workspace 2 measured %d times, want 0 (same measurement, shared cache)", got)
	}
	c, _ := cache.Open(shared, cache.Options{})
	if sc, err := c.VerifyStore(); err != nil || sc.Damaged != 0 {
		fail("shared store: %+v %v", sc, err)
	}
	for _, p := range probs {
		t.Error(p)
	}
	t.Logf("shared-cache campaign: 2 workspaces x %d applies, %d gc runs, %d failures", n, n, len(probs))
}

// collect is `tr119 gc` in ws: the exclusive cache lock, and keep what
// every workspace recorded in the cache references.
func collect(ws *campaignWS, c *cache.Cache) error {
	unlock, err := c.Lock(context.Background(), cache.Exclusive, 0, nil)
	if err != nil {
		return err
	}
	defer unlock()
	dirs, err := c.Workspaces()
	if err != nil {
		return err
	}
	var keep []cache.ActionID
	for _, d := range dirs {
		keys, err := OpenState(filepath.Join(d, ".tr119", "state")).Keys()
		if err != nil {
			return err
		}
		for _, k := range keys {
			if id, err := cache.ParseActionID(k); err == nil {
				keep = append(keep, id)
			}
		}
	}
	_, err = c.GC(keep, nil)
	return err
}
