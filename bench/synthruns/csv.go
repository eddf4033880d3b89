package synthruns

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/tr119/tr119/artifacts"
)

// col reads one runs/v2 column of a row: exactly one getter is set. A
// float getter returns NaN for null; a column with none set is all null.
type col struct {
	s func(*Row) string
	i func(*Row) int64
	f func(*Row) float64
	b func(*Row) bool
}

func (c col) appendCSV(b []byte, r *Row) []byte {
	switch {
	case c.s != nil:
		return append(b, c.s(r)...)
	case c.i != nil:
		return strconv.AppendInt(b, c.i(r), 10)
	case c.b != nil:
		return strconv.AppendBool(b, c.b(r))
	case c.f != nil:
		if v := c.f(r); !math.IsNaN(v) {
			return strconv.AppendFloat(b, v, 'g', 7, 64) // 7 digits: small files, far below measurement noise
		}
	}
	return b
}

// columns returns the getters of every runs/v2 column, in schema order.
func columns() ([]col, error) {
	schema := artifacts.RunsSchema()
	out := make([]col, 0, schema.NumFields())
	for _, f := range schema.Fields() {
		c, err := column(f.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// WriteCSV writes the rows as CSV with the runs/v2 columns as header, in
// schema order: booleans as true/false, nulls as empty fields.
func WriteCSV(w io.Writer, cfg Config) error {
	cols, err := columns()
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	for i, f := range artifacts.RunsSchema().Fields() {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(f.Name)
	}
	bw.WriteByte('\n')
	var line []byte
	var werr error
	Each(cfg, func(r *Row) {
		line = line[:0]
		for i, c := range cols {
			if i > 0 {
				line = append(line, ',')
			}
			line = c.appendCSV(line, r)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil && werr == nil {
			werr = err
		}
	})
	if werr != nil {
		return fmt.Errorf("write csv: %w", werr)
	}
	return bw.Flush()
}

func str(get func(*Row) string) col   { return col{s: get} }
func i64(get func(*Row) int64) col    { return col{i: get} }
func f64(get func(*Row) float64) col  { return col{f: get} }
func boolean(get func(*Row) bool) col { return col{b: get} }

var null = col{}

// column returns the getter of a runs/v2 column.
func column(name string) (col, error) {
	switch name {
	case artifacts.ColRunID:
		return str(func(r *Row) string { return r.RunID }), nil
	case artifacts.ColBackend:
		return str(func(r *Row) string { return r.Backend }), nil
	case artifacts.ColRuntime:
		return str(func(r *Row) string { return "synthetic" }), nil
	case artifacts.ColDevice:
		return str(func(r *Row) string {
			if r.DeviceClass == "gpu" {
				return "cuda:0"
			}
			return "cpu"
		}), nil
	case artifacts.ColDeviceClass:
		return str(func(r *Row) string { return r.DeviceClass }), nil
	case artifacts.ColModel:
		return str(func(r *Row) string { return "gpt2" }), nil
	case artifacts.ColModelSHA256:
		return str(func(r *Row) string { return "0000000000000000000000000000000000000000000000000000000000000000" }), nil
	case artifacts.ColScenario:
		return str(func(r *Row) string { return r.Scenario }), nil
	case artifacts.ColMode:
		return str(func(r *Row) string { return r.Mode }), nil
	case artifacts.ColBatchSize:
		return i64(func(r *Row) int64 { return r.Batch }), nil
	case artifacts.ColSeqLen:
		return i64(func(r *Row) int64 { return r.SeqLen }), nil
	case artifacts.ColRepetition:
		return i64(func(r *Row) int64 { return r.Rep }), nil
	case artifacts.ColPromptIndex:
		return i64(func(r *Row) int64 { return r.Prompt }), nil
	case artifacts.ColWarmup:
		return boolean(func(r *Row) bool { return r.Warmup }), nil
	case artifacts.ColDriftCheck:
		return boolean(func(r *Row) bool { return false }), nil
	case artifacts.ColStatus:
		return str(func(r *Row) string { return artifacts.StatusOK }), nil
	case artifacts.ColStatusReason, artifacts.ColEnvironmentID:
		return str(func(r *Row) string { return "" }), nil
	case artifacts.ColLatencyMS:
		return f64(func(r *Row) float64 { return r.LatencyMS }), nil
	case artifacts.ColTokens:
		return i64(func(r *Row) int64 { return r.Tokens }), nil
	case artifacts.ColThroughput:
		return f64(func(r *Row) float64 { return r.Throughput }), nil
	case artifacts.ColTTFTMS, artifacts.ColITLMeanMS, artifacts.ColITLP50MS, artifacts.ColITLP99MS, artifacts.ColPeakRSSBytes,
		artifacts.ColProcessCPUS, artifacts.ColSystemCPUUtil:
		return null, nil
	case artifacts.ColWindowCalls:
		return i64(func(r *Row) int64 { return 1 }), nil
	case artifacts.ColWindowMS:
		return f64(func(r *Row) float64 { return r.LatencyMS }), nil
	}
	for d, dom := range artifacts.Domains {
		switch name {
		case artifacts.DomainCol(dom, artifacts.SufEnergyJ):
			return f64(func(r *Row) float64 { return r.EnergyJ[d] }), nil
		case artifacts.DomainCol(dom, artifacts.SufEnergyActiveJ):
			return f64(func(r *Row) float64 { return r.EnergyJ[d] * 0.8 }), nil
		case artifacts.DomainCol(dom, artifacts.SufPowerW):
			return f64(func(r *Row) float64 { return r.PowerW[d] }), nil
		case artifacts.DomainCol(dom, artifacts.SufSamples):
			return i64(func(r *Row) int64 { return int64(max(1, r.LatencyMS/100)) }), nil
		case artifacts.DomainCol(dom, artifacts.SufSource):
			return str(func(r *Row) string { return r.Source[d] }), nil
		case artifacts.DomainCol(dom, artifacts.SufSourceReason):
			return str(func(r *Row) string {
				if r.Source[d] == artifacts.SourceUnavailable {
					return "synthetic: not measured"
				}
				return ""
			}), nil
		case artifacts.DomainCol(dom, artifacts.SufIdlePowerW):
			return f64(func(r *Row) float64 { return r.PowerW[d] * 0.2 }), nil
		}
	}
	return col{}, fmt.Errorf("synthruns: no generator for runs column %q", name)
}
