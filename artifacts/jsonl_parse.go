package artifacts

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// jsonSyntaxError is a JSON-lines syntax error at a byte column of its
// line; it prints as "COL: message" so callers prefix "file:line:".
type jsonSyntaxError struct {
	col int
	msg string
}

func (e *jsonSyntaxError) Error() string { return fmt.Sprintf("%d: %s", e.col, e.msg) }

// parseJSONObject parses one flat JSON object, keeping its key order.
// Values are nil, string, bool or json.Number. It is a small scanner
// rather than encoding/json's Decoder, which builds an error value for
// every token it stops at and made JSON lines ten times slower than CSV;
// a differential fuzz test holds it to encoding/json's grammar.
//
// st carries what lines share: the returned slices are st's buffers, valid
// until the next call, and keys are interned so a million lines do not
// allocate a million copies of each column name.
func parseJSONObject(b []byte, st *jsonLines) ([]string, []any, error) {
	p := jsonParser{b: b}
	p.ws()
	if !p.eat('{') {
		return nil, nil, p.errorf("want a JSON object")
	}
	st.line++
	keys, vals := st.keys[:0], st.vals[:0]
	defer func() { st.keys, st.vals = keys, vals }()
	p.ws()
	if p.eat('}') {
		return keys, vals, p.end()
	}
	for {
		p.ws()
		if p.peek() != '"' {
			return nil, nil, p.errorf("bad JSON: want a quoted key")
		}
		keyCol := p.pos + 1
		key, err := p.key(st)
		if err != nil {
			return nil, nil, err
		}
		if key.line == st.line {
			return nil, nil, &jsonSyntaxError{col: keyCol, msg: fmt.Sprintf("key %q appears twice", key.name)}
		}
		key.line = st.line
		p.ws()
		if !p.eat(':') {
			return nil, nil, p.errorf("bad JSON: want ':' after key %q", key.name)
		}
		p.ws()
		v, err := p.value(key.name)
		if err != nil {
			return nil, nil, err
		}
		keys, vals = append(keys, key.name), append(vals, v)
		p.ws()
		if p.eat(',') {
			continue
		}
		if p.eat('}') {
			return keys, vals, p.end()
		}
		return nil, nil, p.errorf("bad JSON: want ',' or '}' after the value of %q", key.name)
	}
}

// jsonLines is the state parseJSONObject keeps across the lines of a file.
type jsonLines struct {
	line  int // counts parsed objects, to spot a key twice in one
	keys  []string
	vals  []any
	names map[string]*jsonKey
}

// jsonKey is an interned key and the last object it was seen in.
type jsonKey struct {
	name string
	line int
}

// key scans a quoted key and returns its interned entry. A plain key is
// looked up by its bytes, which does not allocate.
func (p *jsonParser) key(st *jsonLines) (*jsonKey, error) {
	if st.names == nil {
		st.names = map[string]*jsonKey{}
	}
	raw, plain, err := p.scanStr()
	if err != nil {
		return nil, err
	}
	if plain {
		if k, ok := st.names[string(raw[1:len(raw)-1])]; ok {
			return k, nil
		}
	}
	s, err := decodeStr(raw, plain)
	if err != nil {
		return nil, &jsonSyntaxError{col: p.pos - len(raw) + 1, msg: err.Error()}
	}
	k, ok := st.names[s]
	if !ok {
		k = &jsonKey{name: s}
		st.names[s] = k
	}
	return k, nil
}

// jsonParser scans one line of JSON.
type jsonParser struct {
	b   []byte
	pos int
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return &jsonSyntaxError{col: p.pos + 1, msg: fmt.Sprintf(format, args...)}
}

func (p *jsonParser) peek() byte {
	if p.pos < len(p.b) {
		return p.b[p.pos]
	}
	return 0
}

func (p *jsonParser) eat(c byte) bool {
	if p.peek() == c && p.pos < len(p.b) {
		p.pos++
		return true
	}
	return false
}

func (p *jsonParser) ws() {
	for p.pos < len(p.b) {
		switch p.b[p.pos] {
		case ' ', '\t', '\r', '\n':
			p.pos++
		default:
			return
		}
	}
}

// end checks that only white space follows the object.
func (p *jsonParser) end() error {
	p.ws()
	if p.pos != len(p.b) {
		return p.errorf("bad JSON: data after the object")
	}
	return nil
}

// value parses a scalar value; nested objects and arrays are errors.
func (p *jsonParser) value(key string) (any, error) {
	switch c := p.peek(); {
	case c == '"':
		return p.str()
	case c == '{' || c == '[':
		return nil, p.errorf("column %q: nested objects and arrays are not supported", key)
	case c == '-' || c >= '0' && c <= '9':
		return p.number(key)
	}
	for _, lit := range []struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(p.b)-p.pos >= len(lit.text) && string(p.b[p.pos:p.pos+len(lit.text)]) == lit.text {
			p.pos += len(lit.text)
			return lit.v, nil
		}
	}
	return nil, p.errorf("column %q: bad JSON value", key)
}

// number scans a JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *jsonParser) number(key string) (any, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.b) && p.b[p.pos] >= '0' && p.b[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	p.eat('-')
	if p.eat('0') {
		// a leading zero stands alone
	} else if digits() == 0 {
		return nil, p.errorf("column %q: bad JSON number", key)
	}
	if p.eat('.') && digits() == 0 {
		return nil, p.errorf("column %q: bad JSON number", key)
	}
	if p.eat('e') || p.eat('E') {
		if !p.eat('+') {
			p.eat('-')
		}
		if digits() == 0 {
			return nil, p.errorf("column %q: bad JSON number", key)
		}
	}
	return json.Number(p.b[start:p.pos]), nil
}

// str scans and decodes a JSON string at the opening quote.
func (p *jsonParser) str() (string, error) {
	raw, plain, err := p.scanStr()
	if err != nil {
		return "", err
	}
	s, err := decodeStr(raw, plain)
	if err != nil {
		return "", &jsonSyntaxError{col: p.pos - len(raw) + 1, msg: err.Error()}
	}
	return s, nil
}

// scanStr scans a JSON string at the opening quote and returns it with
// its quotes; plain says it has no escapes and is valid UTF-8.
func (p *jsonParser) scanStr() (raw []byte, plain bool, err error) {
	start := p.pos
	p.pos++
	plain = true
	for p.pos < len(p.b) {
		c := p.b[p.pos]
		switch {
		case c == '"':
			p.pos++
			raw = p.b[start:p.pos]
			return raw, plain && utf8.Valid(raw), nil
		case c == '\\':
			plain = false
			p.pos += 2
		case c < 0x20:
			return nil, false, p.errorf("bad JSON: control character in a string")
		default:
			p.pos++
		}
	}
	return nil, false, &jsonSyntaxError{col: start + 1, msg: "bad JSON: unterminated string"}
}

// decodeStr decodes a scanned string. Plain strings are sliced directly;
// ones with escapes or invalid UTF-8 go through encoding/json so they
// decode exactly as it does.
func decodeStr(raw []byte, plain bool) (string, error) {
	if plain {
		return string(raw[1 : len(raw)-1]), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("bad JSON string: %w", err)
	}
	return s, nil
}
