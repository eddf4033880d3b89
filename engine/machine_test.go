package engine

import (
	"runtime"
	"slices"
	"testing"
)

func TestReadMachine(t *testing.T) {
	m := ReadMachine("testdata/machine")
	if m.CPU != "AMD EPYC 7B13" || m.MemoryBytes != 16384*1024 || !slices.Equal(m.GPUs, []string{"NVIDIA H200"}) {
		t.Fatalf("%+v", m)
	}
	if m.Cores != runtime.NumCPU() || m.OS != runtime.GOOS {
		t.Fatalf("%+v", m)
	}
	empty := ReadMachine("testdata/nonexistent")
	if empty.CPU != "" || empty.GPUs != nil || empty.MemoryBytes != 0 {
		t.Fatalf("missing /proc gave %+v", empty)
	}
}

func TestMachineDiff(t *testing.T) {
	m := Machine{CPU: "A", Cores: 2, MemoryBytes: 10, OS: "linux", Arch: "amd64", GPUs: []string{"H200"}}
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"same", m.Environment(), nil},
		{"not recorded", map[string]string{"other": "x"}, nil},
		{"cpu and gpus", map[string]string{EnvMachineCPU: "B", EnvMachineGPUs: ""},
			[]string{`cpu "B" -> "A"`, `gpus "" -> "H200"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := m.MachineDiff(tt.env); !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
