package engine

import (
	"errors"
	"fmt"

	"github.com/tr119/tr119/cache"
)

// cacheStore adapts package cache to Store.
type cacheStore struct{ c *cache.Cache }

// NewCacheStore returns c as a Store.
func NewCacheStore(c *cache.Cache) Store { return cacheStore{c} }

// GetAction implements Store.
func (s cacheStore) GetAction(id [32]byte) (*StoredAction, error) {
	e, err := s.c.GetAction(cache.ActionID(id))
	if err != nil {
		return nil, damaged(err)
	}
	// The cache has checked recorded key lines against the key; an
	// entry without them cannot be checked, so it is not trusted.
	if len(e.KeyLines) == 0 {
		return nil, fmt.Errorf("action %x: entry without key lines of this key: %w", id[:6], cache.ErrMiss)
	}
	a := &StoredAction{Environment: e.Environment, Duration: e.Duration, KeyLines: e.KeyLines}
	for _, o := range e.Outputs {
		a.Outputs = append(a.Outputs, StoredOutput{Name: o.Name, MediaType: o.MediaType,
			StoredObject: fromObject(o.Object)})
	}
	return a, nil
}

// PutAction implements Store.
func (s cacheStore) PutAction(id [32]byte, a *StoredAction) error {
	e := &cache.ActionEntry{Environment: a.Environment, Duration: a.Duration, KeyLines: a.KeyLines}
	for _, o := range a.Outputs {
		e.Outputs = append(e.Outputs, cache.Output{Name: o.Name, MediaType: o.MediaType, Object: toObject(o.StoredObject)})
	}
	return s.c.PutAction(cache.ActionID(id), e)
}

// Put implements Store.
func (s cacheStore) Put(src string, dir bool) (StoredObject, error) {
	put := s.c.PutFile
	if dir {
		put = s.c.PutDir
	}
	o, err := put(src)
	return fromObject(o), err
}

// ObjectPath implements Store.
func (s cacheStore) ObjectPath(o StoredObject) (string, error) {
	p, err := s.c.ObjectPath(toObject(o))
	return p, damaged(err)
}

// VerifyInput implements Store.
func (s cacheStore) VerifyInput(o StoredObject) error {
	return damaged(s.c.VerifyInput(toObject(o)))
}

// damaged turns the cache's report of a damaged object into a
// *DamagedError, and of a missing output into a *MissingOutputError
// (other errors pass through).
func damaged(err error) error {
	var ce *cache.CorruptError
	var oe *cache.OutputError
	switch {
	case errors.As(err, &ce):
		return fmt.Errorf("%w: %w", &DamagedError{Output: ce.Output, SHA256: ce.SHA256, Problem: ce.Problem, Kept: ce.Kept}, err)
	case errors.As(err, &oe) && errors.Is(err, cache.ErrMissing):
		return fmt.Errorf("%w: %w", &MissingOutputError{Output: oe.Output}, err)
	}
	return err
}

// Materialize implements Store.
func (s cacheStore) Materialize(o StoredObject, dst string) error {
	return s.c.Materialize(toObject(o), dst)
}

// CheckpointDir implements Store.
func (s cacheStore) CheckpointDir(id [32]byte) string { return s.c.CheckpointDir(cache.ActionID(id)) }

func fromObject(o cache.Object) StoredObject {
	return StoredObject{SHA256: o.SHA256, Size: o.Size, Dir: o.Dir}
}

func toObject(o StoredObject) cache.Object {
	return cache.Object{SHA256: o.SHA256, Size: o.Size, Dir: o.Dir}
}
