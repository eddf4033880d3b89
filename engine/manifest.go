package engine

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"time"

	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/tr119/tr119/artifacts"
)

// ManifestInfo is what the manifest records besides the apply's outcome.
type ManifestInfo struct {
	// ToolVersion is tr119's version.
	ToolVersion string
	// Started and Finished bound the apply.
	Started, Finished time.Time
	// Dependencies are outside inputs such as the ONNX Runtime library.
	Dependencies []artifacts.ResourceDescriptor
	// ResultsDir is where the files were placed; folder outputs are
	// listed file by file from there.
	ResultsDir string
	// Hasher hashes the files of folder outputs (nil: read them all).
	Hasher FileHasher
}

// BuildManifest describes an apply: every result file as a subject (a
// folder output contributes each of its files, since auditors verify
// files) and every stage (key, inputs, outputs, status, environment) as a
// byproduct, with the pipeline files' and variables' values.
func BuildManifest(p *Pipeline, out *Outcome, files []ResultFile, info ManifestInfo) (*artifacts.Manifest, error) {
	m := artifacts.NewManifest()
	byStage := map[string][]string{}
	for _, f := range files {
		subs, err := subjects(f, info)
		if err != nil {
			return nil, err
		}
		for _, s := range subs {
			m.Subject = append(m.Subject, s)
			byStage[f.Stage] = append(byStage[f.Stage], s.Name)
		}
	}
	bd := &m.Predicate.BuildDefinition
	names := make([]string, 0, len(p.Files))
	for n := range p.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sum := sha256.Sum256(p.Files[n])
		bd.ExternalParameters.Pipeline = append(bd.ExternalParameters.Pipeline,
			artifacts.ResourceDescriptor{Name: n, Digest: artifacts.DigestSet{"sha256": hex.EncodeToString(sum[:])}})
	}
	bd.ExternalParameters.Variables = map[string]json.RawMessage{}
	for name, v := range p.Variables {
		if b, err := ctyjson.Marshal(v, v.Type()); err == nil {
			bd.ExternalParameters.Variables[name] = b
		}
	}
	bd.ResolvedDependencies = info.Dependencies
	rd := &m.Predicate.RunDetails
	rd.Builder.Version = map[string]string{"tr119": info.ToolVersion}
	rd.Metadata = artifacts.RunMetadata{InvocationID: invocationID(), StartedOn: info.Started.UTC(), FinishedOn: info.Finished.UTC()}
	for _, s := range out.Stages {
		rd.Byproducts = append(rd.Byproducts, stageRecord(s, byStage[s.Stage.Addr]))
	}
	return m, nil
}

// subjects lists a result as manifest subjects: itself, or each file of
// a folder.
func subjects(f ResultFile, info ManifestInfo) ([]artifacts.Subject, error) {
	ann := artifacts.SubjectAnnotations{Size: f.Output.Size, Stage: f.Stage, Output: f.Output.Name}
	if !f.Output.Dir {
		return []artifacts.Subject{{Name: f.Path, Digest: artifacts.DigestSet{"sha256": f.Output.SHA256},
			MediaType: f.Output.MediaType, Annotations: ann}}, nil
	}
	h := info.Hasher
	if h == nil {
		h = plainHasher{}
	}
	root := filepath.Join(info.ResultsDir, filepath.FromSlash(f.Path))
	var subs []artifacts.Subject
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		sha, size, err := h.File(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		a := ann
		a.Size = size
		subs = append(subs, artifacts.Subject{Name: f.Path + "/" + filepath.ToSlash(rel),
			Digest: artifacts.DigestSet{"sha256": sha}, Annotations: a})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("manifest: list %s: %w", f.Path, err)
	}
	return subs, nil
}

// stageRecord is one stage's manifest entry.
func stageRecord(s *StageOutcome, outputs []string) artifacts.StageRecord {
	info := s.Stage.Kind.Info()
	f := artifacts.StageFacts{Kind: info.Name, KindVersion: info.Version, Outputs: outputs,
		Status: manifestStatus(s.Status), Reason: s.Reason, Deterministic: info.Deterministic,
		Duration: artifacts.StageDuration(s.Duration), Environment: s.Environment}
	if s.Err != nil {
		f.Reason = s.Err.Error()
	}
	if s.Key != nil {
		f.ActionKey = s.Key.String()
		sum := sha256.Sum256([]byte(strings.Join(s.Key.Lines, "\n")))
		f.KeyLinesSHA256 = hex.EncodeToString(sum[:])
	}
	for name, sha := range s.Inputs {
		f.Inputs = append(f.Inputs, artifacts.StageInput{Name: name, SHA256: sha})
	}
	for path, sha := range s.Files {
		f.Inputs = append(f.Inputs, artifacts.StageInput{Name: "file " + path, SHA256: sha})
	}
	sort.Slice(f.Inputs, func(i, j int) bool { return f.Inputs[i].Name < f.Inputs[j].Name })
	return artifacts.StageRecord{Name: s.Stage.Addr, Annotations: f}
}

// manifestStatus maps an outcome status to the manifest's vocabulary:
// stages that never ran (skipped, cancelled) count as failed there.
func manifestStatus(status string) string {
	switch status {
	case StatusExecuted:
		return artifacts.StageExecuted
	case StatusCached:
		return artifacts.StageCached
	case StatusUnavailable:
		return artifacts.StageUnavailable
	}
	return artifacts.StageFailed
}

func invocationID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
