package artifacts

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// ParquetMediaType is the media type of every Parquet artifact.
const ParquetMediaType = "application/vnd.apache.parquet"

// Pinned Parquet writer settings. Every one of them changes output bytes,
// so changing one is a format change: bump the version of every kind that
// writes Parquet.
const (
	parquetCreatedBy    = "tr119"
	parquetZstdLevel    = 3
	parquetRowGroupRows = 128 * 1024
)

// writerProps returns the pinned Parquet writer properties. Dictionary
// encoding is off: zstd already squeezes repeated strings, and plain
// encoding makes the bytes depend on nothing but the values.
func writerProps() *parquet.WriterProperties {
	return parquet.NewWriterProperties(
		parquet.WithCreatedBy(parquetCreatedBy),
		parquet.WithVersion(parquet.V2_6),
		parquet.WithDataPageVersion(parquet.DataPageV1),
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(parquetZstdLevel),
		parquet.WithDictionaryDefault(false),
		parquet.WithMaxRowGroupLength(parquetRowGroupRows),
		parquet.WithStats(true),
	)
}

// WriteParquet writes tbl to path atomically with pinned settings, so the
// same table (same schema, metadata and values, however it is chunked)
// always gives the same bytes. The schema metadata (e.g. "tr119.schema")
// is kept in the file's key-value metadata.
func WriteParquet(path string, tbl arrow.Table) error {
	return WriteAtomicFunc(path, func(w io.Writer) error {
		fw, err := pqarrow.NewFileWriter(tbl.Schema(), w, writerProps(), pqarrow.DefaultWriterProps())
		if err != nil {
			return fmt.Errorf("parquet writer: %w", err)
		}
		if err := fw.WriteTable(tbl, parquetRowGroupRows); err != nil {
			fw.Close()
			return fmt.Errorf("write table: %w", err)
		}
		return fw.Close()
	})
}

// WriteRecords writes record batches of schema to path as one table, with
// the same pinned settings as WriteParquet.
func WriteRecords(path string, schema *arrow.Schema, recs []arrow.RecordBatch) error {
	for i, r := range recs {
		if !r.Schema().Equal(schema) {
			return fmt.Errorf("write %s: record %d: schema differs from the table's", path, i)
		}
	}
	tbl := array.NewTableFromRecords(schema, recs)
	defer tbl.Release()
	return WriteParquet(path, tbl)
}

// ReadParquet reads a whole Parquet file into memory. The caller releases
// the table. The schema carries the file's key-value metadata.
func ReadParquet(path string) (arrow.Table, error) { return readParquet(path, nil) }

// ReadParquetColumns reads only the named top-level columns of a flat
// Parquet file (the cost stage reads 22 of the runs table's 49, which
// halves the time and memory on a million rows). Names absent from the
// file are skipped: the column getters then report them missing, by name.
// The schema keeps the file's metadata. The caller releases the table.
func ReadParquetColumns(path string, names []string) (arrow.Table, error) {
	if names == nil {
		names = []string{}
	}
	return readParquet(path, names)
}

// readParquet reads the named columns of every row group, or every column
// when names is nil.
func readParquet(path string, names []string) (arrow.Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read parquet: %w", err)
	}
	defer f.Close()
	rdr, err := file.NewParquetReader(f)
	if err != nil {
		return nil, fmt.Errorf("read parquet %s: %w", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{Parallel: false, BatchSize: 64 * 1024}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("read parquet %s: %w", path, err)
	}
	ps := rdr.MetaData().Schema
	var idx []int
	for i := range ps.NumColumns() {
		if names == nil {
			idx = append(idx, i)
		}
	}
	for _, n := range names {
		if i := ps.ColumnIndexByName(n); i >= 0 {
			idx = append(idx, i)
		}
	}
	rgs := make([]int, rdr.NumRowGroups())
	for i := range rgs {
		rgs[i] = i
	}
	raw, err := fr.ReadRowGroups(context.Background(), idx, rgs)
	if err != nil {
		return nil, fmt.Errorf("read parquet %s: %w", path, err)
	}
	defer raw.Release()
	schema := cleanSchema(raw.Schema(), rdr)
	cols := make([]arrow.Column, raw.NumCols())
	for i := range cols {
		cols[i] = *arrow.NewColumn(schema.Field(i), raw.Column(i).Data())
		defer cols[i].Release()
	}
	return array.NewTable(schema, cols, raw.NumRows()), nil
}

// cleanSchema returns s without the reader's per-field metadata
// ("PARQUET:field_id") and with the file's key-value metadata as schema
// metadata, so a table reads back with the schema it was written with.
func cleanSchema(s *arrow.Schema, rdr *file.Reader) *arrow.Schema {
	fields := make([]arrow.Field, s.NumFields())
	for i, f := range s.Fields() {
		fields[i] = arrow.Field{Name: f.Name, Type: f.Type, Nullable: f.Nullable}
	}
	var keys, vals []string
	for _, kv := range rdr.MetaData().KeyValueMetadata() {
		if kv.Key == "ARROW:schema" || kv.Value == nil {
			continue
		}
		keys = append(keys, kv.Key)
		vals = append(vals, *kv.Value)
	}
	if len(keys) == 0 {
		return arrow.NewSchema(fields, nil)
	}
	md := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(fields, &md)
}

// ReadParquetSchema reads only the Arrow schema (with metadata) and the
// row count of a Parquet file.
func ReadParquetSchema(path string) (*arrow.Schema, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, fmt.Errorf("read parquet schema: %w", err)
	}
	defer f.Close()
	rdr, err := file.NewParquetReader(f)
	if err != nil {
		return nil, 0, fmt.Errorf("read parquet %s: %w", path, err)
	}
	defer rdr.Close()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, 0, fmt.Errorf("read parquet %s: %w", path, err)
	}
	s, err := fr.Schema()
	if err != nil {
		return nil, 0, fmt.Errorf("read parquet %s: %w", path, err)
	}
	return cleanSchema(s, rdr), rdr.NumRows(), nil
}

// SchemaVersion returns the schema's contract version, the value of its
// "tr119.schema" metadata key, or "" when it has none.
func SchemaVersion(s *arrow.Schema) string {
	if s == nil {
		return ""
	}
	md := s.Metadata()
	if i := md.FindKey(SchemaKey); i >= 0 {
		return md.Values()[i]
	}
	return ""
}

// WithSchemaVersion returns s with its "tr119.schema" metadata set to
// version (other metadata kept).
func WithSchemaVersion(s *arrow.Schema, version string) *arrow.Schema {
	md := s.Metadata()
	keys, vals := []string{SchemaKey}, []string{version}
	for i, k := range md.Keys() {
		if k != SchemaKey {
			keys = append(keys, k)
			vals = append(vals, md.Values()[i])
		}
	}
	m := arrow.NewMetadata(keys, vals)
	return arrow.NewSchema(s.Fields(), &m)
}
