package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ActionID is an action key: the SHA-256 of the text lines describing
// everything that can change a stage's outputs.
type ActionID [32]byte

// String returns the key as 64 lowercase hex digits.
func (id ActionID) String() string { return hex.EncodeToString(id[:]) }

// ActionIDFromLines returns the key that key lines hash to: the SHA-256
// of the lines, each followed by a newline (the engine builds keys this
// way; the cache uses it to check an entry's recorded lines).
func ActionIDFromLines(lines []string) ActionID {
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
		h.Write([]byte{'\n'})
	}
	var id ActionID
	h.Sum(id[:0])
	return id
}

// ParseActionID parses 64 hex digits.
func ParseActionID(s string) (ActionID, error) {
	var id ActionID
	if len(s) != 64 {
		return id, fmt.Errorf("action id %q: want 64 hex digits", s)
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, fmt.Errorf("action id %q: %w", s, err)
	}
	return id, nil
}

// Output is one named output of an action.
type Output struct {
	// Name is the output's name in its stage (e.g. "table").
	Name string `json:"name"`
	// MediaType is the output's media type (e.g. "application/vnd.apache.parquet").
	MediaType string `json:"media_type"`
	// Object is the stored content.
	Object
}

// MarshalJSON flattens the embedded Object into the output's fields.
func (o Output) MarshalJSON() ([]byte, error) {
	return json.Marshal(outputJSON{o.Name, o.MediaType, o.SHA256, o.Size, o.Dir})
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (o *Output) UnmarshalJSON(b []byte) error {
	var j outputJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*o = Output{Name: j.Name, MediaType: j.MediaType, Object: Object{SHA256: j.SHA256, Size: j.Size, Dir: j.Dir}}
	return nil
}

type outputJSON struct {
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	Dir       bool   `json:"dir,omitempty"`
}

// ActionEntry is what the action cache records for a key.
type ActionEntry struct {
	// Outputs are the action's outputs, in the stage's order.
	Outputs []Output `json:"outputs"`
	// Environment is what the stage recorded about the machine it ran on
	// (CPU, GPU, driver, library versions); it is not part of the key.
	Environment map[string]string `json:"environment,omitempty"`
	// Duration is how long the action took when it ran.
	Duration time.Duration `json:"duration_ns"`
	// KeyLines are the text lines whose hash is the key, kept so that
	// plan can explain what changed between two keys. When present they
	// must hash to the entry's key (ActionIDFromLines): an entry copied
	// under another key is then a damaged entry, not a hit.
	KeyLines []string `json:"key_lines,omitempty"`
}

// entryMagic starts every action entry file; the header line is
// "tr119-action/v1 <sha256 of body> <body length>". The checksum makes a
// truncated or damaged entry a detectable miss.
const entryMagic = "tr119-action/v1"

// actionFile is where the entry for id lives.
func (c *Cache) actionFile(id ActionID) string {
	s := id.String()
	return filepath.Join(c.dir, actionsDir, s[:2], s)
}

// PutAction records e under id, atomically. Every output object must
// already be in the cache.
func (c *Cache) PutAction(id ActionID, e *ActionEntry) error {
	if len(e.KeyLines) > 0 && ActionIDFromLines(e.KeyLines) != id {
		return fmt.Errorf("put action %s: key lines hash to %s, not to the key", short(id.String()), short(ActionIDFromLines(e.KeyLines).String()))
	}
	for _, o := range e.Outputs {
		if _, err := c.ObjectPath(o.Object); err != nil {
			return fmt.Errorf("put action %s: output %s: %w", short(id.String()), o.Name, err)
		}
	}
	body, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("put action %s: %w", short(id.String()), err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %d\n", entryMagic, hashBytes(body), len(body))
	b.Write(body)
	p := c.actionFile(id)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("put action %s: %w", short(id.String()), err)
	}
	if err := writeAtomic(p, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("put action %s: %w", short(id.String()), err)
	}
	c.forgetQuarantine("action-" + id.String())
	return nil
}

// GetAction returns the entry for id. The error wraps ErrMiss when there
// is none, or when the entry is damaged or truncated, or one of its
// objects is missing or altered; damage is logged as a warning and
// never returned as anything but a miss.
func (c *Cache) GetAction(id ActionID) (*ActionEntry, error) {
	p := c.actionFile(id)
	st, err := os.Lstat(p)
	if err != nil {
		if !isNotExist(err) {
			c.log.Warn("cache: unreadable action entry", "key", id.String(), "err", err)
		} else if problem, kept, ok := c.quarantineNote("action-" + id.String()); ok {
			// Its entry was found damaged earlier and nothing replaced it.
			ce := &CorruptError{SHA256: id.String(), Problem: "action entry: " + problem, Kept: kept, Gone: true}
			return nil, fmt.Errorf("action %s: %w: %w", short(id.String()), ce, ErrMiss)
		}
		return nil, fmt.Errorf("action %s: %w", short(id.String()), ErrMiss)
	}
	e, err := c.readEntry(id, p, st)
	if err != nil {
		c.log.Warn("cache: damaged action entry, treating as a miss", "key", id.String(), "err", err)
		kept := c.quarantine("action-"+id.String(), p, err.Error())
		ce := &CorruptError{SHA256: id.String(), Problem: "action entry: " + err.Error(), Kept: kept}
		return nil, fmt.Errorf("action %s: %w: %w", short(id.String()), ce, ErrMiss)
	}
	// Objects are never written after they are stored, so one modified
	// after this entry was written is re-hashed before it is trusted.
	ck := check{since: st.ModTime()}
	for _, o := range e.Outputs {
		if _, err := c.objectPath(o.Object, ck); err != nil {
			var ce *CorruptError
			if errors.As(err, &ce) {
				ce.Output = o.Name // a fresh error of this call
			}
			c.log.Warn("cache: action output unusable, treating as a miss", "key", id.String(), "output", o.Name, "err", err)
			return nil, fmt.Errorf("action %s: %w: %w", short(id.String()), &OutputError{Output: o.Name, Err: err}, ErrMiss)
		}
	}
	return e, nil
}

// readEntry reads and checks the entry file p of key id, whose Lstat is
// st: a regular file, an intact checksum, key lines (when recorded) that
// hash to id. It does not look at the outputs' objects.
func (c *Cache) readEntry(id ActionID, p string, st os.FileInfo) (*ActionEntry, error) {
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", st.Mode().Type())
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	e, err := decodeEntry(b)
	if err != nil {
		return nil, err
	}
	if len(e.KeyLines) > 0 {
		if got := ActionIDFromLines(e.KeyLines); got != id {
			return nil, fmt.Errorf("entry of another key: its key lines hash to %s", short(got.String()))
		}
	}
	return e, nil
}

// OutputError says which output of an action entry is unusable; Err
// wraps ErrMissing or ErrCorrupt.
type OutputError struct {
	Output string
	Err    error
}

func (e *OutputError) Error() string { return "output " + e.Output + ": " + e.Err.Error() }

// Unwrap returns the object's error.
func (e *OutputError) Unwrap() error { return e.Err }

// decodeEntry checks an entry file's header and decodes its body.
func decodeEntry(b []byte) (*ActionEntry, error) {
	header, body, ok := bytes.Cut(b, []byte("\n"))
	if !ok {
		return nil, fmt.Errorf("no header line")
	}
	f := strings.Fields(string(header))
	if len(f) != 3 || f[0] != entryMagic {
		return nil, fmt.Errorf("bad header %q", header)
	}
	if n, err := strconv.Atoi(f[2]); err != nil || n != len(body) {
		return nil, fmt.Errorf("body is %d bytes, header says %s (truncated?)", len(body), f[2])
	}
	if hashBytes(body) != f[1] {
		return nil, fmt.Errorf("checksum mismatch")
	}
	var e ActionEntry
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	for _, o := range e.Outputs {
		if !validSHA(o.SHA256) || o.Size < 0 {
			return nil, fmt.Errorf("output %q: bad object %q size %d", o.Name, o.SHA256, o.Size)
		}
	}
	return &e, nil
}

// CheckpointDir returns a folder, created if needed, where a stage keeps
// partial progress under its key across interrupted runs (a long
// benchmark keeps its finished cells). It survives until
// RemoveCheckpoint; GC leaves checkpoints alone.
func (c *Cache) CheckpointDir(id ActionID) string {
	p := filepath.Join(c.dir, checkpointsDir, id.String())
	// An error here surfaces as soon as the stage writes into p.
	os.MkdirAll(p, 0o755)
	return p
}

// RemoveCheckpoint deletes id's checkpoint folder (done once the
// action's entry is stored). A missing folder is not an error.
func (c *Cache) RemoveCheckpoint(id ActionID) error {
	if err := os.RemoveAll(filepath.Join(c.dir, checkpointsDir, id.String())); err != nil {
		return fmt.Errorf("remove checkpoint %s: %w", short(id.String()), err)
	}
	return nil
}
