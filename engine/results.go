package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"sort"
)

// ResultFile is one output placed in the results folder.
type ResultFile struct {
	// Path is relative to the results folder, with forward slashes:
	// KIND/LABEL/OUTPUT.EXT (a folder output has no extension).
	Path string
	// Stage is the producing stage's address.
	Stage string
	// Output is the stored output.
	Output StoredOutput
}

// knownExt maps the media types tr119 kinds use to file extensions;
// others fall back to the system's mime table.
var knownExt = map[string]string{
	"application/vnd.apache.parquet": ".parquet",
	"application/json":               ".json",
	"application/x-ndjson":           ".jsonl",
	"application/jsonl":              ".jsonl",
	"text/csv":                       ".csv",
	"text/markdown":                  ".md",
	"text/html":                      ".html",
	"text/plain":                     ".txt",
	"image/png":                      ".png",
	"image/svg+xml":                  ".svg",
	"application/pdf":                ".pdf",
}

// extFor returns the file extension of a media type ("" when unknown).
func extFor(mediaType string) string {
	if e, ok := knownExt[mediaType]; ok {
		return e
	}
	if exts, err := mime.ExtensionsByType(mediaType); err == nil && len(exts) > 0 {
		sort.Strings(exts)
		return exts[0]
	}
	return ""
}

// ResultFiles lists where each available output of an apply goes in the
// results folder, sorted by path.
func ResultFiles(out *Outcome) []ResultFile {
	var files []ResultFile
	for _, s := range out.Stages {
		for _, o := range s.Outputs {
			p := path.Join(s.Stage.ResultDir(), o.Name)
			if !o.Dir {
				p += extFor(o.MediaType)
			}
			files = append(files, ResultFile{Path: p, Stage: s.Stage.Addr, Output: o})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files
}

// Materialize places files under dir (hard links where the store can) and
// removes the paths in previous, placed by an earlier apply, that are no
// longer among them. Only previously placed paths are ever removed.
func Materialize(s Store, files []ResultFile, dir string, previous []string) error {
	keep := map[string]bool{}
	for _, f := range files {
		keep[f.Path] = true
	}
	for _, p := range previous {
		if kept(keep, p) || !filepath.IsLocal(filepath.FromSlash(p)) {
			continue
		}
		if err := removeResult(dir, p); err != nil {
			return err
		}
	}
	for _, f := range files {
		dst := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("results: %w", err)
		}
		if err := s.Materialize(f.Output.StoredObject, dst); err != nil {
			return fmt.Errorf("results %s: %w", f.Path, err)
		}
	}
	return nil
}

// removeResult removes dir/p and the folders it leaves empty.
func removeResult(dir, p string) error {
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.RemoveAll(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("results: remove stale %s: %w", p, err)
	}
	for d := filepath.Dir(full); d != filepath.Clean(dir) && len(d) > len(dir); d = filepath.Dir(d) {
		if os.Remove(d) != nil {
			break
		}
	}
	return nil
}

// kept reports whether p is a kept result or lies inside a kept folder
// result (a manifest lists a folder's files one by one).
func kept(keep map[string]bool, p string) bool {
	for q := p; q != "." && q != "/"; q = path.Dir(q) {
		if keep[q] {
			return true
		}
	}
	return false
}
