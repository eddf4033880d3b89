package cache

import (
	"os"
	"sync"
)

// fileID is what a file's attributes say about its content: any write
// changes the size, the mtime or (for a write that restores the mtime)
// the ctime; a replacement changes the inode.
type fileID struct {
	size, mtimeNS, ctimeNS int64
	ino                    uint64
}

// fileIDOf reads a file's identity from its attributes.
func fileIDOf(st os.FileInfo) fileID {
	return fileID{size: st.Size(), mtimeNS: st.ModTime().UnixNano(), ctimeNS: ctimeNS(st), ino: inode(st)}
}

// seenObjects remembers, for this process, the objects whose content was
// hashed (or written) here and the file identity they had then, so one
// apply does not re-hash an object each time it looks at it.
type seenObjects struct {
	mu sync.Mutex
	m  map[string]fileID
}

func newSeenObjects() *seenObjects { return &seenObjects{m: map[string]fileID{}} }

// has reports whether sha was verified with exactly this identity.
func (s *seenObjects) has(sha string, id fileID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.m[sha]
	return ok && old == id
}

// add records that sha's file with identity id holds sha's content.
func (s *seenObjects) add(sha string, id fileID) {
	s.mu.Lock()
	s.m[sha] = id
	s.mu.Unlock()
}

// forget drops sha (its file was found damaged or replaced).
func (s *seenObjects) forget(sha string) {
	s.mu.Lock()
	delete(s.m, sha)
	s.mu.Unlock()
}
