package plot

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/frame"
	"github.com/tr119/tr119/schema"
	aio "github.com/tr119/tr119/stages/internal/analysisio"
)

// Version is the kind's implementation version: bump it whenever the same
// inputs would give other output bytes.
const Version = "7"

// IndexFile is the name of the figure index inside the figures folder.
const IndexFile = "index.json"

// Kind is the plot stage kind.
type Kind struct{}

// New returns the plot stage kind.
func New() engine.Kind { return Kind{} }

// Info implements engine.Kind.
func (Kind) Info() engine.KindInfo {
	return engine.KindInfo{
		Name: "plot", Version: Version, Deterministic: true,
		Doc: "Draws the report's figures (appendix B) from the cost tables: per mode, mean latency, throughput, " +
			"total cost per 1M tokens, cost by pricing tier, energy and carbon per 1M tokens, cost versus throughput, " +
			"with 95% CI error bars, as PNG and SVG. Inputs: cells, cell_tiers (required), summary, stats_cells, tier.",
		Outputs: []engine.OutputInfo{{Name: "figures", MediaType: "inode/directory", Dir: true,
			Doc: "MODE_METRIC.png and .svg per figure, and index.json listing each figure's title, mode, metric, files and source artifact sha256."}},
	}
}

// Schema implements engine.Kind.
func (Kind) Schema() *schema.Body { return bodySchema() }

// Run implements engine.Kind.
func (Kind) Run(ctx context.Context, r *engine.Run) (*engine.Result, error) {
	c, err := decode(r.Config)
	if err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	in, err := load(c)
	if err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	set := ""
	if c.Tier != nil {
		set = *c.Tier
	}
	tier, err := aio.HeadlineTier(in.tiers.Meta[artifacts.HeadlineTierKey], set)
	if err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	cs, err := charts(in, tier)
	if err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	dir := filepath.Join(r.OutDir, "figures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	if err := write(ctx, dir, cs, r.Progress); err != nil {
		return nil, fmt.Errorf("plot: %w", err)
	}
	return &engine.Result{Outputs: map[string]string{"figures": "figures"}}, nil
}

// load reads the input tables and checks their versions and columns.
func load(c config) (inputs, error) {
	var in inputs
	var err error
	read := func(a engine.Artifact, name, version string, cols ...string) (*frame.Frame, error) {
		f, err := frame.Read(a.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := f.Require(version, cols...); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return f, nil
	}
	a := artifacts.ACBackend
	if in.cells, err = read(c.Cells, "cells", "cost_cells/", a, artifacts.ACScenario, artifacts.ACMode, artifacts.ACThroughput); err != nil {
		return in, err
	}
	if in.tiers, err = read(c.CellTiers, "cell_tiers", "cost_cell_tiers/", a, artifacts.ACTier, artifacts.ACTotal); err != nil {
		return in, err
	}
	in.cellsSHA, in.tiersSHA = c.Cells.SHA256, c.CellTiers.SHA256
	if c.Summary != nil {
		if in.summary, err = read(*c.Summary, "summary", "cost_summary/", a, artifacts.ACTier, artifacts.ACTotal); err != nil {
			return in, err
		}
		in.summarySHA = c.Summary.SHA256
	}
	if c.StatsCells != nil {
		if in.stats, err = read(*c.StatsCells, "stats_cells", "stats_cells/", a, artifacts.ASMetric, artifacts.ASMean); err != nil {
			return in, err
		}
		in.statsSHA = c.StatsCells.SHA256
	}
	return in, nil
}

// CheckUpstream implements engine.UpstreamChecker: the tier must be one
// the cost stage it reads prices.
func (Kind) CheckUpstream(config cty.Value, upstream []engine.Upstream, _ string) []*schema.PathError {
	return aio.CheckTier(config, upstream)
}
