package analysistest

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/bench/synthruns"
	"github.com/tr119/tr119/engine"
)

type nopProgress struct{}

// Report implements engine.Progress by doing nothing.
func (nopProgress) Report(int64, int64, string) {}

// Small is a 2 backend (one gpu, one cpu) x 2 scenario x 2 mode x 3
// repetition matrix, 2 prompts each.
func Small() synthruns.Config {
	cfg := synthruns.Default()
	cfg.Backends = []synthruns.Backend{cfg.Backends[0], cfg.Backends[3]}
	cfg.Scenarios = cfg.Scenarios[:2]
	cfg.Reps = 3
	return cfg
}

// RunsArtifact writes cfg's runs as Parquet under dir and returns it as
// an available artifact.
func RunsArtifact(t testing.TB, dir string, cfg synthruns.Config) engine.Artifact {
	t.Helper()
	p := filepath.Join(dir, "runs.parquet")
	if err := synthruns.WriteParquet(p, cfg); err != nil {
		t.Fatal(err)
	}
	return FileArtifact(t, p, "stage.import.runs")
}

// FileArtifact describes an existing file as an available artifact.
func FileArtifact(t testing.TB, path, stage string) engine.Artifact {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return engine.Artifact{Path: path, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(b)),
		MediaType: "application/vnd.apache.parquet", Stage: stage, Available: true}
}

// List is a cty list of artifacts.
func List(arts ...engine.Artifact) cty.Value {
	vals := make([]cty.Value, len(arts))
	for i, a := range arts {
		vals[i] = a.Value()
	}
	return cty.ListVal(vals)
}

// Run returns an engine.Run for config with a fresh OutDir.
func Run(t testing.TB, config cty.Value) *engine.Run {
	t.Helper()
	return &engine.Run{Addr: "stage.test.t", Label: "t", Config: config, Workspace: t.TempDir(),
		OutDir: t.TempDir(), Progress: nopProgress{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// Outputs reads every output file of a result.
func Outputs(t testing.TB, r *engine.Run, res *engine.Result) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for name, rel := range res.Outputs {
		b, err := os.ReadFile(filepath.Join(r.OutDir, rel))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// StringTable writes a Parquet table of string columns under the schema
// version given, as the named stage's artifact.
func StringTable(t testing.TB, stage, version string, cols []string, rows ...[]string) engine.Artifact {
	t.Helper()
	md := arrow.NewMetadata([]string{artifacts.SchemaKey}, []string{version})
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c, Type: arrow.BinaryTypes.String}
	}
	b := artifacts.NewBuilder(arrow.NewSchema(fields, &md))
	defer b.Release()
	for _, r := range rows {
		vals := make([]any, len(r))
		for i, v := range r {
			vals[i] = v
		}
		if err := b.Append(vals...); err != nil {
			t.Fatal(err)
		}
	}
	tbl := b.Table()
	defer tbl.Release()
	p := filepath.Join(t.TempDir(), "table.parquet")
	if err := artifacts.WriteParquet(p, tbl); err != nil {
		t.Fatal(err)
	}
	return FileArtifact(t, p, stage)
}

// CPUCores writes a benchmark's environment/v1 table that records only
// cpu_cores = n (what the busy-machine check needs).
func CPUCores(t testing.TB, n string) engine.Artifact {
	t.Helper()
	return StringTable(t, "stage.benchmark.x", "environment/v1",
		[]string{artifacts.ColEnvironmentID, "key", "value"}, []string{"env", "cpu_cores", n})
}
