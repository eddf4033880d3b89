package benchmark

import (
	"fmt"
	"slices"
	"time"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/backends"
)

// row is one runs table row (one timed call: repetition x prompt), kept
// as JSON in checkpoints.
type row struct {
	Scenario    string    `json:"scenario"`
	Mode        string    `json:"mode"`
	BatchSize   int       `json:"batch_size"`
	SeqLen      int       `json:"seq_len"`
	Warmup      bool      `json:"warmup"`
	Drift       bool      `json:"drift"`
	Repetition  int       `json:"repetition"`
	Prompt      int       `json:"prompt"`
	Status      string    `json:"status"`
	Reason      string    `json:"reason"`
	LatencyMS   *float64  `json:"latency_ms"`
	Tokens      int64     `json:"tokens"`
	TTFTMS      *float64  `json:"ttft_ms"`
	ITL         *itlStats `json:"itl"`
	WindowCalls int64     `json:"window_calls"`
	WindowMS    *float64  `json:"window_ms"`
	PeakRSS     *int64    `json:"peak_rss"`
	// ProcessCPUS is the process's CPU seconds per call over the window;
	// SystemCPUUtil the machine's CPU utilisation over it (runs/v2).
	ProcessCPUS   *float64               `json:"process_cpu_s"`
	SystemCPUUtil *float64               `json:"system_cpu_util"`
	Energy        map[string]measurement `json:"energy"`
	// Calls holds the raw per-call latencies (ms) of the window, and in
	// decode mode every step's latency of each call.
	Calls []callRecord `json:"calls"`
}

// callRecord is one raw call of a row's window.
type callRecord struct {
	LatencyMS float64   `json:"latency_ms"`
	StepsMS   []float64 `json:"steps_ms"`
}

// itlStats summarises inter-token latencies (decode).
type itlStats struct {
	Mean, P50, P99 float64
}

// runID names a row's run: label/scenario/mode/pass, the pass being w
// (warmup) or r (repetition) and its number, prefixed by d in the drift
// check; rows of the same run differ by prompt index.
func runID(label string, r row) string {
	pass := "r"
	if r.Warmup {
		pass = "w"
	}
	if r.Drift {
		pass = "d" + pass
	}
	return fmt.Sprintf("%s/%s/%s/%s%d", label, r.Scenario, r.Mode, pass, r.Repetition)
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

func ptr[T any](v T) *T { return &v }

// tokensFor is the report's token accounting: prefill counts the padded
// batch (batch x seq_len); generate and decode count tokens produced.
func tokensFor(mode backends.Mode, batch, seqLen int, out backends.Output) int64 {
	if mode == backends.Prefill {
		return int64(batch * seqLen)
	}
	return int64(out.Generated)
}

// summarise fills the latency columns from a window's calls: latency is
// the mean per-call latency; for decode, TTFT is the mean first step and
// ITL statistics pool every later step of every call.
func (r *row) summarise(mode backends.Mode, calls []callRecord) {
	var sum, ttft float64
	var itl []float64
	for _, c := range calls {
		sum += c.LatencyMS
		if mode == backends.Decode && len(c.StepsMS) > 0 {
			ttft += c.StepsMS[0]
			itl = append(itl, c.StepsMS[1:]...)
		}
	}
	n := float64(len(calls))
	r.LatencyMS = ptr(sum / n)
	r.WindowCalls = int64(len(calls))
	r.Calls = calls
	if mode == backends.Decode {
		r.TTFTMS = ptr(ttft / n)
		if len(itl) > 0 {
			r.ITL = itl2stats(itl)
		}
	}
}

func itl2stats(v []float64) *itlStats {
	s := slices.Clone(v)
	slices.Sort(s)
	var sum float64
	for _, x := range s {
		sum += x
	}
	return &itlStats{Mean: sum / float64(len(s)), P50: quantile(s, 0.50), P99: quantile(s, 0.99)}
}

// quantile is the linear-interpolation quantile of sorted s (numpy's
// default), so p99 of few values is well defined.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	lo := int(pos)
	if lo+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[lo] + (pos-float64(lo))*(s[lo+1]-s[lo])
}

// degrade marks a row degraded with a reason; its numbers stay for the
// raw table but analyses never count it.
func (r *row) degrade(reason string) {
	r.Status = artifacts.StatusDegraded
	r.Reason = reason
}
