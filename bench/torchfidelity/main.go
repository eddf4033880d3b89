package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/tr119/tr119/bench/internal/benchinput"
	"github.com/tr119/tr119/bench/internal/modelfolder"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/backends/torch"
	"github.com/tr119/tr119/prompts"
)

type options struct {
	model, preset, python, impl, device, plain, modes, compileMode string
	threads, iters, warmups, rounds, newTokens                     int
	compile                                                        bool
	lo, hi                                                         float64
}

type shape = benchinput.Shape

type result struct {
	Shape     string    `json:"shape"`
	Mode      string    `json:"mode"`
	SamplesMS []float64 `json:"samples_ms"`
}

func main() {
	var o options
	flag.StringVar(&o.model, "model", "", "model folder (docs/model-folder.md)")
	flag.StringVar(&o.preset, "preset", "", "write this synthetic preset into -model first when it has no config.json")
	flag.StringVar(&o.python, "python", "python3", "interpreter for both the worker and plain.py")
	flag.StringVar(&o.impl, "impl", "transformers", "worker implementation: transformers or tr119-gpt2 (plain.py then uses its own plain GPT-2)")
	flag.StringVar(&o.device, "device", "cpu", "cpu or cuda:N")
	flag.StringVar(&o.plain, "plain", "bench/torchfidelity/plain.py", "the plain PyTorch script")
	flag.StringVar(&o.modes, "modes", "prefill,generate,decode", "modes to time")
	flag.BoolVar(&o.compile, "compile", false, "torch.compile both sides (transformers only)")
	flag.StringVar(&o.compileMode, "compile-mode", "default", "torch.compile mode")
	flag.IntVar(&o.threads, "threads", 1, "torch threads on both sides (one by default: on a small machine a second thread of one side is preempted by the other side and the driver, and the spread swamps the comparison)")
	flag.IntVar(&o.iters, "iters", 10, "timed calls per shape and mode per round")
	flag.IntVar(&o.warmups, "warmups", 3, "untimed calls before them")
	flag.IntVar(&o.rounds, "rounds", 6, "rounds; in each, worker and plain script take turns cell by cell")
	flag.IntVar(&o.newTokens, "new-tokens", 8, "tokens generate and decode produce")
	flag.Float64Var(&o.lo, "lo", 0.95, "lowest acceptable worker/plain median ratio")
	flag.Float64Var(&o.hi, "hi", 1.05, "highest acceptable ratio")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "torchfidelity:", err)
		os.Exit(1)
	}
}

func run(o options, w io.Writer) error {
	if err := modelfolder.Ensure(o.model, o.preset); err != nil {
		return fmt.Errorf("model folder: %w", err)
	}
	shs, err := benchinput.Default()
	if err != nil {
		return err
	}
	modes := strings.Split(o.modes, ",")
	in, err := os.CreateTemp("", "torchfidelity-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(in.Name())
	if err := json.NewEncoder(in).Encode(shs); err != nil {
		return err
	}
	in.Close()

	ctx := context.Background()
	be, err := torch.New(torch.Config{Python: o.python, Implementation: o.impl, Device: o.device, Threads: o.threads,
		Compile: o.compile, CompileMode: map[bool]string{true: o.compileMode}[o.compile], TF32: "false", Stderr: os.Stderr})
	if err != nil {
		return err
	}
	m, err := be.OpenModel(ctx, o.model, backends.Options{})
	if err != nil {
		return err
	}
	defer m.Close()
	type cell struct {
		s  shape
		md string
		r  *torch.Runner
	}
	var cells []cell
	for _, s := range shs {
		for _, md := range modes {
			rn, err := m.Prepare(backends.Mode(md), backends.Shape{Batch: s.Batch, SeqLen: s.SeqLen, MaxNewTokens: o.newTokens, MaxSeqLen: 1024, EOS: prompts.EOS})
			if err != nil {
				return err
			}
			cells = append(cells, cell{s, md, rn.(*torch.Runner)})
		}
	}

	args := []string{o.plain, "--model", o.model, "--inputs", in.Name(), "--device", o.device, "--threads", fmt.Sprint(o.threads),
		"--new-tokens", fmt.Sprint(o.newTokens), "--iters", fmt.Sprint(o.iters), "--warmups", fmt.Sprint(o.warmups)}
	if o.impl == torch.TR119GPT2 {
		args = append(args, "--impl", "plain")
	}
	if o.compile {
		args = append(args, "--compile", "--compile-mode", o.compileMode)
	}
	cmd := exec.Command(o.python, args...)
	cmd.Stderr = os.Stderr
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start plain.py: %w", err)
	}
	defer func() { stdin.Close(); cmd.Wait() }()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 1<<24)

	worker, plain := map[string][]float64{}, map[string][]float64{}
	var order []string
	workerCell := func(c cell) error {
		if _, err := c.r.Window(ctx, c.s.IDs, c.s.Mask, backends.Until{Calls: o.warmups}); err != nil {
			return err
		}
		l, err := c.r.Window(ctx, c.s.IDs, c.s.Mask, backends.Until{Calls: o.iters})
		if err != nil {
			return err
		}
		if l.Degraded != "" {
			return fmt.Errorf("%s %s degraded: %s", c.s.Name, c.md, l.Degraded)
		}
		k := c.s.Name + " " + c.md
		for _, call := range l.Calls {
			worker[k] = append(worker[k], float64(call.Latency)/float64(time.Millisecond))
		}
		return nil
	}
	plainCell := func(c cell) error {
		fmt.Fprintln(stdin, c.s.Name, c.md)
		if !sc.Scan() {
			return fmt.Errorf("plain.py ended early: %v", sc.Err())
		}
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("plain.py said %q: %w", sc.Text(), err)
		}
		plain[r.Shape+" "+r.Mode] = append(plain[r.Shape+" "+r.Mode], r.SamplesMS...)
		return nil
	}
	for _, c := range cells {
		order = append(order, c.s.Name+" "+c.md)
	}
	// Worker and plain script take turns cell by cell, and which goes
	// first alternates, so drift (clocks, heat, a neighbour) lands on both
	// within seconds rather than a whole round apart.
	for r := range o.rounds {
		fmt.Fprintf(os.Stderr, "round %d/%d\n", r+1, o.rounds)
		for i, c := range cells {
			first, second := workerCell, plainCell
			if (r+i)%2 == 1 {
				first, second = plainCell, workerCell
			}
			if err := first(c); err != nil {
				return err
			}
			if err := second(c); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(w, "%-24s %6s %12s %12s %8s\n", "shape mode", "n", "worker ms", "plain ms", "ratio")
	logSum, outside := 0.0, 0
	for _, k := range order {
		wm, pm := benchinput.Median(worker[k]), benchinput.Median(plain[k])
		ratio := wm / pm
		flag := ""
		if ratio < o.lo || ratio > o.hi {
			flag, outside = " outside", outside+1
		}
		fmt.Fprintf(w, "%-24s %6d %12.3f %12.3f %8.3f%s\n", k, len(worker[k]), wm, pm, ratio, flag)
		logSum += math.Log(ratio)
	}
	fmt.Fprintf(w, "geometric mean worker/plain median ratio: %.3f; %d of %d outside %.2f-%.2f\n",
		math.Exp(logSum/float64(len(order))), outside, len(order), o.lo, o.hi)
	return nil
}
