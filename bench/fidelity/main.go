package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.model, "model", "", "model folder (docs/model-folder.md)")
	flag.StringVar(&o.preset, "preset", "", "write a synthetic model folder of this preset into -model first, when it has no config.json")
	flag.StringVar(&o.lib, "lib", "", "ONNX Runtime library (default: the project-local one)")
	flag.StringVar(&o.inputs, "inputs", "", "inputs JSON to time")
	flag.StringVar(&o.writeInputs, "write-inputs", "", "write the default pipeline's prefill inputs to this file and exit")
	flag.StringVar(&o.compare, "compare", "", "GO_JSONL,NODE_JSONL: print per-shape medians and ratios")
	flag.IntVar(&o.threads, "threads", 2, "intra-op threads (inter-op is 1, as in the Node script)")
	flag.IntVar(&o.iters, "iters", 30, "timed calls per shape")
	flag.IntVar(&o.warmups, "warmups", 5, "untimed calls per shape")
	flag.Float64Var(&o.target, "target", 1.05, "largest acceptable tr119/node median ratio")
	flag.Parse()
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fidelity:", err)
		os.Exit(1)
	}
}
