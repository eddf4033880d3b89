package runs

// Rows is the part of the runs table that analysis reads, one slice per
// column, all of the same length. Valid slices say which values are not
// null. Row numbers in errors are 1-based data rows. Reason, PromptIndex
// and WindowCalls are informational and may be left empty by a reader;
// so may a Domain's energy columns that the energy basis does not use,
// and its Samples outside validation.
type Rows struct {
	RunID       []string
	Backend     []string
	Scenario    []string
	Mode        []string
	DeviceClass []string
	BatchSize   []int64
	SeqLen      []int64
	Repetition  []int64
	PromptIndex []int64
	Tokens      []int64
	Warmup      []bool
	DriftCheck  []bool
	Status      []string
	Reason      []string

	LatencyMS, Throughput         []float64
	LatencyValid, ThroughputValid []bool
	WindowCalls                   []int64
	Domains                       []Domain

	// SystemCPUUtil and ProcessCPUS are runs/v2's machine-wide CPU
	// utilisation over a row's window and the backend's CPU seconds per
	// call, NaN where not recorded; a reader that does not need them
	// leaves both empty.
	SystemCPUUtil, ProcessCPUS []float64
}

// Domain holds one power domain's columns (gpu, cpu_package, dram).
type Domain struct {
	Name                                 string
	EnergyJ, ActiveJ, PowerW             []float64
	EnergyValid, ActiveValid, PowerValid []bool
	Samples                              []int64
	Source, SourceReason                 []string
}

// Len is the number of rows.
func (r *Rows) Len() int { return len(r.Backend) }

// Domain returns the named domain's columns, or nil.
func (r *Rows) Domain(name string) *Domain {
	for i := range r.Domains {
		if r.Domains[i].Name == name {
			return &r.Domains[i]
		}
	}
	return nil
}
