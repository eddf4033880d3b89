package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tr119/tr119/manifest"
)

// campaignPipeline has a folder output (a tiny synthetic model), file
// outputs whose bytes change with var.round, and a stage var.fail fails.
const campaignPipeline = `
variable "round" {
  type    = string
  default = "0"
}
variable "fail" {
  type    = bool
  default = false
}
stage "model" "m" {
  source = "synthetic"
  preset = "tiny"
  seed   = 42
}
stage "echo" "a" { text = "a${var.round}" }
stage "echo" "b" {
  text   = "b"
  inputs = [stage.echo.a.out]
}
stage "echo" "c" {
  text = "c"
  fail = var.fail
}
stage "echo" "d" { inputs = [stage.echo.c.out] }
`

// campaign runs tr119 (the test binary as the tr119 command) in one
// workspace and checks the invariants of issue 9 after every step.
type campaign struct {
	t      *testing.T
	bin    string
	dir    string
	rng    *rand.Rand
	counts map[string]int
	// want maps a round to every result file's bytes after a clean apply
	// of that round: later clean applies must give the same bytes.
	want map[string]map[string]string
	// tampered are the result files damaged since the last clean apply.
	tampered map[string]bool
}

// TestCampaign kills applies at random points (SIGKILL), tampers with
// results (flipped bytes with the modification time kept, stray files,
// links to identical content, deleted files) and fails stages, and
// checks after each step that no result is lost, that a completed apply
// serves the right bytes and verifies, and that verify catches tampering.
// TR119_CAMPAIGN=N runs N steps (default 12).
func TestCampaign(t *testing.T) {
	bin, err := exec.LookPath("tr119")
	if err != nil {
		t.Skip("tr119 test command not on PATH")
	}
	steps := 12
	if n, err := strconv.Atoi(os.Getenv("TR119_CAMPAIGN")); err == nil && n > 0 {
		steps = n
	} else if testing.Short() {
		steps = 6
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	c := &campaign{t: t, bin: bin, dir: t.TempDir(), rng: rand.New(rand.NewPCG(seed, 1)),
		counts: map[string]int{}, want: map[string]map[string]string{}, tampered: map[string]bool{}}
	os.WriteFile(filepath.Join(c.dir, "pipeline.hcl"), []byte(campaignPipeline), 0o644)
	c.clean("0")
	for range steps {
		round := strconv.Itoa(c.rng.IntN(3))
		switch c.rng.IntN(4) {
		case 0:
			c.killed(round)
		case 1:
			c.tamper()
		case 2:
			c.failing(round)
		default:
			c.clean(round)
		}
	}
	c.clean("0")
	t.Logf("campaign: %v", c.counts)
}

// run runs tr119 in the workspace and returns its output and exit code.
func (c *campaign) run(args ...string) (string, int) {
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		c.t.Fatal(err)
	}
	return string(out), code
}

// clean applies to completion and checks the results.
func (c *campaign) clean(round string) {
	c.t.Helper()
	c.counts["clean apply"]++
	if out, code := c.run("apply", "-var", "round="+round); code != 0 {
		c.t.Fatalf("apply round %s: exit %d\n%s", round, code, out)
	}
	c.verify(true)
	c.tampered = map[string]bool{}
	got := c.results()
	if want, ok := c.want[round]; ok {
		for name, sha := range want {
			if got[name] != sha {
				c.t.Fatalf("round %s: %s holds %.12s, an earlier clean apply gave %.12s", round, name, got[name], sha)
			}
		}
		if len(got) != len(want) {
			c.t.Fatalf("round %s: %d result files, an earlier clean apply gave %d", round, len(got), len(want))
		}
	}
	c.want[round] = got
}

// killed starts an apply and kills it at a random moment; no result the
// manifest lists may be missing afterwards that was there before.
func (c *campaign) killed(round string) {
	c.t.Helper()
	c.counts["killed apply"]++
	missing := map[string]bool{}
	for _, p := range c.problems() {
		if p.Kind == manifest.ProblemMissing || p.Kind == manifest.ProblemSymlink {
			missing[p.Path] = true // a tamper step's doing
		}
	}
	args := []string{"apply", "-var", "round=" + round}
	if c.rng.IntN(2) == 0 {
		args = append(args, "-replace", "stage.model.m") // more to place
	}
	cmd := exec.Command(c.bin, args...)
	cmd.Dir = c.dir
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	time.Sleep(time.Duration(c.rng.IntN(400)) * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	for _, p := range c.problems() {
		if p.Kind == manifest.ProblemMissing && !missing[p.Path] && !missing[path.Dir(p.Path)] {
			c.t.Fatalf("after a killed apply: %s", p)
		}
	}
}

// failing applies with a failing stage: every result stays.
func (c *campaign) failing(round string) {
	c.t.Helper()
	c.counts["failing apply"]++
	before := c.subjects()
	if out, code := c.run("apply", "-var", "round="+round, "-var", "fail=true"); code != 1 || !strings.Contains(out, "Apply failed") {
		c.t.Fatalf("failing apply: exit %d\n%s", code, out)
	}
	// A result damaged in place shared its bytes with the cache's only
	// copy; while its stage cannot run (its upstream fails) it cannot be
	// restored, and verify must say so. Nothing else may be wrong.
	for _, p := range c.problems() {
		if !c.tampered[p.Path] {
			c.t.Fatalf("after a failing apply: %s", p)
		}
		c.counts["irreparable while its stage cannot run, reported"]++
	}
	after := c.subjects()
	for name := range before {
		if !after[name] {
			c.t.Fatalf("a failed apply lost %s", name)
		}
	}
}

// tamper damages the results one way; verify must fail.
func (c *campaign) tamper() {
	c.t.Helper()
	names := slices.Sorted(maps.Keys(c.subjects()))
	if len(names) == 0 {
		return
	}
	name := names[c.rng.IntN(len(names))]
	c.tampered[name] = true
	p := filepath.Join(c.dir, "results", filepath.FromSlash(name))
	switch c.rng.IntN(4) {
	case 0:
		c.counts["tamper: byte flipped, mtime kept"]++
		st, err := os.Stat(p)
		if err != nil || st.Size() == 0 {
			return
		}
		b, _ := os.ReadFile(p)
		b[c.rng.IntN(len(b))] ^= 0x20
		f, _ := os.OpenFile(p, os.O_WRONLY, 0)
		f.WriteAt(b, 0)
		f.Close()
		os.Chtimes(p, st.ModTime(), st.ModTime())
	case 1:
		c.counts["tamper: stray file"]++
		os.WriteFile(filepath.Join(filepath.Dir(p), "extra.svg"), []byte("<svg/>"), 0o644)
	case 2:
		c.counts["tamper: link to identical content"]++
		b, _ := os.ReadFile(p)
		copyPath := filepath.Join(c.dir, "elsewhere-"+strconv.Itoa(c.rng.Int()))
		os.WriteFile(copyPath, b, 0o644)
		os.Remove(p)
		os.Symlink(copyPath, p)
	default:
		c.counts["tamper: file deleted"]++
		os.Remove(p)
	}
	c.verify(false)
}

// verify runs tr119 verify and checks its verdict.
func (c *campaign) verify(ok bool) {
	c.t.Helper()
	c.counts["verify"]++
	out, code := c.run("verify", "-pipeline=false")
	if (code == 0) != ok {
		c.t.Fatalf("verify exit %d, want ok=%v\n%s", code, ok, out)
	}
}

// problems verifies in process, for a closer look.
func (c *campaign) problems() []manifest.Problem {
	dir := filepath.Join(c.dir, "results")
	m, err := manifest.Read(filepath.Join(dir, "manifest.json"))
	if err != nil {
		c.t.Fatalf("manifest: %v", err)
	}
	return manifest.Verify(dir, m)
}

// subjects lists the manifest's result files.
func (c *campaign) subjects() map[string]bool {
	m, err := manifest.Read(filepath.Join(c.dir, "results", "manifest.json"))
	if err != nil {
		c.t.Fatalf("manifest: %v", err)
	}
	names := map[string]bool{}
	for _, s := range m.Subject {
		names[s.Name] = true
	}
	return names
}

// results hashes every file under results/ but the manifest.
func (c *campaign) results() map[string]string {
	dir := filepath.Join(c.dir, "results")
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "manifest.json" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = hex.EncodeToString(sum[:])
		return nil
	})
	return got
}

// TestFullDiskCampaign puts the results folder on a small tmpfs (root
// only) and applies a pipeline whose results do not fit: the apply fails
// with the disk full, and the previous results and manifest stay intact.
func TestFullDiskCampaign(t *testing.T) {
	bin, err := exec.LookPath("tr119")
	if err != nil {
		t.Skip("tr119 test command not on PATH")
	}
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs (root only): %v %s", err, out)
	}
	defer exec.Command("umount", mnt).Run()
	dir := t.TempDir()
	results := filepath.Join(mnt, "results")
	run := func(src string) (string, int) {
		os.WriteFile(filepath.Join(dir, "pipeline.hcl"), []byte(src), 0o644)
		cmd := exec.Command(bin, "apply", "-out", results)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); ok {
			return string(out), ee.ExitCode()
		}
		return string(out), 0
	}
	small := "stage \"echo\" \"a\" { text = \"small\" }\nstage \"echo\" \"b\" { text = \"b\" }\n"
	if out, code := run(small); code != 0 {
		t.Fatalf("first apply: %d\n%s", code, out)
	}
	before, _ := os.ReadFile(filepath.Join(results, "manifest.json"))
	// A model (a few MB) does not fit in 1 MB; a changes, b goes.
	big := "stage \"echo\" \"a\" { text = \"changed\" }\n" +
		"stage \"model\" \"m\" {\n  source = \"synthetic\"\n  preset = \"tiny\"\n  seed   = 42\n}\n"
	out, code := run(big)
	if code == 0 || !strings.Contains(out, "no space left on device") || !strings.Contains(out, "previous results and manifest are unchanged") {
		t.Fatalf("apply to a full disk: exit %d\n%s", code, out)
	}
	after, _ := os.ReadFile(filepath.Join(results, "manifest.json"))
	if !bytes.Equal(before, after) {
		t.Fatal("the manifest changed")
	}
	m, err := manifest.Read(filepath.Join(results, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if probs := manifest.Verify(results, m); len(probs) != 0 {
		t.Fatalf("previous results damaged: %v", probs)
	}
	var left []string
	filepath.WalkDir(results, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), ".") {
			left = append(left, p)
		}
		return nil
	})
	if len(left) > 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}
