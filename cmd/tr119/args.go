package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
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
	columns     string
	where       listFlag
	summary     bool
	positional  string
}

// flagSet builds a command's flag set writing errors to stderr.
func (a *app) flagSet(name string, x *args) *flag.FlagSet {
	fs := flag.NewFlagSet("tr119 "+name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	// -h is answered by parse, on stdout, with the command's help.
	fs.Usage = func() {}
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

// runFlags registers the flags of apply that can change a plan, so that
// plan takes them too: the results folder, tool settings and the runtime
// locations.
func runFlags(fs *flag.FlagSet, x *args) {
	fs.StringVar(&x.out, "out", "", "results folder (default: results/ in the workspace)")
	fs.StringVar(&x.ortLib, "onnxruntime-lib", "", "alias of -setting onnxruntime_library=PATH: where libonnxruntime.so is (overrides TR119_ONNXRUNTIME_LIB and the settings block; a location, outside every key, recorded in the environment)")
	fs.Var(&x.settings, "setting", "set a tool setting: -setting key=value (repeatable)")
}

// lockFlag registers -lock-timeout.
func lockFlag(fs *flag.FlagSet, x *args) {
	fs.DurationVar(&x.lockTimeout, "lock-timeout", 0, "wait this long for another run's workspace or cache lock (0: wait forever)")
}

// parse parses flags and at most one positional argument. Flags may come
// before or after the positional argument, as Terraform allows; after
// "--" everything is positional. It returns done with the exit code when
// the command must stop: 0 after -h (help printed on stdout), 2 on a
// usage error.
func (a *app) parse(fs *flag.FlagSet, x *args, argv []string) (code int, done bool) {
	pos, err := parseInterspersed(fs, argv)
	if errors.Is(err, flag.ErrHelp) {
		a.help(a.stdout, fs)
		return 0, true
	}
	if err != nil {
		fmt.Fprintf(a.stderr, "Run '%s -h' for its usage.\n", fs.Name())
		return 2, true
	}
	switch len(pos) {
	case 0:
	case 1:
		x.positional = pos[0]
	default:
		fmt.Fprintf(a.stderr, "%s: want at most one argument, got %q\n", fs.Name(), pos)
		return 2, true
	}
	return 0, false
}

// parseInterspersed parses argv with fs, collecting the positional
// arguments found between flags.
func parseInterspersed(fs *flag.FlagSet, argv []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(argv); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if used := len(argv) - len(rest); used > 0 && argv[used-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, argv = append(pos, rest[0]), rest[1:]
	}
}

// help prints a command's help: what it does, its arguments, examples
// and its flags.
func (a *app) help(w io.Writer, fs *flag.FlagSet) {
	name := strings.TrimPrefix(fs.Name(), "tr119 ")
	h := helps[name]
	fmt.Fprintf(w, "Usage: tr119 %s %s\n\n%s\n\n", name, h.usage, wrap(h.about, 76))
	if h.args != "" {
		fmt.Fprintf(w, "Arguments:\n%s\n\n", h.args)
	}
	fmt.Fprintln(w, "Examples:")
	for _, e := range h.examples {
		fmt.Fprintf(w, "  %s\n", e)
	}
	fmt.Fprintln(w, "\nFlags:")
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(a.stderr)
}

// wrap breaks text into lines of at most width columns at spaces.
func wrap(text string, width int) string {
	var sb strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		if i > 0 && n+1+len(word) > width {
			sb.WriteByte('\n')
			n = 0
		} else if i > 0 {
			sb.WriteByte(' ')
			n++
		}
		sb.WriteString(word)
		n += len(word)
	}
	return sb.String()
}
