package procfs

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// userHZ is the unit of the times in /proc/*/stat and /proc/stat. Linux
// fixes USER_HZ at 100 on every architecture tr119 runs on; reading it
// through sysconf would need cgo here.
const userHZ = 100

// Reader reads one process's and the system's figures under a proc root.
type Reader struct {
	root string
	pid  string
}

// New returns a Reader for process pid (0: the calling process) under root
// ("" means "/proc").
func New(root string, pid int) *Reader {
	if root == "" {
		root = "/proc"
	}
	p := "self"
	if pid != 0 {
		p = strconv.Itoa(pid)
	}
	return &Reader{root: root, pid: p}
}

// Process is a process's resource use at one instant.
type Process struct {
	// CPUSeconds is user plus system CPU time since the process started.
	CPUSeconds float64
	// RSSBytes is the resident set size (VmRSS).
	RSSBytes int64
	// PeakRSSBytes is the peak resident set size (VmHWM).
	PeakRSSBytes int64
}

// CPUTimes are the system's cumulative CPU times over all CPUs, in
// seconds; utilisation over an interval is ΔBusy/ΔTotal.
type CPUTimes struct {
	Busy, Total float64
}

// Process reads the process's CPU time from stat and its RSS and peak RSS
// from status.
func (r *Reader) Process() (Process, error) {
	var p Process
	var err error
	if p.CPUSeconds, err = r.CPUSeconds(); err != nil {
		return p, err
	}
	p.RSSBytes, p.PeakRSSBytes, err = r.status()
	return p, err
}

// CPUSeconds reads the process's user+system CPU time from stat, the
// cheapest of the process files (status costs twice as much to read).
func (r *Reader) CPUSeconds() (float64, error) {
	name := filepath.Join(r.root, r.pid, "stat")
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, fmt.Errorf("read process stat: %w", err)
	}
	// The command name, in parentheses, may hold spaces: fields start
	// after the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("%s:1: no ')' after the command name", name)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, fmt.Errorf("%s:1: %d fields after the command name, want at least 13", name, len(f))
	}
	var ticks float64
	for _, k := range []int{11, 12} { // utime, stime: fields 14 and 15
		v, err := strconv.ParseUint(f[k], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s:1: field %d: %w", name, k+3, err)
		}
		ticks += float64(v)
	}
	return ticks / userHZ, nil
}

// RSS reads the resident set size from statm (pages), cheaper than status.
func (r *Reader) RSS() (int64, error) {
	name := filepath.Join(r.root, r.pid, "statm")
	b, err := os.ReadFile(name)
	if err != nil {
		return 0, fmt.Errorf("read process statm: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0, fmt.Errorf("%s:1: %d fields, want at least 2", name, len(f))
	}
	pages, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s:1: field 2: %w", name, err)
	}
	return pages * int64(os.Getpagesize()), nil
}

// status reads VmRSS and VmHWM (kB) from /proc/PID/status.
func (r *Reader) status() (rss, peak int64, err error) {
	name := filepath.Join(r.root, r.pid, "status")
	fh, err := os.Open(name)
	if err != nil {
		return 0, 0, fmt.Errorf("read process status: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for line := 1; sc.Scan(); line++ {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(val), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("%s:%d: %s: %w", name, line, key, err)
		}
		if key == "VmRSS" {
			rss = kb * 1024
		} else {
			peak = kb * 1024
		}
	}
	if err := sc.Err(); err != nil {
		return 0, 0, fmt.Errorf("read %s: %w", name, err)
	}
	return rss, peak, nil
}

// CPU reads the system's aggregate CPU times from /proc/stat's "cpu" line.
// Busy is user+nice+system+irq+softirq+steal (guest time is already in
// user); Total adds idle and iowait.
func (r *Reader) CPU() (CPUTimes, error) {
	name := filepath.Join(r.root, "stat")
	fh, err := os.Open(name)
	if err != nil {
		return CPUTimes{}, fmt.Errorf("read system stat: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 || f[0] != "cpu" {
			continue
		}
		if len(f) < 9 {
			return CPUTimes{}, fmt.Errorf("%s:%d: %d fields on the cpu line, want at least 9", name, line, len(f))
		}
		var v [8]float64
		for i := range v {
			n, err := strconv.ParseUint(f[i+1], 10, 64)
			if err != nil {
				return CPUTimes{}, fmt.Errorf("%s:%d: column %d: %w", name, line, i+2, err)
			}
			v[i] = float64(n) / userHZ
		}
		busy := v[0] + v[1] + v[2] + v[5] + v[6] + v[7]
		return CPUTimes{Busy: busy, Total: busy + v[3] + v[4]}, nil
	}
	if err := sc.Err(); err != nil {
		return CPUTimes{}, fmt.Errorf("read %s: %w", name, err)
	}
	return CPUTimes{}, fmt.Errorf("%s: no aggregate cpu line", name)
}
