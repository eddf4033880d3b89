package all

import (
	"github.com/tr119/tr119/backends"
	"github.com/tr119/tr119/backends/onnxruntime"
	"github.com/tr119/tr119/backends/torch"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/stages/benchmark"
	"github.com/tr119/tr119/stages/cost"
	"github.com/tr119/tr119/stages/exportstage"
	"github.com/tr119/tr119/stages/importstage"
	"github.com/tr119/tr119/stages/model"
	"github.com/tr119/tr119/stages/plot"
	"github.com/tr119/tr119/stages/report"
	"github.com/tr119/tr119/stages/stats"
	"github.com/tr119/tr119/stages/validate"
)

// Backends returns a registry holding every shipped inference backend of
// the benchmark stage. Each backend package adds its line here.
func Backends() *backends.Registry {
	return backends.NewRegistry(
		onnxruntime.Registration(),
		torch.Registration(),
	)
}

// Registry returns a registry holding every shipped stage and block kind.
func Registry() *engine.Registry {
	r := engine.NewRegistry()
	// Each stage package adds its own line here: r.Register(pkg.New()).
	r.Register(model.New())
	bk := Backends()
	r.Register(benchmark.New(bk))
	r.Register(cost.New())
	r.Register(stats.New())
	r.Register(plot.New())
	r.Register(report.New())
	r.Register(validate.New())
	r.Register(importstage.New())
	r.Register(exportstage.New())
	r.RegisterBlock(benchmark.NewScenarioBlock())
	// Tool settings (settings { } and -setting): locations outside every
	// key, the ones every backend reads.
	for name, doc := range bk.Settings() {
		r.DeclareSetting(name, doc)
	}
	return r
}
