package artifacts

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"syscall"
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

// hashMapped writes the file's first size bytes into w through 64 MiB
// memory maps. A file truncated meanwhile raises SIGBUS; SetPanicOnFault
// turns it into a recovered error.
func hashMapped(w io.Writer, f *os.File, size int64) (err error) {
	const window = 64 << 20
	if size == 0 {
		return fmt.Errorf("empty file")
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("file changed while being hashed: %v", r)
		}
	}()
	for off := int64(0); off < size; off += window {
		d, err := syscall.Mmap(int(f.Fd()), off, int(min(window, size-off)), syscall.PROT_READ, syscall.MAP_SHARED)
		if err != nil {
			return fmt.Errorf("map: %w", err)
		}
		syscall.Madvise(d, syscall.MADV_SEQUENTIAL)
		w.Write(d)
		syscall.Munmap(d)
	}
	return nil
}
