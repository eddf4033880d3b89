package rapl

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
)

// Skipped is a zone that counts towards no domain, or one that cannot be
// read, and why.
type Skipped struct {
	// Dir is the zone's folder, e.g. "intel-rapl:0:0".
	Dir string
	// Name is the zone's name, e.g. "core".
	Name string
	// Domain is the domain the zone would count towards, "" if none.
	Domain string
	// Why says why it is left out.
	Why string
	// Err is the read error for a zone that would count but cannot be
	// read (a permission error wraps fs.ErrPermission); nil otherwise.
	Err error
}

// Found is what Discover saw under a powercap root.
type Found struct {
	// Zones are the readable zones, each counted once, sorted by Dir.
	Zones []*Zone
	// Skipped are the zones left out, sorted by Dir.
	Skipped []Skipped
}

// zoneDir matches a zone folder: "intel-rapl:0" (top level) or
// "intel-rapl:0:1" (a subzone of intel-rapl:0).
var zoneDir = regexp.MustCompile(`^([a-z-]+):(\d+)(?::(\d+))?$`)

// Discover lists the zones under fsys, the powercap root (use
// os.DirFS("/sys/class/powercap")). The rules, so nothing is counted
// twice:
//   - a top-level "package-N" zone counts towards cpu_package; its
//     "core" and "uncore" subzones are parts of it and are skipped;
//   - a "dram" zone, top-level or a package's subzone, counts towards dram;
//   - "psys" (the whole platform, packages included) is skipped;
//   - the same package seen through a second interface (intel-rapl-mmio
//     beside intel-rapl) is skipped as a duplicate.
//
// A zone that would count but whose counter cannot be read is Skipped
// with its error. A missing root is an error wrapping fs.ErrNotExist.
func Discover(fsys fs.FS) (Found, error) {
	ents, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return Found{}, fmt.Errorf("list powercap zones: %w", err)
	}
	var dirs []string
	for _, e := range ents {
		if zoneDir.MatchString(e.Name()) {
			dirs = append(dirs, e.Name())
		}
	}
	// MSR "intel-rapl" sorts before "intel-rapl-mmio", so the MMIO copy
	// of a package is the one found to be a duplicate.
	sort.Slice(dirs, func(i, j int) bool { return dirKey(dirs[i]) < dirKey(dirs[j]) })
	var f Found
	counted := map[string]string{} // "package-0" or "package-0/dram" -> dir
	for _, dir := range dirs {
		name, err := fs.ReadFile(fsys, dir+"/name")
		if err != nil {
			f.Skipped = append(f.Skipped, Skipped{Dir: dir, Why: "no readable name", Err: err})
			continue
		}
		z := &Zone{Dir: dir, Name: strings.TrimSpace(string(name)), fsys: fsys}
		key, why := classify(fsys, z)
		if why == "" {
			if prev, ok := counted[key]; ok {
				why = "duplicate of " + prev
			}
		}
		if why != "" {
			f.Skipped = append(f.Skipped, Skipped{Dir: dir, Name: z.Name, Why: why})
			continue
		}
		if _, err := z.EnergyUJ(); err != nil {
			f.Skipped = append(f.Skipped, Skipped{Dir: dir, Name: z.Name, Domain: z.Domain, Why: "unreadable counter", Err: err})
			continue
		}
		if z.MaxRangeUJ, err = readUint(fsys, dir+"/max_energy_range_uj"); err != nil {
			z.MaxRangeUJ = 0 // no range: a decrease is read as a reset
		}
		counted[key] = dir
		f.Zones = append(f.Zones, z)
	}
	sort.Slice(f.Zones, func(i, j int) bool { return f.Zones[i].Dir < f.Zones[j].Dir })
	sort.Slice(f.Skipped, func(i, j int) bool { return f.Skipped[i].Dir < f.Skipped[j].Dir })
	return f, nil
}

// classify sets z.Domain and returns the key that identifies what the zone
// measures, or a reason to skip it.
func classify(fsys fs.FS, z *Zone) (key, why string) {
	m := zoneDir.FindStringSubmatch(z.Dir)
	sub := m[3] != ""
	switch {
	case !sub && strings.HasPrefix(z.Name, "package-"):
		z.Domain = DomainPackage
		return z.Name, ""
	case z.Name == "dram" && !sub:
		z.Domain = DomainDRAM
		return "dram:" + m[2], ""
	case z.Name == "dram":
		parent, err := fs.ReadFile(fsys, m[1]+":"+m[2]+"/name")
		if err != nil {
			return "", "dram subzone of an unnamed parent"
		}
		z.Domain = DomainDRAM
		return strings.TrimSpace(string(parent)) + "/dram", ""
	case z.Name == "psys":
		return "", "platform zone includes the packages"
	case sub && (z.Name == "core" || z.Name == "uncore"):
		return "", "part of its package, already counted"
	default:
		return "", "not a package or dram zone"
	}
}

// dirKey orders zone folders by interface then by numeric indices, with
// the plain interface before its variants.
func dirKey(dir string) string {
	m := zoneDir.FindStringSubmatch(dir)
	return fmt.Sprintf("%s\x00%06s\x00%06s", m[1], m[2], m[3])
}
