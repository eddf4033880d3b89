package cache

import (
	"errors"
	"fmt"
	"io/fs"
)

// StoreCheck says what VerifyStore looked at and found.
type StoreCheck struct {
	// Objects and Entries are how many blobs and action entries were
	// checked; Bytes is how many bytes were hashed.
	Objects, Entries int
	Bytes            int64
	// Damaged is how many of them were damaged and moved to quarantine.
	Damaged int
}

// VerifyStore re-hashes every stored blob and checks every action entry
// (checksum, key lines), moving damaged ones to the quarantine folder.
// It finds what no cheap check can: bytes changed on disk without any
// file attribute changing. `tr119 gc -verify` runs it; it reads every
// byte of the store, so it is not part of plan or apply.
func (c *Cache) VerifyStore() (StoreCheck, error) {
	var sc StoreCheck
	err := c.walkStore(objectsDir, func(p, name string, info fs.FileInfo) error {
		sc.Objects++
		if !validSHA(name) {
			sc.Damaged++
			c.quarantine("stray-"+name, p, "not an object name")
			return nil
		}
		sc.Bytes += info.Size()
		if _, err := c.blob(name, info.Size(), check{deep: true}); errors.Is(err, ErrCorrupt) {
			sc.Damaged++
		}
		return nil
	})
	if err != nil {
		return sc, fmt.Errorf("verify objects: %w", err)
	}
	err = c.walkStore(actionsDir, func(p, name string, info fs.FileInfo) error {
		sc.Entries++
		id, err := ParseActionID(name)
		if err == nil {
			_, err = c.readEntry(id, p, info)
		}
		if err != nil {
			sc.Damaged++
			c.quarantine("action-"+name, p, err.Error())
		}
		return nil
	})
	if err != nil {
		return sc, fmt.Errorf("verify actions: %w", err)
	}
	return sc, nil
}
