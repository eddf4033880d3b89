//go:build !unix

package manifest

import (
	"errors"
	"io"
	"os"
)

// hashMapped is unavailable without memory maps; hashFile then reads.
func hashMapped(w io.Writer, f *os.File, size int64) error {
	return errors.New("memory maps unavailable")
}
