package engine

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/tr119/tr119/manifest"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// ManifestInfo is what the manifest records besides the apply's outcome.
type ManifestInfo struct {
	// ToolVersion is tr119's version.
	ToolVersion string
	// Started and Finished bound the apply.
	Started, Finished time.Time
	// Dependencies are outside inputs such as the ONNX Runtime library.
	Dependencies []manifest.ResourceDescriptor
}

// BuildManifest describes an apply: every file of the results view as a
// subject (a folder output contributes each of its files, since auditors
// verify files), with the digest the store records for it, and every
// stage (key, inputs, outputs, status, environment) as a byproduct, with
// the pipeline files' and variables' values. Stages whose outputs are
// kept from an earlier apply say so (StageFacts.OutputsFrom).
func BuildManifest(p *Pipeline, out *Outcome, v *ResultsView, info ManifestInfo) (*manifest.Manifest, error) {
	m := manifest.New()
	byStage := map[string][]string{}
	for _, e := range v.Entries {
		m.Subject = append(m.Subject, manifest.Subject{Name: e.Path, Digest: manifest.DigestSet{"sha256": e.SHA256},
			MediaType: e.MediaType, Annotations: manifest.SubjectAnnotations{Size: e.Size, Stage: e.Stage, Output: e.Output}})
		byStage[e.Stage] = append(byStage[e.Stage], e.Path)
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
			manifest.ResourceDescriptor{Name: n, Digest: manifest.DigestSet{"sha256": hex.EncodeToString(sum[:])}})
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
	rd.Metadata = manifest.RunMetadata{InvocationID: invocationID(), StartedOn: info.Started.UTC(), FinishedOn: info.Finished.UTC()}
	seen := map[string]bool{}
	for _, s := range out.Stages {
		seen[s.Stage.Addr] = true
		if r, ok := v.Carried[s.Stage.Addr]; ok {
			rd.Byproducts = append(rd.Byproducts, r)
			continue
		}
		rd.Byproducts = append(rd.Byproducts, stageRecord(p, s, byStage[s.Stage.Addr]))
	}
	for addr, r := range v.Carried {
		if !seen[addr] {
			rd.Byproducts = append(rd.Byproducts, r)
		}
	}
	return m, nil
}

// stageRecord is one stage's manifest entry. Its reason goes through
// p.Redact: a stage's error may quote its config, and the manifest is
// meant to be shared, so what file() read must not reach it either.
func stageRecord(p *Pipeline, s *StageOutcome, outputs []string) manifest.StageRecord {
	info := s.Stage.Kind.Info()
	f := manifest.StageFacts{Kind: info.Name, KindVersion: info.Version, Outputs: outputs,
		Status: manifestStatus(s.Status), Reason: s.Reason, Deterministic: info.Deterministic,
		Duration: manifest.StageDuration(s.Duration), Environment: s.Environment}
	if s.Err != nil {
		f.Reason = s.Err.Error()
	}
	f.Reason = p.Redact(f.Reason)
	if s.Key != nil {
		f.ActionKey = s.Key.String()
		sum := sha256.Sum256([]byte(strings.Join(s.Key.Lines, "\n")))
		f.KeyLinesSHA256 = hex.EncodeToString(sum[:])
	}
	for name, sha := range s.Inputs {
		f.Inputs = append(f.Inputs, manifest.StageInput{Name: name, SHA256: sha})
	}
	for path, sha := range s.Files {
		f.Inputs = append(f.Inputs, manifest.StageInput{Name: "file " + path, SHA256: sha})
	}
	sort.Slice(f.Inputs, func(i, j int) bool { return f.Inputs[i].Name < f.Inputs[j].Name })
	return manifest.StageRecord{Name: s.Stage.Addr, Annotations: f}
}

// manifestStatus maps an outcome status to the manifest's vocabulary:
// stages that never ran (skipped, cancelled) are skipped there.
func manifestStatus(status string) string {
	switch status {
	case StatusExecuted:
		return manifest.StageExecuted
	case StatusCached:
		return manifest.StageCached
	case StatusUnavailable:
		return manifest.StageUnavailable
	case StatusFailed:
		return manifest.StageFailed
	}
	return manifest.StageSkipped
}

func invocationID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
