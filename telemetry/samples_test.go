package telemetry

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/tr119/tr119/artifacts"
)

func TestWriteSamples(t *testing.T) {
	c := &manualClock{}
	r := manual(t, quiet(t, opener(&fakeLib{gpus: []GPU{steady(c.now, 100)}})), c)
	run(r, c, 1000*ms)
	r.Energy(Mark{200 * ms}, Mark{700 * ms})
	path := filepath.Join(t.TempDir(), "samples.parquet")
	if err := r.WriteSamples(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pr, err := file.NewParquetReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	fr, err := pqarrow.NewFileReader(pr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	// pqarrow keeps the schema metadata in the file's key-value metadata.
	kv := pr.MetaData().KeyValueMetadata()
	if v := kv.FindValue(artifacts.SchemaKey); v == nil || *v != SamplesVersion {
		t.Fatalf("metadata %v, want %s=%s", kv, artifacts.SchemaKey, SamplesVersion)
	}
	if kv.FindValue(SamplesMetaStart) == nil || kv.FindValue(SamplesMetaInterval) == nil {
		t.Errorf("metadata %v lacks the start and interval", kv)
	}
	count := map[string]int{}
	var winStart float64 = -1
	tr := array.NewTableReader(tbl, 0)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		ts := rec.Column(0).(*array.Int64)
		ch := rec.Column(3).(*array.String)
		val := rec.Column(4).(*array.Float64)
		for i := 0; i < int(rec.NumRows()); i++ {
			count[ch.Value(i)]++
			if ch.Value(i) == chWinStart {
				winStart = float64(ts.Value(i))
				if val.Value(i) != 0 {
					t.Errorf("first window index %v", val.Value(i))
				}
			}
		}
	}
	// 21 counter reads (open and 20 polls), 50 power samples (20 ms to
	// 1 s; Open's probe took the one at 0), one window.
	if count[chEnergyJ] != 21 || count[chPowerSample] != 50 || count[chWinStart] != 1 || winStart != float64(200*ms) {
		t.Errorf("rows per channel %v, window start %v", count, winStart)
	}
	if count["util_gpu_pct"] == 0 {
		t.Errorf("no status rows: %v", count)
	}
}

func TestWriteSamplesBadPath(t *testing.T) {
	c := &manualClock{}
	r := manual(t, quiet(t, failingOpener(os.ErrNotExist)), c)
	dir := filepath.Join(t.TempDir(), "absent")
	if err := r.WriteSamples(filepath.Join(dir, "s.parquet")); err == nil {
		t.Fatal("write into a missing folder succeeded")
	}
}
