package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/tr119/tr119/engine"
)

// listFlag is a repeatable string flag.
type listFlag []string

// String implements flag.Value.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set implements flag.Value.
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

// args are the flags commands share; each command registers the ones it
// takes.
type args struct {
	vars        []engine.VarArg
	json        bool
	explain     bool
	lockTimeout time.Duration
	out         string
	replace     listFlag
	target      listFlag
	settings    listFlag
	ortLib      string
	parallelism int
	format      string
	reproduce   bool
	rows        int
	positional  string
}

// flagSet builds a command's flag set writing errors to stderr.
func (a *app) flagSet(name string, x *args) *flag.FlagSet {
	fs := flag.NewFlagSet("tr119 "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.BoolVar(&x.json, "json", false, "print JSON lines instead of text")
	return fs
}

// varFlags registers -var and -var-file, kept in command-line order.
func varFlags(fs *flag.FlagSet, x *args) {
	fs.Func("var", "set a variable: -var name=value (repeatable)", func(s string) error {
		name, value, ok := strings.Cut(s, "=")
		if !ok || name == "" {
			return fmt.Errorf("want name=value, got %q", s)
		}
		x.vars = append(x.vars, engine.VarArg{Name: name, Value: value})
		return nil
	})
	fs.Func("var-file", "read variables from a .tfvars-style HCL file (repeatable)", func(s string) error {
		x.vars = append(x.vars, engine.VarArg{File: s})
		return nil
	})
}

// stageFlags registers -replace and -target.
func stageFlags(fs *flag.FlagSet, x *args) {
	fs.Var(&x.replace, "replace", "force this stage to run again (repeatable)")
	fs.Var(&x.target, "target", "limit to this stage and what it needs (repeatable)")
}

// parse parses flags and at most one positional argument.
func (a *app) parse(fs *flag.FlagSet, x *args, argv []string) bool {
	if err := fs.Parse(argv); err != nil {
		return false
	}
	switch fs.NArg() {
	case 0:
	case 1:
		x.positional = fs.Arg(0)
	default:
		fmt.Fprintf(a.stderr, "%s: want at most one argument, got %q\n", fs.Name(), fs.Args())
		return false
	}
	return true
}
