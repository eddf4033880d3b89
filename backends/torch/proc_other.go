//go:build !linux

package torch

import (
	"os"
	"syscall"
)

// sysProcAttr: outside Linux the worker runs without a process group of
// its own or a parent-death signal.
func sysProcAttr() *syscall.SysProcAttr { return nil }

// killGroup kills the worker process only.
func killGroup(pid int) {
	if p, err := os.FindProcess(pid); err == nil {
		p.Kill()
	}
}
