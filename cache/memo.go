package cache

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// HashMemo remembers file digests by (path, size, mtime, ctime, inode),
// so a no-op plan stats large files instead of re-reading them. The ctime
// closes the hole a user could open by editing a file in place and
// restoring its mtime: the kernel updates it on every write and no user
// call can set it. It is a cache: a lost or damaged memo file (it carries
// a checksum) only costs re-hashing. Safe for concurrent use; when two
// processes save, the last one wins.
type HashMemo struct {
	path string
	// hash computes a digest on a miss; tests count calls through it.
	hash func(path string) (string, int64, error)
	// racy is racyWindow; tests shorten it.
	racy time.Duration

	mu     sync.Mutex
	files  map[string]memoEntry
	used   map[string]bool // paths looked up since opening
	dirty  bool
	hits   int
	misses int
}

// memoEntry is what the memo knows about one file.
type memoEntry struct {
	SHA256   string `json:"sha256"`
	Size     int64  `json:"size"`
	MtimeNS  int64  `json:"mtime_ns"`
	CtimeNS  int64  `json:"ctime_ns"`
	Inode    uint64 `json:"inode"`
	HashedNS int64  `json:"hashed_ns"`
}

// memoFile is the on-disk form.
type memoFile struct {
	Version int                  `json:"version"`
	Files   map[string]memoEntry `json:"files"`
}

// memoVersion 2 added the ctime and the checksum header.
const memoVersion = 2

// memoMagic starts the memo file: "tr119-memo/v2 <sha256 of body>\n",
// then the JSON body. A damaged memo is ignored, never believed.
const memoMagic = "tr119-memo/v2"

// racyWindow: a file whose mtime is this close to (or after) the moment
// it was hashed may be written again without its mtime changing (file
// systems stamp with a coarse clock), so its memo entry is not trusted
// until it is re-hashed later. Git's "racily clean" index rule.
const racyWindow = time.Second

// OpenHashMemo loads the memo stored at path; a missing or unreadable
// memo starts empty.
func OpenHashMemo(path string) (*HashMemo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open hash memo: %w", err)
	}
	m := &HashMemo{path: abs, hash: HashFile, racy: racyWindow, files: map[string]memoEntry{}, used: map[string]bool{}}
	b, err := os.ReadFile(abs)
	if err != nil {
		if isNotExist(err) {
			return m, nil
		}
		return nil, fmt.Errorf("open hash memo: %w", err)
	}
	header, body, _ := bytes.Cut(b, []byte("\n"))
	var f memoFile
	if string(header) == memoMagic+" "+hashBytes(body) &&
		json.Unmarshal(body, &f) == nil && f.Version == memoVersion && f.Files != nil {
		m.files = f.Files
	}
	return m, nil
}

// File returns the hex SHA-256 and size of the file at path, re-reading
// it only when its size, mtime, ctime or inode changed since it was last
// hashed.
func (m *HashMemo) File(path string) (string, int64, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		m.forget(abs)
		return "", 0, fmt.Errorf("hash file: %w", err)
	}
	if !st.Mode().IsRegular() {
		return "", 0, fmt.Errorf("hash %s: not a regular file", path)
	}
	key := memoEntry{Size: st.Size(), MtimeNS: st.ModTime().UnixNano(), CtimeNS: ctimeNS(st), Inode: inode(st)}
	m.mu.Lock()
	m.used[abs] = true
	e, ok := m.files[abs]
	if ok && e.Size == key.Size && e.MtimeNS == key.MtimeNS && e.CtimeNS == key.CtimeNS && e.Inode == key.Inode &&
		max(e.MtimeNS, e.CtimeNS) < e.HashedNS-int64(m.racy) {
		m.hits++
		m.mu.Unlock()
		return e.SHA256, e.Size, nil
	}
	m.misses++
	m.mu.Unlock()

	hashed := time.Now()
	sha, n, err := m.hash(abs)
	if err != nil {
		m.forget(abs)
		return "", 0, err
	}
	key.SHA256, key.Size, key.HashedNS = sha, n, hashed.UnixNano()
	m.mu.Lock()
	m.files[abs] = key
	m.dirty = true
	m.mu.Unlock()
	return sha, n, nil
}

// Dir returns the digest and total size of the folder at path, computed
// exactly as PutDir computes them (the tree listing's SHA-256), using the
// memo for every file.
func (m *HashMemo) Dir(path string) (string, int64, error) {
	t, err := walkTree(path, m.File)
	if err != nil {
		return "", 0, fmt.Errorf("hash dir %s: %w", path, err)
	}
	return hashBytes(t.encode()), t.size(), nil
}

// Stats returns how many lookups were answered from the memo (hits) and
// how many read the file (misses).
func (m *HashMemo) Stats() (hits, misses int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits, m.misses
}

// Save writes the memo atomically if it changed, dropping entries of
// files that were not looked up and no longer exist (so the memo does
// not grow without bound as scratch files come and go).
func (m *HashMemo) Save() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.dirty {
		return nil
	}
	for p := range m.files {
		if !m.used[p] {
			if _, err := os.Lstat(p); isNotExist(err) {
				delete(m.files, p)
			}
		}
	}
	body, err := json.Marshal(memoFile{Version: memoVersion, Files: m.files})
	if err != nil {
		return fmt.Errorf("save hash memo: %w", err)
	}
	b := append([]byte(memoMagic+" "+hashBytes(body)+"\n"), body...)
	if err := os.MkdirAll(filepath.Dir(m.path), 0o755); err != nil {
		return fmt.Errorf("save hash memo: %w", err)
	}
	if err := writeAtomic(m.path, b, 0o644); err != nil {
		return fmt.Errorf("save hash memo: %w", err)
	}
	m.dirty = false
	return nil
}

// forget drops a path's entry (the file is gone or unreadable).
func (m *HashMemo) forget(abs string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.files[abs]; ok {
		delete(m.files, abs)
		m.dirty = true
	}
}

// inode returns the file's inode number (0 where the platform has none).
func inode(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Ino)
	}
	return 0
}

// HashDir hashes a folder without a memo, exactly as HashMemo.Dir and
// PutDir do: the SHA-256 of its tree listing, and the sum of its sizes.
func HashDir(path string) (string, int64, error) {
	t, err := walkTree(path, HashFile)
	if err != nil {
		return "", 0, fmt.Errorf("hash dir %s: %w", path, err)
	}
	return hashBytes(t.encode()), t.size(), nil
}
