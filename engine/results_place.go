package engine

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
	"path/filepath"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/manifest"
)

// manifestName is the manifest's file name in the results folder.
const manifestName = "manifest.json"

// tempPrefix starts the names of files being placed; the next apply
// removes any a killed one left behind.
const tempPrefix = ".tr119-new-"

// ResultsOptions say where an apply's results go.
type ResultsOptions struct {
	// Dir is the results folder.
	Dir string
	// Record remembers the placed files (nil: re-hash what is there).
	Record *ResultsRecord
	// Info is what the manifest records besides the outcome.
	Info ManifestInfo
	// Log receives warnings (nil: none).
	Log *slog.Logger
}

// WriteResults makes the results folder hold exactly the results view of
// out (this apply's outputs and the last good ones of stages that
// produced none) and its manifest. Every digest comes from the store's
// records; a file in the folder whose bytes differ is replaced from the
// store, never re-hashed into the manifest. It works in three steps, so
// that a failure before the switch (a full disk) leaves the previous
// results and manifest as they were:
//
//  1. stage: each file not already in place is linked or copied from the
//     store under a temporary name beside its destination, and the new
//     manifest is written and synced under a temporary name;
//  2. switch: the temporary files are renamed onto their destinations,
//     the manifest last;
//  3. clean: files only the previous manifest lists, stray files in
//     folder outputs and leftovers of killed applies are removed.
func WriteResults(s Store, p *Pipeline, out *Outcome, o ResultsOptions) (*manifest.Manifest, error) {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	manifestPath := filepath.Join(o.Dir, manifestName)
	prev, err := manifest.Read(manifestPath)
	if err != nil {
		prev = nil // none yet, or unreadable: nothing to carry or clean
	}
	v, err := NewResultsView(s, p, out, prev)
	if err != nil {
		return nil, err
	}
	m, err := BuildManifest(p, out, v, o.Info)
	if err != nil {
		return nil, err
	}
	b, err := m.Marshal()
	if err != nil {
		return nil, err
	}
	pl := &placer{s: s, dir: o.Dir, rec: o.Record, log: o.Log, parents: map[string]bool{}, prev: map[string]bool{}}
	if prev != nil {
		for _, sub := range prev.Subject {
			pl.prev[sub.Name] = true
		}
	}
	if err := pl.stage(v, manifestPath, b); err != nil {
		pl.abort()
		return nil, fmt.Errorf("%w (the previous results and manifest are unchanged)", err)
	}
	if err := pl.commit(); err != nil {
		return nil, err
	}
	pl.clean(v)
	return m, nil
}

// placer carries one placement through its steps.
type placer struct {
	s       Store
	dir     string
	rec     *ResultsRecord
	log     *slog.Logger
	prev    map[string]bool // the previous manifest's subjects
	parents map[string]bool // folders checked to be real folders
	staged  []staged
	man     *artifacts.AtomicFile
}

// staged is a file waiting under a temporary name.
type staged struct {
	e   ResultEntry
	tmp string
	dst string
}

// stage prepares every entry not in place and the manifest.
func (pl *placer) stage(v *ResultsView, manifestPath string, manifest []byte) error {
	for _, e := range v.Entries {
		if err := pl.stageEntry(e); err != nil {
			return err
		}
	}
	f, err := artifacts.CreateAtomic(manifestPath)
	if err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	pl.man = f
	if _, err := f.Write(manifest); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// stageEntry leaves an entry in place when its bytes are right, else
// links or copies the stored object beside it.
func (pl *placer) stageEntry(e ResultEntry) error {
	dst := filepath.Join(pl.dir, filepath.FromSlash(e.Path))
	if err := pl.realFolders(e.Path); err != nil {
		return err
	}
	st, err := os.Lstat(dst)
	if err == nil && st.Mode().IsRegular() {
		if pl.rec.intact(e.Path, dst, st, e.SHA256, e.Size) {
			return nil
		}
		// Wrong bytes. If they are the cache's own (a hard link written
		// into), the stored copy is damaged too: re-check it rather than
		// place it again.
		if v, ok := pl.s.(objectVerifier); ok && hardLinked(st) {
			if err := v.VerifyObject(e.object()); err != nil {
				if e.earlier {
					pl.warn("results: a kept result was altered and so was the cache's copy; verify reports it until its stage runs again",
						"file", e.Path, "err", err)
					return nil
				}
				return fmt.Errorf("results %s: the file was altered and so was the cache's copy (%w); run apply again to rebuild it", e.Path, err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	tmp := filepath.Join(filepath.Dir(dst), tempPrefix+filepath.Base(dst))
	os.Remove(tmp) // a killed apply's leftover
	if err := pl.s.Materialize(e.object(), tmp); err != nil {
		os.Remove(tmp)
		if e.earlier {
			// A kept output the store no longer holds: leave what is
			// there; verify names it if it is wrong.
			pl.warn("results: cannot restore a kept result, the cache no longer holds it", "file", e.Path, "err", err)
			return nil
		}
		return fmt.Errorf("results %s: %w", e.Path, err)
	}
	pl.staged = append(pl.staged, staged{e: e, tmp: tmp, dst: dst})
	return nil
}

// realFolders makes sure every folder between the results folder and
// rel is a real folder: a symbolic link there (tampering) is removed, as
// is a file left by an earlier result of another shape.
func (pl *placer) realFolders(rel string) error {
	var dirs []string
	for d := path.Dir(rel); d != "." && d != "/"; d = path.Dir(d) {
		dirs = append(dirs, d)
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		d := dirs[i]
		if pl.parents[d] {
			continue
		}
		full := filepath.Join(pl.dir, filepath.FromSlash(d))
		st, err := os.Lstat(full)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("results: %w", err)
		case st.Mode()&fs.ModeSymlink != 0 || !st.IsDir() && pl.prev[d]:
			pl.warn("results: replacing a link or file where a folder of results belongs", "path", d)
			if err := os.Remove(full); err != nil {
				return fmt.Errorf("results: %w", err)
			}
		case !st.IsDir():
			return fmt.Errorf("results: %s is a file where a folder of results belongs; move it away", full)
		}
		pl.parents[d] = true
	}
	return nil
}

// abort removes what stage made; the previous results are untouched.
func (pl *placer) abort() {
	for _, s := range pl.staged {
		os.Remove(s.tmp)
	}
	if pl.man != nil {
		pl.man.Abort()
	}
}

// commit renames the staged files onto their destinations, then the
// manifest, and records what is now in place.
func (pl *placer) commit() error {
	for i, s := range pl.staged {
		if st, err := os.Lstat(s.dst); err == nil && st.IsDir() {
			os.RemoveAll(s.dst) // a folder where a file result goes
		}
		if err := os.Rename(s.tmp, s.dst); err != nil {
			pl.staged = pl.staged[i:]
			pl.abort()
			return fmt.Errorf("results %s: %w", s.e.Path, err)
		}
	}
	if err := pl.man.Commit(); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	for _, s := range pl.staged {
		if st, err := os.Lstat(s.dst); err == nil {
			pl.rec.set(s.e.Path, st, s.e.SHA256)
		}
	}
	return nil
}

// clean removes what the new manifest no longer lists: the previous
// manifest's other files, then stray files and links in the stage
// folders (KIND/LABEL, where tr119 places a stage's outputs and nothing
// else), temporary files of killed applies among them. A file the user
// put elsewhere in the results folder is never touched.
func (pl *placer) clean(v *ResultsView) {
	keep := map[string]bool{}
	roots := map[string]bool{}
	for _, e := range v.Entries {
		keep[e.Path] = true
		if f := manifest.StageFolder(e.Path); f != "" {
			roots[f] = true
		}
	}
	pl.rec.keepOnly(keep)
	// A manifest a killed apply was writing.
	if tmps, err := filepath.Glob(filepath.Join(pl.dir, "."+manifestName+".tmp-*")); err == nil {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	for p := range pl.prev {
		if !keep[p] && filepath.IsLocal(filepath.FromSlash(p)) {
			if err := removeResult(pl.dir, p); err != nil {
				pl.warn("results: remove stale file", "err", err)
			}
		}
	}
	for root := range roots {
		filepath.WalkDir(filepath.Join(pl.dir, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, err := filepath.Rel(pl.dir, p)
			if err != nil {
				return nil
			}
			rel = filepath.ToSlash(rel)
			if !keep[rel] {
				if err := os.Remove(p); err == nil {
					removeEmptyParents(pl.dir, p)
				}
			}
			return nil
		})
	}
}

func (pl *placer) warn(msg string, args ...any) {
	if pl.log != nil {
		pl.log.Warn(msg, args...)
	}
}
