package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
)

// writeResults places the apply's outputs under dir, removes files an
// earlier apply placed there that are no longer outputs, and writes the
// manifest beside them.
func (a *app) writeResults(ws *workspace, out *engine.Outcome, dir string, started time.Time) error {
	files := engine.ResultFiles(out)
	manifest := filepath.Join(dir, "manifest.json")
	prev, _ := manifestRefsFile(manifest)
	if err := engine.Materialize(ws.opts.Store, files, dir, prev.subjects); err != nil {
		return err
	}
	m, err := engine.BuildManifest(ws.p, out, files, engine.ManifestInfo{
		ToolVersion: version, Started: started, Finished: time.Now(), Dependencies: a.dependencies(ws),
		ResultsDir: dir, Hasher: ws.memo,
	})
	if err != nil {
		return err
	}
	if err := m.Write(manifest); err != nil {
		return fmt.Errorf("write manifest: %w", err)
	}
	return nil
}

// dependencies lists the outside inputs worth recording: the ONNX Runtime
// library when one is configured.
func (a *app) dependencies(ws *workspace) []artifacts.ResourceDescriptor {
	lib := ws.opts.Settings["onnxruntime_library"]
	if lib == "" {
		return nil
	}
	d := artifacts.ResourceDescriptor{Name: "onnxruntime", URI: lib}
	if sha, _, err := ws.memo.File(lib); err == nil {
		d.Digest = artifacts.DigestSet{"sha256": sha}
	}
	return []artifacts.ResourceDescriptor{d}
}

// refs are what a manifest references: result files, action keys and
// object digests.
type refs struct {
	subjects, keys, objects []string
}

// manifestRefsFile reads the references of the manifest at path. It is
// tolerant: a missing or damaged manifest references nothing.
func manifestRefsFile(path string) (refs, error) {
	var r refs
	m, err := artifacts.ReadManifest(path)
	if err != nil {
		return r, err
	}
	for _, s := range m.Subject {
		r.subjects = append(r.subjects, s.Name)
		if sha := s.Digest["sha256"]; sha != "" {
			r.objects = append(r.objects, sha)
		}
	}
	for _, b := range m.Predicate.RunDetails.Byproducts {
		if k := b.Annotations.ActionKey; k != "" {
			r.keys = append(r.keys, k)
		}
	}
	return r, nil
}
