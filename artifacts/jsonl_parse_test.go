package artifacts

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"testing"
)

// referenceParse is parseJSONObject written on encoding/json's Decoder:
// slow, but encoding/json's grammar by construction.
func referenceParse(b []byte) ([]string, []any, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, false
	}
	var keys []string
	var vals []any
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, false
		}
		key := t.(string)
		if seen[key] {
			return nil, nil, false
		}
		seen[key] = true
		var v any
		if err := dec.Decode(&v); err != nil {
			return nil, nil, false
		}
		switch v.(type) {
		case map[string]any, []any:
			return nil, nil, false
		}
		keys, vals = append(keys, key), append(vals, v)
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, nil, false
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, nil, false
	}
	return keys, vals, true
}

func FuzzParseJSONObject(f *testing.F) {
	for _, s := range []string{
		`{}`, ` { "a" : 1 , "b":"x\"y\u00e9","c":true,"d":null,"e":-0.5e+3 } `,
		`{"a":01}`, `{"a":1.}`, `{"a":-}`, `{"a":"\x01"}`, `{"a":"\ud800"}`, "{\"a\":\"\xff\"}",
		`{"a":[1]}`, `{"a":1,"a":2}`, `{"a":1}x`, `{"a" 1}`, `{"a":tru}`, `{"a":"x`, `{"a":"\q"}`,
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a\\u0062":1,"a\u0062":2}`)) // a key with a literal backslash, then "ab"
	f.Fuzz(func(t *testing.T, b []byte) {
		var st jsonLines
		// A first line with keys of its own must not leak into the second.
		parseJSONObject([]byte(`{"a":1,"b":"x"}`), &st)
		keys, vals, err := parseJSONObject(b, &st)
		rk, rv, ok := referenceParse(b)
		if (err == nil) != ok {
			t.Fatalf("%q: ours err=%v, encoding/json ok=%v", b, err, ok)
		}
		if ok && len(keys)+len(rk) > 0 && (!reflect.DeepEqual(keys, rk) || !reflect.DeepEqual(vals, rv)) {
			t.Fatalf("%q: ours %q %#v, encoding/json %q %#v", b, keys, vals, rk, rv)
		}
	})
}
