package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
)

// hashBufSize is the read size when hashing or copying through a buffer.
const hashBufSize = 1 << 20

var bufPool = sync.Pool{New: func() any { b := make([]byte, hashBufSize); return &b }}

// HashFile returns the hex SHA-256 and size of the file at path. Large
// files are hashed through a memory map, which skips the copy into a
// buffer that read(2) costs (on a 2-core machine that copy halves the
// throughput: ~0.5-0.9 GB/s read-and-hash against ~1.6 GB/s mapped).
func HashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("hash file: %w", err)
	}
	defer f.Close()
	sha, n, err := hashOpen(f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	return sha, n, nil
}

// hashOpen hashes the open file f from its start.
func hashOpen(f *os.File) (string, int64, error) {
	st, err := f.Stat()
	if err != nil {
		return "", 0, err
	}
	if st.Mode().IsRegular() && st.Size() >= mmapMin {
		if sha, ok, err := hashMapped(f, st.Size()); ok {
			return sha, st.Size(), err
		}
	}
	return hashReader(f)
}

// hashReader hashes r to EOF.
func hashReader(r io.Reader) (string, int64, error) {
	return copyHashed(io.Discard, r)
}

// copyHashed copies r to w, hashing what passes through.
func copyHashed(w io.Writer, r io.Reader) (string, int64, error) {
	h := sha256.New()
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	buf := *bp
	var n int64
	for {
		k, err := r.Read(buf)
		if k > 0 {
			h.Write(buf[:k])
			if w != io.Discard {
				if _, werr := w.Write(buf[:k]); werr != nil {
					return "", n, werr
				}
			}
			n += int64(k)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", n, err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// hashBytes returns the hex SHA-256 of b.
func hashBytes(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// validSHA reports whether s is 64 lowercase hex digits, the only form
// accepted as an object name (so a name can never escape the store).
func validSHA(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
