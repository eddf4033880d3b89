package telemetry

import "github.com/tr119/tr119/artifacts"

// Power domains, as in the runs table.
const (
	DomainGPU        = artifacts.DomainGPU
	DomainCPUPackage = artifacts.DomainCPUPackage
	DomainDRAM       = artifacts.DomainDRAM
)

// Sources of an energy number, as in the runs table.
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
	out := make([]DomainStatus, 0, len(artifacts.Domains))
	for _, d := range artifacts.Domains {
		out = append(out, r.domains[d])
	}
	return out
}
