package torch

import (
	"bytes"
	"log/slog"
)

// logWriter sends the worker's stderr lines to the stage's logger at
// debug level.
type logWriter struct{ log *slog.Logger }

func (w logWriter) Write(p []byte) (int, error) {
	for _, l := range bytes.Split(bytes.TrimRight(p, "\n"), []byte("\n")) {
		if len(l) > 0 {
			w.log.Debug("torch worker", "stderr", string(l))
		}
	}
	return len(p), nil
}
