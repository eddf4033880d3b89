package backends

import "github.com/tr119/tr119/cache"

// FileSHA256 returns the hex SHA-256 of the file at path: how a backend
// records the runtime files it found (a library, an interpreter). It is
// cache.HashFile without the size, in the shape FingerprintRequest.Hash
// takes.
func FileSHA256(path string) (string, error) {
	sha, _, err := cache.HashFile(path)
	return sha, err
}
