package benchmark

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/buildinfo"
)

// environment is what a stage measured on, as ordered key/value pairs.
// Its id hashes the machine and software fields (not timings, not
// locations), so runs measured on the same setup share it.
type environment map[string]string

// idKeys are the stage's own fields the environment id covers; every
// "<backend>.<key>" runtime entry (version, library hash, threads, ...)
// is covered too, locations excepted.
var idKeys = []string{"cpu_model", "cpu_cores", "memory_bytes", "os", "kernel", "go_version",
	"backend", "runtime_version", "provider", "device", "model_sha256", "tr119_version", "gpu", "gpu_driver"}

// locationKeys lists, comma-separated, the entries that are locations
// (library, interpreter paths): recorded, outside the id.
const locationKeys = "location_keys"

// location marks key as a location.
func (e environment) location(key string) {
	if e[locationKeys] != "" {
		e[locationKeys] += ","
	}
	e[locationKeys] += key
}

func (e environment) id() string {
	h := sha256.New()
	for _, k := range idKeys {
		h.Write([]byte(k + "=" + e[k] + "\n"))
	}
	locs := map[string]bool{}
	for _, k := range strings.Split(e[locationKeys], ",") {
		locs[k] = true
	}
	prefix := e["backend"] + "."
	for _, k := range e.keys() {
		if strings.HasPrefix(k, prefix) && !locs[k] {
			h.Write([]byte(k + "=" + e[k] + "\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// plain returns the entries as a plain map (the engine's Result).
func (e environment) plain() map[string]string { return map[string]string(e) }

func (e environment) keys() []string {
	ks := make([]string, 0, len(e))
	for k := range e {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// hostEnvironment describes the machine: the engine's reading of it
// (the same facts plan compares), plus kernel and driver versions.
func hostEnvironment() environment {
	m := engine.ReadMachine("/proc")
	e := environment{
		"os":            m.OS + "/" + m.Arch,
		"go_version":    runtime.Version(),
		"cpu_cores":     strconv.Itoa(m.Cores),
		"cpu_model":     m.CPU,
		"memory_bytes":  strconv.FormatInt(m.MemoryBytes, 10),
		"tr119_version": buildinfo.Version(),
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		e["kernel"] = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/driver/nvidia/version"); err == nil {
		e["gpu_driver"] = strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	}
	if len(m.GPUs) > 0 {
		e["gpu"] = strings.Join(m.GPUs, ", ")
	}
	return e
}
