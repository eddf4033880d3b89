package cache

import (
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
}

// tempGrace is how old a stray temporary file must be before GC removes
// it: younger ones may belong to a write in progress.
const tempGrace = time.Hour

// maxTreeListing bounds the blobs GC will try to read as tree listings.
const maxTreeListing = 64 << 20

// GC removes every action entry whose key is not in keep, and every
// object that neither a kept entry nor keepObjects (hex digests, e.g. the
// subjects of a results manifest) references; a kept folder object keeps
// its files. Damaged entries go too. Checkpoints are left alone. GC must
// not run beside an apply on the same cache (the caller holds the
// workspace lock): objects just stored but not yet recorded would go.
func (c *Cache) GC(keep []ActionID, keepObjects []string) (GCStats, error) {
	var st GCStats
	kept := make(map[ActionID]bool, len(keep))
	for _, id := range keep {
		kept[id] = true
	}
	live := make(map[string]bool)
	err := c.walkStore(actionsDir, func(p, name string, info fs.FileInfo) error {
		id, err := ParseActionID(name)
		if err == nil && kept[id] {
			b, rerr := os.ReadFile(p)
			e, derr := decodeEntry(b)
			if rerr == nil && derr == nil {
				for _, o := range e.Outputs {
					c.markLive(live, o.SHA256, o.Dir)
				}
				return nil
			}
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
			c.markLive(live, sha, true)
		}
	}
	err = c.walkStore(objectsDir, func(p, name string, info fs.FileInfo) error {
		if live[name] {
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

// markLive marks sha live and, when it may be a folder and its blob is a
// valid tree listing, every file it lists.
func (c *Cache) markLive(live map[string]bool, sha string, maybeDir bool) {
	live[sha] = true
	if !maybeDir {
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
			live[e.SHA256] = true
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
func (c *Cache) gcTrees(live map[string]bool) error {
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
		} else if live[name] {
			continue
		}
		if err := os.RemoveAll(filepath.Join(root, name)); err != nil {
			return err
		}
	}
	return nil
}
