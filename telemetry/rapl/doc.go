// Package rapl reads CPU package and DRAM energy counters through the
// Linux powercap sysfs (/sys/class/powercap), for Intel RAPL and for AMD
// processors that the kernel exposes through the same interface. It owns
// zone discovery (which zones count towards which domain, so that nested
// and duplicate zones are never counted twice), counter reads, and the
// wrap-around range of each counter. It reads through an fs.FS rooted at
// the powercap folder, so tests run on a fake tree.
package rapl
