package schema

import (
	"github.com/zclconf/go-cty/cty"
)

// Body is the schema of one HCL body: a stage, a data block or a nested
// block.
type Body struct {
	// Attrs are the body's attributes, in documentation order.
	Attrs []*Attr
	// Blocks are the nested block types.
	Blocks []*Block
	// Rules are cross-field checks run on the body's value once its own
	// attributes passed their checks.
	Rules []Rule
}

// Attr is one attribute of a body.
type Attr struct {
	// Name is the attribute's name in HCL and its cty tag in Go structs.
	Name string
	// Type is the value's type; values are converted to it when decoded.
	// cty.DynamicPseudoType accepts any value (Check then says which).
	Type cty.Type
	// TypeName, when set, names the type in documentation instead of
	// Type's friendly name (e.g. "artifact").
	TypeName string
	// Required means the attribute must be written and not be null.
	Required bool
	// Default is the value used when the attribute is left out
	// (cty.NilVal: none). Decode and WithDefaults fill it in.
	Default cty.Value
	// SpecDefault also fills Default in at decoding (Spec), so that the
	// default is part of the evaluated config and of the action key.
	// Kinds that always did so keep it to keep their keys.
	SpecDefault bool
	// Doc is a one-line description.
	Doc string
	// OneOf lists the allowed values of a string, or of each element of
	// a collection of strings.
	OneOf []string
	// Min and Max bound a number, or each element of a collection of
	// numbers (inclusive; nil: unbounded).
	Min, Max *float64
	// Integer requires whole numbers.
	Integer bool
	// MaxLen bounds a string's length in characters (0: unbounded), or
	// each element's of a collection of strings.
	MaxLen int
	// MinItems is the least number of elements of a list, set, tuple or
	// map value (0: any).
	MinItems int
	// Unique rejects a collection holding the same element twice.
	Unique bool
	// Display marks a display-only attribute (labels, titles): it does not
	// change what a stage computes, so key v2 leaves it out of the key.
	Display bool
	// Check is an extra check of a known, non-null value; its error is the
	// diagnostic's detail.
	Check func(cty.Value) error
}

// Nesting says how many blocks of a type a body may hold.
type Nesting int

const (
	// Single is at most one block; its value is an object or null.
	Single Nesting = iota
	// List is any number of unlabelled blocks; its value is a list (a
	// tuple when the body has dynamically typed attributes).
	List
	// Map is blocks with one label each; its value is an object keyed by
	// the label.
	Map
)

// Block is one nested block type of a body.
type Block struct {
	// Name is the block type.
	Name string
	// Nesting says how many blocks may appear and how they decode.
	Nesting Nesting
	// Label names a Map block's label in documentation (default "name").
	Label string
	// Body is the schema of each block's body.
	Body *Body
	// Doc is a one-line description.
	Doc string
	// Required means at least one block must be written.
	Required bool
	// MinItems and MaxItems bound the number of List or Map blocks
	// (0: unbounded).
	MinItems, MaxItems int
}

// Rule is a cross-field check of a body's value. Check receives the
// body's decoded object (attributes may be null or unknown: a rule must
// skip what it cannot judge yet, see Known) and returns violations with
// paths relative to the body.
type Rule struct {
	// Doc says what the rule requires, for documentation.
	Doc string
	// Check returns the violations found.
	Check func(v cty.Value) []*PathError
}

// PathError is one violation: the path of the offending value (relative
// to the validated value), a short summary and a detail that says how to
// fix it.
type PathError struct {
	Path    cty.Path
	Summary string
	Detail  string
}

// Error implements error.
func (e *PathError) Error() string {
	if p := FormatPath(e.Path); p != "" {
		return p + ": " + e.Detail
	}
	return e.Detail
}

// Float returns a pointer to x, for Attr.Min and Attr.Max.
func Float(x float64) *float64 { return &x }

// Attr returns the attribute called name, or nil.
func (b *Body) Attr(name string) *Attr {
	for _, a := range b.Attrs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Block returns the block type called name, or nil.
func (b *Body) Block(name string) *Block {
	for _, x := range b.Blocks {
		if x.Name == name {
			return x
		}
	}
	return nil
}
