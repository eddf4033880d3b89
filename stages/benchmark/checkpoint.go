package benchmark

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/artifacts"
)

// checkpoint keeps finished cells in a folder that survives an
// interrupted run, one atomic JSON file per cell position.
type checkpoint struct{ dir string }

// cellFile is one finished cell.
type cellFile struct {
	Cell string `json:"cell"`
	Rows []row  `json:"rows"`
}

func (c checkpoint) path(i int) string { return filepath.Join(c.dir, fmt.Sprintf("cell-%03d.json", i)) }

// load returns the rows of cell i when a checkpoint of the same cell
// exists; a missing or damaged file is simply not resumed.
func (c checkpoint) load(i int, id string) ([]row, bool) {
	if c.dir == "" {
		return nil, false
	}
	b, err := os.ReadFile(c.path(i))
	if err != nil {
		return nil, false
	}
	var f cellFile
	if json.Unmarshal(b, &f) != nil || f.Cell != id || len(f.Rows) == 0 {
		return nil, false
	}
	return f.Rows, true
}

// save writes cell i atomically.
func (c checkpoint) save(i int, id string, rows []row) error {
	if c.dir == "" {
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	b, err := json.Marshal(cellFile{Cell: id, Rows: rows})
	if err != nil {
		return fmt.Errorf("checkpoint cell %s: %w", id, err)
	}
	f, err := artifacts.CreateAtomic(c.path(i))
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	defer f.Abort()
	if _, err := f.Write(b); err != nil {
		return fmt.Errorf("checkpoint cell %s: %w", id, err)
	}
	return f.Commit()
}
