package telemetry

// Power domains: the same strings as artifacts.Domain* of the runs table
// (runs/v1). They are repeated here, not imported, so that telemetry
// builds on its own; a test holds them equal.
const (
	DomainGPU        = "gpu"
	DomainCPUPackage = "cpu_package"
	DomainDRAM       = "dram"
)

// domains lists the domains in the runs table's column order.
var domains = []string{DomainGPU, DomainCPUPackage, DomainDRAM}

// Sources of an energy number: the same strings as artifacts.Source*.
const (
	SourceCounter     = "measured_counter"
	SourceSamples     = "measured_samples"
	SourceModeled     = "modeled"
	SourceUnavailable = "unavailable"
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
