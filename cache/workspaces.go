package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// workspacesDir records the workspaces that use the cache, one file each
// (named by a digest of the folder, holding its path), so that gc run in
// one workspace of a shared cache (TR119_CACHE) keeps what the others use.
const workspacesDir = "workspaces"

// RegisterWorkspace records that the workspace folder dir uses this
// cache. Cheap when it is already recorded.
func (c *Cache) RegisterWorkspace(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("register workspace: %w", err)
	}
	p := filepath.Join(c.dir, workspacesDir, hashBytes([]byte(abs))[:16])
	if b, err := os.ReadFile(p); err == nil && strings.TrimSpace(string(b)) == abs {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("register workspace: %w", err)
	}
	if err := writeAtomic(p, []byte(abs+"\n"), 0o644); err != nil {
		return fmt.Errorf("register workspace: %w", err)
	}
	return nil
}

// Workspaces lists the workspace folders recorded by RegisterWorkspace.
func (c *Cache) Workspaces() ([]string, error) {
	ents, err := os.ReadDir(filepath.Join(c.dir, workspacesDir))
	if isNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	var dirs []string
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(c.dir, workspacesDir, e.Name()))
		if d := strings.TrimSpace(string(b)); err == nil && filepath.IsAbs(d) {
			dirs = append(dirs, d)
		}
	}
	return dirs, nil
}

// ForgetWorkspace drops dir from the recorded workspaces (it is gone).
func (c *Cache) ForgetWorkspace(dir string) error {
	err := os.Remove(filepath.Join(c.dir, workspacesDir, hashBytes([]byte(dir))[:16]))
	if err != nil && !isNotExist(err) {
		return fmt.Errorf("forget workspace: %w", err)
	}
	return nil
}
