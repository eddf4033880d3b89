package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync"
)

// hashBufSize is the read size when hashing. Large reads keep the
// per-call overhead negligible next to SHA-256 itself (which, with the
// CPU's SHA extensions, runs at well over 1 GB/s).
const hashBufSize = 1 << 20

var bufPool = sync.Pool{New: func() any { b := make([]byte, hashBufSize); return &b }}

// HashFile returns the hex SHA-256 and size of the file at path, reading
// it once in large chunks.
func HashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("hash file: %w", err)
	}
	defer f.Close()
	sha, n, err := hashReader(f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", path, err)
	}
	return sha, n, nil
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
