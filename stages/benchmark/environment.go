package benchmark

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

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

// hostEnvironment reads the machine's description from procfs.
func hostEnvironment() environment {
	e := environment{
		"os":         runtime.GOOS + "/" + runtime.GOARCH,
		"go_version": runtime.Version(),
		"cpu_cores":  strconv.Itoa(runtime.NumCPU()),
	}
	e["cpu_model"] = procField("/proc/cpuinfo", "model name")
	if kb := procField("/proc/meminfo", "MemTotal"); kb != "" {
		if n, err := strconv.ParseInt(strings.Fields(kb)[0], 10, 64); err == nil {
			e["memory_bytes"] = strconv.FormatInt(n*1024, 10)
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		e["kernel"] = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/driver/nvidia/version"); err == nil {
		e["gpu_driver"] = strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	}
	if infos, _ := filepath.Glob("/proc/driver/nvidia/gpus/*/information"); len(infos) > 0 {
		e["gpu"] = procField(infos[0], "Model")
	}
	e["tr119_version"] = buildinfo.Version()
	return e
}

// procField returns the value of the first "key: value" line of file.
func procField(file, key string) string {
	f, err := os.Open(file)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
