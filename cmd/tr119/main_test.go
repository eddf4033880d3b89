package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/tr119/tr119/stages/all"
)

// update rewrites the scripts' golden files (cmp targets) from the actual
// output: go test ./cmd/tr119 -run TestScripts -update.
var update = flag.Bool("update", false, "rewrite golden files in testdata/script")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"tr119": func() {
			reg := all.Registry()
			registerTestKinds(reg)
			a := &app{reg: reg, environ: os.Environ(), stdout: os.Stdout, stderr: os.Stderr}
			os.Exit(a.main(os.Args[1:]))
		},
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup:         copyQuickstart,
		Cmds:          map[string]func(*testscript.TestScript, bool, []string){"waitfile": waitFile, "flipbyte": flipByte},
	})
}

// waitFile waits up to ten seconds for a file to appear: waitfile PATH.
func waitFile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfile PATH")
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(ts.MkAbs(args[0])); err == nil {
			return
		}
	}
	ts.Fatalf("%s did not appear", args[0])
}

// flipByte flips the low bit of a file's first byte in place: flipbyte
// [-keepmtime] PATH (-keepmtime restores the modification time, as bit
// rot does).
func flipByte(ts *testscript.TestScript, neg bool, args []string) {
	keep := len(args) == 2 && args[0] == "-keepmtime"
	if keep {
		args = args[1:]
	}
	if neg || len(args) != 1 {
		ts.Fatalf("usage: flipbyte [-keepmtime] PATH")
	}
	st, err := os.Stat(ts.MkAbs(args[0]))
	ts.Check(err)
	if keep {
		defer func() { ts.Check(os.Chtimes(ts.MkAbs(args[0]), st.ModTime(), st.ModTime())) }()
	}
	f, err := os.OpenFile(ts.MkAbs(args[0]), os.O_RDWR, 0)
	ts.Check(err)
	defer f.Close()
	b := make([]byte, 1)
	_, err = f.ReadAt(b, 0)
	ts.Check(err)
	b[0] ^= 1
	_, err = f.WriteAt(b, 0)
	ts.Check(err)
}

// copyQuickstart puts examples/quickstart into the script's $WORK/quickstart.
func copyQuickstart(env *testscript.Env) error {
	return os.CopyFS(filepath.Join(env.WorkDir, "quickstart"), os.DirFS("../../examples/quickstart"))
}
