package artifacts_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/tr119/tr119/artifacts"
)

// Import a runs CSV against the runs/v2 contract, write it as Parquet and
// read one column back.
func ExampleReadCSV() {
	tbl, err := artifacts.ReadCSV("testdata/runs_small.csv", artifacts.ReadOptions{Schema: artifacts.RunsSchema()})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer tbl.Release()
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "runs.parquet")
	if err := artifacts.WriteParquet(path, tbl); err != nil {
		fmt.Println(err)
		return
	}
	back, err := artifacts.ReadParquet(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer back.Release()
	lat, valid, err := artifacts.Float64Col(back, artifacts.ColLatencyMS)
	fmt.Println(artifacts.SchemaVersion(back.Schema()), back.NumRows(), lat[0], valid[0], err)
	// Output: runs/v2 24 13.6 true <nil>
}

// A bad cell is reported with its file, line and column.
func ExampleReadCSV_error() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "runs.csv")
	os.WriteFile(path, []byte("run_id,latency_ms\nr1,12.5\nr2,abc\n"), 0o644)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "run_id", Type: arrow.BinaryTypes.String},
		{Name: "latency_ms", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	}, nil)
	_, err := artifacts.ReadCSV(path, artifacts.ReadOptions{Schema: schema})
	fmt.Println(err)
	// Output: runs.csv:3: column "latency_ms": "abc" is not a number
}
