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

// cellFile is one finished cell: its rows, or why it is not applicable.
type cellFile struct {
	Cell string `json:"cell"`
	Rows []row  `json:"rows"`
	// NotApplicable is the backend's reason when it cannot run the mode.
	NotApplicable string `json:"not_applicable,omitempty"`
	// PeakGPUMemory is the device memory peak the backend reported.
	PeakGPUMemory *int64 `json:"peak_gpu_memory,omitempty"`
}

func (c checkpoint) path(i int) string { return filepath.Join(c.dir, fmt.Sprintf("cell-%03d.json", i)) }

// load returns the rows of cell i when a checkpoint of the same cell
// exists; a missing or damaged file is simply not resumed.
func (c checkpoint) load(i int, id string) (cellFile, bool) {
	if c.dir == "" {
		return cellFile{}, false
	}
	b, err := os.ReadFile(c.path(i))
	if err != nil {
		return cellFile{}, false
	}
	var f cellFile
	if json.Unmarshal(b, &f) != nil || f.Cell != id || (len(f.Rows) == 0) == (f.NotApplicable == "") {
		return cellFile{}, false
	}
	return f, true
}

// save writes cell i atomically.
func (c checkpoint) save(i int, f cellFile) error {
	id := f.Cell
	if c.dir == "" {
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("checkpoint cell %s: %w", id, err)
	}
	af, err := artifacts.CreateAtomic(c.path(i))
	if err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	defer af.Abort()
	if _, err := af.Write(b); err != nil {
		return fmt.Errorf("checkpoint cell %s: %w", id, err)
	}
	return af.Commit()
}
