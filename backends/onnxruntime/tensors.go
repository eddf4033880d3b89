package onnxruntime

import (
	"context"
	"errors"
	"fmt"

	ort "github.com/yalue/onnxruntime_go"
)

// tensors owns a runner's preallocated tensors and frees them together.
type tensors struct{ all []ort.Value }

func newI64(ts *tensors, dims ...int64) (*ort.Tensor[int64], error) {
	t, err := ort.NewEmptyTensor[int64](ort.NewShape(dims...))
	if err != nil {
		return nil, fmt.Errorf("allocate int64 tensor %v: %w", dims, err)
	}
	ts.all = append(ts.all, t)
	return t, nil
}

func newF32(ts *tensors, dims ...int64) (*ort.Tensor[float32], error) {
	t, err := ort.NewEmptyTensor[float32](ort.NewShape(dims...))
	if err != nil {
		return nil, fmt.Errorf("allocate float32 tensor %v: %w", dims, err)
	}
	ts.all = append(ts.all, t)
	return t, nil
}

func (ts *tensors) Close() error {
	var errs []error
	for _, t := range ts.all {
		errs = append(errs, t.Destroy())
	}
	ts.all = nil
	return errors.Join(errs...)
}

// runner holds run options that let a context cancel a call in flight.
type runner struct {
	opts *ort.RunOptions
}

func newRunner() (runner, error) {
	o, err := ort.NewRunOptions()
	if err != nil {
		return runner{}, fmt.Errorf("run options: %w", err)
	}
	return runner{opts: o}, nil
}

// run runs s once; a done ctx terminates the call in flight (ONNX
// Runtime checks the flag between kernels).
func (r runner) run(ctx context.Context, s *ort.DynamicAdvancedSession, in, out []ort.Value) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	stop := context.AfterFunc(ctx, func() { r.opts.Terminate() })
	err := s.RunWithOptions(in, out, r.opts)
	if !stop() {
		r.opts.UnsetTerminate()
		if cerr := ctx.Err(); cerr != nil {
			return fmt.Errorf("%w: %v", cerr, err)
		}
	}
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}
	return nil
}

func (r runner) close() error {
	if r.opts == nil {
		return nil
	}
	return r.opts.Destroy()
}
