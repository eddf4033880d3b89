// Command fidelity is the Go side of bench/fidelity.sh: it writes the
// default pipeline's prefill inputs, times model.onnx prefill through
// tr119's ONNX Runtime backend (the same Runner the benchmark stage times),
// and compares its medians with onnxruntime-node's.
//
//	fidelity -write-inputs inputs.json
//	fidelity -model DIR -inputs inputs.json -threads 2 -iters 30 -warmups 5 >> go.jsonl
//	fidelity -compare go.jsonl,node.jsonl
package main
