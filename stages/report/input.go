package report

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/analysis/checks"
	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/frame"
	"github.com/tr119/tr119/stages/internal/analysisio"
)

// input is every artifact the report renders, loaded.
type input struct {
	cfg config
	// tables by attribute name (cells, summary, stats_tests, ...).
	t map[string]*frame.Frame
	// runs and environments: one frame per artifact, beside its artifact.
	runs, envs       []*frame.Frame
	runArts, envArts []engine.Artifact
	// benchCells: the benchmarks' cells tables (cells/v1).
	benchCells []*frame.Frame
	// validation tables and JSON summaries, one per validate stage.
	valids     []*frame.Frame
	validArts  []engine.Artifact
	validJSONs []map[string]any
	costJSON   map[string]any
	figs       []figure
	figIndex   engine.Artifact
	// tier is the headline tier: the cost stage's (summary metadata).
	tier string
	// busyCells are the cells measured on a busy machine, busySkipped
	// why that could not be checked (busy).
	busyCells   []checks.BusyCell
	busySkipped string
	// noEnergy is true when no cell has energy: energy and carbon
	// figures and tables are replaced by one sentence.
	noEnergy bool
}

// tableVersions are the schema prefixes the table attributes must carry.
var tableVersions = map[string]string{
	"cells": "cost_cells/", "cell_tiers": "cost_cell_tiers/", "summary": "cost_summary/",
	"winners": "cost_winners/", "requests": "cost_requests/", "tco": "cost_tco/", "savings": "cost_savings/",
	"stats_cells": "stats_cells/", "stats_groups": "stats_groups/", "stats_tests": "stats_tests/",
	"stats_pairwise": "stats_pairwise/", "stats_cell_pairwise": "stats_cell_pairwise/",
}

// runsCols are the runs/v2 columns the report reads.
var runsCols = []string{artifacts.ColBackend, artifacts.ColDevice, artifacts.ColDeviceClass, artifacts.ColMode,
	artifacts.ColScenario, artifacts.ColStatus, artifacts.ColStatusReason, artifacts.ColWarmup, artifacts.ColModel,
	artifacts.ColModelSHA256, artifacts.ColRepetition, artifacts.ColEnvironmentID, artifacts.ColLatencyMS,
	artifacts.ColProcessCPUS, artifacts.ColSystemCPUUtil,
	artifacts.DomainCol("gpu", artifacts.SufSource), artifacts.DomainCol("gpu", artifacts.SufSourceReason),
	artifacts.DomainCol("cpu_package", artifacts.SufSource), artifacts.DomainCol("cpu_package", artifacts.SufSourceReason),
	artifacts.DomainCol("dram", artifacts.SufSource), artifacts.DomainCol("dram", artifacts.SufSourceReason)}

func load(c config) (*input, error) {
	in := &input{cfg: c, t: map[string]*frame.Frame{}}
	for name, version := range tableVersions {
		a, ok := c.Arts[name]
		if !ok {
			continue
		}
		f, err := frame.Read(a.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if err := f.Require(version); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		in.t[name] = f
	}
	for _, a := range c.Lists["runs"] {
		f, err := frame.ReadColumns(a.Path, runsCols)
		if err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		if err := f.Require("runs/", artifacts.ColBackend, artifacts.ColMode); err != nil {
			return nil, fmt.Errorf("runs: %w", err)
		}
		in.runs, in.runArts = append(in.runs, f), append(in.runArts, a)
	}
	for _, a := range c.Lists["environments"] {
		f, err := frame.Read(a.Path)
		if err != nil {
			return nil, fmt.Errorf("environments: %w", err)
		}
		if err := f.Require("environment/", "key", "value"); err != nil {
			return nil, fmt.Errorf("environments: %w", err)
		}
		in.envs, in.envArts = append(in.envs, f), append(in.envArts, a)
	}
	for _, a := range c.Lists["benchmark_cells"] {
		f, err := frame.Read(a.Path)
		if err != nil {
			return nil, fmt.Errorf("benchmark_cells: %w", err)
		}
		if err := f.Require("cells/", artifacts.ColBackend, artifacts.ColScenario, artifacts.ColMode, "status", "status_reason"); err != nil {
			return nil, fmt.Errorf("benchmark_cells: %w", err)
		}
		in.benchCells = append(in.benchCells, f)
	}
	for _, a := range c.Lists["validation"] {
		f, err := frame.Read(a.Path)
		if err != nil {
			return nil, fmt.Errorf("validation: %w", err)
		}
		if err := f.Require("validation/", artifacts.AVSeverity, artifacts.AVCheck, artifacts.AVMessage); err != nil {
			return nil, fmt.Errorf("validation: %w", err)
		}
		in.valids, in.validArts = append(in.valids, f), append(in.validArts, a)
	}
	for _, a := range c.Lists["validation_json"] {
		m, err := readJSON(a, "validation_json")
		if err != nil {
			return nil, err
		}
		in.validJSONs = append(in.validJSONs, m)
	}
	var err error
	if a, ok := c.Arts["cost_json"]; ok {
		if in.costJSON, err = readJSON(a, "cost_json"); err != nil {
			return nil, err
		}
	}
	if in.tier, err = analysisio.HeadlineTier(in.t["summary"].Meta[artifacts.HeadlineTierKey], c.Tier); err != nil {
		return nil, err
	}
	in.noEnergy = true
	for i := 0; i < in.t["cells"].Len; i++ {
		if !math.IsNaN(in.t["cells"].Num(artifacts.ACEnergy, i)) {
			in.noEnergy = false
		}
	}
	in.busyCells, in.busySkipped = in.busy()
	if a, ok := c.Arts["figures"]; ok {
		in.figIndex = a
		if in.figs, err = readFigures(a.Path); err != nil {
			return nil, fmt.Errorf("figures: %w", err)
		}
	}
	return in, nil
}

func readJSON(a engine.Artifact, name string) (map[string]any, error) {
	b, err := os.ReadFile(a.Path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, a.Path, err)
	}
	return m, nil
}

// figIndex mirrors the plot stage's index.json (the report reads the
// artifact, not the plot package).
type figIndex struct {
	Figures []struct {
		ID, Title, Mode, Metric, PNG, Caption string
		Number                                int
	} `json:"figures"`
}

func readFigures(dir string) ([]figure, error) {
	b, err := os.ReadFile(filepath.Join(dir, "index.json"))
	if err != nil {
		return nil, err
	}
	var idx figIndex
	if err := json.Unmarshal(b, &idx); err != nil {
		return nil, fmt.Errorf("index.json: %w", err)
	}
	var out []figure
	for _, f := range idx.Figures {
		if !filepath.IsLocal(f.PNG) {
			return nil, fmt.Errorf("index.json: figure %s: png %q is not inside the folder", f.ID, f.PNG)
		}
		png, err := os.ReadFile(filepath.Join(dir, f.PNG))
		if err != nil {
			return nil, err
		}
		caption := f.Title
		if f.Caption != "" {
			caption = f.Caption
		}
		if f.Number > 0 {
			caption = fmt.Sprintf("**Figure %d.** %s", f.Number, caption)
		}
		out = append(out, figure{title: f.Title, caption: caption, file: f.PNG, png: png})
	}
	return out, nil
}

// src is a table's provenance: the input name, its stage and sha256
// prefix.
func (in *input) src(name string) string {
	a := in.cfg.Arts[name]
	return fmt.Sprintf("`%s` from %s (sha256 %s)", name, a.Stage, short(a.SHA256))
}

func short(sha string) string {
	if len(sha) > 12 {
		return sha[:12]
	}
	return sha
}
