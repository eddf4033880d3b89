package cache

// TreeFile is one file of a stored folder, as its listing records it.
type TreeFile struct {
	// Path is slash-separated, relative to the folder.
	Path string
	// SHA256 is the file's digest; the file itself is the blob of that
	// digest.
	SHA256 string
	// Size is the file's size in bytes.
	Size int64
}

// ListTree returns the files of a stored folder, sorted by path, as its
// listing records them: the listing is checked against its digest, the
// member blobs are not read. Errors wrap ErrMissing or ErrCorrupt.
func (c *Cache) ListTree(o Object) ([]TreeFile, error) {
	t, err := c.readTree(o.SHA256)
	if err != nil {
		return nil, err
	}
	if t.size() != o.Size {
		return nil, errObject(ErrCorrupt, o.SHA256, "folder holds %d bytes, want %d", t.size(), o.Size)
	}
	files := make([]TreeFile, len(t))
	for i, e := range t {
		files[i] = TreeFile{Path: e.Path, SHA256: e.SHA256, Size: e.Size}
	}
	return files, nil
}
