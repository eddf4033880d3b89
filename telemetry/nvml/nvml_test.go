package nvml

import (
	"encoding/binary"
	"math"
	"path/filepath"
	"strings"
	"testing"

	gonvml "github.com/NVIDIA/go-nvml/pkg/nvml"
)

func TestOpenMissingLibrary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "libnvidia-ml.so.1")
	l, err := Open(path)
	if err == nil {
		l.Close()
		t.Fatal("Open of a missing library succeeded")
	}
	if !strings.Contains(err.Error(), "not found") || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want it to name the missing library", err)
	}
}

func TestValue(t *testing.T) {
	var u, d, neg [8]byte
	binary.LittleEndian.PutUint32(u[:], 312500)
	binary.LittleEndian.PutUint64(d[:], math.Float64bits(2.5))
	binary.LittleEndian.PutUint32(neg[:], uint32(0xFFFFFFFE))
	tests := []struct {
		name string
		vt   gonvml.ValueType
		b    [8]byte
		want float64
	}{
		{"unsigned mW", gonvml.VALUE_TYPE_UNSIGNED_INT, u, 312500},
		{"double", gonvml.VALUE_TYPE_DOUBLE, d, 2.5},
		{"signed", gonvml.VALUE_TYPE_SIGNED_INT, neg, -2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := value(tc.vt, tc.b); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
