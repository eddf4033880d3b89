package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tr119/tr119/cache"
)

// resultsFixture writes result files and a manifest listing them.
func resultsFixture(t *testing.T) (string, *Manifest) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"export/runs.csv":       "a,b\n1,2\n",
		"cost/summary.parquet":  strings.Repeat("P", 3<<20), // mapped in windows
		"report/index.md":       "# TR119\n",
		"empty.txt":             "",
		"model/gpt2/model.onnx": "onnx",
	}
	m := New()
	m.Predicate.RunDetails.Byproducts = []StageRecord{{Name: "stage.x.y",
		Annotations: StageFacts{Kind: "x", ActionKey: hex64("1"), Status: StageExecuted}}}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256([]byte(content))
		m.Subject = append(m.Subject, Subject{Name: name, Digest: DigestSet{"sha256": hex.EncodeToString(h[:])},
			Annotations: SubjectAnnotations{Size: int64(len(content)), Stage: "stage.x.y"}})
	}
	return dir, m
}

func TestVerifyManifest(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, dir string)
		want   []ProblemKind // by path order
		paths  []string
	}{
		{"intact", func(t *testing.T, dir string) {}, nil, nil},
		{"one byte flipped", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "cost", "summary.parquet")
			b, _ := os.ReadFile(p)
			b[len(b)-1] ^= 1
			os.WriteFile(p, b, 0o644)
		}, []ProblemKind{ProblemAltered}, []string{"cost/summary.parquet"}},
		{"deleted and truncated", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "report", "index.md"))
			os.Truncate(filepath.Join(dir, "export", "runs.csv"), 2)
		}, []ProblemKind{ProblemSize, ProblemMissing}, []string{"export/runs.csv", "report/index.md"}},
		{"file replaced by a folder", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "model", "gpt2", "model.onnx")
			os.Remove(p)
			os.Mkdir(p, 0o755)
		}, []ProblemKind{ProblemMissing}, []string{"model/gpt2/model.onnx"}},
		// Issue 9: "exactly these files, these bytes".
		{"stray file in a folder of results", func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "model", "gpt2", "extra.svg"), []byte("<svg/>"), 0o644)
			os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("the user's, outside every result folder"), 0o644)
		}, []ProblemKind{ProblemStray}, []string{"model/gpt2/extra.svg"}},
		{"file replaced by a link to identical content", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "report", "index.md")
			copyTo := filepath.Join(t.TempDir(), "index.md")
			os.WriteFile(copyTo, []byte("# TR119\n"), 0o644)
			os.Remove(p)
			if err := os.Symlink(copyTo, p); err != nil {
				t.Fatal(err)
			}
		}, []ProblemKind{ProblemSymlink}, []string{"report/index.md"}},
		{"folder replaced by a link to an identical folder", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "model", "gpt2")
			copyTo := filepath.Join(t.TempDir(), "gpt2")
			if err := os.CopyFS(copyTo, os.DirFS(p)); err != nil {
				t.Fatal(err)
			}
			os.RemoveAll(p)
			if err := os.Symlink(copyTo, p); err != nil {
				t.Fatal(err)
			}
		}, []ProblemKind{ProblemSymlink, ProblemMissing}, []string{"model/gpt2", "model/gpt2/model.onnx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, m := resultsFixture(t)
			tt.damage(t, dir)
			probs := Verify(dir, m)
			var kinds []ProblemKind
			var paths []string
			for _, p := range probs {
				kinds = append(kinds, p.Kind)
				paths = append(paths, p.Path)
				if !strings.HasPrefix(p.String(), p.Path+": ") {
					t.Errorf("String() = %q does not lead with the path", p)
				}
			}
			if !reflect.DeepEqual(kinds, tt.want) || !reflect.DeepEqual(paths, tt.paths) {
				t.Errorf("problems = %v", probs)
			}
		})
	}
}

func TestVerifyManifestDetails(t *testing.T) {
	dir, m := resultsFixture(t)
	os.WriteFile(filepath.Join(dir, "report", "index.md"), []byte("# TR120\n"), 0o644)
	probs := Verify(dir, m)
	if len(probs) != 1 {
		t.Fatalf("problems = %v", probs)
	}
	h := sha256.Sum256([]byte("# TR120\n"))
	if probs[0].Got != hex.EncodeToString(h[:]) || probs[0].Want == probs[0].Got {
		t.Errorf("altered problem = %+v", probs[0])
	}
}

func TestHashFileMatchesSHA256(t *testing.T) {
	for _, n := range []int{0, 1, 1 << 20, 64<<20 + 3} {
		b := []byte(strings.Repeat("0123456789", n/10+1)[:n])
		p := filepath.Join(t.TempDir(), "f")
		os.WriteFile(p, b, 0o644)
		got, size, err := cache.HashFile(p)
		h := sha256.Sum256(b)
		if err != nil || got != hex.EncodeToString(h[:]) || size != int64(n) {
			t.Errorf("n=%d: cache.HashFile = %s %d %v", n, got, size, err)
		}
	}
}
