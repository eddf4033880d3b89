package benchmark

import (
	"os"

	"github.com/tr119/tr119/telemetry/procfs"
)

// procRSS reads VmHWM through telemetry/procfs. Reset writes 5 to
// /proc/self/clear_refs, which resets VmHWM to the current RSS (Linux
// 4.0+), so each cell's peak is its own; where that is refused the peak
// is the process's since start, which is still an upper bound.
type procRSS struct{ r *procfs.Reader }

func newProcRSS() procRSS { return procRSS{r: procfs.New("", 0)} }

// Reset implements peakRSS.
func (p procRSS) Reset() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

// Peak implements peakRSS; nil when procfs cannot be read.
func (p procRSS) Peak() *int64 {
	pr, err := p.r.Process()
	if err != nil {
		return nil
	}
	return ptr(pr.PeakRSSBytes)
}
