package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tr119/tr119/internal/golden"
)

// hex64 makes a fake digest from one hex digit.
func hex64(c string) string { return strings.Repeat(c, 64) }

// sampleManifest is a small but complete manifest, deliberately
// assembled out of order.
func sampleManifest() *Manifest {
	m := New()
	m.Subject = []Subject{
		{Name: "cost/summary.parquet", Digest: DigestSet{"sha256": hex64("b")}, MediaType: "application/vnd.apache.parquet",
			Annotations: SubjectAnnotations{Size: 2048, Stage: "stage.cost.tr119", Output: "summary"}},
		{Name: "benchmark/runs.parquet", Digest: DigestSet{"sha256": hex64("a")}, MediaType: "application/vnd.apache.parquet",
			Annotations: SubjectAnnotations{Size: 1 << 20, Stage: "stage.benchmark.cpu", Output: "runs"}},
		{Name: "stats/tr119/tests.parquet", Digest: DigestSet{"sha256": hex64("7")}, MediaType: "application/vnd.apache.parquet",
			Annotations: SubjectAnnotations{Size: 4096, Stage: "stage.stats.tr119", Output: "tests"}},
	}
	bd := &m.Predicate.BuildDefinition
	bd.ExternalParameters.Pipeline = []ResourceDescriptor{{Name: "pipeline.hcl", Digest: DigestSet{"sha256": hex64("c")}}}
	bd.ExternalParameters.Variables = map[string]json.RawMessage{
		"on_demand_usd_per_hour": json.RawMessage(`1.006`),
		"prompts":                json.RawMessage(`{ "short": ["a <b>", "c"], "long": [] }`),
	}
	bd.ResolvedDependencies = []ResourceDescriptor{{Name: "libonnxruntime.so.1", URI: "third_party/onnxruntime/libonnxruntime.so.1",
		Digest: DigestSet{"sha256": hex64("d")}, Annotations: map[string]string{"version": "1.29.0"}}}
	rd := &m.Predicate.RunDetails
	rd.Builder.Version = map[string]string{"tr119": "v0.1.0", "go": "go1.26.8"}
	rd.Metadata = RunMetadata{
		InvocationID: "0f3c9a2e",
		StartedOn:    time.Date(2026, 11, 29, 22, 0, 0, 0, time.FixedZone("CET", 3600)),
		FinishedOn:   time.Date(2026, 11, 29, 21, 5, 30, 500e6, time.UTC),
	}
	rd.Byproducts = []StageRecord{
		{Name: "stage.cost.tr119", Annotations: StageFacts{Kind: "cost", KindVersion: "1", ActionKey: hex64("e"),
			KeyLinesSHA256: hex64("e"), Inputs: []StageInput{{Name: "runs[1]", SHA256: hex64("9")}, {Name: "runs[0]", SHA256: hex64("a")}},
			Outputs: []string{"cost/summary.parquet"}, Status: StageExecuted, Deterministic: true, Duration: StageDuration(1500 * time.Millisecond)}},
		{Name: "stage.benchmark.cpu", Annotations: StageFacts{Kind: "benchmark", KindVersion: "3", ActionKey: hex64("f"),
			Outputs: []string{"benchmark/runs.parquet"}, Status: StageCached, Duration: StageDuration(95 * time.Second),
			Environment: map[string]string{"gpu": "none", "cpu": "AMD EPYC"}}},
		{Name: "stage.benchmark.gpu", Annotations: StageFacts{Kind: "benchmark", KindVersion: "3", Status: StageUnavailable,
			Reason: "no NVIDIA GPU on this machine"}},
		// Failed in this apply; its outputs are the last good ones.
		{Name: "stage.stats.tr119", Annotations: StageFacts{Kind: "stats", KindVersion: "2", ActionKey: hex64("6"),
			Outputs: []string{"stats/tr119/tests.parquet"}, Status: StageFailed, Reason: "out of memory", Deterministic: true,
			OutputsFrom: &EarlierApply{InvocationID: "77aa01", FinishedOn: time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC),
				Status: StageExecuted, ActionKey: hex64("5"), Inputs: []StageInput{{Name: "cost", SHA256: hex64("b")}}}}},
	}
	return m
}

func TestManifestGolden(t *testing.T) {
	b, err := sampleManifest().Marshal()
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "manifest.golden.json"), b)
}

func TestManifestDeterministic(t *testing.T) {
	a := sampleManifest()
	b := sampleManifest()
	// Reverse every list of b and re-indent a variable: same content.
	rev := func(n int, swap func(i, j int)) {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			swap(i, j)
		}
	}
	rev(len(b.Subject), func(i, j int) { b.Subject[i], b.Subject[j] = b.Subject[j], b.Subject[i] })
	bp := b.Predicate.RunDetails.Byproducts
	rev(len(bp), func(i, j int) { bp[i], bp[j] = bp[j], bp[i] })
	b.Predicate.BuildDefinition.ExternalParameters.Variables["prompts"] = json.RawMessage(`{"long":[],"short":["a <b>","c"]}`)
	b.Predicate.RunDetails.Metadata.StartedOn = b.Predicate.RunDetails.Metadata.StartedOn.UTC()
	ab, _ := a.Marshal()
	bb, _ := b.Marshal()
	if !bytes.Equal(ab, bb) {
		t.Errorf("same content, different bytes:\n%s\n---\n%s", ab, bb)
	}
	if a.Subject[0].Name != "cost/summary.parquet" {
		t.Error("Marshal reordered the caller's manifest")
	}
}

func TestManifestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "manifest.json")
	m := sampleManifest()
	if err := m.Write(p); err != nil {
		t.Fatal(err)
	}
	got, err := Read(p)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := m.Marshal()
	again, _ := got.Marshal()
	if !bytes.Equal(want, again) {
		t.Errorf("round trip changed the manifest:\n%s", again)
	}
	for _, s := range got.Predicate.RunDetails.Byproducts {
		if d := time.Duration(s.Annotations.Duration); s.Name == "stage.cost.tr119" && d != 1500*time.Millisecond {
			t.Errorf("duration = %v", d)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("files beside the manifest: %v", ents)
	}
}

func TestReadManifestErrors(t *testing.T) {
	good, _ := sampleManifest().Marshal()
	edit := func(old, new string) string { return strings.Replace(string(good), old, new, 1) }
	tests := []struct {
		name, content, want string
	}{
		{"empty", "", "1:1: empty file"},
		{"not json", "hello", "1:1: invalid character 'h'"},
		{"truncated", string(good[:200]), "truncated"},
		{"trailing data", string(good) + "{}", "trailing data"},
		{"unknown field", edit(`"_type"`, `"colour": 1, "_type"`), `unknown field "colour"`},
		{"wrong type", edit(`"size": 2048`, `"size": "big"`), "3"},
		{"wrong statement type", edit(StatementType, "https://in-toto.io/Statement/v0.1"), "_type is"},
		{"wrong predicate type", edit(`"predicateType": "`+ProvenanceType, `"predicateType": "x`), "predicateType is"},
		{"bad digest", edit(hex64("a"), "ABC"), "digest.sha256"},
		{"escaping subject", edit(`"benchmark/runs.parquet",`, `"../etc/passwd",`), "not a clean relative path"},
		{"duplicate subject", edit(`"cost/summary.parquet",`, `"benchmark/runs.parquet",`), "listed twice"},
		{"unknown status", edit(`"status": "cached"`, `"status": "stale"`), `status "stale"`},
		{"outputs from a failed apply", edit(`"status": "executed",
              "actionKey": "5555`, `"status": "failed",
              "actionKey": "5555`), "outputsFrom.status"},
		{"dangling output", edit(`"outputs": [
              "cost/summary.parquet"`, `"outputs": [
              "cost/other.parquet"`), "is not a subject"},
		{"unknown stage", edit(`"stage": "stage.cost.tr119"`, `"stage": "stage.cost.x"`), "not a recorded stage"},
		{"bad duration", edit(`"duration": "1.5s"`, `"duration": 15`), "duration"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.content == string(good) {
				t.Fatal("edit did not apply")
			}
			p := filepath.Join(t.TempDir(), "manifest.json")
			os.WriteFile(p, []byte(tt.content), 0o644)
			m, err := Read(p)
			if err == nil {
				t.Fatalf("no error; got %+v", m)
			}
			var me *Error
			if !errors.As(err, &me) || !strings.HasPrefix(err.Error(), p+":") {
				t.Errorf("error %q does not name the file", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
	if _, err := Read(filepath.Join(t.TempDir(), "absent.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("absent: %v", err)
	}
}

func TestManifestErrorLocation(t *testing.T) {
	_, err := Parse([]byte("{\n  \"_type\": 5\n}"))
	var me *Error
	if !errors.As(err, &me) || me.Line != 2 {
		t.Fatalf("err = %v, want one on line 2", err)
	}
}

func FuzzRead(f *testing.F) {
	good, _ := sampleManifest().Marshal()
	f.Add(good)
	f.Add([]byte(""))
	f.Add([]byte("{}"))
	f.Add([]byte(`{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"x"}}]}`))
	f.Add(good[:len(good)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(b)
		if err != nil {
			return
		}
		// Whatever parses must survive its own canonical form.
		out, err := m.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a parsed manifest: %v", err)
		}
		m2, err := Parse(out)
		if err != nil {
			t.Fatalf("canonical form does not parse: %v\n%s", err, out)
		}
		out2, _ := m2.Marshal()
		if !bytes.Equal(out, out2) {
			t.Fatalf("canonical form not stable:\n%s\n---\n%s", out, out2)
		}
	})
}
