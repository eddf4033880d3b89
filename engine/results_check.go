package engine

import (
	"log/slog"
	"os"
	"path/filepath"

	"github.com/tr119/tr119/manifest"
)

// objectVerifier is a store that re-hashes a stored object and sets it
// aside when damaged, so that the next plan misses it; cacheStore is one.
type objectVerifier interface {
	VerifyObject(o StoredObject) error
}

// CheckResults looks, before planning, for files of the results folder
// dir that were altered since an apply placed them (rec says which are
// unchanged without reading them). A result is a hard link to the
// cache's copy where the file system allows, so writing into one in
// place damages the cache too: for such a file the store's object is
// re-checked, and a damaged one is set aside so that the plan runs its
// stage again instead of serving the damaged bytes as cached. It returns
// the altered files; placing the results later restores them.
func CheckResults(s Store, dir string, rec *ResultsRecord, log *slog.Logger) []string {
	m, err := manifest.Read(filepath.Join(dir, manifestName))
	if err != nil {
		return nil
	}
	var altered []string
	for _, sub := range m.Subject {
		sha := sub.Digest["sha256"]
		p := filepath.Join(dir, filepath.FromSlash(sub.Name))
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() || rec.intact(sub.Name, p, st, sha, sub.Annotations.Size) {
			continue // absent or a link: placing restores it; else unchanged
		}
		altered = append(altered, sub.Name)
		v, ok := s.(objectVerifier)
		if !ok || !hardLinked(st) {
			continue
		}
		obj := StoredObject{SHA256: sha, Size: sub.Annotations.Size}
		if err := v.VerifyObject(obj); err != nil && log != nil {
			log.Warn("a result file was altered in place and shared its bytes with the cache; the cache's copy is set aside and its stage runs again",
				"file", sub.Name, "stage", sub.Annotations.Stage, "err", err)
		}
	}
	return altered
}
