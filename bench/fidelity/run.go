package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tr119/tr119/bench/internal/benchinput"
	"github.com/tr119/tr119/bench/internal/modelfolder"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/backends/onnxruntime"
)

type options struct {
	model, preset, lib, inputs, writeInputs, compare string
	threads, iters, warmups                          int
	target                                           float64
}

// shape is one prefill input, as both sides read it.
type shape = benchinput.Shape

// result is one JSON line: every sample of one shape on one side.
type result struct {
	Side      string    `json:"side"`
	Shape     string    `json:"shape"`
	Batch     int       `json:"batch"`
	SeqLen    int       `json:"seq_len"`
	SamplesMS []float64 `json:"samples_ms"`
}

func run(o options, w io.Writer) error {
	switch {
	case o.writeInputs != "":
		return writeInputs(o.writeInputs)
	case o.compare != "":
		return compare(o, w)
	case o.model != "" && o.inputs != "":
		return timeGo(o, w)
	}
	return errors.New("want -write-inputs, -compare, or -model with -inputs")
}

// writeInputs resolves the default pipeline's five scenarios (first
// prompt of each set) into padded prefill batches.
func writeInputs(path string) error {
	out, err := benchinput.Default()
	if err != nil {
		return err
	}
	data, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// timeGo times each shape through the backend's prefill Runner, exactly
// as the benchmark stage does (wall time around Runner.Run).
func timeGo(o options, w io.Writer) error {
	if err := modelfolder.Ensure(o.model, o.preset); err != nil {
		return err
	}
	var shapes []shape
	data, err := os.ReadFile(o.inputs)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &shapes); err != nil {
		return fmt.Errorf("parse %s: %w", o.inputs, err)
	}
	wd, _ := os.Getwd()
	lib, err := onnxruntime.ResolveLibrary(o.lib, wd)
	if err != nil {
		return err
	}
	ctx := context.Background()
	be := &onnxruntime.Backend{Library: lib, Settings: onnxruntime.Settings{Provider: "cpu",
		IntraOpThreads: o.threads, InterOpThreads: 1, GraphOptimization: "all"}}
	m, err := be.Open(ctx, o.model, backends.Options{Device: "cpu", Modes: []backends.Mode{backends.Prefill}})
	if err != nil {
		return err
	}
	defer m.Close()
	enc := json.NewEncoder(w)
	for _, s := range shapes {
		r, err := m.Prepare(backends.Prefill, backends.Shape{Batch: s.Batch, SeqLen: s.SeqLen})
		if err != nil {
			return err
		}
		for range o.warmups {
			if _, err := r.Run(ctx, s.IDs, s.Mask); err != nil {
				return err
			}
		}
		res := result{Side: "go", Shape: s.Name, Batch: s.Batch, SeqLen: s.SeqLen}
		for range o.iters {
			start := time.Now()
			if _, err := r.Run(ctx, s.IDs, s.Mask); err != nil {
				return err
			}
			res.SamplesMS = append(res.SamplesMS, float64(time.Since(start).Nanoseconds())/1e6)
		}
		r.Close()
		if err := enc.Encode(res); err != nil {
			return err
		}
	}
	return nil
}
