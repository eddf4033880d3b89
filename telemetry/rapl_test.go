package telemetry

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// denyFS returns a permission error for one file, as sysfs does for
// energy_uj to a non-root user (tests may run as root, whom a chmod would
// not stop).
type denyFS struct {
	fs.FS
	deny string
}

func (d denyFS) Open(name string) (fs.File, error) {
	if name == d.deny {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.FS.Open(name)
}

// copyTree copies the fake powercap tree so a test can move its counters.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

func setUJ(t *testing.T, root, zone string, uj string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(root, zone, "energy_uj"), []byte(uj+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The intel tree: package-0 (whose counter wraps), package-1, a dram
// subzone under each, core/uncore subzones, psys and an MMIO duplicate of
// package-0, none of which may be counted.
func TestRAPLAttribution(t *testing.T) {
	root := copyTree(t, "rapl/testdata/intel")
	// Readings at 0, 1, 2 s. package-0 wraps at 262143328850 µJ between
	// 0 and 1 s: 850 µJ to the top plus 999150 after = 1 J.
	steps := []map[string]string{
		{"intel-rapl:0": "262143328000", "intel-rapl:1": "0", "intel-rapl:0:2": "0", "intel-rapl:1:0": "0",
			"intel-rapl:0:0": "0", "intel-rapl:2": "0", "intel-rapl-mmio:0": "0"},
		{"intel-rapl:0": "999150", "intel-rapl:1": "2000000", "intel-rapl:0:2": "500000", "intel-rapl:1:0": "500000",
			"intel-rapl:0:0": "900000000", "intel-rapl:2": "900000000", "intel-rapl-mmio:0": "900000000"},
		{"intel-rapl:0": "1999150", "intel-rapl:1": "4000000", "intel-rapl:0:2": "1000000", "intel-rapl:1:0": "1000000",
			"intel-rapl:0:0": "1800000000", "intel-rapl:2": "1800000000", "intel-rapl-mmio:0": "1800000000"},
	}
	set := func(i int) {
		for z, v := range steps[i] {
			setUJ(t, root, z, v)
		}
	}
	set(0)
	c := &manualClock{}
	opts := quiet(t, failingOpener(os.ErrNotExist))
	opts.PowercapRoot = root
	r := manual(t, opts, c) // reads at 0 s
	for i := 1; i < len(steps); i++ {
		set(i)
		c.set(int64(i) * 1000 * ms)
		r.poll(pollTick)
	}
	tests := []struct {
		name   string
		t0, t1 int64
		pkg    float64 // package-0 + package-1
		dram   float64
		n      int
	}{
		{"across the wrap", 0, 1000 * ms, 1 + 2, 0.5 + 0.5, 0},
		{"whole", 0, 2000 * ms, 2 + 4, 1 + 1, 2 * 1},
		{"edges interpolated", 500 * ms, 1500 * ms, 1 + 2, 0.5 + 0.5, 2 * 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := r.Energy(Mark{tc.t0}, Mark{tc.t1})
			p, d := m[DomainCPUPackage], m[DomainDRAM]
			if p.Source != SourceCounter || d.Source != SourceCounter {
				t.Fatalf("sources %q %q (%s %s)", p.Source, d.Source, p.Reason, d.Reason)
			}
			approx(t, "cpu_package", p.EnergyJ, tc.pkg, 1e-9)
			approx(t, "dram", d.EnergyJ, tc.dram, 1e-9)
			if p.Samples != tc.n {
				t.Errorf("package updates %d, want %d", p.Samples, tc.n)
			}
		})
	}
	env := r.Environment()
	if !strings.Contains(env["rapl.skipped.intel-rapl-mmio:0"], "duplicate") || env["rapl.zone.intel-rapl:0:2"] != "dram -> dram" {
		t.Errorf("environment: %v", env)
	}
}

func TestRAPLPermissionDenied(t *testing.T) {
	c := &manualClock{}
	opts := quiet(t, failingOpener(os.ErrNotExist))
	opts.PowercapFS = denyFS{os.DirFS("rapl/testdata/intel"), "intel-rapl:1/energy_uj"}
	r := manual(t, opts, c)
	ds := r.Domains()
	if ds[1].Available || !strings.Contains(ds[1].Reason, "permission denied") || !strings.Contains(ds[1].Reason, "intel-rapl:1/energy_uj") {
		t.Errorf("cpu_package = %+v, want unavailable naming the unreadable file", ds[1])
	}
	if !ds[2].Available || ds[2].Source != SourceCounter {
		t.Errorf("dram = %+v, want measured (both dram zones read)", ds[2])
	}
	run(r, c, 500*ms)
	m := r.Energy(Mark{100 * ms}, Mark{400 * ms})[DomainCPUPackage]
	if m.Source != SourceUnavailable || m.EnergyJ != nil || !strings.Contains(m.Reason, "permission denied") {
		t.Errorf("cpu_package measurement %+v", m)
	}
}

// Modeled CPU power: TDP x utilisation from /proc/stat, labelled modeled,
// only when asked.
func TestModeledCPU(t *testing.T) {
	proc := t.TempDir()
	stat := func(busy, idle int) {
		s := []byte("cpu  " + strconv.Itoa(busy) + " 0 0 " + strconv.Itoa(idle) + " 0 0 0 0 0 0\n")
		if err := os.WriteFile(filepath.Join(proc, "stat"), s, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := &manualClock{}
	stat(0, 0)
	opts := quiet(t, failingOpener(os.ErrNotExist))
	opts.ProcRoot, opts.ModelCPUTDPWatts = proc, 100
	r := manual(t, opts, c)
	// Two CPUs for 1 s: 200 ticks, 50 busy -> 25% utilisation.
	stat(50, 150)
	c.set(1000 * ms)
	r.poll(pollTick)
	m := r.Energy(Mark{0}, Mark{1000 * ms})[DomainCPUPackage]
	if m.Source != SourceModeled || !strings.Contains(m.Reason, "modeled: 100 W TDP") {
		t.Fatalf("got %+v", m)
	}
	approx(t, "modeled", m.EnergyJ, 25, 1e-9)
	if d := r.Energy(Mark{0}, Mark{1000 * ms})[DomainDRAM]; d.Source != SourceUnavailable {
		t.Errorf("dram is never modeled: %+v", d)
	}
}
