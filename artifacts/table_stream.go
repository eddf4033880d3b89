package artifacts

import (
	"fmt"
	"io"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// batchSink receives a table being read: its schema first, then its rows
// in record batches.
type batchSink interface {
	begin(schema *arrow.Schema) error
	batch(rec arrow.RecordBatch) error
}

// tableCollector gathers the batches into an in-memory table.
type tableCollector struct {
	schema *arrow.Schema
	recs   []arrow.RecordBatch
}

func (c *tableCollector) begin(s *arrow.Schema) error { c.schema = s; return nil }

func (c *tableCollector) batch(rec arrow.RecordBatch) error {
	rec.Retain()
	c.recs = append(c.recs, rec)
	return nil
}

// table returns the collected table; the collector is spent afterwards.
func (c *tableCollector) table() arrow.Table {
	defer c.release()
	return array.NewTableFromRecords(c.schema, c.recs)
}

func (c *tableCollector) release() {
	for _, r := range c.recs {
		r.Release()
	}
	c.recs = nil
}

// parquetStream writes the batches to a Parquet file as they come, one
// row group per batch of parquetRowGroupRows rows: the same bytes as
// WriteParquet of the whole table.
type parquetStream struct {
	w      io.Writer
	fw     *pqarrow.FileWriter
	schema *arrow.Schema
	rows   int64
}

func (p *parquetStream) begin(s *arrow.Schema) error {
	fw, err := pqarrow.NewFileWriter(s, p.w, writerProps(), pqarrow.DefaultWriterProps())
	if err != nil {
		return fmt.Errorf("parquet writer: %w", err)
	}
	p.fw, p.schema = fw, s
	return nil
}

func (p *parquetStream) batch(rec arrow.RecordBatch) error {
	p.rows += rec.NumRows()
	return p.fw.Write(rec)
}

// close finishes the file; an empty table gets one empty row group, as
// WriteParquet writes it.
func (p *parquetStream) close() error {
	if p.fw == nil {
		return nil
	}
	if p.rows == 0 {
		tbl := array.NewTableFromRecords(p.schema, nil)
		defer tbl.Release()
		if err := p.fw.WriteTable(tbl, parquetRowGroupRows); err != nil {
			p.fw.Close()
			return err
		}
	}
	return p.fw.Close()
}

// ConvertTableFile reads a CSV, JSON-lines or Parquet file per opt (as
// ReadTableFile does) and writes it to dst as Parquet, atomically, with
// the same bytes as WriteParquet of the table. Text input is streamed: it
// never holds more than one row group in memory. It returns the table's
// schema and row count.
func ConvertTableFile(src string, format Format, opt ReadOptions, dst string) (*arrow.Schema, int64, error) {
	if format == FormatParquet {
		tbl, err := ReadTableFile(src, format, opt)
		if err != nil {
			return nil, 0, err
		}
		defer tbl.Release()
		return tbl.Schema(), tbl.NumRows(), WriteParquet(dst, tbl)
	}
	read := readCSV
	switch format {
	case FormatCSV:
	case FormatJSONL:
		read = readJSONL
	default:
		return nil, 0, fmt.Errorf("format %q: want csv, jsonl or parquet", format)
	}
	ps := &parquetStream{}
	var readErr error
	err := WriteAtomicFunc(dst, func(w io.Writer) error {
		ps.w = w
		if readErr = read(src, opt, ps); readErr != nil {
			if ps.fw != nil {
				ps.fw.Close()
			}
			return readErr
		}
		return ps.close()
	})
	if readErr != nil {
		// The input's own error (file:line: column ...) says it all.
		return nil, 0, readErr
	}
	if err != nil {
		return nil, 0, err
	}
	return ps.schema, ps.rows, nil
}
