package engine

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// foreignEntryError says a recorded entry's outputs are not the ones its
// stage's kind declares (an entry written by another kind, or copied).
type foreignEntryError struct {
	kind, output string
}

func (e *foreignEntryError) Error() string {
	return fmt.Sprintf("recorded entry is not one of kind %s: it has output %q, which the kind does not declare as such", e.kind, e.output)
}

// lookupAction returns the cached action of key for stage st, with the
// artifacts it gives downstream stages, or why there is none: absent,
// damaged (a *DamagedError), or not an entry of st's kind.
func lookupAction(s Store, st *Stage, key *ActionKey) (*StoredAction, map[string]Artifact, error) {
	if key == nil {
		return nil, nil, errors.New("key not known yet")
	}
	e, err := s.GetAction(key.ID)
	if err != nil {
		return nil, nil, err
	}
	if e == nil {
		return nil, nil, errors.New("no entry")
	}
	info := st.Kind.Info()
	arts := map[string]Artifact{}
	for _, o := range e.Outputs {
		if oi, ok := outputInfo(info, o.Name); !ok || oi.Dir != o.Dir {
			return nil, nil, &foreignEntryError{kind: info.Name, output: o.Name}
		}
		path, err := s.ObjectPath(o.StoredObject)
		if err != nil {
			var de *DamagedError
			if errors.As(err, &de) && de.Output == "" {
				de.Output = o.Name
			}
			return nil, nil, err
		}
		arts[o.Name] = Artifact{Path: path, SHA256: o.SHA256, Size: o.Size, MediaType: o.MediaType,
			Dir: o.Dir, Stage: st.Addr, Available: true}
	}
	return e, arts, nil
}

// missReason explains a lookup that found a recorded result it could not
// use; "" when there was simply none. A measurement cannot be made again
// identically, so its reason says plainly that it must be re-measured.
func missReason(info KindInfo, err error, workspace string) string {
	var de *DamagedError
	var fe *foreignEntryError
	var me *MissingOutputError
	switch {
	case errors.As(err, &me) && !info.Deterministic:
		return fmt.Sprintf("must be re-measured: its recorded output %q is missing from the cache", me.Output)
	case errors.As(err, &de):
		kept := ""
		if de.Kept != "" {
			k := de.Kept
			if rel, rerr := filepath.Rel(workspace, k); rerr == nil && !strings.HasPrefix(rel, "..") {
				k = rel
			}
			kept = "; the damaged copy is kept in " + k
		}
		what := "its recorded result"
		if de.Output != "" {
			what = fmt.Sprintf("its recorded output %q", de.Output)
		}
		if !info.Deterministic {
			return fmt.Sprintf("must be re-measured: %s was damaged (%s)%s", what, de.Problem, kept)
		}
		return fmt.Sprintf("must be rebuilt: %s was damaged (%s)%s", what, de.Problem, kept)
	case errors.As(err, &fe):
		return fe.Error()
	}
	return ""
}

// damagedInputs re-hashes the cached objects that the stages about to run
// will read (a stage is never handed bytes other than those its key
// names) and reports whether any was damaged: the store has then
// quarantined it, and a new plan runs its stage again first.
func damagedInputs(plan *Plan, s Store) bool {
	found := false
	seen := map[string]bool{}
	for _, ps := range plan.Stages {
		if ps.Action == ActionCached || ps.res == nil || ps.res.walk == nil {
			continue
		}
		for _, in := range ps.res.walk.Inputs {
			a := in.Artifact
			if !a.Available || seen[a.SHA256] {
				continue
			}
			seen[a.SHA256] = true
			if de, _ := verifyInput(s, a); de != nil {
				found = true
			}
		}
	}
	return found
}

// checkRunInputs re-checks, just before a stage runs, the stored inputs
// it will read: plan hashed them, but a long apply leaves time for a
// write through a hard-linked result. What this process hashed already
// and is unchanged is not read again. A damaged input fails the stage
// (the store has quarantined it, so the next apply rebuilds it) rather
// than be read.
func checkRunInputs(n *node, stores ...Store) error {
	if n.res == nil || n.res.walk == nil {
		return nil
	}
	for _, in := range n.res.walk.Inputs {
		a := in.Artifact
		if !a.Available {
			continue
		}
		for _, s := range stores {
			de, err := verifyInput(s, a)
			if de != nil {
				return fmt.Errorf("input %s is damaged (%s); it was not read, and the next apply rebuilds it", in.Name, de.Problem)
			}
			if err == nil {
				break
			}
		}
	}
	return nil
}

// verifyInput re-checks an input's stored object in s: the damage found
// (the store has quarantined it), and the store's error.
func verifyInput(s Store, a Artifact) (*DamagedError, error) {
	err := s.VerifyInput(StoredObject{SHA256: a.SHA256, Size: a.Size, Dir: a.Dir})
	var de *DamagedError
	errors.As(err, &de)
	return de, err
}
