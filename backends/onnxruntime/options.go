package onnxruntime

import (
	"fmt"
	"strconv"

	ort "github.com/yalue/onnxruntime_go"
)

// Settings are the ONNX Runtime options a benchmark's `onnxruntime`
// block declares (see Registration).
type Settings struct {
	// Version is the declared runtime version; Open fails when the
	// library reports another. Empty skips the check (tests only).
	Version string
	// Provider is the execution provider: "cpu", "cuda" or "tensorrt"
	// ("" means the device's: cpu, or cuda for cuda:N).
	Provider string
	// DeviceID is the accelerator index for cuda and tensorrt.
	DeviceID int
	// ProviderOptions are passed to the provider as they are.
	ProviderOptions map[string]string
	// IntraOpThreads and InterOpThreads size the thread pools; 0 leaves
	// the runtime's default.
	IntraOpThreads, InterOpThreads int
	// GraphOptimization is "disable", "basic", "extended" or "all"
	// ("" means all).
	GraphOptimization string
}

// sessionOptions builds ONNX Runtime session options. A provider that
// cannot be appended is an error with ONNX Runtime's own message: there
// is never a silent fall-back to the CPU.
func sessionOptions(o Settings) (*ort.SessionOptions, error) {
	so, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	if err := configure(so, o); err != nil {
		so.Destroy()
		return nil, err
	}
	return so, nil
}

func configure(so *ort.SessionOptions, o Settings) error {
	if o.IntraOpThreads > 0 {
		if err := so.SetIntraOpNumThreads(o.IntraOpThreads); err != nil {
			return fmt.Errorf("intra_op_threads: %w", err)
		}
	}
	if o.InterOpThreads > 0 {
		if err := so.SetInterOpNumThreads(o.InterOpThreads); err != nil {
			return fmt.Errorf("inter_op_threads: %w", err)
		}
	}
	level, err := optLevel(o.GraphOptimization)
	if err != nil {
		return err
	}
	if err := so.SetGraphOptimizationLevel(level); err != nil {
		return fmt.Errorf("graph_optimization: %w", err)
	}
	switch o.Provider {
	case "", "cpu":
		return nil
	case "cuda":
		return appendCUDA(so, o)
	case "tensorrt":
		return appendTensorRT(so, o)
	}
	return fmt.Errorf("provider %q: want cpu, cuda or tensorrt", o.Provider)
}

func optLevel(s string) (ort.GraphOptimizationLevel, error) {
	switch s {
	case "", "all":
		return ort.GraphOptimizationLevelEnableAll, nil
	case "extended":
		return ort.GraphOptimizationLevelEnableExtended, nil
	case "basic":
		return ort.GraphOptimizationLevelEnableBasic, nil
	case "disable":
		return ort.GraphOptimizationLevelDisableAll, nil
	}
	return 0, fmt.Errorf("graph_optimization %q: want disable, basic, extended or all", s)
}

// providerOptions merges the device id into the declared options.
func providerOptions(o Settings) map[string]string {
	m := map[string]string{"device_id": strconv.Itoa(o.DeviceID)}
	for k, v := range o.ProviderOptions {
		m[k] = v
	}
	return m
}

func appendCUDA(so *ort.SessionOptions, o Settings) error {
	co, err := ort.NewCUDAProviderOptions()
	if err != nil {
		return fmt.Errorf("cuda provider options: %w", err)
	}
	defer co.Destroy()
	if err := co.Update(providerOptions(o)); err != nil {
		return fmt.Errorf("cuda provider options: %w", err)
	}
	if err := so.AppendExecutionProviderCUDA(co); err != nil {
		return fmt.Errorf("cuda provider: %w", err)
	}
	return nil
}

func appendTensorRT(so *ort.SessionOptions, o Settings) error {
	to, err := ort.NewTensorRTProviderOptions()
	if err != nil {
		return fmt.Errorf("tensorrt provider options (TensorRT libraries are installed on no machine of this project): %w", err)
	}
	defer to.Destroy()
	if err := to.Update(providerOptions(o)); err != nil {
		return fmt.Errorf("tensorrt provider options (TensorRT libraries are installed on no machine of this project): %w", err)
	}
	if err := so.AppendExecutionProviderTensorRT(to); err != nil {
		return fmt.Errorf("tensorrt provider (TensorRT libraries are installed on no machine of this project): %w", err)
	}
	return nil
}
