package torch

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/prompts"
)

func TestPythonMissing(t *testing.T) {
	b, _ := New(Config{Python: "/nonexistent/python3", Implementation: TR119GPT2})
	_, err := b.Open(context.Background(), t.TempDir(), backends.Options{})
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "/nonexistent/python3") {
		t.Errorf("missing interpreter: %v", err)
	}
}

// TestTorchMissing: an interpreter that cannot import torch (here a
// shadowing torch module on PYTHONPATH that raises ImportError) fails at
// open, naming torch and how to install it.
func TestTorchMissing(t *testing.T) {
	py := testPython(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "torch.py"), []byte("raise ImportError(\"No module named 'torch'\")\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ := New(Config{Python: py, Implementation: TR119GPT2, Env: []string{"PYTHONPATH=" + dir}})
	_, err := b.Open(context.Background(), t.TempDir(), backends.Options{})
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "torch is not importable") || !strings.Contains(err.Error(), "python3-torch") {
		t.Errorf("torch missing: %v", err)
	}
}

// TestTransformersMissing: implementation "transformers" where it is not
// importable fails, saying what to install and what runs instead; it
// never runs tr119-gpt2 silently.
func TestTransformersMissing(t *testing.T) {
	py := testPython(t)
	env := []string{}
	if hasModule(py, "transformers") {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "transformers.py"), []byte("raise ImportError(\"No module named 'transformers'\")\n"), 0o644)
		env = append(env, "PYTHONPATH="+dir)
	}
	b, _ := New(Config{Python: py, Env: env})
	_, err := b.Open(context.Background(), writeFolder(t, "tiny"), backends.Options{})
	if !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), "transformers is not importable") ||
		!strings.Contains(err.Error(), "pip install transformers") || !strings.Contains(err.Error(), `implementation = "tr119-gpt2"`) {
		t.Errorf("transformers missing: %v", err)
	}
}

// TestCUDAUnavailable: a cuda device where torch has no CUDA is an
// ErrUnavailable error carrying torch's own message, never a CPU run.
func TestCUDAUnavailable(t *testing.T) {
	py := testPython(t)
	if exec.Command(py, "-c", "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)").Run() == nil {
		t.Skip("CUDA is available to this torch")
	}
	b, _ := New(Config{Python: py, Implementation: TR119GPT2, Device: "cuda:0"})
	_, err := b.Open(context.Background(), writeFolder(t, "tiny"), backends.Options{})
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), "CUDA is not available to torch") {
		t.Errorf("cuda: %v", err)
	}
	t.Logf("%v", err)
}

// faulty opens the tiny folder on a worker that injects fault once.
func faulty(t *testing.T, fault string, restarts int) (*Model, backends.Runner, prompts.Batch) {
	t.Helper()
	once := filepath.Join(t.TempDir(), "fired")
	m := open(t, writeFolder(t, "tiny"), Config{Implementation: TR119GPT2, Threads: 1, MaxRestarts: restarts,
		Env: []string{"TR119_TORCH_FAULT=" + fault, "TR119_TORCH_FAULT_ONCE=" + once}})
	b := batchOf(t, 2, true)
	r, err := m.Prepare(backends.Decode, backends.Shape{Batch: 2, SeqLen: b.SeqLen, MaxNewTokens: 3, MaxSeqLen: 512, EOS: prompts.EOS})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return m, r, b
}

// TestWorkerCrash: a worker that dies mid-call gives an error with its
// stderr tail; the next call runs on a fresh worker (runner prepared
// again); with no restarts left, calls fail clearly.
func TestWorkerCrash(t *testing.T) {
	m, r, b := faulty(t, "crash:run", 2)
	_, err := r.Run(context.Background(), b.IDs, b.Mask)
	if !errors.Is(err, ErrWorkerDied) || !strings.Contains(err.Error(), "tr119 test fault: crashing at run") || !strings.Contains(err.Error(), "exit status 3") {
		t.Fatalf("crash: %v", err)
	}
	out, err := r.Run(context.Background(), b.IDs, b.Mask)
	if err != nil || out.Generated != 6 {
		t.Fatalf("after a crash: %+v, %v", out, err)
	}
	if got := m.Environment()["worker_restarts"]; got != "1" {
		t.Errorf("worker_restarts = %q", got)
	}

	_, r2, b2 := faulty(t, "crash:run", -1)
	if _, err := r2.Run(context.Background(), b2.IDs, b2.Mask); !errors.Is(err, ErrWorkerDied) {
		t.Fatal(err)
	}
	if _, err := r2.Run(context.Background(), b2.IDs, b2.Mask); !errors.Is(err, ErrWorkerDied) || !strings.Contains(err.Error(), "not starting another") {
		t.Errorf("no restarts left: %v", err)
	}
}

// TestWorkerHang: a call that hangs is ended by its context: the worker
// and the child it started are killed (process group), and the next call
// gets a fresh worker.
func TestWorkerHang(t *testing.T) {
	_, r, b := faulty(t, "hang:run", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	_, err := r.Run(ctx, b.IDs, b.Mask)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 20*time.Second {
		t.Fatalf("hang: %v after %v", err, time.Since(start))
	}
	mt := regexp.MustCompile(`hanging at run \(child (\d+)\)`).FindStringSubmatch(err.Error())
	if mt == nil {
		t.Fatalf("no child pid in %v", err)
	}
	child, _ := strconv.Atoi(mt[1])
	waitGone(t, child, "the hung worker's child")
	if out, err := r.Run(context.Background(), b.IDs, b.Mask); err != nil || out.Generated != 6 {
		t.Errorf("after a hang: %+v, %v", out, err)
	}
}

// TestWorkerOOM: an out-of-memory error in a call is an error with the
// message; the worker lives on and the next call succeeds on it.
func TestWorkerOOM(t *testing.T) {
	m, r, b := faulty(t, "oom:run", 2)
	_, err := r.Run(context.Background(), b.IDs, b.Mask)
	var we *WorkerError
	if !errors.As(err, &we) || we.Kind != "oom" || !strings.Contains(err.Error(), "CUDA out of memory. Tried to allocate") {
		t.Fatalf("oom: %v", err)
	}
	if _, err := r.Run(context.Background(), b.IDs, b.Mask); err != nil {
		t.Fatal(err)
	}
	if got := m.Environment()["worker_restarts"]; got != "" {
		t.Errorf("the worker was restarted after an OOM (%s)", got)
	}
}

// gone reports whether pid has exited (absent, or a zombie nobody reaped
// yet).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	return len(f) > 0 && (f[0] == "Z" || f[0] == "X")
}

func waitGone(t *testing.T, pid int, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !gone(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("%s (pid %d) is still running", what, pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestNoOrphans: SIGKILL of the process that started a worker (a child
// copy of this test binary) takes the worker with it (Pdeathsig).
func TestNoOrphans(t *testing.T) {
	py := testPython(t)
	dir := writeFolder(t, "tiny")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldsWorker$", "-test.v")
	cmd.Env = append(os.Environ(), "TR119_TORCH_HELPER_DIR="+dir, "TR119_TORCH_PYTHON="+py)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// The helper prints the worker's pid, then the worker (busy in a hung
	// call, so it reads no stdin) prints the pid of a child it started.
	sc := bufio.NewScanner(stdout)
	pid, child := 0, 0
	re := regexp.MustCompile(`hanging at run \(child (\d+)\)`)
	for sc.Scan() {
		fmt.Sscanf(sc.Text(), "worker pid %d", &pid)
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			child, _ = strconv.Atoi(m[1])
			break
		}
	}
	if pid == 0 || child == 0 {
		t.Fatalf("the helper printed worker pid %d, child %d (%v)", pid, child, cmd.Wait())
	}
	if gone(pid) || gone(child) {
		t.Fatalf("worker %d or its child %d is not running before the kill", pid, child)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	waitGone(t, pid, "the worker of a SIGKILLed parent")
	waitGone(t, child, "the child of the worker of a SIGKILLed parent")
}

// TestHelperHoldsWorker is TestNoOrphans's child: it opens a worker,
// prints its pid and waits to be killed.
func TestHelperHoldsWorker(t *testing.T) {
	dir := os.Getenv("TR119_TORCH_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process of TestNoOrphans")
	}
	b, err := New(Config{Python: os.Getenv("TR119_TORCH_PYTHON"), Implementation: TR119GPT2,
		Env: []string{"TR119_TORCH_FAULT=hang:run"}, Stderr: os.Stdout})
	if err != nil {
		t.Fatal(err)
	}
	m, err := b.OpenModel(context.Background(), dir, backends.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("worker pid %d\n", m.w.pid)
	bt := batchOf(t, 1, true)
	r, err := m.Prepare(backends.Prefill, backends.Shape{Batch: 1, SeqLen: bt.SeqLen})
	if err != nil {
		t.Fatal(err)
	}
	r.Run(context.Background(), bt.IDs, bt.Mask) // hangs in the worker until this process is killed
}
