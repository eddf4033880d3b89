package main

import (
	"path/filepath"
	"time"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/manifest"
)

// writeResults places the apply's results under dir with their manifest
// (see engine.WriteResults: stages that produced nothing this time keep
// their last good outputs, and a failure before the switch leaves the
// previous results as they were), then saves the placement record.
func (a *app) writeResults(ws *workspace, out *engine.Outcome, dir string, started time.Time, rec *engine.ResultsRecord) error {
	_, err := engine.WriteResults(ws.opts.Store, ws.p, out, engine.ResultsOptions{
		Dir: dir, Record: rec, Log: ws.opts.Log,
		Info: engine.ManifestInfo{ToolVersion: version, Started: started, Finished: time.Now(), Dependencies: a.dependencies(ws)},
	})
	if err != nil {
		return err
	}
	if err := rec.Save(); err != nil {
		ws.opts.Log.Warn("results record", "err", err)
	}
	return nil
}

// resultsRecord opens the record of the files placed in dir.
func resultsRecord(ws *workspace, dir string) *engine.ResultsRecord {
	return engine.OpenResultsRecord(filepath.Join(ws.meta, "results-record.json"), dir)
}

// dependencies lists the outside inputs worth recording: the ONNX Runtime
// library when one is configured.
func (a *app) dependencies(ws *workspace) []manifest.ResourceDescriptor {
	lib := ws.opts.Settings["onnxruntime_library"]
	if lib == "" {
		return nil
	}
	d := manifest.ResourceDescriptor{Name: "onnxruntime", URI: lib}
	if sha, _, err := ws.memo.File(lib); err == nil {
		d.Digest = manifest.DigestSet{"sha256": sha}
	}
	return []manifest.ResourceDescriptor{d}
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
	m, err := manifest.Read(path)
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
		// Outputs kept from an earlier apply: keep that apply's entry too,
		// or a measurement would have to be made again.
		if e := b.Annotations.OutputsFrom; e != nil {
			r.keys = append(r.keys, e.ActionKey)
		}
	}
	return r, nil
}
