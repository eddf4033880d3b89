package engine

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// minRedactLine is the shortest line of a file read by file() that
// Redact hides: shorter lines ("1", "ok") are too common in messages to
// say anything about the file.
const minRedactLine = 4

// fileContents remembers the text file() returned during any evaluation
// of a pipeline, so that messages can hide it. Evaluations may run
// concurrently.
type fileContents struct {
	mu    sync.Mutex
	texts map[string]string // path as written -> contents
}

func (c *fileContents) add(path, text string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.texts == nil {
		c.texts = map[string]string{}
	}
	c.texts[path] = text
}

// Redact returns s with the contents of every file that file() read for
// this pipeline replaced by "(contents of PATH)": whole, line by line, as
// written and as quoted in a string literal. Diagnostics, errors and plan
// reasons go through it, so that `path = file("/etc/shadow")` never
// prints the file. A transformed copy (upper(file(...))) is not caught.
func (p *Pipeline) Redact(s string) string {
	if p == nil || p.contents == nil {
		return s
	}
	c := p.contents
	c.mu.Lock()
	defer c.mu.Unlock()
	paths := make([]string, 0, len(c.texts))
	for path := range c.texts {
		paths = append(paths, path)
	}
	slices.Sort(paths)
	for _, path := range paths {
		mark := "(contents of " + path + ")"
		text := c.texts[path]
		forms := []string{text, strings.TrimSpace(text)}
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); len(line) >= minRedactLine {
				forms = append(forms, line)
			}
		}
		for _, f := range forms {
			if len(strings.TrimSpace(f)) < minRedactLine {
				continue
			}
			quoted := strconv.Quote(f)
			s = strings.ReplaceAll(s, quoted[1:len(quoted)-1], mark)
			s = strings.ReplaceAll(s, f, mark)
		}
	}
	return s
}
