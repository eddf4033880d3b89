package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// GCStats says what GC removed.
type GCStats struct {
	// Actions is the number of action entries removed.
	Actions int
	// Objects is the number of blobs removed.
	Objects int
	// Bytes is the disk space freed by removing them.
	Bytes int64
	// Damaged is the number of kept objects and entries found damaged
	// (wrong size, not a regular file, a small one with wrong content,
	// an entry that does not decode or belongs to another key) and moved
	// to the quarantine folder.
	Damaged int
}

// tempGrace is how old a stray temporary file must be before GC removes
// it: younger ones may belong to a write in progress.
const tempGrace = time.Hour

// maxTreeListing bounds the blobs GC will try to read as tree listings.
const maxTreeListing = 64 << 20

// GC removes every action entry whose key is not in keep, and every
// object that neither a kept entry nor keepObjects (hex digests, e.g. the
// subjects of a results manifest) references; a kept folder object keeps
// its files. Kept objects and entries are checked as cheaply as reads
// check them (size, file type, content of small objects); damaged ones
// are moved to the quarantine folder, never silently kept or deleted.
// Checkpoints and the quarantine are left alone. GC must not run beside
// an apply on the same cache: objects just stored but not yet recorded
// would go, so the caller holds the cache's Exclusive lock (Lock).
func (c *Cache) GC(keep []ActionID, keepObjects []string) (GCStats, error) {
	var st GCStats
	kept := make(map[ActionID]bool, len(keep))
	for _, id := range keep {
		kept[id] = true
	}
	live := make(map[string]int64) // digest -> size; -1: unknown
	err := c.walkStore(actionsDir, func(p, name string, info fs.FileInfo) error {
		id, err := ParseActionID(name)
		if err == nil && kept[id] {
			e, derr := c.readEntry(id, p, info)
			if derr == nil {
				for _, o := range e.Outputs {
					c.markLive(live, o.SHA256, o.Size, o.Dir)
				}
				return nil
			}
			st.Damaged++
			c.quarantine("action-"+name, p, derr.Error())
			return nil
		}
		st.Actions++
		st.Bytes += info.Size()
		return os.Remove(p)
	})
	if err != nil {
		return st, fmt.Errorf("gc actions: %w", err)
	}
	for _, sha := range keepObjects {
		if validSHA(sha) {
			c.markLive(live, sha, -1, true)
		}
	}
	err = c.walkStore(objectsDir, func(p, name string, info fs.FileInfo) error {
		if size, ok := live[name]; ok {
			if size < 0 { // a folder listing, or a manifest subject
				size = info.Size()
			}
			if _, err := c.blob(name, size, check{}); errors.Is(err, ErrCorrupt) {
				st.Damaged++
			}
			return nil
		}
		st.Objects++
		st.Bytes += info.Size()
		return os.Remove(p)
	})
	if err != nil {
		return st, fmt.Errorf("gc objects: %w", err)
	}
	if err := c.gcTrees(live); err != nil {
		return st, fmt.Errorf("gc trees: %w", err)
	}
	return st, nil
}

// markLive marks sha live with its size (-1: unknown) and, when it may be
// a folder and its blob is a valid tree listing, every file it lists.
func (c *Cache) markLive(live map[string]int64, sha string, size int64, maybeDir bool) {
	if old, ok := live[sha]; !ok || old < 0 {
		live[sha] = size
	}
	if maybeDir {
		live[sha] = -1 // the listing's own size is not the folder's
	} else {
		return
	}
	p := c.objectFile(sha)
	if st, err := os.Stat(p); err != nil || st.Size() > maxTreeListing {
		return
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return
	}
	if t, err := parseTree(b); err == nil {
		for _, e := range t {
			live[e.SHA256] = e.Size
		}
	}
}

// walkStore calls fn for every entry file under the two-level folder sub
// (<2 hex>/<name>), removing stray temporary files older than tempGrace.
func (c *Cache) walkStore(sub string, fn func(p, name string, info fs.FileInfo) error) error {
	root := filepath.Join(c.dir, sub)
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if isNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if isNotExist(err) {
				return nil
			}
			return err
		}
		if strings.HasPrefix(d.Name(), ".") {
			if time.Since(info.ModTime()) > tempGrace {
				os.Remove(p)
			}
			return nil
		}
		return fn(p, d.Name(), info)
	})
}

// gcTrees removes assembled folders of trees no longer live, and stray
// temporary ones.
func (c *Cache) gcTrees(live map[string]int64) error {
	root := filepath.Join(c.dir, treesDir)
	ents, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	for _, e := range ents {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			if info, err := e.Info(); err != nil || time.Since(info.ModTime()) <= tempGrace {
				continue
			}
		} else if _, ok := live[name]; ok {
			continue
		}
		if err := os.RemoveAll(filepath.Join(root, name)); err != nil {
			return err
		}
	}
	return nil
}
