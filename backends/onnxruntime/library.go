package onnxruntime

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/tr119/tr119/backends"
)

// DefaultLibrary is the project-local library path that
// scripts/fetch-onnxruntime.sh fills, relative to the repository root.
const DefaultLibrary = "third_party/onnxruntime/libonnxruntime.so.1"

// ResolveLibrary returns the library to load: setting when it is not
// empty, else DefaultLibrary found relative to the executable's folder
// and its parents, then to workspace and its parents.
func ResolveLibrary(setting, workspace string) (string, error) {
	if setting != "" {
		if _, err := os.Stat(setting); err != nil {
			return "", fmt.Errorf("onnxruntime library: %w", err)
		}
		return filepath.Abs(setting)
	}
	var roots []string
	if exe, err := os.Executable(); err == nil {
		roots = append(roots, filepath.Dir(exe))
	}
	if workspace != "" {
		roots = append(roots, workspace)
	}
	for _, root := range roots {
		for dir := root; ; dir = filepath.Dir(dir) {
			p := filepath.Join(dir, DefaultLibrary)
			if _, err := os.Stat(p); err == nil {
				return p, nil
			}
			if filepath.Dir(dir) == dir {
				break
			}
		}
	}
	return "", fmt.Errorf("onnxruntime library not found: no %s near the executable or the workspace; run scripts/fetch-onnxruntime.sh, or set -setting onnxruntime_library=PATH (alias -onnxruntime-lib PATH, or TR119_ONNXRUNTIME_LIB)", DefaultLibrary)
}

// lib is the process-wide library state; onnxruntime_go itself keeps the
// loaded library in globals, so this mirrors them.
var lib struct {
	sync.Mutex
	path string
	err  error
}

// Init loads the library at path and initialises ONNX Runtime's
// environment, once per process. It returns how long that took (zero when
// already done). Asking for another path later is an error: one library
// per process.
func Init(path string) (time.Duration, error) {
	lib.Lock()
	defer lib.Unlock()
	if lib.path != "" {
		if lib.path != path {
			return 0, fmt.Errorf("onnxruntime already initialised with %s; cannot switch to %s in one process", lib.path, path)
		}
		return 0, lib.err
	}
	if path == "" {
		return 0, errors.New("onnxruntime library path is empty")
	}
	start := time.Now()
	lib.path = path
	ort.SetSharedLibraryPath(path)
	if err := ort.InitializeEnvironment(ort.WithLogLevelError()); err != nil {
		lib.err = fmt.Errorf("initialise onnxruntime from %s: %w", path, err)
		return 0, lib.err
	}
	return time.Since(start), nil
}

// Version returns the loaded ONNX Runtime's version ("" before Init).
func Version() string {
	lib.Lock()
	defer lib.Unlock()
	if lib.path == "" || lib.err != nil {
		return ""
	}
	return ort.GetVersion()
}

// PinnedVersion is the ONNX Runtime version the project pins
// (scripts/fetch-onnxruntime.sh): the default of a benchmark's declared
// `onnxruntime { version = ... }`.
const PinnedVersion = "1.29.0"

// LibrarySetting is the tool setting that says where the library is
// (`-setting onnxruntime_library=PATH`, `-onnxruntime-lib PATH`,
// TR119_ONNXRUNTIME_LIB).
const LibrarySetting = "onnxruntime_library"

// identify checks the loaded library against the declared version and
// describes it: version, the library file's SHA-256 and the settings that
// change timings (LoadStats.Runtime), and its location.
func (b *Backend) identify(initTime time.Duration) (backends.LoadStats, error) {
	got := Version()
	if want := b.Settings.Version; want != "" && got != want {
		return backends.LoadStats{}, fmt.Errorf("%w: onnxruntime library %s reports version %s, but the stage declares onnxruntime { version = %q }: point -setting %s at a %s library, or declare %q (which re-measures)",
			backends.ErrRuntimeMismatch, b.Library, got, want, LibrarySetting, want, got)
	}
	sha, err := backends.FileSHA256(b.Library)
	if err != nil {
		return backends.LoadStats{}, fmt.Errorf("onnxruntime library: %w", err)
	}
	s := b.Settings
	po, _ := json.Marshal(s.ProviderOptions)
	if s.ProviderOptions == nil {
		po = []byte("{}")
	}
	opt := s.GraphOptimization
	if opt == "" {
		opt = "all"
	}
	return backends.LoadStats{
		LibraryInit: initTime, Sessions: map[string]time.Duration{}, Version: got,
		Runtime: map[string]string{
			"version": got, "library_sha256": sha,
			"intra_op_threads": strconv.Itoa(s.IntraOpThreads), "inter_op_threads": strconv.Itoa(s.InterOpThreads),
			"graph_optimization": opt, "provider_options": string(po),
		},
		Locations: map[string]string{"library": b.Library},
	}, nil
}
