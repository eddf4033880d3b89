package artifacts

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// sink appends one column's cells, typed per its field, to a builder.
// Its errors say what is wrong with the value; callers add where.
type sink struct {
	field          arrow.Field
	b              array.Builder
	allowNonFinite bool
}

func newSink(f arrow.Field, allowNonFinite bool) (*sink, error) {
	switch f.Type.ID() {
	case arrow.STRING, arrow.INT64, arrow.FLOAT64, arrow.BOOL:
	default:
		return nil, fmt.Errorf("column %q: type %s is not supported (want utf8, int64, float64 or bool)", f.Name, f.Type)
	}
	return &sink{field: f, b: array.NewBuilder(memory.DefaultAllocator, f.Type), allowNonFinite: allowNonFinite}, nil
}

func (s *sink) null() error {
	if !s.field.Nullable {
		return fmt.Errorf("missing value in a required column")
	}
	s.b.AppendNull()
	return nil
}

// appendText appends a CSV cell. An empty cell is null in a nullable
// column, "" in a required string column and an error otherwise.
func (s *sink) appendText(v string) error {
	if v == "" && (s.field.Nullable || s.field.Type.ID() != arrow.STRING) {
		return s.null()
	}
	switch b := s.b.(type) {
	case *array.StringBuilder:
		b.Append(v)
	case *array.Int64Builder:
		n, ok := parseInt(v)
		if !ok {
			return fmt.Errorf("%q is not an integer", v)
		}
		b.Append(n)
	case *array.Float64Builder:
		x, err := strconv.ParseFloat(v, 64)
		if err != nil && !isRangeErr(err) {
			return fmt.Errorf("%q is not a number", v)
		}
		if err := s.checkFinite(v, x); err != nil {
			return err
		}
		b.Append(x)
	case *array.BooleanBuilder:
		x, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q is not true or false", v)
		}
		b.Append(x)
	}
	return nil
}

// appendJSON appends a JSON value decoded with UseNumber: nil (null or
// absent), string, json.Number or bool.
func (s *sink) appendJSON(v any) error {
	if v == nil {
		return s.null()
	}
	switch b := s.b.(type) {
	case *array.StringBuilder:
		x, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s is not a string", jsonText(v))
		}
		b.Append(x)
	case *array.Int64Builder:
		num, ok := v.(json.Number)
		n, isInt := parseInt(string(num))
		if !ok || !isInt {
			return fmt.Errorf("%s is not an integer", jsonText(v))
		}
		b.Append(n)
	case *array.Float64Builder:
		num, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("%s is not a number", jsonText(v))
		}
		x, err := strconv.ParseFloat(string(num), 64)
		if err != nil && !isRangeErr(err) {
			return fmt.Errorf("%s is not a number", jsonText(v))
		}
		if err := s.checkFinite(string(num), x); err != nil {
			return err
		}
		b.Append(x)
	case *array.BooleanBuilder:
		x, ok := v.(bool)
		if !ok {
			return fmt.Errorf("%s is not true or false", jsonText(v))
		}
		b.Append(x)
	}
	return nil
}

// parseInt parses an integer, also written as a whole float ("3.0",
// "1e3"), as pandas writes an integer column that has missing values.
// Whole floats are accepted only where float64 holds every integer
// exactly (|x| <= 2^53), so nothing is rounded.
func parseInt(v string) (int64, bool) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, true
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return 0, false
	}
	return int64(x), true
}

func (s *sink) checkFinite(text string, x float64) error {
	if !s.allowNonFinite && (math.IsNaN(x) || math.IsInf(x, 0)) {
		return fmt.Errorf("%q is not a finite number (leave it empty or null for a missing value)", text)
	}
	return nil
}

// isRangeErr reports a ParseFloat overflow, which yields ±Inf: that is
// then judged as a non-finite value rather than as "not a number".
func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// jsonText renders a decoded JSON value for an error message.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// textInferrer infers a CSV column's type from its non-empty cells:
// int64 if every one is an integer, else float64 if every one is a
// number, else bool if every one is true or false, else string.
// A column with no value at all is string.
type textInferrer struct{ seen, notInt, notFloat, notBool bool }

func (in *textInferrer) add(v string) {
	if v == "" {
		return
	}
	in.seen = true
	if !in.notInt {
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			in.notInt = true
		}
	}
	if !in.notFloat {
		if _, err := strconv.ParseFloat(v, 64); err != nil && !isRangeErr(err) {
			in.notFloat = true
		}
	}
	if !in.notBool {
		if _, err := strconv.ParseBool(v); err != nil {
			in.notBool = true
		}
	}
}

func (in *textInferrer) typ() arrow.DataType {
	switch {
	case !in.seen:
		return arrow.BinaryTypes.String
	case !in.notInt:
		return arrow.PrimitiveTypes.Int64
	case !in.notFloat:
		return arrow.PrimitiveTypes.Float64
	case !in.notBool:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}

// jsonInferrer infers a JSON-lines column's type from its non-null
// values: int64 if every one is an integral number, float64 if every one
// is a number, bool, or string. Mixing kinds is an error.
type jsonInferrer struct {
	kind    string // "", "number", "string", "bool"
	integer bool
}

func (in *jsonInferrer) add(v any) error {
	var kind string
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		kind = "string"
	case bool:
		kind = "bool"
	case json.Number:
		kind = "number"
		_, err := x.Int64()
		if in.kind == "" {
			in.integer = err == nil
		} else {
			in.integer = in.integer && err == nil
		}
	}
	if in.kind != "" && in.kind != kind {
		return fmt.Errorf("%s is a %s, earlier rows hold a %s", jsonText(v), kind, in.kind)
	}
	in.kind = kind
	return nil
}

func (in *jsonInferrer) typ() arrow.DataType {
	switch in.kind {
	case "number":
		if in.integer {
			return arrow.PrimitiveTypes.Int64
		}
		return arrow.PrimitiveTypes.Float64
	case "bool":
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}
