package main

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strconv"
	"strings"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/kindref"
	"github.com/tr119/tr119/schema"
)

// graph prints the DAG, stages coloured by their plan action.
func (a *app) graph(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("graph", &x)
	varFlags(fs, &x)
	fs.StringVar(&x.format, "format", "dot", "dot or mermaid")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	p := a.load(&x)
	if p == nil {
		return 1
	}
	var actions map[string]string
	if ws, err := a.open(&x, p); err == nil {
		if plan, err := engine.MakePlan(ctx, p, ws.opts); err == nil {
			actions = plan.Actions()
		}
		ws.saveMemo(a)
	}
	out, err := engine.Graph(p, actions, x.format)
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	fmt.Fprint(a.stdout, out)
	return 0
}

// show prints a Parquet artifact's schema, row count and first rows; with
// -json the rows as JSON lines, with -summary a line per column. The
// artifact is a file or a stage output address (showTarget).
func (a *app) show(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("show", &x)
	fs.IntVar(&x.rows, "rows", 10, "print at most N rows")
	fs.StringVar(&x.columns, "columns", "", "print only these columns, in this order: -columns a,b")
	fs.Var(&x.where, "where", "keep rows where a column has a value: -where mode=decode, -where status!=ok (repeatable)")
	fs.BoolVar(&x.summary, "summary", false, "print one line per column (nulls, distinct values, range) instead of rows")
	fs.StringVar(&x.out, "out", "", "results folder whose manifest resolves a stage output address (default: results)")
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	if x.positional == "" {
		fmt.Fprintln(a.stderr, "tr119 show: name a Parquet file or a stage output (tr119 show -h for help)")
		return 2
	}
	file, err := showTarget(x.positional, x.out)
	if err != nil {
		return a.fail(x.json, "%v", err)
	}
	if why := notParquet(file); why != "" {
		return a.fail(x.json, "%s", why)
	}
	opt := artifacts.ShowOptions{Rows: x.rows, Where: x.where, JSON: x.json, Summary: x.summary, Width: a.screenWidth()}
	if x.columns != "" {
		opt.Columns = strings.Split(x.columns, ",")
	}
	if err := artifacts.Show(a.stdout, file, opt); err != nil {
		return a.fail(x.json, "%v", err)
	}
	return 0
}

// screenWidth is $COLUMNS, or 120.
func (a *app) screenWidth() int {
	if n, err := strconv.Atoi(a.getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	return 120
}

// kinds describes the registered stage kinds and data blocks (or the one
// named): inputs with types, defaults, allowed values and descriptions,
// rules, and outputs.
func (a *app) kinds(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("kinds", &x)
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	names, blocks := a.reg.KindNames(), a.reg.BlockNames()
	if x.positional != "" {
		_, isKind := a.reg.Kind(x.positional)
		_, isBlock := a.reg.Block(x.positional)
		if !isKind && !isBlock {
			all := append(append([]string(nil), names...), blocks...)
			hint := "Known: " + strings.Join(all, ", ") + "."
			if s := schema.Suggest(x.positional, all); s != "" {
				hint = fmt.Sprintf("Did you mean %q? %s", s, hint)
			}
			fmt.Fprintf(a.stderr, "Error: no stage kind or data block %q. %s\n", x.positional, hint)
			return 1
		}
		names, blocks = filterNames(names, x.positional), filterNames(blocks, x.positional)
	}
	enc := json.NewEncoder(a.stdout)
	for _, name := range names {
		k, _ := a.reg.Kind(name)
		if x.json {
			enc.Encode(kindJSON{KindInfo: k.Info(), Inputs: engine.DocSchema(k).Fields(), Rules: k.Schema().RuleDocs()})
			continue
		}
		kindref.Text(a.stdout, k)
	}
	for _, name := range blocks {
		b, _ := a.reg.Block(name)
		if x.json {
			enc.Encode(kindJSON{KindInfo: engine.KindInfo{Name: name}, Block: true, Inputs: b.Schema().Fields(), Rules: b.Schema().RuleDocs()})
			continue
		}
		kindref.BlockText(a.stdout, b)
	}
	return 0
}

// kindJSON is one line of `tr119 kinds -json`.
type kindJSON struct {
	engine.KindInfo
	Block  bool           `json:",omitempty"`
	Inputs []schema.Field `json:",omitempty"`
	Rules  []string       `json:",omitempty"`
}

func filterNames(names []string, want string) []string {
	for _, n := range names {
		if n == want {
			return []string{n}
		}
	}
	return nil
}

// versionCmd prints the tool version.
func (a *app) versionCmd(ctx context.Context, argv []string) int {
	var x args
	fs := a.flagSet("version", &x)
	if code, done := a.parse(fs, &x, argv); done {
		return code
	}
	if x.json {
		json.NewEncoder(a.stdout).Encode(map[string]string{"version": version, "go": runtime.Version()})
		return 0
	}
	fmt.Fprintf(a.stdout, "tr119 %s (%s %s/%s)\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return 0
}
