//go:build unix

package manifest

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"syscall"
)

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
