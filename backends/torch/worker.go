package torch

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"time"
)

// ErrUnavailable marks a device the worker's torch cannot use (CUDA not
// available, no such GPU): a stage with optional = true records it as
// unavailable with torch's message.
var ErrUnavailable = errors.New("torch device unavailable")

// ErrMissing marks an interpreter or module that is not there (Python,
// torch, transformers); the message says which and how to install it.
var ErrMissing = errors.New("torch worker requirement missing")

// ErrWorkerDied marks a worker that exited or was killed during a call.
var ErrWorkerDied = errors.New("torch worker died")

// WorkerError is an error the worker reported (it is still running).
type WorkerError struct {
	// Op is the request's op; Kind the worker's classification
	// (missing_module, unavailable, oom, invariant, bad_request,
	// bad_model, error); Msg its message.
	Op, Kind, Msg string
}

func (e *WorkerError) Error() string { return fmt.Sprintf("torch worker %s: %s", e.Op, e.Msg) }

// Unwrap maps the worker's kinds to this package's sentinels.
func (e *WorkerError) Unwrap() error {
	switch e.Kind {
	case "missing_module":
		return ErrMissing
	case "unavailable":
		return ErrUnavailable
	}
	return nil
}

// line is one response line read from the worker, or why none came.
type line = struct {
	b   []byte
	err error
}

// worker is one running Python worker process.
type worker struct {
	pid    int
	proc   *os.Process
	in     *os.File // our end of its stdin
	out    *bufio.Reader
	outF   *os.File
	tail   *tail
	errEOF chan struct{} // closed when stderr reached EOF
	exited chan struct{}
	state  *os.ProcessState // set before exited closes
	seq    int
	mu     sync.Mutex
}

// startWorker starts the interpreter on the embedded script in its own
// process group. The goroutine that starts it stays locked to its OS
// thread until the worker exits, because Pdeathsig fires when the
// creating thread (not the process) ends.
func startWorker(c Config) (*worker, error) {
	path, err := exec.LookPath(c.Python)
	if err != nil {
		return nil, fmt.Errorf("%w: python interpreter %q: %v (set the torch block's python to an interpreter with torch)", ErrMissing, c.Python, err)
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		outR.Close()
		outW.Close()
		return nil, err
	}
	w := &worker{in: inW, out: bufio.NewReaderSize(outR, 1<<16), outF: outR, tail: newTail(16<<10, c.Stderr), errEOF: make(chan struct{}), exited: make(chan struct{})}
	cmd := exec.Command(path, "-c", workerScript)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = inR, outW, errW
	cmd.Env = append(append(os.Environ(), "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1"), c.Env...)
	cmd.SysProcAttr = sysProcAttr()
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		cmd.Wait()
		w.state = cmd.ProcessState
		close(w.exited)
	}()
	err = <-started
	inR.Close()
	outW.Close()
	errW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		errR.Close()
		return nil, fmt.Errorf("start torch worker %s: %w", path, err)
	}
	w.pid, w.proc = cmd.Process.Pid, cmd.Process
	go func() { io.Copy(w.tail, errR); errR.Close(); close(w.errEOF) }()
	return w, nil
}

// dead reports whether the process has exited.
func (w *worker) dead() bool {
	select {
	case <-w.exited:
		return true
	default:
		return false
	}
}

// call sends one request and decodes the response into resp. A context
// that ends first kills the worker and its process group.
func (w *worker) call(ctx context.Context, req map[string]any, resp any) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	op, _ := req["op"].(string)
	if w.dead() {
		return w.died(op, "before the request")
	}
	w.seq++
	req["id"] = w.seq
	b, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("torch worker %s: encode request: %w", op, err)
	}
	got := make(chan line, 1)
	go func() {
		if _, err := w.in.Write(append(b, '\n')); err != nil {
			got <- line{nil, err}
			return
		}
		l, err := w.out.ReadBytes('\n')
		got <- line{l, err}
	}()
	var l line
	select {
	case l = <-got:
	case <-ctx.Done():
		w.kill()
		w.unblock(got)
		return fmt.Errorf("torch worker %s: %w: killed the worker and its process group%s", op, ctx.Err(), w.stderr())
	}
	if l.err != nil {
		return w.died(op, "during the request")
	}
	var env struct {
		ID    int    `json:"id"`
		OK    bool   `json:"ok"`
		Kind  string `json:"kind"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal(l.b, &env); err != nil {
		w.kill()
		return fmt.Errorf("torch worker %s: malformed response %.200q: %v%s", op, l.b, err, w.stderr())
	}
	if env.ID != w.seq {
		w.kill()
		return fmt.Errorf("torch worker %s: response id %d, want %d (protocol out of step)", op, env.ID, w.seq)
	}
	if !env.OK {
		return &WorkerError{Op: op, Kind: env.Kind, Msg: env.Error}
	}
	if resp != nil {
		if err := json.Unmarshal(l.b, resp); err != nil {
			return fmt.Errorf("torch worker %s: decode response: %w", op, err)
		}
	}
	return nil
}

// died waits briefly for the exit status and returns an error with the
// stderr tail.
func (w *worker) died(op, when string) error {
	select {
	case <-w.exited:
	case <-time.After(5 * time.Second):
		w.kill()
	}
	status := "still running after SIGKILL"
	if w.dead() {
		status = w.state.String()
	}
	return fmt.Errorf("%w %s (op %s, pid %d, %s)%s", ErrWorkerDied, when, op, w.pid, status, w.stderr())
}

// unblock waits for the request goroutine after a kill; should something
// outside the process group still hold the worker's stdout open, closing
// our end ends the read.
func (w *worker) unblock(got <-chan line) {
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		w.outF.Close()
		<-got
	}
}

// stderr is the tail of the worker's stderr, once the stream has ended
// (or after a second, should a stray child still hold it open).
func (w *worker) stderr() string {
	select {
	case <-w.errEOF:
	case <-time.After(time.Second):
	}
	return w.tail.suffix()
}

// kill SIGKILLs the worker's process group (the worker and every child it
// started) and waits for the worker to be reaped.
func (w *worker) kill() {
	killGroup(w.pid)
	w.proc.Kill() // should the group kill have failed
	select {
	case <-w.exited:
	case <-time.After(10 * time.Second):
	}
}

// close asks the worker to exit, then kills what is left of its group.
func (w *worker) close() {
	if !w.dead() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		w.call(ctx, map[string]any{"op": "exit"}, nil)
		cancel()
		w.in.Close()
		select {
		case <-w.exited:
		case <-time.After(5 * time.Second):
		}
	}
	w.kill()
	w.in.Close()
	w.outF.Close()
}

// tail keeps the last bytes written to it (the worker's stderr) and
// copies everything to an optional writer.
type tail struct {
	mu   sync.Mutex
	buf  []byte
	max  int
	copy io.Writer
}

func newTail(max int, copy io.Writer) *tail { return &tail{max: max, copy: copy} }

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.copy != nil {
		t.copy.Write(p)
	}
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

// suffix is the last lines of stderr, formatted to follow an error.
func (t *tail) suffix() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := strings.TrimSpace(string(t.buf))
	if s == "" {
		return "; the worker wrote nothing to stderr"
	}
	lines := strings.Split(s, "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return "; worker stderr (tail):\n" + strings.Join(lines, "\n")
}
