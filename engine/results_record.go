package engine

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/cache"
)

// ResultsRecord remembers, for each file an apply placed in a results
// folder, its digest and what stat said right after placing it: device,
// inode, size, modification and change times. A later apply trusts a
// file whose stat still matches without reading it, so a no-op apply
// stats the results instead of re-hashing them. The change time moves on
// every write and no user call can set it back, so an in-place edit that
// restores the modification time is still seen. (A write within the same
// clock tick as the apply's own stat would not be; `tr119 verify` always
// re-hashes.) The record is a cache: a missing or damaged one only costs
// re-hashing.
type ResultsRecord struct {
	path  string
	dir   string
	files map[string]fileStamp
	dirty bool
}

// fileStamp is one placed file's digest and stat.
type fileStamp struct {
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
	Dev     uint64 `json:"dev"`
	Inode   uint64 `json:"inode"`
	MtimeNS int64  `json:"mtime_ns"`
	CtimeNS int64  `json:"ctime_ns"`
}

// recordFile is the record's on-disk form.
type recordFile struct {
	Version int                  `json:"version"`
	Dir     string               `json:"dir"`
	Files   map[string]fileStamp `json:"files"`
}

const recordVersion = 1

// OpenResultsRecord loads the record kept at path for the results folder
// dir. A missing or damaged record, or one kept for another folder,
// starts empty.
func OpenResultsRecord(path, dir string) *ResultsRecord {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	r := &ResultsRecord{path: path, dir: abs, files: map[string]fileStamp{}}
	b, err := os.ReadFile(path)
	if err != nil {
		return r
	}
	var f recordFile
	if json.Unmarshal(b, &f) == nil && f.Version == recordVersion && f.Dir == abs && f.Files != nil {
		r.files = f.Files
	}
	return r
}

// Save writes the record atomically if it changed.
func (r *ResultsRecord) Save() error {
	if r == nil || !r.dirty {
		return nil
	}
	b, err := json.Marshal(recordFile{Version: recordVersion, Dir: r.dir, Files: r.files})
	if err != nil {
		return fmt.Errorf("save results record: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(r.path), 0o755); err != nil {
		return fmt.Errorf("save results record: %w", err)
	}
	if err := artifacts.WriteFileAtomic(r.path, b, 0o644); err != nil {
		return fmt.Errorf("save results record: %w", err)
	}
	r.dirty = false
	return nil
}

// matches reports whether the file at rel is, by its stat, the one
// recorded with digest sha.
func (r *ResultsRecord) matches(rel string, st fs.FileInfo, sha string) bool {
	if r == nil {
		return false
	}
	got, ok := stampOf(st)
	if !ok {
		return false
	}
	got.SHA256 = sha
	return r.files[rel] == got
}

// intact reports whether the regular file at rel (path, st) holds the
// bytes sha names: the record says so without reading it, or the size
// matches and hashing confirms it (then the record remembers).
func (r *ResultsRecord) intact(rel, path string, st fs.FileInfo, sha string, size int64) bool {
	if r.matches(rel, st, sha) {
		return true
	}
	if st.Size() != size {
		return false
	}
	if got, _, err := cache.HashFile(path); err == nil && got == sha {
		r.set(rel, st, sha)
		return true
	}
	return false
}

// set records the file at rel, whose content is known to hash to sha.
func (r *ResultsRecord) set(rel string, st fs.FileInfo, sha string) {
	if r == nil {
		return
	}
	s, ok := stampOf(st)
	if !ok {
		return
	}
	s.SHA256 = sha
	if r.files[rel] != s {
		r.files[rel] = s
		r.dirty = true
	}
}

// keepOnly forgets every file but those in keep.
func (r *ResultsRecord) keepOnly(keep map[string]bool) {
	if r == nil {
		return
	}
	for rel := range r.files {
		if !keep[rel] {
			delete(r.files, rel)
			r.dirty = true
		}
	}
}
