//go:build unix

package cache

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"runtime/debug"
	"syscall"
)

// mmapMin is the size from which hashing maps the file; below it a
// read is as fast and cheaper to set up.
const mmapMin = 1 << 20

// mmapWindow is how much of a file is mapped at once, so hashing a huge
// file never needs address space (or page tables) for all of it.
const mmapWindow = 64 << 20

// hashMapped hashes the first size bytes of f through memory maps. ok is
// false when mapping is impossible (the caller then reads instead).
// A file truncated while mapped would raise SIGBUS; SetPanicOnFault turns
// that into a recovered error rather than a crash.
func hashMapped(f *os.File, size int64) (sha string, ok bool, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			ok, err = true, fmt.Errorf("file changed while being hashed: %v", r)
		}
	}()
	h := sha256.New()
	for off := int64(0); off < size; off += mmapWindow {
		n := min(mmapWindow, size-off)
		d, err := syscall.Mmap(int(f.Fd()), off, int(n), syscall.PROT_READ, syscall.MAP_SHARED)
		if err != nil {
			if off == 0 {
				return "", false, nil
			}
			return "", true, fmt.Errorf("map: %w", err)
		}
		syscall.Madvise(d, syscall.MADV_SEQUENTIAL)
		h.Write(d)
		syscall.Munmap(d)
	}
	return hex.EncodeToString(h.Sum(nil)), true, nil
}
