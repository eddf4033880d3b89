package telemetry

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/tr119/tr119/telemetry/rapl"
)

// openGPU opens the GPU library and finds what each GPU supports.
func (r *Recorder) openGPU() {
	lib, err := r.opts.NVML()
	if err != nil {
		r.setDomain(DomainGPU, "", "nvml: "+err.Error())
		return
	}
	r.gpuLib = lib
	for k, v := range lib.Info() {
		r.env["nvml."+k] = v
	}
	var reasons []string
	all := SourceCounter
	for i, d := range lib.GPUs() {
		g := &gpuState{name: "gpu" + strconv.Itoa(i), dev: d}
		_, cerr := d.EnergyMJ()
		_, serr := d.PowerSamples()
		g.counter, g.samples = cerr == nil, serr == nil
		switch {
		case g.counter:
		case g.samples:
			all = SourceSamples
		default:
			reasons = append(reasons, fmt.Sprintf("%s: %v; %v", g.name, cerr, serr))
		}
		r.gpus = append(r.gpus, g)
	}
	switch {
	case len(r.gpus) == 0:
		r.setDomain(DomainGPU, "", "nvml: no GPU")
	case len(reasons) > 0:
		r.setDomain(DomainGPU, "", "nvml: "+strings.Join(reasons, "; "))
	default:
		r.setDomain(DomainGPU, all, "")
	}
}

// openRAPL discovers the powercap zones and sets the cpu_package and dram
// domains (modeled cpu_package when asked and RAPL cannot give it).
func (r *Recorder) openRAPL() {
	root := r.opts.PowercapRoot
	if root == "" {
		root = "/sys/class/powercap"
	}
	fsys := r.opts.PowercapFS
	if fsys == nil {
		fsys = os.DirFS(root)
	}
	found, err := rapl.Discover(fsys)
	why := map[string]string{}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why[DomainCPUPackage] = "no powercap at " + root + " (no RAPL here)"
		why[DomainDRAM] = why[DomainCPUPackage]
	case err != nil:
		why[DomainCPUPackage], why[DomainDRAM] = err.Error(), err.Error()
	}
	for _, s := range found.Skipped {
		r.env["rapl.skipped."+s.Dir] = s.Name + ": " + s.Why
		if s.Err != nil && s.Domain != "" {
			why[s.Domain] = s.Err.Error() // one unreadable zone spoils the sum
		}
	}
	count := map[string]int{}
	for _, z := range found.Zones {
		r.env["rapl.zone."+z.Dir] = z.Name + " -> " + z.Domain
		r.zones = append(r.zones, &zoneState{z: z, first: true})
		count[z.Domain]++
	}
	for _, d := range []string{DomainCPUPackage, DomainDRAM} {
		switch {
		case why[d] != "":
		case count[d] == 0:
			why[d] = "no RAPL " + d + " zone under " + root
		default:
			r.setDomain(d, SourceCounter, "")
			continue
		}
		r.setDomain(d, "", why[d])
	}
	if tdp := r.opts.ModelCPUTDPWatts; tdp > 0 && !r.domains[DomainCPUPackage].Available {
		if _, err := r.proc.CPU(); err != nil {
			r.setDomain(DomainCPUPackage, "", why[DomainCPUPackage]+"; no model: "+err.Error())
			return
		}
		r.env["telemetry.model_cpu_tdp_w"] = strconv.FormatFloat(tdp, 'f', -1, 64)
		r.setDomain(DomainCPUPackage, SourceModeled, fmt.Sprintf("modeled: %g W TDP x system CPU utilisation (%s)", tdp, why[DomainCPUPackage]))
	}
}

func (r *Recorder) setDomain(name, source, reason string) {
	if source == "" {
		source = SourceUnavailable
	}
	r.domains[name] = DomainStatus{Name: name, Available: source != SourceUnavailable, Source: source, Reason: reason}
}
