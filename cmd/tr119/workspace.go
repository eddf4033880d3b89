package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/tr119/tr119/cache"
	"github.com/tr119/tr119/engine"
)

// workspace is a loaded pipeline with its cache and state.
type workspace struct {
	p     *engine.Pipeline
	cache *cache.Cache
	memo  *cache.HashMemo
	opts  *engine.Options
	meta  string // the workspace's .tr119 folder
	cdir  string // the cache folder
	// cacheUnlock releases the shared cache lock lockedWorkspace takes.
	cacheUnlock func() error
}

// load reads and checks the pipeline, printing diagnostics. It returns
// nil when the pipeline has errors.
func (a *app) load(x *args) *engine.Pipeline {
	path := x.positional
	if path == "" {
		path = "."
	}
	p, diags := engine.Load(path, a.reg, engine.LoadOptions{Vars: x.vars, Environ: a.environ})
	a.redactOutput(p)
	if len(diags) > 0 {
		a.printDiags(x.json, p, diags)
	}
	if diags.HasErrors() {
		return nil
	}
	return p
}

// logger returns the logger stage and engine logs go to.
func (a *app) logger(x *args) *slog.Logger {
	level := slog.LevelInfo
	if a.getenv("TR119_LOG") == "debug" {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if x.json {
		return slog.New(slog.NewJSONHandler(a.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(a.stderr, opts))
}

// open opens the cache and state of a loaded pipeline.
func (a *app) open(x *args, p *engine.Pipeline) (*workspace, error) {
	meta := filepath.Join(p.Workspace, ".tr119")
	dir := a.getenv("TR119_CACHE")
	if dir == "" {
		dir = filepath.Join(meta, "cache")
	}
	settings, err := a.settings(x, p)
	if err != nil {
		return nil, err
	}
	log := a.logger(x)
	if err := os.MkdirAll(meta, 0o755); err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	memo, err := cache.OpenHashMemo(filepath.Join(meta, "hashes"))
	if err != nil {
		return nil, fmt.Errorf("hash memo: %w", err)
	}
	c, err := cache.Open(dir, cache.Options{Log: log, Memo: memo})
	if err != nil {
		return nil, fmt.Errorf("open cache: %w", err)
	}
	par := x.parallelism
	if par <= 0 {
		par = runtime.NumCPU()
	}
	machine := engine.ReadMachine("/proc")
	machine.Runtimes = engine.RuntimeFingerprints(a.reg, settings, p.Workspace, func(path string) (string, error) {
		sha, _, err := memo.File(path)
		return sha, err
	})
	opts := &engine.Options{
		Store: engine.NewCacheStore(c), State: engine.OpenState(filepath.Join(meta, "state")),
		Hasher: memo, Machine: machine,
		Replace: x.replace, Target: x.target, Parallelism: par,
		Settings: settings, TempDir: filepath.Join(meta, "tmp"), Log: log,
	}
	return &workspace{p: p, cache: c, memo: memo, opts: opts, meta: meta, cdir: dir}, nil
}

// settings merges tool settings: flag > environment > pipeline block.
// Every -setting must be key=value with a declared key.
func (a *app) settings(x *args, p *engine.Pipeline) (map[string]string, error) {
	s := map[string]string{}
	for k, v := range p.Settings {
		s[k] = v
	}
	if v := a.getenv("TR119_ONNXRUNTIME_LIB"); v != "" {
		s["onnxruntime_library"] = v
	}
	for _, kv := range x.settings {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("-setting %q: want key=value", kv)
		}
		if err := a.reg.CheckSetting(k); err != nil {
			return nil, fmt.Errorf("-setting %s: %w", kv, err)
		}
		s[k] = v
	}
	if x.ortLib != "" {
		s["onnxruntime_library"] = x.ortLib
	}
	return s, nil
}

// lock takes the workspace lock, saying so when it has to wait.
func (a *app) lock(ctx context.Context, ws *workspace, timeout time.Duration) (func() error, error) {
	return cache.LockWorkspace(ctx, filepath.Join(ws.meta, "lock"), timeout, func() {
		fmt.Fprintln(a.stderr, "Waiting for another tr119 run on this workspace to finish...")
	})
}

// lockedWorkspace loads the pipeline, opens its workspace and takes the
// workspace lock and a shared lock on the cache (gc in another workspace
// sharing it waits), as every command that writes the cache does. It
// records the workspace in the cache so that gc elsewhere keeps what this
// workspace uses. On failure it has said why and returns the exit code;
// on success the code is 0 and the caller must unlock (both locks).
func (a *app) lockedWorkspace(ctx context.Context, x *args) (*engine.Pipeline, *workspace, func() error, int) {
	p := a.load(x)
	if p == nil {
		return nil, nil, nil, 1
	}
	ws, err := a.open(x, p)
	if err != nil {
		return nil, nil, nil, a.fail(x.json, "%v", err)
	}
	unlockWS, err := a.lock(ctx, ws, x.lockTimeout)
	if err != nil {
		return nil, nil, nil, a.fail(x.json, "lock workspace: %v", err)
	}
	ws.cacheUnlock, err = ws.cache.Lock(ctx, cache.Shared, x.lockTimeout, func() {
		fmt.Fprintln(a.stderr, "Waiting for tr119 gc to finish cleaning the cache...")
	})
	if err != nil {
		unlockWS()
		return nil, nil, nil, a.fail(x.json, "%v", err)
	}
	if err := ws.cache.RegisterWorkspace(p.Workspace); err != nil {
		fmt.Fprintf(a.stderr, "Warning: %v\n", err)
	}
	unlock := func() error {
		err := ws.cacheUnlock()
		if werr := unlockWS(); err == nil {
			err = werr
		}
		return err
	}
	return p, ws, unlock, 0
}

// resultsDir is -out, or results/ in the workspace.
func resultsDir(x *args, p *engine.Pipeline) string {
	if x.out != "" {
		if abs, err := filepath.Abs(x.out); err == nil {
			return abs
		}
		return x.out
	}
	return filepath.Join(p.Workspace, "results")
}
