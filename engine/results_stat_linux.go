//go:build linux

package engine

import (
	"io/fs"
	"syscall"
)

// stampOf returns a file's identity and times; ok is false where the
// platform does not give them.
func stampOf(st fs.FileInfo) (fileStamp, bool) {
	s, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return fileStamp{}, false
	}
	return fileStamp{Size: st.Size(), Dev: uint64(s.Dev), Inode: uint64(s.Ino),
		MtimeNS: st.ModTime().UnixNano(), CtimeNS: s.Ctim.Nano()}, true
}

// hardLinked reports whether a file has more than one name (a result
// hard-linked to the cache's copy).
func hardLinked(st fs.FileInfo) bool {
	s, ok := st.Sys().(*syscall.Stat_t)
	return ok && s.Nlink > 1
}
