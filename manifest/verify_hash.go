package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// hashFile returns a file's hex SHA-256 and size. It maps the file
// rather than reading it: the copy read(2) makes costs about half the
// throughput on a 2-core machine. (cache.HashFile does the same; the two
// packages import nothing of tr119, hence the twin.)
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	if err := hashMapped(h, f, st.Size()); err != nil {
		// Not mappable (empty, special file, odd filesystem): read it.
		h.Reset()
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return "", 0, err
		}
		if _, err := io.CopyBuffer(h, f, make([]byte, 1<<20)); err != nil {
			return "", 0, fmt.Errorf("hash %s: %w", path, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), st.Size(), nil
}
