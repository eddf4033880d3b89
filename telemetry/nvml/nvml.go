package nvml

import (
	"errors"
	"fmt"
	"strconv"

	gonvml "github.com/NVIDIA/go-nvml/pkg/nvml"
)

// Lib is an initialised NVML library and the devices it sees.
type Lib struct {
	lib  gonvml.Interface
	devs []*Device
	info map[string]string
}

// Open loads NVML from path ("" means libnvidia-ml.so.1 through the
// dynamic loader's search path), initialises it and opens every device.
// It fails when the library is missing, fails to initialise, or sees no
// device; the error says which.
func Open(path string) (*Lib, error) {
	var opts []gonvml.LibraryOption
	if path != "" {
		opts = append(opts, gonvml.WithLibraryPath(path))
	}
	lib := gonvml.New(opts...)
	if ret := lib.Init(); ret != gonvml.SUCCESS {
		if ret == gonvml.ERROR_LIBRARY_NOT_FOUND {
			name := path
			if name == "" {
				name = "libnvidia-ml.so.1"
			}
			return nil, fmt.Errorf("load %s: not found", name)
		}
		return nil, fmt.Errorf("nvml init: %w", ret)
	}
	l := &Lib{lib: lib, info: map[string]string{}}
	if err := l.open(); err != nil {
		lib.Shutdown()
		return nil, err
	}
	return l, nil
}

func (l *Lib) open() error {
	if v, ret := l.lib.SystemGetDriverVersion(); ret == gonvml.SUCCESS {
		l.info["driver_version"] = v
	}
	if v, ret := l.lib.SystemGetNVMLVersion(); ret == gonvml.SUCCESS {
		l.info["nvml_version"] = v
	}
	n, ret := l.lib.DeviceGetCount()
	if ret != gonvml.SUCCESS {
		return fmt.Errorf("nvml device count: %w", ret)
	}
	if n == 0 {
		return errors.New("nvml sees no GPU")
	}
	for i := 0; i < n; i++ {
		h, ret := l.lib.DeviceGetHandleByIndex(i)
		if ret != gonvml.SUCCESS {
			return fmt.Errorf("nvml device %d: %w", i, ret)
		}
		d := &Device{index: i, h: h}
		if d.name, ret = h.GetName(); ret != gonvml.SUCCESS {
			d.name = "unknown"
		}
		p := "gpu" + strconv.Itoa(i) + "."
		l.info[p+"name"] = d.name
		if u, ret := h.GetUUID(); ret == gonvml.SUCCESS {
			l.info[p+"uuid"] = u
		}
		if mw, ret := h.GetEnforcedPowerLimit(); ret == gonvml.SUCCESS {
			l.info[p+"power_limit_w"] = strconv.FormatFloat(float64(mw)/1000, 'f', -1, 64)
		}
		if m, ret := h.GetMemoryInfo(); ret == gonvml.SUCCESS {
			l.info[p+"memory_total_bytes"] = strconv.FormatUint(m.Total, 10)
		}
		_, ret = h.GetTotalEnergyConsumption()
		l.info[p+"energy_counter"] = strconv.FormatBool(ret == gonvml.SUCCESS)
		l.devs = append(l.devs, d)
	}
	return nil
}

// Devices returns the GPUs in NVML index order.
func (l *Lib) Devices() []*Device { return l.devs }

// Info returns what NVML says of the machine: driver and NVML versions,
// and per GPU (keys prefixed "gpuN.") name, UUID, enforced power limit,
// memory size and whether the energy counter is supported.
func (l *Lib) Info() map[string]string {
	out := make(map[string]string, len(l.info))
	for k, v := range l.info {
		out[k] = v
	}
	return out
}

// Close shuts NVML down.
func (l *Lib) Close() error {
	if ret := l.lib.Shutdown(); ret != gonvml.SUCCESS {
		return fmt.Errorf("nvml shutdown: %w", ret)
	}
	return nil
}
