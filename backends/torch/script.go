package torch

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
)

// workerScript is the Python worker, run with `python -c`.
//
//go:embed worker.py
var workerScript string

// Protocol is the worker protocol version this package speaks; the
// worker's hello must report the same.
const Protocol = 1

// ScriptSHA256 is the hex SHA-256 of the embedded worker script, recorded
// in the environment so a row names the exact worker that timed it.
func ScriptSHA256() string {
	s := sha256.Sum256([]byte(workerScript))
	return hex.EncodeToString(s[:])
}
