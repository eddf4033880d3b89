package manifest

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/tr119/tr119/cache"
	"golang.org/x/sync/errgroup"
)

// ProblemKind classifies a verification problem.
type ProblemKind string

// Kinds of verification problems.
const (
	ProblemMissing ProblemKind = "missing" // the file is not there (or is not a regular file)
	ProblemSize    ProblemKind = "size"    // the file's size differs (Want/Got are byte counts)
	ProblemAltered ProblemKind = "altered" // same size, different content (Want/Got are digests)
	ProblemStray   ProblemKind = "stray"   // a file the manifest does not list, in a stage folder that holds results
	ProblemSymlink ProblemKind = "symlink" // a symbolic link where a result or a folder of results should be (Got: its target)
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
	case ProblemStray:
		return fmt.Sprintf("%s: stray: not in the manifest", p.Path)
	case ProblemSymlink:
		return fmt.Sprintf("%s: symbolic link%s: the manifest lists files, not links", p.Path, suffix(p.Got))
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

// Verify checks that resultsDir holds exactly the manifest's
// files with exactly its bytes. It re-hashes every subject, and walks
// every stage folder that holds results (KIND/LABEL, see StageFolder)
// for files the manifest does not list and for symbolic links, which are
// problems even when they lead to identical content. It returns the
// problems sorted by path; nil means all is well. Files are hashed in
// parallel.
func Verify(resultsDir string, m *Manifest) []Problem {
	subjects := map[string]bool{}
	for _, s := range m.Subject {
		subjects[s.Name] = true
	}
	out, linked := scanResults(resultsDir, m, subjects)
	found := make([]*Problem, len(m.Subject))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, s := range m.Subject {
		if l := linkedAncestor(s.Name, linked); l != "" {
			found[i] = &Problem{Path: s.Name, Kind: ProblemMissing, Got: "reached through the symbolic link " + l}
			continue
		}
		g.Go(func() error {
			found[i] = verifySubject(resultsDir, s)
			return nil
		})
	}
	g.Wait()
	for _, p := range found {
		if p != nil {
			out = append(out, *p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// StageFolder returns the folder of the results folder that holds a
// result and its stage's other results: KIND/LABEL for KIND/LABEL/OUTPUT
// (a folder output's files lie deeper); "" for a shallower name. tr119
// places nothing else there, so any other file in it is stray.
func StageFolder(name string) string {
	parts := strings.SplitN(name, "/", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[0] + "/" + parts[1]
}

// scanResults walks the stage folders that hold subjects and reports
// stray files and symbolic links that are not subjects themselves (a subject
// that is a link is reported by verifySubject). It returns the problems
// and the set of linked folders.
func scanResults(dir string, m *Manifest, subjects map[string]bool) ([]Problem, map[string]bool) {
	roots := map[string]bool{}
	for _, s := range m.Subject {
		if checkResultPath(s.Name) == nil {
			if f := StageFolder(s.Name); f != "" {
				roots[f] = true
			}
		}
	}
	var out []Problem
	linked := map[string]bool{}
	for _, root := range slices.Sorted(maps.Keys(roots)) {
		filepath.WalkDir(filepath.Join(dir, root), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // a missing folder: its subjects are reported missing
			}
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return nil
			}
			name := filepath.ToSlash(rel)
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				if subjects[name] {
					return nil
				}
				linked[name] = true
				out = append(out, Problem{Path: name, Kind: ProblemSymlink, Got: linkTarget(p)})
			case d.IsDir():
			case !subjects[name]:
				out = append(out, Problem{Path: name, Kind: ProblemStray})
			}
			return nil
		})
	}
	return out, linked
}

// linkedAncestor returns the folder of name that is a symbolic link, or "".
func linkedAncestor(name string, linked map[string]bool) string {
	for d := path.Dir(name); d != "." && d != "/"; d = path.Dir(d) {
		if linked[d] {
			return d
		}
	}
	return ""
}

func linkTarget(p string) string {
	t, err := os.Readlink(p)
	if err != nil {
		return ""
	}
	return "to " + t
}

// verifySubject checks one file; nil when it matches.
func verifySubject(dir string, s Subject) *Problem {
	p := filepath.Join(dir, filepath.FromSlash(s.Name))
	if checkResultPath(s.Name) != nil {
		return &Problem{Path: s.Name, Kind: ProblemMissing, Got: "not a path inside the results folder"}
	}
	st, err := os.Lstat(p)
	if err != nil {
		return &Problem{Path: s.Name, Kind: ProblemMissing}
	}
	if st.Mode()&fs.ModeSymlink != 0 {
		return &Problem{Path: s.Name, Kind: ProblemSymlink, Got: linkTarget(p)}
	}
	if !st.Mode().IsRegular() {
		return &Problem{Path: s.Name, Kind: ProblemMissing, Got: "not a regular file"}
	}
	want := strconv.FormatInt(s.Annotations.Size, 10)
	if st.Size() != s.Annotations.Size {
		return &Problem{Path: s.Name, Kind: ProblemSize, Want: want, Got: strconv.FormatInt(st.Size(), 10)}
	}
	sha, _, err := cache.HashFile(p)
	if err != nil {
		return &Problem{Path: s.Name, Kind: ProblemMissing, Got: err.Error()}
	}
	if sha != s.Digest["sha256"] {
		return &Problem{Path: s.Name, Kind: ProblemAltered, Want: s.Digest["sha256"], Got: sha}
	}
	return nil
}
