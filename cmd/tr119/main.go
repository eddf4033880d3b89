package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/internal/buildinfo"
	"github.com/tr119/tr119/stages/all"
)

// version is the tool version, recorded in manifests (see buildinfo).
var version = buildinfo.Version()

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	a := &app{reg: all.Registry(), environ: os.Environ(), stdout: stdout, stderr: stderr}
	return a.main(args)
}

// app is one invocation of the CLI with everything it depends on.
type app struct {
	reg     *engine.Registry
	environ []string
	stdout  io.Writer
	stderr  io.Writer
}

// command is one subcommand: it parses its own flags from args.
type command struct {
	summary string
	run     func(a *app, ctx context.Context, args []string) int
}

func commands() map[string]command {
	return map[string]command{
		"validate": {"check the pipeline and report every mistake", (*app).validate},
		"plan":     {"show which stages would run and why", (*app).plan},
		"apply":    {"run the stale stages and write the results", (*app).apply},
		"verify":   {"re-hash the results against the manifest (-reproduce: re-run them)", (*app).verify},
		"graph":    {"print the stage graph as DOT or Mermaid", (*app).graph},
		"show":     {"print a Parquet artifact's schema and first rows", (*app).show},
		"sign":     {"sign the manifest as a DSSE envelope with an ed25519 key", (*app).sign},
		"keygen":   {"write a new ed25519 key pair for sign and verify -key", (*app).keygen},
		"gc":       {"remove cache entries no workspace references; -verify finds damage", (*app).gc},
		"kinds":    {"describe the stage kinds: inputs, rules, outputs", (*app).kinds},
		"version":  {"print the tool version", (*app).versionCmd},
		"diff":     {"compare two results: throughput, energy, cost, environment", (*app).diff},
	}
}

func (a *app) main(args []string) int {
	args, chdir, ok := a.globalFlags(args)
	if !ok {
		return 2
	}
	if chdir != "" {
		if err := os.Chdir(chdir); err != nil {
			fmt.Fprintf(a.stderr, "tr119: -chdir: %v\n", err)
			return 1
		}
	}
	if len(args) == 2 && args[0] == "help" {
		if _, ok := commands()[args[1]]; ok {
			args = []string{args[1], "-h"} // tr119 help plan = tr119 plan -h
		}
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" {
		a.usage(a.stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands()[args[0]]
	if !ok {
		fmt.Fprintf(a.stderr, "tr119: unknown command %q\n\n", args[0])
		a.usage(a.stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// The first Ctrl-C cancels cleanly; restoring the default makes a
		// second one end the process at once.
		<-ctx.Done()
		stop()
	}()
	return cmd.run(a, ctx, args[1:])
}

// globalFlags takes -chdir=DIR off the front of args, as Terraform does.
func (a *app) globalFlags(args []string) ([]string, string, bool) {
	chdir := ""
	for len(args) > 0 && strings.HasPrefix(args[0], "-") {
		name := strings.TrimLeft(args[0], "-")
		if v, ok := strings.CutPrefix(name, "chdir="); ok {
			chdir, args = v, args[1:]
			continue
		}
		if name != "chdir" {
			break
		}
		if len(args) < 2 {
			fmt.Fprintln(a.stderr, "tr119: -chdir needs a folder")
			return nil, "", false
		}
		chdir, args = args[1], args[2:]
	}
	return args, chdir, true
}

func (a *app) usage(w io.Writer) {
	fmt.Fprint(w, "Usage: tr119 [-chdir=DIR] COMMAND [flags] [PIPELINE]\n\n")
	fmt.Fprint(w, "PIPELINE is a .hcl file or the workspace folder holding them (default \".\").\n\nCommands:\n")
	cmds := commands()
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, cmds[n].summary)
	}
	fmt.Fprint(w, "\nRun tr119 COMMAND -h for a command's flags.\n")
}

// getenv looks k up in the invocation's environment (last one wins).
func (a *app) getenv(k string) string {
	for i := len(a.environ) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(a.environ[i], k+"="); ok {
			return v
		}
	}
	return ""
}
