package telemetry

import "github.com/tr119/tr119/artifacts"

// Power domains: the runs table's (runs/v2) per-domain column prefixes.
const (
	DomainGPU        = artifacts.DomainGPU
	DomainCPUPackage = artifacts.DomainCPUPackage
	DomainDRAM       = artifacts.DomainDRAM
)

// domains lists the domains in the runs table's column order.
var domains = []string{DomainGPU, DomainCPUPackage, DomainDRAM}

// Sources of an energy number, as the runs table records them.
const (
	SourceCounter     = artifacts.SourceCounter
	SourceSamples     = artifacts.SourceSamples
	SourceModeled     = artifacts.SourceModeled
	SourceUnavailable = artifacts.SourceUnavailable
)

// DomainStatus says whether a power domain is measured, how, and if not,
// why.
type DomainStatus struct {
	// Name is "gpu", "cpu_package" or "dram".
	Name string
	// Available is true when energy can be attributed (measured or,
	// when asked for, modeled).
	Available bool
	// Source is the best source the domain offers: SourceCounter,
	// SourceSamples, SourceModeled or SourceUnavailable.
	Source string
	// Reason says why a domain is unavailable or modeled ("nvml: load
	// libnvidia-ml.so.1: not found"); "" when measured.
	Reason string
}

// Domains returns the status of every domain, in the runs table's order.
func (r *Recorder) Domains() []DomainStatus {
	out := make([]DomainStatus, 0, len(domains))
	for _, d := range domains {
		out = append(out, r.domains[d])
	}
	return out
}
