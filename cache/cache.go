package cache

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
)

// Errors wrapped by this package's results; test them with errors.Is.
var (
	// ErrMiss means the action cache has no usable entry for a key.
	ErrMiss = errors.New("cache miss")
	// ErrMissing means an object (or a member of a tree) is not in the store.
	ErrMissing = errors.New("object missing")
	// ErrCorrupt means an object's size or content does not match its name,
	// or it is not a regular file, now or when it was last looked at; the
	// damaged object has been moved to the quarantine folder.
	ErrCorrupt = errors.New("object corrupt")
)

// CorruptError is the error (wrapping ErrCorrupt) for a damaged object:
// what was wrong with it and where its bytes were kept.
type CorruptError struct {
	// SHA256 names the object.
	SHA256 string
	// Problem says what was wrong ("content hashes to 1a2b3c4d5e6f").
	Problem string
	// Kept is the file in the quarantine folder holding the damaged
	// bytes ("" when they could not be kept).
	Kept string
	// Gone is true when the damage was found earlier and the object is
	// still absent (then the error wraps ErrMissing too).
	Gone bool
	// Output is the action output that named the object, when known.
	Output string
}

func (e *CorruptError) Error() string {
	s := "object " + short(e.SHA256) + ": " + e.Problem
	if e.Gone {
		s = "object " + short(e.SHA256) + ": damaged earlier (" + e.Problem + ")"
	}
	if e.Kept != "" {
		s += ", kept in " + e.Kept
	}
	return s
}

// Is reports ErrCorrupt, and ErrMissing for an object gone since.
func (e *CorruptError) Is(target error) bool {
	return target == ErrCorrupt || (e.Gone && target == ErrMissing)
}

// Options configures a Cache.
type Options struct {
	// Log receives warnings about damaged entries and objects. Nil discards
	// them.
	Log *slog.Logger
	// Memo, when set, lets reads verify large objects cheaply: an object
	// is re-hashed only when its size, mtime, ctime or inode changed since
	// the memo last hashed it (small objects are always re-hashed). Nil:
	// large objects are re-hashed only when modified after their action
	// entry was written. The caller saves the memo.
	Memo *HashMemo
}

// Cache is a content-addressed store rooted at one folder. It is safe for
// concurrent use by several goroutines and several processes.
type Cache struct {
	dir  string
	log  *slog.Logger
	memo *HashMemo
	seen *seenObjects
}

// subdirectories of the cache folder.
const (
	objectsDir     = "objects"
	treesDir       = "trees"
	actionsDir     = "actions"
	checkpointsDir = "checkpoints"
)

// Open opens the cache in dir, creating its folders if needed. The CLI
// chooses dir (.tr119/cache in the workspace, or $TR119_CACHE).
func Open(dir string, opts Options) (*Cache, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	for _, sub := range []string{objectsDir, treesDir, actionsDir, checkpointsDir} {
		if err := os.MkdirAll(filepath.Join(abs, sub), 0o755); err != nil {
			return nil, fmt.Errorf("open cache: %w", err)
		}
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Cache{dir: abs, log: log, memo: opts.Memo, seen: newSeenObjects()}, nil
}

// Dir returns the cache's absolute root folder.
func (c *Cache) Dir() string { return c.dir }

// objectFile is where the blob with hex digest sha lives.
func (c *Cache) objectFile(sha string) string {
	return filepath.Join(c.dir, objectsDir, sha[:2], sha)
}

// treeDir is where the folder with tree digest sha is assembled.
func (c *Cache) treeDir(sha string) string {
	return filepath.Join(c.dir, treesDir, sha)
}
