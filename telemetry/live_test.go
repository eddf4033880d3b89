package telemetry

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"
)

// realClock is a recorder-style clock on real time, shared with the fake
// GPU so the sampling goroutine, Marks and the GPU agree.
func realClock() func() int64 {
	start := time.Now()
	return func() int64 { return int64(time.Since(start)) }
}

// switchable is a fake GPU whose power the test switches at run time.
type switchable struct {
	mu    sync.Mutex
	clock func() int64
	w     float64 // current power
	e     float64 // energy up to at
	at    int64
}

func (s *switchable) set(w float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	s.w = w
}

// advance integrates power up to now; callers hold mu.
func (s *switchable) advance() {
	now := s.clock()
	s.e += s.w * float64(now-s.at) / 1e9
	s.at = now
}

// energyAt is the cumulative energy at t >= s.at - at most a step ago.
func (s *switchable) energyAt(t int64) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	return s.e - s.w*float64(s.at-t)/1e9
}

func (s *switchable) power(int64) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w
}

// The whole recorder on real time: Idle measures the baseline, a busier
// window that ends "now" waits for a counter step past its end, and
// ActiveJ is total less idle x time.
func TestLiveIdleAndActive(t *testing.T) {
	if testing.Short() {
		t.Skip("real time")
	}
	clock := realClock()
	s := &switchable{clock: clock, w: 100}
	g := steady(clock, 0)
	g.power, g.energyJ = s.power, s.energyAt
	opts := quiet(t, opener(&fakeLib{gpus: []GPU{g}}))
	r, err := open(context.Background(), opts, clock, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	time.Sleep(150 * time.Millisecond) // history before the baseline
	idle, err := r.Idle(context.Background(), 400*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if w := idle[DomainGPU]; w < 85 || w > 115 {
		t.Errorf("idle %v W, want ~100", w)
	}
	s.set(300)
	from := r.Mark()
	time.Sleep(600 * time.Millisecond)
	to := r.Mark()
	m := r.Energy(from, to)[DomainGPU]
	if m.Source != SourceCounter || m.EnergyJ == nil || m.ActiveJ == nil || m.IdleW == nil {
		t.Fatalf("got %+v", m)
	}
	dur := (to.Offset() - from.Offset()).Seconds()
	// Knots are known to half a counter step (50 ms): at most 300 W x 50 ms
	// off at each edge.
	approx(t, "energy", m.EnergyJ, 300*dur, 2*300*0.05)
	approx(t, "active", m.ActiveJ, 300*dur-*m.IdleW*dur, 2*300*0.05)
	// The counter is read at each Mark and one step later: the reading a
	// step after the start (at least) falls inside the window.
	if m.Samples < 1 {
		t.Errorf("%d counter updates in a %.2f s window read at its edges", m.Samples, dur)
	}
}

func TestIdleCancelled(t *testing.T) {
	r, err := Open(context.Background(), quiet(t, failingOpener(os.ErrNotExist)))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := r.Idle(ctx, time.Hour); err == nil {
		t.Error("Idle on a cancelled context succeeded")
	}
}

// Close stops the goroutine (goleak checks it in TestMain), closes the GPU
// library, and may be called twice; Energy after Close does not hang.
func TestClose(t *testing.T) {
	lib := &fakeLib{gpus: []GPU{steady(realClock(), 50)}}
	r, err := Open(context.Background(), quiet(t, opener(lib)))
	if err != nil {
		t.Fatal(err)
	}
	m0 := r.Mark()
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if !lib.closed.Load() {
		t.Error("GPU library not closed")
	}
	done := make(chan struct{})
	go func() { r.Energy(m0, r.Mark()); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Energy after Close hangs")
	}
}

func TestUsage(t *testing.T) {
	r, err := Open(context.Background(), Options{NVML: failingOpener(os.ErrNotExist), PowercapRoot: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	from := r.Mark()
	buf := make([]byte, 32<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	end := time.Now().Add(300 * time.Millisecond)
	for time.Now().Before(end) { // burn CPU
	}
	u, err := r.Usage(from, r.Mark())
	if err != nil {
		t.Fatal(err)
	}
	if u.ProcessCPUSeconds <= 0 || u.SystemCPUUtil <= 0 || u.SystemCPUUtil > 1 || u.PeakRSSBytes < 32<<20 {
		t.Errorf("usage %+v", u)
	}
	_ = buf[len(buf)-1]
}
