package synthruns

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/tr119/tr119/artifacts"
)

// Backend is one synthetic backend: its device class and the throughput
// (tok/s) and dominant-domain power (W) of its prefill and generate.
type Backend struct {
	Name, DeviceClass         string
	PrefillTokS, GenerateTokS float64
	PrefillW, GenerateW       float64
}

// Scenario is one workload shape.
type Scenario struct {
	Name                 string
	Batch, SeqLen, NewTk int64
}

// Config sizes the matrix.
type Config struct {
	Backends  []Backend
	Scenarios []Scenario
	Modes     []string
	Reps      int
	Prompts   int
	Warmups   int
	Seed      uint64
	// Noise is the log-normal sigma of throughput and power per call.
	Noise float64
}

// Default is the report's matrix: 5 backends x 5 scenarios x 2 modes x 7
// repetitions, 2 prompts each, 2 warmups per cell; rates are loosely the
// report's 5.1 means.
func Default() Config {
	return Config{
		Backends: []Backend{
			{"onnxruntime-gpu", "gpu", 2193, 233.4, 16.47, 29.86},
			{"transformers-gpu-compile", "gpu", 1406, 89.10, 19.41, 27.53},
			{"transformers-gpu", "gpu", 1076, 77.43, 15.10, 22.92},
			{"onnxruntime-cpu", "cpu", 1037, 52.94, 97.29, 87.79},
			{"transformers-cpu", "cpu", 291.3, 15.35, 62.21, 73.35},
		},
		Scenarios: []Scenario{
			{"single_short", 1, 11, 8}, {"single_medium", 1, 19, 8}, {"single_long", 1, 27, 8},
			{"batch_short", 4, 11, 8}, {"batch_medium", 4, 19, 8},
		},
		Modes: []string{artifacts.ModePrefill, artifacts.ModeGenerate},
		Reps:  7, Prompts: 2, Warmups: 2, Seed: 119, Noise: 0.05,
	}
}

// WithRows returns cfg with repetitions raised so that the matrix has at
// least n counted rows.
func (cfg Config) WithRows(n int) Config {
	per := len(cfg.Backends) * len(cfg.Scenarios) * len(cfg.Modes) * cfg.Prompts
	cfg.Reps = max(1, (n+per-1)/per)
	return cfg
}

// Row is one generated call, in runs/v2 terms. Energy is per domain in
// artifacts.Domains order; NaN means null (source unavailable).
type Row struct {
	RunID, Backend, DeviceClass, Scenario, Mode string
	Batch, SeqLen, Rep, Prompt, Tokens          int64
	Warmup                                      bool
	LatencyMS, Throughput                       float64
	EnergyJ, PowerW                             [3]float64
	Source                                      [3]string
}

// Each calls fn for every row, cell by cell; the Row is reused.
func Each(cfg Config, fn func(*Row)) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7119))
	var r Row
	id := 0
	for _, b := range cfg.Backends {
		for _, s := range cfg.Scenarios {
			// A per-cell factor: backends are not equally good at every shape.
			shape := math.Exp(0.3 * rng.NormFloat64())
			for _, mode := range cfg.Modes {
				for rep := -cfg.Warmups; rep < cfg.Reps; rep++ {
					for p := 0; p < cfg.Prompts; p++ {
						id++
						fill(&r, cfg, b, s, mode, rep, p, shape, rng)
						r.RunID = "syn-" + strconv.Itoa(id)
						fn(&r)
					}
				}
			}
		}
	}
}

func fill(r *Row, cfg Config, b Backend, s Scenario, mode string, rep, p int, shape float64, rng *rand.Rand) {
	thr, watts := b.PrefillTokS, b.PrefillW
	tokens := s.Batch * s.SeqLen
	seq := s.SeqLen
	if mode != artifacts.ModePrefill {
		thr, watts = b.GenerateTokS, b.GenerateW
		tokens = s.Batch * s.NewTk
		seq = s.SeqLen + s.NewTk
	}
	thr *= shape * float64(s.Batch) / (1 + 0.5*float64(s.Batch-1)) * math.Exp(cfg.Noise*rng.NormFloat64())
	watts *= math.Exp(cfg.Noise * rng.NormFloat64())
	*r = Row{Backend: b.Name, DeviceClass: b.DeviceClass, Scenario: s.Name, Mode: mode,
		Batch: s.Batch, SeqLen: seq, Rep: int64(max(rep, 0)), Prompt: int64(p), Tokens: tokens,
		Warmup: rep < 0, Throughput: thr, LatencyMS: float64(tokens) / thr * 1000}
	sec := r.LatencyMS / 1000
	dominant := 1 // cpu_package
	if b.DeviceClass == "gpu" {
		dominant = 0
	}
	for d := range 3 {
		r.EnergyJ[d], r.PowerW[d], r.Source[d] = math.NaN(), math.NaN(), artifacts.SourceUnavailable
	}
	r.PowerW[dominant], r.Source[dominant] = watts, artifacts.SourceCounter
	r.EnergyJ[dominant] = watts * sec
	if dominant == 0 { // the host CPU idles beside a GPU backend
		r.PowerW[1], r.Source[1] = 12, artifacts.SourceCounter
		r.EnergyJ[1] = 12 * sec
	}
}
