package engine

// ListTree implements treeLister: the files of a stored folder from its
// recorded listing.
func (s cacheStore) ListTree(o StoredObject) ([]TreeFile, error) {
	files, err := s.c.ListTree(toObject(o))
	if err != nil {
		return nil, err
	}
	out := make([]TreeFile, len(files))
	for i, f := range files {
		out[i] = TreeFile{Path: f.Path, SHA256: f.SHA256, Size: f.Size}
	}
	return out, nil
}

// VerifyObject implements objectVerifier: it re-hashes a stored object,
// and the cache sets a damaged one aside so that the next plan misses it.
func (s cacheStore) VerifyObject(o StoredObject) error { return s.c.Verify(toObject(o)) }
