package artifacts

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
)

// ReadCSV reads a CSV file with a header row into a table per opt. Errors
// name the file, the line and the column:
//
//	runs.csv:12: column "latency_ms": "abc" is not a number
//
// An empty cell is null (in a required string column: the empty string).
// When some column's type must be inferred the file is read twice, so
// memory stays proportional to the table, not to the text.
func ReadCSV(path string, opt ReadOptions) (arrow.Table, error) {
	var c tableCollector
	if err := readCSV(path, opt, &c); err != nil {
		c.release()
		return nil, err
	}
	return c.table(), nil
}

// readCSV reads a CSV file per opt into out, a row group at a time.
func readCSV(path string, opt ReadOptions, out batchSink) error {
	name := filepath.Base(path)
	names, err := csvHeader(path)
	if err != nil {
		return err
	}
	infer, err := toInfer(names, opt)
	if err != nil {
		return fmt.Errorf("%s:1: %w", name, err)
	}
	inferred := make([]arrow.DataType, len(names))
	if anyTrue(infer) {
		ins := make([]textInferrer, len(names))
		err := eachCSVRecord(path, len(names), func(_ int, rec []string) error {
			for i, v := range rec {
				if infer[i] {
					ins[i].add(v)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for i := range ins {
			if infer[i] {
				inferred[i] = ins[i].typ()
			}
		}
	}
	l, err := newLayout(names, opt, inferred)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	defer l.release()
	l.checkRows(name)
	if err := out.begin(l.schema()); err != nil {
		return err
	}
	err = eachCSVRecord(path, len(names), func(line int, rec []string) error {
		for i, v := range rec {
			if o := l.src[i]; o >= 0 {
				if err := l.sinks[o].appendText(v); err != nil {
					return fmt.Errorf("%s:%d: column %q: %w", name, line, names[i], err)
				}
			}
		}
		return l.endRow(out, line)
	})
	if err != nil {
		return err
	}
	return l.flush(out)
}

// csvHeader returns the header row's column names.
func csvHeader(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read csv: %w", err)
	}
	defer f.Close()
	r := newCSVReader(f)
	names, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: empty file (want a header row)", filepath.Base(path))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if err := checkNames(names); err != nil {
		return nil, fmt.Errorf("%s:1: %w", filepath.Base(path), err)
	}
	return names, nil
}

// eachCSVRecord calls fn with every data record (after the header) and
// the line it starts on; a record with another field count than the
// header is an error.
func eachCSVRecord(path string, fields int, fn func(line int, rec []string) error) error {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read csv: %w", err)
	}
	defer f.Close()
	r := newCSVReader(f)
	if _, err := r.Read(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != fields {
			return fmt.Errorf("%s:%d: %d fields, the header has %d", name, line, len(rec), fields)
		}
		if err := fn(line, rec); err != nil {
			return err
		}
	}
}

// newCSVReader returns a reader that skips a UTF-8 byte order mark (as
// spreadsheets write) and reuses its record slice.
func newCSVReader(f io.Reader) *csv.Reader {
	br := bufio.NewReaderSize(f, 1<<16)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	r := csv.NewReader(br)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	return r
}

func anyTrue(bs []bool) bool {
	for _, b := range bs {
		if b {
			return true
		}
	}
	return false
}
