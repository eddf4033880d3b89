package benchmark

import (
	"context"
	"log/slog"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/stages/benchmark/benchmarktest"
	"github.com/tr119/tr119/telemetry/procfs"
)

// cellsOf runs k on body and returns the runs and cells tables' named
// string columns.
func cellsOf(t *testing.T, k *Kind, body string) (runsModes []string, cells map[string][]string) {
	t.Helper()
	r, _ := newRun(t, decodeBody(t, body, fakeArtifact(t.TempDir())), "")
	res, err := k.Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	runs := benchmarktest.Output(t, r, res, "runs")
	runsModes = col(t, runs, artifacts.ColMode, artifacts.StringCol)
	ct := benchmarktest.Output(t, r, res, "cells")
	if v := artifacts.SchemaVersion(ct.Schema()); v != CellsVersion {
		t.Errorf("cells schema %q", v)
	}
	cells = map[string][]string{}
	for _, c := range []string{"mode", "status", "status_reason"} {
		cells[c] = col(t, ct, c, artifacts.StringCol)
	}
	return runsModes, cells
}

// TestUnsupportedMode: a backend that cannot run decode is asked once;
// its decode cells are not applicable with its reason and have no rows.
func TestUnsupportedMode(t *testing.T) {
	f := &fakeBackend{unsupported: backends.Decode}
	modes, cells := cellsOf(t, fakeKind(f), fakeBody)
	if f.prepared[backends.Decode] != 1 {
		t.Errorf("decode prepared %d times, want once", f.prepared[backends.Decode])
	}
	for _, m := range modes {
		if m == "decode" {
			t.Fatal("runs table has decode rows")
		}
	}
	var na, measured int
	for i, m := range cells["mode"] {
		switch {
		case m == "decode" && cells["status"][i] == CellNotApplicable && strings.Contains(cells["status_reason"][i], "needs a KV cache"):
			na++
		case m != "decode" && cells["status"][i] == CellMeasured && cells["status_reason"][i] == "":
			measured++
		default:
			t.Errorf("cell %d: %s %s %q", i, m, cells["status"][i], cells["status_reason"][i])
		}
	}
	// 2 scenarios x 3 modes + the drift check (a measured cell).
	if na != 2 || measured != 5 {
		t.Errorf("%d not applicable, %d measured; want 2 and 5", na, measured)
	}
}

// TestLooper: a backend that loops in its own process is asked once per
// window and its own per-call latencies are what the rows keep.
func TestLooper(t *testing.T) {
	f := &fakeBackend{looper: true}
	tbl, _ := runTable(t, fakeKind(f), fakeBody, "")
	lat := col(t, tbl, artifacts.ColLatencyMS, artifacts.Float64Col)
	status := col(t, tbl, artifacts.ColStatus, artifacts.StringCol)
	for i := range lat {
		if lat[i] != ms(loopLatency) || status[i] != artifacts.StatusOK {
			t.Fatalf("row %d: latency %v status %s, want the backend's %v", i, lat[i], status[i], ms(loopLatency))
		}
	}
}

// TestReportedUsage: a model that reports the usage of its worker process
// gives the rows' CPU seconds and peak RSS, and the cells' GPU memory.
func TestReportedUsage(t *testing.T) {
	k := fakeKind(&fakeBackend{usage: true})
	r, _ := newRun(t, decodeBody(t, fakeBody, fakeArtifact(t.TempDir())), "")
	res, err := k.Run(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	runs := benchmarktest.Output(t, r, res, "runs")
	cpu := col(t, runs, artifacts.ColProcessCPUS, artifacts.Float64Col)
	rss := col(t, runs, artifacts.ColPeakRSSBytes, artifacts.Int64Col)
	for i := range cpu {
		if cpu[i] != 2 || rss[i] != 456 {
			t.Fatalf("row %d: process_cpu_s %v peak_rss %d, want the worker's 2 and 456", i, cpu[i], rss[i])
		}
	}
	ct := benchmarktest.Output(t, r, res, "cells")
	for i, g := range col(t, ct, "peak_gpu_memory_bytes", artifacts.Int64Col) {
		if g != 123 {
			t.Errorf("cell %d: peak_gpu_memory_bytes %d, want 123", i, g)
		}
	}
}

// TestProcessUsage: for a model whose calls run in another process, the
// rows' peak RSS is that process's, read from /proc/PID.
func TestProcessUsage(t *testing.T) {
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Skip(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	// Wait until the child has finished exec'ing: its RSS settles.
	last := int64(-1)
	for range 100 {
		p, err := procfs.New("", cmd.Process.Pid).Process()
		if err == nil && p.RSSBytes == last && last > 0 {
			break
		}
		if err == nil {
			last = p.RSSBytes
		}
		time.Sleep(20 * time.Millisecond)
	}
	tbl, _ := runTable(t, fakeKind(&fakeBackend{pid: cmd.Process.Pid}), fakeBody, "")
	p, err := procfs.New("", cmd.Process.Pid).Process()
	if err != nil {
		t.Skip(err)
	}
	for i, rss := range col(t, tbl, artifacts.ColPeakRSSBytes, artifacts.Int64Col) {
		if rss != p.PeakRSSBytes {
			t.Fatalf("row %d: peak_rss %d, want the worker's %d", i, rss, p.PeakRSSBytes)
		}
	}
}

// TestLooperEnergyWindow: with an energy domain, a looping backend is
// asked to fill min_energy_window for repetitions (one call for warmups)
// and every call it made is kept.
func TestLooperEnergyWindow(t *testing.T) {
	f := &fakeBackend{looper: true}
	k := fakeKind(f)
	k.meter = func(context.Context, *config, *slog.Logger, int) (energyMeter, error) { return &wattMeter{}, nil }
	tbl, _ := runTable(t, k, fakeBody+"min_energy_window = \"5ms\"\n", "")
	warm := col(t, tbl, artifacts.ColWarmup, artifacts.BoolCol)
	calls := col(t, tbl, artifacts.ColWindowCalls, artifacts.Int64Col)
	if len(f.untils) != len(warm) {
		t.Fatalf("%d Loop requests for %d rows", len(f.untils), len(warm))
	}
	for i, u := range f.untils {
		want := 5 * time.Millisecond
		if warm[i] {
			want = 0
		}
		if u.Duration != want || u.Calls != 1 || u.Timeout != 200*time.Millisecond || calls[i] < 1 {
			t.Fatalf("row %d (warmup %v): asked %+v, kept %d calls", i, warm[i], u, calls[i])
		}
	}
}
