package ortcheck

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	ort "github.com/yalue/onnxruntime_go"
)

// noORT, when set, is why ONNX Runtime tests skip.
var noORT string

func TestMain(m *testing.M) {
	lib := os.Getenv("TR119_ONNXRUNTIME_LIB")
	if lib == "" {
		lib = filepath.Join("..", "..", "..", "third_party", "onnxruntime", "libonnxruntime.so.1")
	}
	if _, err := os.Stat(lib); err != nil {
		noORT = fmt.Sprintf("ONNX Runtime library not found (%v); run scripts/fetch-onnxruntime.sh or set TR119_ONNXRUNTIME_LIB", err)
	} else {
		ort.SetSharedLibraryPath(lib)
		if err := ort.InitializeEnvironment(); err != nil {
			fmt.Fprintln(os.Stderr, "init onnxruntime:", err)
			os.Exit(1)
		}
	}
	code := m.Run()
	for _, f := range folders {
		if f.dir != "" {
			os.RemoveAll(f.dir)
		}
	}
	if noORT == "" {
		ort.DestroyEnvironment()
	}
	os.Exit(code)
}

func needORT(t *testing.T) {
	t.Helper()
	if noORT != "" {
		t.Skip(noORT)
	}
}

// session runs one graph of a model folder.
type session struct {
	s       *ort.DynamicAdvancedSession
	outputs []string
}

func openSession(t *testing.T, path string, inputs, outputs []string) *session {
	t.Helper()
	opts, err := ort.NewSessionOptions()
	if err != nil {
		t.Fatal(err)
	}
	defer opts.Destroy()
	opts.SetIntraOpNumThreads(1)
	opts.SetInterOpNumThreads(1)
	s, err := ort.NewDynamicAdvancedSession(path, inputs, outputs, opts)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { s.Destroy() })
	return &session{s: s, outputs: outputs}
}

// output is one graph output copied out of ONNX Runtime.
type output struct {
	shape []int64
	data  []float32
}

// run feeds int64 tensors ids and mask plus float tensors extra, in the
// session's input order, and returns every output.
func (s *session) run(t *testing.T, ints [][]int64, intShapes [][]int64, floats []output) []output {
	t.Helper()
	var in []ort.Value
	for i, v := range ints {
		x, err := ort.NewTensor(ort.NewShape(intShapes[i]...), v)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, x)
	}
	for _, f := range floats {
		x, err := ort.NewTensor(ort.NewShape(f.shape...), f.data)
		if err != nil {
			t.Fatal(err)
		}
		in = append(in, x)
	}
	defer func() {
		for _, v := range in {
			v.Destroy()
		}
	}()
	out := make([]ort.Value, len(s.outputs))
	if err := s.s.Run(in, out); err != nil {
		t.Fatalf("run: %v", err)
	}
	res := make([]output, len(out))
	for i, v := range out {
		tf, ok := v.(*ort.Tensor[float32])
		if !ok {
			t.Fatalf("output %s is %T, want float32 tensor", s.outputs[i], v)
		}
		res[i] = output{shape: tf.GetShape(), data: append([]float32(nil), tf.GetData()...)}
		v.Destroy()
	}
	return res
}
