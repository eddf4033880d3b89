package telemetry

// Environment describes what the recorder measures with, for the
// benchmark's recorded environment: keys "nvml.driver_version",
// "nvml.nvml_version", "nvml.gpuN.name", "nvml.gpuN.power_limit_w", ...,
// "rapl.zone.DIR" and "rapl.skipped.DIR" (what each powercap zone counts
// towards or why not), "telemetry.interval", "telemetry.model_cpu_tdp_w"
// when modeling, and "domain.NAME" (source, and reason if any).
func (r *Recorder) Environment() map[string]string {
	out := make(map[string]string, len(r.env)+3)
	for k, v := range r.env {
		out[k] = v
	}
	for _, d := range r.Domains() {
		s := d.Source
		if d.Reason != "" {
			s += ": " + d.Reason
		}
		out["domain."+d.Name] = s
	}
	return out
}
