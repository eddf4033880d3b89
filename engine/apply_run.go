package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"time"
)

// execute runs one stage in a worker goroutine: it runs the kind in a
// private folder, stores its outputs and records the action. A failure
// leaves nothing behind but the checkpoint folder.
func (w *walker) execute(ctx context.Context, n *node) *StageOutcome {
	st := n.ps.Stage
	info := st.Kind.Info()
	key := n.res.key
	w.em.emit(Event{Type: EventStart, Stage: st.Addr, Kind: st.KindName})
	start := time.Now()
	out, err := w.runKind(ctx, n, info, key)
	if err != nil {
		status := StatusFailed
		if ctx.Err() != nil {
			status = StatusCancelled
		}
		out = &StageOutcome{Stage: st, Status: status, Err: err, Key: key, Duration: time.Since(start)}
	}
	w.emitEnd(out)
	return out
}

// runKind runs the kind and stores what it produced.
func (w *walker) runKind(ctx context.Context, n *node, info KindInfo, key *ActionKey) (*StageOutcome, error) {
	st := n.ps.Stage
	if err := os.MkdirAll(w.o.TempDir, 0o755); err != nil {
		return nil, fmt.Errorf("temp dir: %w", err)
	}
	outDir, err := os.MkdirTemp(w.o.TempDir, "run-")
	if err != nil {
		return nil, fmt.Errorf("output dir: %w", err)
	}
	defer os.RemoveAll(outDir)
	if err := checkRunInputs(n, w.o.Store, w.o.lookup()); err != nil {
		return nil, err
	}
	cp := w.o.Store.CheckpointDir(key.ID)
	if err := os.MkdirAll(cp, 0o755); err != nil {
		return nil, fmt.Errorf("checkpoint dir: %w", err)
	}
	start := time.Now()
	run := &Run{
		Addr: st.Addr, Label: st.Name(), Config: n.res.config, Workspace: w.p.Workspace,
		OutDir: outDir, CheckpointDir: cp, Settings: maps.Clone(w.o.Settings),
		Progress: &stageProgress{em: w.em, addr: st.Addr, kind: st.KindName},
		Log:      w.o.log().With("stage", st.Addr),
	}
	res, relabelled, err := w.relabel(ctx, n, run)
	if !relabelled && err == nil {
		res, err = runRecovered(ctx, st.Kind, run)
	}
	dur := time.Since(start)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err == nil && res == nil {
		err = errors.New("kind returned no result")
	}
	if err != nil {
		return nil, err
	}
	env := maps.Clone(res.Environment)
	if !info.Deterministic && !relabelled {
		if env == nil {
			env = map[string]string{}
		}
		maps.Copy(env, w.o.Machine.Environment())
	}
	if res.Unavailable != "" {
		arts := map[string]Artifact{}
		for _, oi := range info.Outputs {
			arts[oi.Name] = Artifact{MediaType: oi.MediaType, Dir: oi.Dir, Stage: st.Addr, Reason: res.Unavailable}
		}
		out := w.outcome(n, StatusUnavailable, nil, arts, env, dur)
		out.Reason = res.Unavailable
		return out, w.saveState(n, res.Unavailable)
	}
	outs, arts, err := w.storeOutputs(st.Addr, info, outDir, res.Outputs)
	if err != nil {
		return nil, err
	}
	entry := &StoredAction{Outputs: outs, Environment: env, Duration: dur, KeyLines: key.Lines}
	if err := w.o.Store.PutAction(key.ID, entry); err != nil {
		return nil, fmt.Errorf("record action: %w", err)
	}
	if mk := n.res.mkey; mk != nil && !relabelled {
		me := *entry
		me.KeyLines = mk.Lines
		if err := w.o.Store.PutAction(mk.ID, &me); err != nil {
			return nil, fmt.Errorf("record measurement: %w", err)
		}
	}
	if err := os.RemoveAll(cp); err != nil {
		w.o.log().Warn("remove checkpoint", "stage", st.Addr, "err", err)
	}
	return w.outcome(n, StatusExecuted, outs, arts, env, dur), w.saveState(n, "")
}

// storeOutputs checks a kind's outputs against its documentation and puts
// them in the store.
func (w *walker) storeOutputs(addr string, info KindInfo, outDir string, outputs map[string]string) ([]StoredOutput, map[string]Artifact, error) {
	names := make([]string, 0, len(outputs))
	for name := range outputs {
		names = append(names, name)
	}
	sort.Strings(names)
	var outs []StoredOutput
	arts := map[string]Artifact{}
	for _, name := range names {
		oi, ok := outputInfo(info, name)
		if !ok {
			return nil, nil, fmt.Errorf("output %q is not documented by kind %s", name, info.Name)
		}
		rel := filepath.Clean(outputs[name])
		if filepath.IsAbs(rel) || rel == ".." || len(rel) > 2 && rel[:3] == "../" {
			return nil, nil, fmt.Errorf("output %q: path %q is outside the output folder", name, outputs[name])
		}
		src := filepath.Join(outDir, rel)
		fi, err := os.Stat(src)
		if err != nil {
			return nil, nil, fmt.Errorf("output %q: %w", name, err)
		}
		if fi.IsDir() != oi.Dir {
			return nil, nil, fmt.Errorf("output %q: folder is %v, documented %v", name, fi.IsDir(), oi.Dir)
		}
		obj, err := w.o.Store.Put(src, oi.Dir)
		if err != nil {
			return nil, nil, fmt.Errorf("store output %q: %w", name, err)
		}
		path, err := w.o.Store.ObjectPath(obj)
		if err != nil {
			return nil, nil, fmt.Errorf("store output %q: %w", name, err)
		}
		outs = append(outs, StoredOutput{Name: name, MediaType: oi.MediaType, StoredObject: obj})
		arts[name] = Artifact{Path: path, SHA256: obj.SHA256, Size: obj.Size, MediaType: oi.MediaType,
			Dir: obj.Dir, Stage: addr, Available: true}
	}
	return outs, arts, nil
}

func outputInfo(info KindInfo, name string) (OutputInfo, bool) {
	for _, oi := range info.Outputs {
		if oi.Name == name {
			return oi, true
		}
	}
	return OutputInfo{}, false
}

// saveState records the stage as applied with its current key.
func (w *walker) saveState(n *node, unavailable string) error {
	if w.o.State == nil {
		return nil
	}
	st := newState(n.ps.Stage.Addr, n.ps.Stage.Kind.Info(), *n.res.key, n.res.walk, n.res.files)
	st.Unavailable = unavailable
	if mk := n.res.mkey; mk != nil {
		st.MeasureKey = mk.String()
	}
	if err := w.o.State.Put(st); err != nil {
		return fmt.Errorf("save state: %w", err)
	}
	return nil
}

// runRecovered runs a kind, turning a panic into the stage's error so a
// bug in one kind fails its stage instead of the whole apply.
func runRecovered(ctx context.Context, k Kind, r *Run) (res *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			r.Log.Error("kind panicked", "panic", p, "stack", string(debug.Stack()))
			res, err = nil, fmt.Errorf("panic: %v", p)
		}
	}()
	return k.Run(ctx, r)
}

// relabel makes a Relabeler's outputs from the cached outputs of its
// measurement key, when there are some (see key.go).
func (w *walker) relabel(ctx context.Context, n *node, run *Run) (*Result, bool, error) {
	rl, ok := n.ps.Stage.Kind.(Relabeler)
	if !ok || n.res.mkey == nil {
		return nil, false, nil
	}
	hit, arts := lookupHit(w.o.lookup(), n.ps.Stage, n.res.mkey)
	if hit == nil {
		return nil, false, nil
	}
	res, err := rl.Relabel(ctx, run, arts)
	if err != nil {
		if ctx.Err() != nil {
			return nil, false, err
		}
		// The earlier outputs cannot be relabelled: run the stage.
		w.o.log().Warn("relabel cached outputs failed; running the stage", "stage", n.ps.Stage.Addr, "err", err)
		_ = os.RemoveAll(run.OutDir)
		if err := os.MkdirAll(run.OutDir, 0o755); err != nil {
			return nil, false, err
		}
		return nil, false, nil
	}
	if res != nil {
		res.Environment = maps.Clone(hit.Environment)
	}
	return res, true, nil
}
