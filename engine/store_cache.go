package engine

import (
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
		return nil, err
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
	return s.c.ObjectPath(toObject(o))
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
