package cache

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// quarantineDir keeps damaged objects and entries aside instead of
// deleting them: a damaged benchmark output is evidence of what went
// wrong (and may be all that is left of a measurement), so a person
// decides what to do with it. Each item is the damaged file itself,
// named <name>.<unix nanoseconds>, and a note <name>.txt saying what was
// wrong and when.
const quarantineDir = "quarantine"

// quarantine moves the damaged file at p (an object or an action entry
// named name) into quarantine/, writes the note and logs a warning. The
// file is renamed, not copied: a result hard-linked to it keeps its
// bytes, and the store no longer holds it.
func (c *Cache) quarantine(name, p, problem string) (kept string) {
	dir := filepath.Join(c.dir, quarantineDir)
	os.MkdirAll(dir, 0o755)
	kept = filepath.Join(dir, fmt.Sprintf("%s.%d", name, time.Now().UnixNano()))
	if err := os.Rename(p, kept); err != nil {
		// Not movable (another filesystem is impossible here; a folder
		// where a blob should be, or a race with another process):
		// removing it is what keeps wrong bytes from being served.
		kept = ""
		if !isNotExist(err) {
			os.RemoveAll(p)
		}
	}
	note := fmt.Sprintf("time %s\nproblem %s\nwas %s\n", time.Now().UTC().Format(time.RFC3339), problem, p)
	if kept != "" {
		note += "kept " + kept + "\n"
	}
	os.WriteFile(filepath.Join(dir, name+".txt"), []byte(note), 0o644)
	c.log.Warn("cache: damaged file moved to quarantine", "path", p, "problem", problem, "kept", kept)
	return kept
}

// quarantineNote returns what was wrong with the object or entry name
// when it was quarantined, and where its bytes were kept; ok is false
// when it never was.
func (c *Cache) quarantineNote(name string) (problem, kept string, ok bool) {
	b, err := os.ReadFile(filepath.Join(c.dir, quarantineDir, name+".txt"))
	if err != nil {
		return "", "", false
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, _ := strings.Cut(line, " ")
		switch k {
		case "problem":
			problem = v
		case "kept":
			kept = v
		}
	}
	return problem, kept, true
}

// forgetQuarantine drops the note of an object that is whole again (the
// quarantined bytes stay for a person to look at).
func (c *Cache) forgetQuarantine(name string) {
	os.Remove(filepath.Join(c.dir, quarantineDir, name+".txt"))
}
