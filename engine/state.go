package engine

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tr119/tr119/artifacts"
)

// StageState is what the last apply in this workspace recorded for one
// stage, so that plan can say why a stage must run again.
type StageState struct {
	// Addr is the stage address.
	Addr string `json:"addr"`
	// Kind and KindVersion are the kind that ran.
	Kind        string `json:"kind"`
	KindVersion string `json:"kind_version"`
	// Key is the action key's hex digest; KeyLines its lines.
	Key      string   `json:"key"`
	KeyLines []string `json:"key_lines"`
	// MeasureKey is the measurement key of a Relabeler (key.go), kept by
	// gc so a later label rename still relabels instead of measuring.
	MeasureKey string `json:"measure_key,omitempty"`
	// Config maps each attribute path to its canonical JSON.
	Config map[string]string `json:"config"`
	// Inputs maps input names to artifact hashes; Files maps file paths
	// to content hashes.
	Inputs map[string]string `json:"inputs"`
	Files  map[string]string `json:"files"`
	// Unavailable is the reason when the stage last finished unavailable.
	Unavailable string `json:"unavailable,omitempty"`
}

// StateDir stores one JSON file per stage instance address, named by
// the address with every byte but letters, digits, '.', '_' and '-'
// written as %XX (stage.benchmark.cpu%5B%22fused%22%5D.json).
type StateDir struct {
	dir string
}

// OpenState returns the state folder dir (created on first write).
func OpenState(dir string) *StateDir { return &StateDir{dir: dir} }

func (s *StateDir) path(addr string) string {
	return filepath.Join(s.dir, fileSafe(addr)+".json")
}

// fileSafe escapes a stage address for use as a file name.
func fileSafe(addr string) string {
	var b strings.Builder
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

// Get returns the recorded state of addr, or nil when there is none. A
// damaged file counts as none: state only explains, it never decides.
func (s *StateDir) Get(addr string) *StageState {
	st := s.read(s.path(addr))
	if st == nil || st.Addr != addr {
		return nil
	}
	return st
}

// read decodes one state file; nil when missing or damaged.
func (s *StateDir) read(path string) *StageState {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var st StageState
	if json.Unmarshal(b, &st) != nil {
		return nil
	}
	return &st
}

// Put records st atomically.
func (s *StateDir) Put(st *StageState) error {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return fmt.Errorf("state: %w", err)
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("state %s: %w", st.Addr, err)
	}
	if err := artifacts.WriteFileAtomic(s.path(st.Addr), append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("state %s: %w", st.Addr, err)
	}
	return nil
}

// Keys returns the action keys recorded for every stage (for gc).
func (s *StateDir) Keys() ([]string, error) {
	ents, err := os.ReadDir(s.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("state: %w", err)
	}
	var keys []string
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		if st := s.read(filepath.Join(s.dir, e.Name())); st != nil && st.Key != "" && s.path(st.Addr) == filepath.Join(s.dir, e.Name()) {
			keys = append(keys, st.Key)
			if st.MeasureKey != "" {
				keys = append(keys, st.MeasureKey)
			}
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// newState builds the state record of a resolved stage.
func newState(addr string, info KindInfo, key ActionKey, w *configWalk, files []keyFile) *StageState {
	st := &StageState{
		Addr: addr, Kind: info.Name, KindVersion: info.Version,
		Key: key.String(), KeyLines: key.Lines,
		Config: w.Leaves, Inputs: map[string]string{}, Files: map[string]string{},
	}
	for _, in := range w.Inputs {
		st.Inputs[in.Name] = in.Artifact.SHA256
	}
	for _, f := range files {
		st.Files[f.Path] = f.SHA256
	}
	return st
}

// knownConfigDiffs lists the attribute changes that are already known while
// some of a stage's config waits on upstream stages (paths under an
// unknown value are left out), so a stage below a stale one still says
// which of its own attributes changed.
func knownConfigDiffs(old *StageState, w *configWalk) []string {
	return configDiffs(old.Config, w.Leaves, func(k string) bool {
		for _, u := range w.Unknown {
			if k == u || strings.HasPrefix(k, u+".") || strings.HasPrefix(k, u+"[") {
				return true
			}
		}
		return false
	})
}

// configDiffs lists how the attribute leaves changed, path by path, leaving
// out the paths skip reports (nil: none).
func configDiffs(old, now map[string]string, skip func(string) bool) []string {
	var rs []string
	for _, k := range unionKeys(old, now) {
		o, okO := old[k]
		n, okN := now[k]
		switch {
		case skip != nil && skip(k):
		case !okO:
			rs = append(rs, fmt.Sprintf("%s: added = %s", k, n))
		case !okN:
			rs = append(rs, fmt.Sprintf("%s: removed (was %s)", k, o))
		case o != n:
			rs = append(rs, fmt.Sprintf("%s: %s -> %s", k, o, n))
		}
	}
	return rs
}

// diffReasons explains, in the user's terms, how the new resolution of a
// stage differs from its recorded state.
func diffReasons(old, now *StageState) []string {
	var rs []string
	if old.KindVersion != now.KindVersion {
		rs = append(rs, fmt.Sprintf("kind %s version %s -> %s", now.Kind, old.KindVersion, now.KindVersion))
	}
	rs = append(rs, configDiffs(old.Config, now.Config, nil)...)
	for _, k := range unionKeys(old.Inputs, now.Inputs) {
		if old.Inputs[k] != now.Inputs[k] {
			rs = append(rs, "input "+k+" changed")
		}
	}
	for _, k := range unionKeys(old.Files, now.Files) {
		if old.Files[k] != now.Files[k] {
			rs = append(rs, "file "+k+" changed")
		}
	}
	if old.Unavailable != "" {
		rs = append(rs, "was unavailable: "+old.Unavailable)
	}
	if len(rs) == 0 && old.Key != now.Key {
		rs = append(rs, "action key changed")
	}
	return rs
}

func unionKeys(a, b map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string]string{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
