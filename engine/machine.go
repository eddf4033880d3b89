package engine

import (
	"bufio"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

// Machine describes the host a stage ran on, as far as it matters for
// comparing measurements. It is read from /proc without cgo.
type Machine struct {
	// CPU is the CPU model name.
	CPU string
	// Cores is the number of logical CPUs.
	Cores int
	// MemoryBytes is the total RAM.
	MemoryBytes int64
	// OS and Arch are runtime.GOOS and runtime.GOARCH.
	OS, Arch string
	// GPUs are the NVIDIA GPU model names, sorted.
	GPUs []string
	// Runtimes identify the inference runtimes a run would find now, as
	// the environment entries a benchmark records (e.g.
	// "onnxruntime.library_sha256"), from RuntimeFingerprints. Empty on a
	// machine with none: plan then compares nothing, and cached
	// measurements are still used.
	Runtimes map[string]string
}

// RuntimeFingerprinter is implemented by kinds that run an inference
// runtime found outside tr119 (the benchmark's backends): Fingerprint
// describes what a run would find now without loading it, with the keys
// the kind records in its environment. hash returns a file's SHA-256,
// memoised by the caller.
type RuntimeFingerprinter interface {
	Fingerprint(settings map[string]string, workspace string, hash func(path string) (string, error)) map[string]string
}

// RuntimeFingerprints collects the fingerprints of every registered kind
// that has one (for Machine.Runtimes).
func RuntimeFingerprints(reg *Registry, settings map[string]string, workspace string, hash func(string) (string, error)) map[string]string {
	out := map[string]string{}
	for _, n := range reg.KindNames() {
		k, _ := reg.Kind(n)
		if f, ok := k.(RuntimeFingerprinter); ok {
			for key, v := range f.Fingerprint(settings, workspace, hash) {
				out[key] = v
			}
		}
	}
	return out
}

// RuntimeDiff lists how the runtimes recorded in env differ from those
// found now, e.g. `onnxruntime.library_sha256 "ab…" -> "cd…"`. Entries
// absent on either side are not compared (no library found now is no
// warning: cached results stay usable without one).
func (m Machine) RuntimeDiff(env map[string]string) []string {
	keys := make([]string, 0, len(m.Runtimes))
	for k := range m.Runtimes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var diffs []string
	for _, k := range keys {
		old, ok := env[k]
		if !ok || old == m.Runtimes[k] {
			continue
		}
		diffs = append(diffs, k+" "+strconv.Quote(old)+" -> "+strconv.Quote(m.Runtimes[k]))
	}
	return diffs
}

// Environment keys under which a Machine is recorded in a stage's
// environment (see Result.Environment).
const (
	EnvMachineCPU    = "machine.cpu"
	EnvMachineCores  = "machine.cores"
	EnvMachineMemory = "machine.memory_bytes"
	EnvMachineOS     = "machine.os"
	EnvMachineGPUs   = "machine.gpus"
)

// ReadMachine describes the current host. procRoot is normally "/proc";
// tests pass a fixture folder. Unreadable facts are left empty.
func ReadMachine(procRoot string) Machine {
	m := Machine{Cores: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	m.CPU = procField(filepath.Join(procRoot, "cpuinfo"), "model name")
	if kb := procField(filepath.Join(procRoot, "meminfo"), "MemTotal"); kb != "" {
		n, err := strconv.ParseInt(strings.TrimSuffix(kb, " kB"), 10, 64)
		if err == nil {
			m.MemoryBytes = n * 1024
		}
	}
	infos, _ := filepath.Glob(filepath.Join(procRoot, "driver", "nvidia", "gpus", "*", "information"))
	for _, p := range infos {
		if name := procField(p, "Model"); name != "" {
			m.GPUs = append(m.GPUs, name)
		}
	}
	sort.Strings(m.GPUs)
	return m
}

// procField returns the value of the first "key: value" line of a
// /proc-style file, or "".
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Environment returns the machine as environment entries.
func (m Machine) Environment() map[string]string {
	return map[string]string{
		EnvMachineCPU:    m.CPU,
		EnvMachineCores:  strconv.Itoa(m.Cores),
		EnvMachineMemory: strconv.FormatInt(m.MemoryBytes, 10),
		EnvMachineOS:     m.OS + "/" + m.Arch,
		EnvMachineGPUs:   strings.Join(m.GPUs, ", "),
	}
}

// MachineDiff lists how a recorded environment's machine differs from m,
// e.g. `cpu "Xeon" -> "EPYC"`. Keys absent from env are not compared.
func (m Machine) MachineDiff(env map[string]string) []string {
	now := m.Environment()
	keys := make([]string, 0, len(now))
	for k := range now {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var diffs []string
	for _, k := range keys {
		old, ok := env[k]
		if !ok || old == now[k] {
			continue
		}
		diffs = append(diffs, strings.TrimPrefix(k, "machine.")+" "+strconv.Quote(old)+" -> "+strconv.Quote(now[k]))
	}
	return diffs
}
