package rapl

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// denyFS returns a permission error for one file, as sysfs does for
// energy_uj to a non-root user (tests may run as root, which a real
// chmod would not stop).
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

func zoneList(zs []*Zone) string {
	var s []string
	for _, z := range zs {
		s = append(s, z.Dir+"="+z.Name+"@"+z.Domain)
	}
	return strings.Join(s, " ")
}

func skipList(sk []Skipped) string {
	var s []string
	for _, z := range sk {
		s = append(s, z.Dir+"="+z.Why)
	}
	return strings.Join(s, " ")
}

func TestDiscover(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fs.FS
		zones string
		skip  string
	}{
		{
			name:  "intel two sockets",
			fsys:  os.DirFS("testdata/intel"),
			zones: "intel-rapl:0=package-0@cpu_package intel-rapl:0:2=dram@dram intel-rapl:1=package-1@cpu_package intel-rapl:1:0=dram@dram",
			skip: "intel-rapl-mmio:0=duplicate of intel-rapl:0 intel-rapl:0:0=part of its package, already counted " +
				"intel-rapl:0:1=part of its package, already counted intel-rapl:2=platform zone includes the packages",
		},
		{
			name:  "amd",
			fsys:  os.DirFS("testdata/amd"),
			zones: "intel-rapl:0=package-0@cpu_package",
			skip:  "intel-rapl:0:0=part of its package, already counted",
		},
		{
			name:  "permission denied",
			fsys:  denyFS{os.DirFS("testdata/intel"), "intel-rapl:1/energy_uj"},
			zones: "intel-rapl:0=package-0@cpu_package intel-rapl:0:2=dram@dram intel-rapl:1:0=dram@dram",
			skip: "intel-rapl-mmio:0=duplicate of intel-rapl:0 intel-rapl:0:0=part of its package, already counted " +
				"intel-rapl:0:1=part of its package, already counted intel-rapl:1=unreadable counter " +
				"intel-rapl:2=platform zone includes the packages",
		},
		{
			name: "empty",
			fsys: fstest.MapFS{"README": {Data: []byte("x")}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Discover(tc.fsys)
			if err != nil {
				t.Fatal(err)
			}
			if got := zoneList(f.Zones); got != tc.zones {
				t.Errorf("zones:\n got %s\nwant %s", got, tc.zones)
			}
			if got := skipList(f.Skipped); got != tc.skip {
				t.Errorf("skipped:\n got %s\nwant %s", got, tc.skip)
			}
		})
	}
}

func TestPermissionError(t *testing.T) {
	f, err := Discover(denyFS{os.DirFS("testdata/intel"), "intel-rapl:1/energy_uj"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range f.Skipped {
		if s.Dir != "intel-rapl:1" {
			continue
		}
		if s.Domain != DomainPackage || !errors.Is(s.Err, fs.ErrPermission) || !strings.Contains(s.Err.Error(), "permission denied") {
			t.Fatalf("skipped = %+v, want a cpu_package permission error", s)
		}
		return
	}
	t.Fatal("intel-rapl:1 not reported")
}

func TestMissingRoot(t *testing.T) {
	_, err := Discover(os.DirFS(filepath.Join(t.TempDir(), "absent")))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want not-exist", err)
	}
}

func TestEnergyUJ(t *testing.T) {
	dir := t.TempDir()
	zd := filepath.Join(dir, "intel-rapl:0")
	if err := os.MkdirAll(zd, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(name, v string) {
		if err := os.WriteFile(filepath.Join(zd, name), []byte(v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("name", "package-0")
	write("energy_uj", "100")
	write("max_energy_range_uj", "1000")
	f, err := Discover(os.DirFS(dir))
	if err != nil || len(f.Zones) != 1 {
		t.Fatalf("discover: %v %+v", err, f)
	}
	z := f.Zones[0]
	if z.MaxRangeUJ != 1000 {
		t.Errorf("max range = %d", z.MaxRangeUJ)
	}
	write("energy_uj", "garbage")
	if _, err := z.EnergyUJ(); err == nil || !strings.Contains(err.Error(), "intel-rapl:0/energy_uj") {
		t.Errorf("bad counter: err = %v, want one naming the file", err)
	}
}
