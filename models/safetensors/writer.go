package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
)

// Entry declares one tensor of a file before it is written.
type Entry struct {
	Name  string
	Shape []int64
}

// Elems returns the number of elements of the entry's shape.
func (e Entry) Elems() int64 {
	n := int64(1)
	for _, d := range e.Shape {
		n *= d
	}
	return n
}

// Layout is where each tensor's F32 data lives in a file written by
// Writer: absolute byte offsets from the start of the file.
type Layout struct {
	// HeaderSize is 8 plus the JSON header's length (a multiple of 8).
	HeaderSize int64
	// Offsets maps a tensor name to the absolute offset of its data.
	Offsets map[string]int64
	// Sizes maps a tensor name to its data's length in bytes.
	Sizes map[string]int64
}

// Writer writes an F32 safetensors file, tensor by tensor, in the order
// the entries were declared.
type Writer struct {
	w       io.Writer
	entries []Entry
	next    int
	buf     []byte
	layout  Layout
}

type headerEntry struct {
	Dtype   string   `json:"dtype"`
	Shape   []int64  `json:"shape"`
	Offsets [2]int64 `json:"data_offsets"`
}

// NewWriter writes the header for entries (laid out in the given order)
// to w. metadata, if not empty, becomes the header's __metadata__.
func NewWriter(w io.Writer, entries []Entry, metadata map[string]string) (*Writer, error) {
	hdr := map[string]any{}
	if len(metadata) > 0 {
		hdr["__metadata__"] = metadata
	}
	sw := &Writer{w: w, entries: entries, layout: Layout{Offsets: map[string]int64{}, Sizes: map[string]int64{}}}
	var off int64
	rel := map[string]int64{}
	for _, e := range entries {
		if _, dup := hdr[e.Name]; dup || e.Name == "" {
			return nil, fmt.Errorf("safetensors: bad or duplicate tensor name %q", e.Name)
		}
		size := 4 * e.Elems()
		hdr[e.Name] = headerEntry{Dtype: "F32", Shape: shapeOrEmpty(e.Shape), Offsets: [2]int64{off, off + size}}
		rel[e.Name] = off
		sw.layout.Sizes[e.Name] = size
		off += size
	}
	js, err := json.Marshal(hdr) // map keys are sorted: deterministic
	if err != nil {
		return nil, fmt.Errorf("safetensors: encode header: %w", err)
	}
	// Pad with spaces so the data starts 8-byte aligned, as the reference
	// implementation does.
	if pad := (8 - len(js)%8) % 8; pad > 0 {
		js = append(js, bytes.Repeat([]byte(" "), pad)...)
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(js)))
	if _, err := w.Write(n[:]); err != nil {
		return nil, fmt.Errorf("safetensors: write header: %w", err)
	}
	if _, err := w.Write(js); err != nil {
		return nil, fmt.Errorf("safetensors: write header: %w", err)
	}
	sw.layout.HeaderSize = 8 + int64(len(js))
	for name, o := range rel {
		sw.layout.Offsets[name] = sw.layout.HeaderSize + o
	}
	return sw, nil
}

// Layout returns where each tensor's data is in the file.
func (sw *Writer) Layout() Layout { return sw.layout }

// Write writes the next declared tensor; name and length must match.
func (sw *Writer) Write(name string, data []float32) error {
	if sw.next >= len(sw.entries) {
		return fmt.Errorf("safetensors: tensor %q not declared", name)
	}
	e := sw.entries[sw.next]
	if e.Name != name {
		return fmt.Errorf("safetensors: got tensor %q, want %q next", name, e.Name)
	}
	if int64(len(data)) != e.Elems() {
		return fmt.Errorf("safetensors: tensor %q: got %d elements, want %d", name, len(data), e.Elems())
	}
	sw.next++
	const chunk = 1 << 16
	if cap(sw.buf) < 4*chunk {
		sw.buf = make([]byte, 4*chunk)
	}
	for len(data) > 0 {
		n := min(len(data), chunk)
		b := sw.buf[:4*n]
		for i, f := range data[:n] {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(f))
		}
		if _, err := sw.w.Write(b); err != nil {
			return fmt.Errorf("safetensors: write %s: %w", name, err)
		}
		data = data[n:]
	}
	return nil
}

// Close checks that every declared tensor was written.
func (sw *Writer) Close() error {
	if sw.next != len(sw.entries) {
		return fmt.Errorf("safetensors: %d of %d tensors written", sw.next, len(sw.entries))
	}
	return nil
}

func shapeOrEmpty(s []int64) []int64 {
	if s == nil {
		return []int64{}
	}
	return s
}

// sortedNames returns m's keys, sorted.
func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
