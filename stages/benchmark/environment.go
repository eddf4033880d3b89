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
// Its id hashes the machine and software fields (not timings), so runs
// measured on the same setup share it.
type environment map[string]string

// idKeys are the fields the environment id covers.
var idKeys = []string{"cpu_model", "cpu_cores", "memory_bytes", "os", "kernel", "go_version",
	"onnxruntime_version", "provider", "device", "intra_op_threads", "inter_op_threads",
	"graph_optimization", "model_sha256", "tr119_version", "gpu", "gpu_driver"}

func (e environment) id() string {
	h := sha256.New()
	for _, k := range idKeys {
		h.Write([]byte(k + "=" + e[k] + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

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
