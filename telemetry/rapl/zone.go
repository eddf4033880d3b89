package rapl

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// Domains a zone counts towards (the same names as the runs table's).
const (
	DomainPackage = "cpu_package"
	DomainDRAM    = "dram"
)

// Zone is one powercap zone whose counter counts towards a domain.
type Zone struct {
	// Dir is the zone's folder under the powercap root, e.g. "intel-rapl:0".
	Dir string
	// Name is the zone's name file, e.g. "package-0" or "dram".
	Name string
	// Domain is DomainPackage or DomainDRAM.
	Domain string
	// MaxRangeUJ is the counter's max_energy_range_uj: it wraps to zero
	// after this value. 0 when the file is missing.
	MaxRangeUJ uint64

	fsys fs.FS
}

// EnergyUJ reads the zone's energy counter in microjoules. A permission
// error wraps fs.ErrPermission: since Linux 5.10 energy_uj is readable by
// root only.
func (z *Zone) EnergyUJ() (uint64, error) {
	return readUint(z.fsys, z.Dir+"/energy_uj")
}

// readUint reads a file holding one unsigned decimal number.
func readUint(fsys fs.FS, name string) (uint64, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return 0, fmt.Errorf("read %s: permission denied (energy_uj is root-only since Linux 5.10): %w", name, err)
		}
		return 0, fmt.Errorf("read %s: %w", name, err)
	}
	v, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("parse %s: %w", name, err)
	}
	return v, nil
}
