package safetensors

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
)

// maxHeader bounds the JSON header so a corrupt length cannot exhaust
// memory (the reference implementation uses 100 MB).
const maxHeader = 100 << 20

// Info describes one tensor of a file.
type Info struct {
	Name  string
	Dtype string
	Shape []int64
	// Offset is the absolute byte offset of the data in the file.
	Offset int64
	// Size is the data's length in bytes.
	Size int64
}

// File is an open safetensors file.
type File struct {
	f       *os.File
	path    string
	tensors map[string]Info
	meta    map[string]string
}

// Open reads path's header. Close the file when done.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	sf, err := parseHeader(f, path, st.Size())
	if err != nil {
		f.Close()
		return nil, err
	}
	return sf, nil
}

func parseHeader(f *os.File, path string, fileSize int64) (*File, error) {
	var n [8]byte
	if _, err := io.ReadFull(f, n[:]); err != nil {
		return nil, fmt.Errorf("safetensors: %s: read header length: %w", path, err)
	}
	hlen := binary.LittleEndian.Uint64(n[:])
	if hlen > maxHeader || int64(hlen)+8 > fileSize {
		return nil, fmt.Errorf("safetensors: %s: header length %d is invalid for a %d-byte file", path, hlen, fileSize)
	}
	js := make([]byte, hlen)
	if _, err := io.ReadFull(f, js); err != nil {
		return nil, fmt.Errorf("safetensors: %s: read header: %w", path, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(js, &raw); err != nil {
		return nil, fmt.Errorf("safetensors: %s: header: %w", path, err)
	}
	sf := &File{f: f, path: path, tensors: map[string]Info{}}
	dataStart := 8 + int64(hlen)
	for name, msg := range raw {
		if name == "__metadata__" {
			if err := json.Unmarshal(msg, &sf.meta); err != nil {
				return nil, fmt.Errorf("safetensors: %s: __metadata__: %w", path, err)
			}
			continue
		}
		var e headerEntry
		if err := json.Unmarshal(msg, &e); err != nil {
			return nil, fmt.Errorf("safetensors: %s: tensor %q: %w", path, name, err)
		}
		width, ok := dtypeWidth[e.Dtype]
		if !ok {
			width = 0 // unknown dtypes are listed; reading them fails
		}
		elems := int64(1)
		for _, d := range e.Shape {
			if d < 0 {
				return nil, fmt.Errorf("safetensors: %s: tensor %q: negative dimension", path, name)
			}
			elems *= d
		}
		begin, end := e.Offsets[0], e.Offsets[1]
		if begin < 0 || end < begin || dataStart+end > fileSize || (width > 0 && end-begin != elems*width) {
			return nil, fmt.Errorf("safetensors: %s: tensor %q: data_offsets [%d, %d] do not fit its %s shape %v", path, name, begin, end, e.Dtype, e.Shape)
		}
		sf.tensors[name] = Info{Name: name, Dtype: e.Dtype, Shape: e.Shape, Offset: dataStart + begin, Size: end - begin}
	}
	return sf, nil
}

var dtypeWidth = map[string]int64{"F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1}

// Close closes the file.
func (sf *File) Close() error { return sf.f.Close() }

// Path returns the file's path.
func (sf *File) Path() string { return sf.path }

// Metadata returns the header's __metadata__ (nil when absent).
func (sf *File) Metadata() map[string]string { return sf.meta }

// Names returns the tensor names, sorted.
func (sf *File) Names() []string { return sortedNames(sf.tensors) }

// Info returns the named tensor's description.
func (sf *File) Info(name string) (Info, bool) {
	i, ok := sf.tensors[name]
	return i, ok
}

// Float32s reads the named tensor, converting F16 and BF16 to float32.
func (sf *File) Float32s(name string) ([]float32, error) {
	info, ok := sf.tensors[name]
	if !ok {
		return nil, fmt.Errorf("safetensors: %s: no tensor %q", sf.path, name)
	}
	width := dtypeWidth[info.Dtype]
	if width == 0 {
		width = 1 // unknown dtype: ReadFloat32s reports it
	}
	out := make([]float32, info.Size/width)
	if err := sf.ReadFloat32s(name, out); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadFloat32s reads the named tensor into dst, converting F16 and BF16
// to float32; len(dst) must be the tensor's element count.
func (sf *File) ReadFloat32s(name string, dst []float32) error {
	info, ok := sf.tensors[name]
	if !ok {
		return fmt.Errorf("safetensors: %s: no tensor %q", sf.path, name)
	}
	var conv func([]byte, []float32)
	var width int64
	switch info.Dtype {
	case "F32":
		conv, width = f32, 4
	case "F16":
		conv, width = f16, 2
	case "BF16":
		conv, width = bf16, 2
	default:
		return fmt.Errorf("safetensors: %s: tensor %q: dtype %s is not supported (want F32, F16 or BF16)", sf.path, name, info.Dtype)
	}
	if int64(len(dst)) != info.Size/width {
		return fmt.Errorf("safetensors: %s: tensor %q has %d elements, destination %d", sf.path, name, info.Size/width, len(dst))
	}
	out := dst
	const chunk = 1 << 16
	buf := make([]byte, chunk*width)
	for i := 0; i < len(out); i += chunk {
		n := min(chunk, len(out)-i)
		b := buf[:int64(n)*width]
		if _, err := sf.f.ReadAt(b, info.Offset+int64(i)*width); err != nil {
			return fmt.Errorf("safetensors: %s: read %q: %w", sf.path, name, err)
		}
		conv(b, out[i:i+n])
	}
	return nil
}

func f32(b []byte, out []float32) {
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

func bf16(b []byte, out []float32) {
	for i := range out {
		out[i] = math.Float32frombits(uint32(binary.LittleEndian.Uint16(b[2*i:])) << 16)
	}
}

func f16(b []byte, out []float32) {
	for i := range out {
		out[i] = HalfToFloat32(binary.LittleEndian.Uint16(b[2*i:]))
	}
}

// HalfToFloat32 converts an IEEE 754 binary16 value to float32 exactly.
func HalfToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0 && mant == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: value = mant * 2^-24
		f := float32(mant) * (1.0 / (1 << 24))
		if sign != 0 {
			f = -f
		}
		return f
	case exp == 0x1f: // inf or NaN
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	}
	return math.Float32frombits(sign | (exp+112)<<23 | mant<<13)
}
