//go:build linux

package cache

import (
	"os"
	"syscall"
)

// ctimeNS returns the file's status change time in nanoseconds: the
// kernel sets it on every write, chmod, link or utimes, and no user call
// can set it back, so a file edited in place with its mtime restored
// still shows a new ctime.
func ctimeNS(st os.FileInfo) int64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ctim.Nano()
	}
	return 0
}
