package artifacts

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"

	"golang.org/x/sync/errgroup"
)

// ProblemKind classifies a verification problem.
type ProblemKind string

// Kinds of verification problems.
const (
	ProblemMissing ProblemKind = "missing" // the file is not there (or is not a regular file)
	ProblemSize    ProblemKind = "size"    // the file's size differs (Want/Got are byte counts)
	ProblemAltered ProblemKind = "altered" // same size, different content (Want/Got are digests)
)

// Problem is one result file that does not match its manifest subject.
type Problem struct {
	// Path is the subject name (relative to the results folder).
	Path string
	// Kind says what is wrong.
	Kind ProblemKind
	// Want is what the manifest records (size or sha256).
	Want string
	// Got is what the file has (size or sha256; empty when missing).
	Got string
}

// String describes the problem in one line.
func (p Problem) String() string {
	switch p.Kind {
	case ProblemMissing:
		return fmt.Sprintf("%s: missing%s", p.Path, suffix(p.Got))
	case ProblemSize:
		return fmt.Sprintf("%s: size %s bytes, manifest says %s", p.Path, p.Got, p.Want)
	default:
		return fmt.Sprintf("%s: altered: sha256 %s, manifest says %s", p.Path, p.Got, p.Want)
	}
}

func suffix(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

// VerifyManifest re-hashes every subject of m under resultsDir and
// returns the files that are missing or differ, sorted by path; nil means
// every file matches. Files are hashed in parallel.
func VerifyManifest(resultsDir string, m *Manifest) []Problem {
	found := make([]*Problem, len(m.Subject))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, s := range m.Subject {
		g.Go(func() error {
			found[i] = verifySubject(resultsDir, s)
			return nil
		})
	}
	g.Wait()
	var out []Problem
	for _, p := range found {
		if p != nil {
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// verifySubject checks one file; nil when it matches.
func verifySubject(dir string, s Subject) *Problem {
	p := filepath.Join(dir, filepath.FromSlash(s.Name))
	if checkResultPath(s.Name) != nil {
		return &Problem{Path: s.Name, Kind: ProblemMissing, Got: "not a path inside the results folder"}
	}
	st, err := os.Stat(p)
	if err != nil {
		return &Problem{Path: s.Name, Kind: ProblemMissing}
	}
	if !st.Mode().IsRegular() {
		return &Problem{Path: s.Name, Kind: ProblemMissing, Got: "not a regular file"}
	}
	want := strconv.FormatInt(s.Annotations.Size, 10)
	if st.Size() != s.Annotations.Size {
		return &Problem{Path: s.Name, Kind: ProblemSize, Want: want, Got: strconv.FormatInt(st.Size(), 10)}
	}
	sha, _, err := hashFile(p)
	if err != nil {
		return &Problem{Path: s.Name, Kind: ProblemMissing, Got: err.Error()}
	}
	if sha != s.Digest["sha256"] {
		return &Problem{Path: s.Name, Kind: ProblemAltered, Want: s.Digest["sha256"], Got: sha}
	}
	return nil
}
