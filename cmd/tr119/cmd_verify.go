package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/tr119/tr119/attest"
	"github.com/tr119/tr119/cache"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/manifest"
)

// verify checks that the results folder holds exactly the files the
// manifest lists, with exactly their bytes; with a workspace (-pipeline,
// on by default when the current folder holds a pipeline) it also says
// which pipeline files, variables or input files differ from what the
// results were made from; with -key it checks the manifest's DSSE
// signature and verifies against the signed statement; with -reproduce
// it re-runs every deterministic stage in a scratch cache and demands the
// recorded bytes.
func (a *app) verify(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("verify", &x)
	varFlags(fs, &x)
	fs.BoolVar(&x.reproduce, "reproduce", false, "re-run every deterministic stage and compare its outputs")
	var pf pipelineFlag
	fs.Var(&pf, "pipeline", "compare the recorded pipeline files, variables and input files with this workspace "+
		"(bare -pipeline: the current folder; -pipeline=false: off; default: on when the current folder holds a pipeline); -reproduce runs it")
	key := fs.String("key", "", "check the manifest's signature with this ed25519 public key (PKIX PEM)")
	sig := fs.String("signature", "", "the DSSE envelope -key checks (default: "+signatureName+" beside the manifest)")
	fs.DurationVar(&x.lockTimeout, "lock-timeout", 0, "wait this long for another run's workspace lock (0: wait forever)")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	path, ws, err := verifyTarget(x.positional)
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	var problems []string
	var m *manifest.Manifest
	checked, note := "", ""
	if *key != "" {
		if *sig == "" {
			*sig = filepath.Join(filepath.Dir(path), signatureName)
		}
		signed, who, more, err := verifySignature(ctx, path, *sig, *key)
		if err != nil {
			return a.fail(x.json, "%v", err)
		}
		m, problems = signed, more
		checked = "signature by " + who + ", "
	} else {
		var err error
		if m, err = manifest.Read(path); err != nil {
			return a.fail(x.json, "%v", err)
		}
	}
	for _, p := range manifest.Verify(filepath.Dir(path), m) {
		problems = append(problems, p.String())
	}
	checked += fmt.Sprintf("%d files", len(m.Subject))
	where := pf.where(ws)
	var p *engine.Pipeline
	if where != "" || x.reproduce {
		// One load serves both checks, with the variables as recorded (a
		// -var given to apply is how the results were made, not a change
		// of the workspace) and then verify's own -var arguments.
		x.positional = cmp.Or(where, pf.path, ws, ".")
		x.vars = append(recordedVars(m), x.vars...)
		if p = a.load(&x); p == nil {
			return 1
		}
	}
	if where != "" {
		problems = append(problems, comparePipeline(p, m)...)
		note = "The workspace's pipeline files and inputs are the ones the results were made from."
	}
	if x.reproduce {
		// The pipeline comparison above already named changed input files.
		n, more, code := a.reproduce(ctx, &x, p, m, where == "")
		if code != 0 {
			return code
		}
		problems = append(problems, more...)
		checked += fmt.Sprintf(", %d stages reproduced", n)
	}
	code := a.verdict(x.json, path, checked, problems)
	if code == 0 && note != "" && !x.json {
		fmt.Fprintln(a.stdout, note)
	}
	return code
}

// verifySignature checks the DSSE envelope at sigPath with the public key
// at keyPath and returns the signed manifest (what the other checks then
// use), the key's id, and a problem when the manifest file at path is not
// the signed statement.
func verifySignature(ctx context.Context, path, sigPath, keyPath string) (*manifest.Manifest, string, []string, error) {
	pub, err := attest.ReadPublicKey(keyPath)
	if err != nil {
		return nil, "", nil, err
	}
	env, err := os.ReadFile(sigPath)
	if err != nil {
		return nil, "", nil, fmt.Errorf("signature: %w", err)
	}
	payload, err := attest.Verify(ctx, env, pub)
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s: %w", sigPath, err)
	}
	m, err := manifest.Parse(payload)
	if err != nil {
		return nil, "", nil, fmt.Errorf("%s: the signed statement: %w", sigPath, err)
	}
	var problems []string
	if b, err := os.ReadFile(path); err != nil || !bytes.Equal(b, payload) {
		problems = append(problems, fmt.Sprintf("%s: differs from the signed statement in %s (the files are checked against the signed one)", path, sigPath))
	}
	id, _ := attest.KeyID(pub)
	return m, id, problems, nil
}

// verdict prints the problems found, or that all is well.
func (a *app) verdict(asJSON bool, path, checked string, problems []string) int {
	if asJSON {
		if problems == nil {
			problems = []string{}
		}
		json.NewEncoder(a.stdout).Encode(map[string]any{"type": "verify", "manifest": path,
			"ok": len(problems) == 0, "problems": problems})
	} else {
		for _, p := range problems {
			fmt.Fprintln(a.stdout, p)
		}
		if len(problems) == 0 {
			fmt.Fprintf(a.stdout, "Verified %s: %s, all identical.\n", path, checked)
		} else {
			fmt.Fprintf(a.stdout, "Verification of %s failed: %d problems.\n", path, len(problems))
		}
	}
	if len(problems) > 0 {
		return 1
	}
	return 0
}

// reproduce re-runs the deterministic stages of p (loaded with the
// recorded variables) and compares their outputs with the manifest (and,
// with inputs, the input files they read). It
// returns how many stages it compared, the mismatches, and a non-zero
// exit code when it could not run at all.
func (a *app) reproduce(ctx context.Context, x *args, p *engine.Pipeline, m *manifest.Manifest, inputs bool) (int, []string, int) {
	ws, err := a.open(x, p)
	if err != nil {
		return 0, nil, a.fail(x.json, "%v", err)
	}
	unlock, err := a.lock(ctx, ws, x.lockTimeout)
	if err != nil {
		return 0, nil, a.fail(x.json, "lock workspace: %v", err)
	}
	defer unlock()
	scratchDir, err := os.MkdirTemp(ws.meta, "reproduce-")
	if err != nil {
		return 0, nil, a.fail(x.json, "scratch cache: %v", err)
	}
	defer os.RemoveAll(scratchDir)
	scratch, err := cache.Open(scratchDir, cache.Options{Log: ws.opts.Log})
	if err != nil {
		return 0, nil, a.fail(x.json, "scratch cache: %v", err)
	}
	ws.opts.TempDir = filepath.Join(scratchDir, "tmp")
	out, err := engine.Reproduce(ctx, p, ws.opts, engine.NewCacheStore(scratch))
	ws.saveMemo(a)
	if err != nil {
		return 0, nil, a.fail(x.json, "%v", err)
	}
	n, problems := compareReproduced(m, out)
	if inputs {
		problems = append(changedInputs(m, out), problems...)
	}
	return n, problems, 0
}

// recordedVars turns the manifest's variable values back into -var
// arguments, so a reproduction uses what the apply used.
func recordedVars(m *manifest.Manifest) []engine.VarArg {
	var vars []engine.VarArg
	for name, raw := range m.Predicate.BuildDefinition.ExternalParameters.Variables {
		value := string(raw)
		var s string
		if json.Unmarshal(raw, &s) == nil {
			value = s
		}
		vars = append(vars, engine.VarArg{Name: name, Value: value})
	}
	return vars
}

// compareReproduced checks each deterministic stage's reproduced outputs
// against the manifest's subjects (a folder output file by file).
func compareReproduced(m *manifest.Manifest, out *engine.Outcome) (int, []string) {
	// stage -> output -> file within the output ("" for a file output) -> sha256
	recorded := map[string]map[string]map[string]string{}
	for _, st := range out.Stages {
		recorded[st.Stage.Addr] = map[string]map[string]string{}
	}
	for _, s := range m.Subject {
		outs := recorded[s.Annotations.Stage]
		if outs == nil {
			continue
		}
		if outs[s.Annotations.Output] == nil {
			outs[s.Annotations.Output] = map[string]string{}
		}
		outs[s.Annotations.Output][s.Name] = s.Digest["sha256"]
	}
	var problems []string
	n := 0
	for _, s := range out.Stages {
		addr := s.Stage.Addr
		switch {
		case !s.Stage.Kind.Info().Deterministic:
			if s.Status == engine.StatusExecuted {
				problems = append(problems, addr+": the recorded measurement is not in the cache, so it was measured again")
			}
			continue
		case s.Status == engine.StatusFailed || s.Status == engine.StatusSkipped || s.Status == engine.StatusCancelled:
			problems = append(problems, fmt.Sprintf("%s: could not be reproduced: %s", addr, reason(s)))
			continue
		}
		n++
		for _, f := range engine.ResultFiles(&engine.Outcome{Stages: []*engine.StageOutcome{s}}) {
			want, ok := recorded[addr][f.Output.Name]
			if !ok {
				continue
			}
			got, err := reproducedFiles(f, s.Artifacts[f.Output.Name].Path)
			if err != nil {
				problems = append(problems, fmt.Sprintf("%s output %s: %v", addr, f.Output.Name, err))
				continue
			}
			problems = append(problems, diffFiles(addr, f.Output.Name, want, got)...)
		}
	}
	return n, problems
}

// reproducedFiles lists a reproduced output as result path -> sha256.
func reproducedFiles(f engine.ResultFile, path string) (map[string]string, error) {
	if !f.Output.Dir {
		return map[string]string{f.Path: f.Output.SHA256}, nil
	}
	got := map[string]string{}
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		sha, _, err := cache.HashFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(path, p)
		got[f.Path+"/"+filepath.ToSlash(rel)] = sha
		return err
	})
	return got, err
}

// diffFiles names every file whose reproduced bytes differ from the record.
func diffFiles(addr, output string, want, got map[string]string) []string {
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(want)) {
		switch g, ok := got[name]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("%s output %s: %s was not reproduced", addr, output, name))
		case g != want[name]:
			problems = append(problems, fmt.Sprintf("%s output %s: %s recorded %s, reproduced %s", addr, output, name, want[name], g))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[name]; !ok {
			problems = append(problems, fmt.Sprintf("%s output %s: %s is new", addr, output, name))
		}
	}
	return problems
}

func reason(s *engine.StageOutcome) string {
	if s.Err != nil {
		return s.Err.Error()
	}
	return s.Status + " " + s.Reason
}
