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

	"github.com/tr119/tr119/cache"
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

// ResultEntry is one file of the results folder: a file output, or one
// file of a folder output, with the digest and size the store records
// for it (never a hash of what lies in the results folder).
type ResultEntry struct {
	// Path is relative to the results folder, with forward slashes.
	Path string
	// Stage and Output name the producing stage and its output.
	Stage, Output string
	// MediaType is a file output's media type ("" for a folder's file).
	MediaType string
	// SHA256 and Size are the file's, as the store records them.
	SHA256 string
	Size   int64

	earlier bool // kept from an earlier apply
}

// object is the stored blob holding the entry's bytes.
func (e ResultEntry) object() StoredObject { return StoredObject{SHA256: e.SHA256, Size: e.Size} }

// treeLister is a store that lists a stored folder from its recorded
// listing; cacheStore is one.
type treeLister interface {
	ListTree(o StoredObject) ([]TreeFile, error)
}

// TreeFile is one file of a stored folder.
type TreeFile struct {
	// Path is slash-separated, relative to the folder.
	Path string
	// SHA256 and Size are the file's; its bytes are the blob of SHA256.
	SHA256 string
	Size   int64
}

// entriesOf lists result files as entries, a folder output file by file
// from the store's listing.
func entriesOf(s Store, files []ResultFile) ([]ResultEntry, error) {
	var entries []ResultEntry
	for _, f := range files {
		if !f.Output.Dir {
			entries = append(entries, ResultEntry{Path: f.Path, Stage: f.Stage, Output: f.Output.Name,
				MediaType: f.Output.MediaType, SHA256: f.Output.SHA256, Size: f.Output.Size})
			continue
		}
		tree, err := listTree(s, f.Output.StoredObject)
		if err != nil {
			return nil, fmt.Errorf("results %s: %w", f.Path, err)
		}
		for _, t := range tree {
			entries = append(entries, ResultEntry{Path: f.Path + "/" + t.Path, Stage: f.Stage,
				Output: f.Output.Name, SHA256: t.SHA256, Size: t.Size})
		}
	}
	return entries, nil
}

// listTree lists a stored folder: from the store's listing where it keeps
// one, else by hashing the store's own copy (never the results folder).
func listTree(s Store, o StoredObject) ([]TreeFile, error) {
	if l, ok := s.(treeLister); ok {
		return l.ListTree(o)
	}
	root, err := s.ObjectPath(o)
	if err != nil {
		return nil, err
	}
	var files []TreeFile
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		sha, size, err := cache.HashFile(p)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		files = append(files, TreeFile{Path: filepath.ToSlash(rel), SHA256: sha, Size: size})
		return err
	})
	return files, err
}

// removeResult removes dir/p and the folders it leaves empty.
func removeResult(dir, p string) error {
	full := filepath.Join(dir, filepath.FromSlash(p))
	if err := os.RemoveAll(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("results: remove stale %s: %w", p, err)
	}
	removeEmptyParents(dir, full)
	return nil
}

// removeEmptyParents removes the folders above full, up to dir, that are
// left empty.
func removeEmptyParents(dir, full string) {
	for d := filepath.Dir(full); d != filepath.Clean(dir) && len(d) > len(dir); d = filepath.Dir(d) {
		if os.Remove(d) != nil {
			break
		}
	}
}
