package artifacts

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow-go/v18/arrow"
)

// maxJSONLine bounds one JSON-lines record.
const maxJSONLine = 64 << 20

// ReadJSONL reads a JSON-lines file (one flat object per line; blank lines
// are skipped) into a table per opt. Columns are the keys in order of
// first appearance; an absent key is null. Errors name the file, the line
// and the column:
//
//	runs.jsonl:3: column "tokens": "12" is not an integer
//
// The file is read twice (names and types first), so memory stays
// proportional to the table.
func ReadJSONL(path string, opt ReadOptions) (arrow.Table, error) {
	var c tableCollector
	if err := readJSONL(path, opt, &c); err != nil {
		c.release()
		return nil, err
	}
	return c.table(), nil
}

// readJSONL reads a JSON-lines file per opt into out, a row group at a
// time.
func readJSONL(path string, opt ReadOptions, out batchSink) error {
	name := filepath.Base(path)
	var names []string
	pos := map[string]int{}
	var ins []jsonInferrer
	lines := 0
	err := eachJSONLine(path, func(line int, keys []string, vals []any) error {
		lines++
		for k, key := range keys {
			i, ok := pos[key]
			if !ok {
				i = len(names)
				pos[key] = i
				names = append(names, key)
				ins = append(ins, jsonInferrer{})
			}
			if err := ins[i].add(vals[k]); err != nil {
				return fmt.Errorf("%s:%d: column %q: %w", name, line, key, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if lines == 0 {
		return fmt.Errorf("%s: empty file (want one JSON object per line)", name)
	}
	infer, err := toInfer(names, opt)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	inferred := make([]arrow.DataType, len(names))
	for i := range names {
		if infer[i] {
			inferred[i] = ins[i].typ()
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
	row := make([]any, len(names))
	err = eachJSONLine(path, func(line int, keys []string, vals []any) error {
		clear(row)
		for k, key := range keys {
			row[pos[key]] = vals[k]
		}
		for i, v := range row {
			if o := l.src[i]; o >= 0 {
				if err := l.sinks[o].appendJSON(v); err != nil {
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

// eachJSONLine calls fn with the keys and values of every non-blank line.
func eachJSONLine(path string, fn func(line int, keys []string, vals []any) error) error {
	name := filepath.Base(path)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("read jsonl: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), maxJSONLine)
	line := 0
	var st jsonLines
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		if len(b) == 0 {
			continue
		}
		keys, vals, err := parseJSONObject(b, &st)
		if err != nil {
			return fmt.Errorf("%s:%d:%w", name, line, err)
		}
		if err := fn(line, keys, vals); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %w", name, line+1, err)
	}
	return nil
}
