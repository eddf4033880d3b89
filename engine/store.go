package engine

import (
	"fmt"
	"os"
	"time"

	"github.com/tr119/tr119/cache"
)

// Store is the content-addressed cache as plan and apply use it. The
// engine owns this interface; the CLI adapts package cache to it.
type Store interface {
	// GetAction returns the entry recorded under an action key. Any error
	// (absent, damaged) is a miss.
	GetAction(id [32]byte) (*StoredAction, error)
	// PutAction records an entry under an action key.
	PutAction(id [32]byte, a *StoredAction) error
	// Put stores a file or folder (src may be moved into the store).
	Put(src string, dir bool) (StoredObject, error)
	// ObjectPath returns the read-only path of a stored object; it fails
	// when the object is missing or damaged.
	ObjectPath(o StoredObject) (string, error)
	// VerifyInput re-hashes an object a stage is about to read (skipping
	// what this process hashed already); damage is a *DamagedError.
	VerifyInput(o StoredObject) error
	// Materialize places a stored object at dst (hard link where it can).
	Materialize(o StoredObject, dst string) error
	// CheckpointDir is the checkpoint folder of an action key.
	CheckpointDir(id [32]byte) string
}

// DamagedError is what a Store returns when a recorded object is
// damaged (its bytes are not the ones its digest names): plan then says
// the stage must run again because of it, and the store has kept the
// damaged bytes aside.
type DamagedError struct {
	// Output is the action output naming the object ("" when unknown).
	Output string
	// SHA256 is the object's recorded digest.
	SHA256 string
	// Problem says what is wrong ("content hashes to ...").
	Problem string
	// Kept is where the damaged bytes were kept ("" when they were not).
	Kept string
}

func (e *DamagedError) Error() string {
	s := "damaged object " + e.SHA256
	if e.Output != "" {
		s = fmt.Sprintf("output %q damaged", e.Output)
	}
	s += ": " + e.Problem
	if e.Kept != "" {
		s += " (damaged copy kept in " + e.Kept + ")"
	}
	return s
}

// MissingOutputError is what a Store returns when a recorded output of an
// action is no longer stored (removed by hand, or by a gc that did not
// know the workspace).
type MissingOutputError struct {
	// Output is the missing output's name.
	Output string
}

func (e *MissingOutputError) Error() string {
	return fmt.Sprintf("output %q is missing from the cache", e.Output)
}

// StoredObject is a blob or folder tree in the store.
type StoredObject struct {
	SHA256 string
	Size   int64
	Dir    bool
}

// StoredOutput is one named output of a cached action.
type StoredOutput struct {
	Name      string
	MediaType string
	StoredObject
}

// StoredAction is what the action cache holds for one action key.
type StoredAction struct {
	Outputs     []StoredOutput
	Environment map[string]string
	Duration    time.Duration
	KeyLines    []string
}

// FileHasher hashes files and folders named in keys; cache.HashMemo
// implements it with a (path, size, mtime, inode) memo. A folder's digest
// is the cache's tree digest, so one folder never has two hashes.
type FileHasher interface {
	File(path string) (sha string, size int64, err error)
	Dir(path string) (sha string, size int64, err error)
}

// plainHasher reads and hashes every file, every time.
type plainHasher struct{}

// File implements FileHasher.
func (plainHasher) File(path string) (string, int64, error) { return cache.HashFile(path) }

// Dir implements FileHasher.
func (plainHasher) Dir(path string) (string, int64, error) { return cache.HashDir(path) }

// hashPath hashes a file, or a folder by its tree listing.
func hashPath(h FileHasher, path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	hash := h.File
	if fi.IsDir() {
		hash = h.Dir
	}
	sha, _, err := hash(path)
	return sha, err
}
