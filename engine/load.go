package engine

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hcldec"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// VarArg is one -var name=value (File empty) or one -var-file=File (Name
// and Value empty). Load applies them in the order given, which must be
// command-line order: a later one wins over an earlier one.
type VarArg struct {
	// Name is the variable's name of a -var.
	Name string
	// Value is the raw text of a -var, parsed per the variable's type.
	Value string
	// File is the path of a -var-file (HCL `name = value` lines), relative
	// to the current directory or absolute.
	File string
}

// LoadOptions are the caller's inputs to Load beyond the workspace.
type LoadOptions struct {
	// Vars are the -var and -var-file arguments in command-line order.
	Vars []VarArg
	// Environ is the process environment (os.Environ()); entries named
	// TR119_VAR_<name> set variables, below any Vars.
	Environ []string
}

// Pipeline is a loaded, checked workspace. A Pipeline returned with
// error diagnostics still holds the sources (for WriteDiagnostics) but
// must not be planned or applied.
type Pipeline struct {
	// Workspace is the absolute path of the workspace folder.
	Workspace string
	// Files holds every loaded .hcl file by path relative to Workspace.
	Files map[string][]byte
	// Stages are the declared stages, sorted by address.
	Stages []*Stage
	// Settings are the attributes of the settings blocks (tool-wide
	// settings such as onnxruntime_library); they are in no key.
	Settings map[string]string
	// Variables are the final values of every declared variable, after
	// defaults, environment, -var-file and -var (for the manifest).
	Variables map[string]cty.Value

	reg      *Registry
	parsed   map[string]*hcl.File            // every parsed file, var files too, by range filename
	vars     map[string]*varDecl             // by name
	locals   map[string]*localDecl           // by name
	data     map[string]map[string]*dataDecl // by block type, then name
	stages   map[string]*Stage               // every instance by address
	blocks   map[string]*stageBlock          // every stage block by address
	settings []*hcl.Attribute                // settings block attributes
	nodes    map[string]*cfgNode             // every referenceable object by address
	stdFuncs map[string]function.Function    // the functions but file(), filesha256()
	topo     []string                        // cfgNode addresses, dependencies first
	contents *fileContents                   // what file() read, for Redact
}

// Stage is one stage instance: the only instance of a `stage "KIND"
// "NAME"` block, or one of the instances its for_each or count makes.
type Stage struct {
	// Addr is the instance's address: "stage.KIND.NAME" for a block
	// without for_each or count, `stage.KIND.NAME["KEY"]` for a for_each
	// instance, "stage.KIND.NAME[INDEX]" for a count instance.
	Addr string
	// Block is the address of the block, "stage.KIND.NAME" (Addr without
	// the instance key).
	Block string
	// Key is the instance key: the for_each key, the count index in
	// decimal, or "" for a block without for_each or count.
	Key string
	// Kind is the registered kind that runs the stage.
	Kind Kind
	// KindName is the first block label, Label the second.
	KindName, Label string
	// DependsOn are the upstream stage instance addresses: those whose
	// outputs the body or for_each references (directly or through locals
	// and data blocks) plus the explicit depends_on list; sorted and
	// deduplicated. A reference to a block with instances depends on all
	// of them, except that `for_each = stage.KIND.NAME` makes each
	// instance depend only on the upstream instance of the same key, and
	// an index known before apply (stage.KIND.NAME[each.key]) only on the
	// instances it names.
	DependsOn []string
	// DeclRange is the range of the block header, for diagnostics.
	DeclRange hcl.Range

	body  hcl.Body    // the body without the meta-arguments
	spec  hcldec.Spec // the kind's spec (never nil)
	block *stageBlock
	index cty.Value // the key as a value: string (for_each), number (count), NilVal
	// precise maps a block with instances that the body indexes by keys
	// known before apply to the keys it needs (dag_instance_refs.go).
	precise map[string][]string
}

// Name is the address without "stage.KIND.": "NAME", `NAME["KEY"]` or
// "NAME[INDEX]". The engine hands it to the kind as Run.Label, the one
// name a kind shows for the stage unless its config says otherwise.
func (s *Stage) Name() string {
	return s.Label + instanceSuffix(s.index)
}

// ResultDir is the instance's folder in the results, slash-separated:
// "KIND/NAME", or "KIND/NAME/KEY" for an instance of a block with
// for_each or count (the key escaped as in state file names, a leading
// dot too).
func (s *Stage) ResultDir() string {
	if s.index == cty.NilVal {
		return s.KindName + "/" + s.Label
	}
	key := fileSafe(s.Key)
	if strings.HasPrefix(key, ".") {
		key = "%2E" + key[1:]
	}
	return s.KindName + "/" + s.Label + "/" + key
}

// Stage returns the stage at addr, or nil.
func (p *Pipeline) Stage(addr string) *Stage {
	if p == nil {
		return nil
	}
	return p.stages[addr]
}

// Load reads the workspace at path (a folder: every *.hcl file in it; or
// one .hcl file: its folder is the workspace and only that file is read)
// and checks it fully: block and attribute schemas, variable values and
// validations, references, cycles, and the types of every attribute that
// does not depend on a stage output. Every diagnostic carries a range
// where the mistake has one. The Pipeline is never nil.
func Load(path string, reg *Registry, opts LoadOptions) (*Pipeline, hcl.Diagnostics) {
	ws, names, err := workspaceFiles(path)
	if err != nil {
		p := &Pipeline{Workspace: ws, parsed: map[string]*hcl.File{}}
		return p, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read workspace", Detail: err.Error()}}
	}
	files := make(map[string][]byte, len(names))
	var diags hcl.Diagnostics
	for _, n := range names {
		src, err := os.ReadFile(filepath.Join(ws, n))
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot read file",
				Detail: fmt.Sprintf("%s. Check that the file exists and is readable.", err)})
			continue
		}
		files[n] = src
	}
	p, more := loadSources(ws, files, reg, opts)
	return p, append(diags, more...)
}

// workspaceFiles resolves path to the absolute workspace folder and the
// sorted names of the .hcl files to load in it.
func workspaceFiles(path string) (string, []string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return path, nil, fmt.Errorf("resolve %s: %w", path, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return abs, nil, fmt.Errorf("open workspace: %w%s", err, nearbyPipelines(path, abs))
	}
	if !fi.IsDir() {
		return filepath.Dir(abs), []string{filepath.Base(abs)}, nil
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return abs, nil, fmt.Errorf("list workspace: %w", err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		// Hidden and editor backup files are not configuration.
		if e.IsDir() || strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".hcl") {
			continue
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return abs, nil, fmt.Errorf("no .hcl files in %s: write a pipeline.hcl there or name one file", abs)
	}
	sort.Strings(names)
	return abs, names, nil
}

// loadSources is Load over in-memory files (name relative to ws ->
// content); the fuzz test drives it directly.
func loadSources(ws string, files map[string][]byte, reg *Registry, opts LoadOptions) (*Pipeline, hcl.Diagnostics) {
	if reg == nil {
		reg = NewRegistry()
	}
	p := &Pipeline{
		Workspace: ws,
		Files:     files,
		Settings:  map[string]string{},
		Variables: map[string]cty.Value{},
		reg:       reg,
		parsed:    map[string]*hcl.File{},
		vars:      map[string]*varDecl{},
		locals:    map[string]*localDecl{},
		data:      map[string]map[string]*dataDecl{},
		stages:    map[string]*Stage{},
		blocks:    map[string]*stageBlock{},
		stdFuncs:  stdFunctions(),
		contents:  &fileContents{},
	}
	// Nesting deep enough to overflow the parser's stack is refused before
	// any file is parsed.
	var deep hcl.Diagnostics
	for _, n := range sortedKeys(files) {
		if d := checkNesting(files[n], n, hcl.InitialPos); d != nil {
			deep = append(deep, d)
			if shortLine(files[n], d.Subject.Start.Byte) {
				p.parsed[n] = &hcl.File{Bytes: files[n]} // for the snippet
			}
		}
	}
	if deep.HasErrors() {
		return p, deep
	}
	diags := p.decodeFiles()
	p.rewriteSplats()
	diags = append(diags, p.buildGraph()...)
	sound := !diags.HasErrors()
	// A variable without a valid value is unknown from here on, so the
	// rest of the pipeline is still checked.
	diags = append(diags, p.resolveVariables(opts)...)
	if sound {
		// Only a structurally sound pipeline is evaluated: evaluating one
		// with bad references would repeat those errors in other words.
		diags = append(diags, p.checkAll()...)
	}
	p.linkInstances()
	polishDiags(diags)
	sortDiags(diags)
	for _, s := range p.stages {
		p.Stages = append(p.Stages, s)
	}
	sort.Slice(p.Stages, func(i, j int) bool { return p.Stages[i].Addr < p.Stages[j].Addr })
	return p, diags
}

// shortLine reports whether the line around offset is short enough to
// quote in a diagnostic.
func shortLine(src []byte, offset int) bool {
	const most = 300
	start := max(bytes.LastIndexByte(src[:offset], '\n')+1, 0)
	end := bytes.IndexByte(src[offset:], '\n')
	if end < 0 {
		end = len(src) - offset
	}
	return offset+end-start <= most
}

// nearbyPipelines is a hint for a pipeline path that does not exist: the
// closest .hcl file or folder beside it (" Did you mean ...?"), or "".
func nearbyPipelines(path, abs string) string {
	entries, err := os.ReadDir(filepath.Dir(abs))
	if err != nil {
		return ""
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); !strings.HasPrefix(n, ".") && (e.IsDir() || strings.HasSuffix(n, ".hcl")) {
			names = append(names, n)
		}
	}
	if s := suggestName(filepath.Base(abs), names); s != "" {
		return fmt.Sprintf(". Did you mean %q?", filepath.Join(filepath.Dir(path), s))
	}
	return ""
}
