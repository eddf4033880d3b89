package main

// commandHelp is what `tr119 COMMAND -h` prints besides the flags.
type commandHelp struct {
	usage    string   // the argument synopsis after the command name
	about    string   // one paragraph: what the command does
	args     string   // the positional arguments, one per line, indented
	examples []string // two or more command lines
}

const pipelineArg = "  PIPELINE   a .hcl file, or the workspace folder holding the .hcl files (default \".\")"

// helps holds every command's help; a test checks that each command has one.
var helps = map[string]commandHelp{
	"validate": {
		usage: "[flags] [PIPELINE]",
		about: "Checks the pipeline without running anything: block and attribute schemas, variable " +
			"values and validations, references, cycles and every value known before a stage runs. " +
			"Every mistake is reported with file:line:column and a hint; the exit status is 1 when there is one.",
		args:     pipelineArg,
		examples: []string{"tr119 validate", "tr119 validate pipeline.hcl -var preset=tiny -var usd_per_kwh=0.35"},
	},
	"plan": {
		usage: "[flags] [PIPELINE]",
		about: "Shows what apply would do, without running anything: for each stage whether it runs " +
			"for the first time, reruns (with the reasons: which attribute, input or file changed) " +
			"or is cached. Stages downstream of a rerun run only if their inputs change, so the " +
			"rerun count is an upper bound. It takes every apply flag that can change the plan.",
		args:     pipelineArg,
		examples: []string{"tr119 plan -var usd_per_kwh=0.35", "tr119 plan pipeline.hcl -explain -target stage.cost.tr119"},
	},
	"apply": {
		usage: "[flags] [PIPELINE]",
		about: "Runs the stages that are stale, caches their outputs, places the results in results/ " +
			"(or -out) and writes results/manifest.json, an in-toto statement of every file's SHA-256 " +
			"and how it was made. A failed or interrupted apply keeps what finished; the next apply resumes.",
		args:     pipelineArg,
		examples: []string{"tr119 apply", "tr119 apply pipeline.hcl -var usd_per_kwh=0.35 -replace 'stage.benchmark.onnxruntime[\"cpu\"]'"},
	},
	"verify": {
		usage: "[flags] [RESULTS]",
		about: "Checks that the results folder holds exactly the files a manifest lists, with exactly their " +
			"bytes: each file missing, altered, a symbolic link, or stray (unlisted, in a folder of results) " +
			"is reported. In a workspace it also names the pipeline files and input files that differ from " +
			"what the results were made from (-pipeline=false: not). -key checks the manifest's DSSE " +
			"signature (tr119 sign). With -reproduce it also re-runs every deterministic stage in a " +
			"scratch cache and demands the recorded bytes.",
		args: "  RESULTS    a results folder, its manifest.json, or a workspace (a pipeline .hcl file or\n" +
			"             its folder: its results/ folder is verified); default: the workspace \".\"",
		examples: []string{"tr119 verify", "tr119 verify results/manifest.json -reproduce", "tr119 verify -key auditor.pub"},
	},
	"sign": {
		usage: "[flags] [MANIFEST]",
		about: "Signs a results manifest (an in-toto Statement) with an ed25519 key as a DSSE envelope, " +
			"written to manifest.dsse.json beside it; tr119 verify -key, in-toto tooling, or Python and " +
			"openssl (docs/manifest.md) check it.",
		args:     "  MANIFEST   the manifest to sign (default results/manifest.json)",
		examples: []string{"tr119 sign -key tr119.key", "tr119 sign -key tr119.key -o signed.dsse.json out/manifest.json"},
	},
	"keygen": {
		usage:    "[flags]",
		about:    "Writes a new ed25519 key pair for tr119 sign and tr119 verify -key: PREFIX.key (PKCS #8 PEM, mode 0600) and PREFIX.pub (PKIX PEM), as openssl writes them.",
		examples: []string{"tr119 keygen", "tr119 keygen -o lab-signing"},
	},
	"graph": {
		usage: "[flags] [PIPELINE]",
		about: "Prints the stage graph as Graphviz DOT or a Mermaid flowchart, each stage coloured by " +
			"what plan would do with it.",
		args:     pipelineArg,
		examples: []string{"tr119 graph | dot -Tsvg > graph.svg", "tr119 graph pipeline.hcl -format mermaid"},
	},
	"show": {
		usage: "[flags] FILE | STAGE.OUTPUT",
		about: "Prints a Parquet artifact: its schema (with its contract version), its row count and its " +
			"first rows as a table; tables too wide for a screen are shown one row per block. " +
			"-json prints the rows as JSON lines; -columns and -where choose columns and rows.",
		args: "  FILE          a Parquet file, such as results/benchmark/onnxruntime/cpu/runs.parquet\n" +
			"  STAGE.OUTPUT  a stage's output as the pipeline names it, found through the results manifest\n" +
			"                (-out names another results folder); a stage with one table needs no OUTPUT",
		examples: []string{"tr119 show 'stage.benchmark.onnxruntime[\"cpu\"].runs' -rows 3",
			"tr119 show results/cost/tr119/cells.parquet -columns scenario,mode -where mode=decode -json"},
	},
	"gc": {
		usage: "[flags] [PIPELINE]",
		about: "Removes cache entries and objects that no workspace using the cache references (its state " +
			"and results manifest). A cache shared by several workspaces (TR119_CACHE) keeps what every " +
			"workspace that applied with it still uses, and gc waits for applies running in any of them. " +
			"Damaged objects and entries are moved to the cache's quarantine/ folder; -verify re-hashes " +
			"every stored byte to find damage no file attribute shows.",
		args:     pipelineArg,
		examples: []string{"tr119 gc", "tr119 gc -verify", "tr119 gc examples/analysis -out examples/analysis/results"},
	},
	"kinds": {
		usage: "[flags] [KIND]",
		about: "Describes the registered stage kinds and data blocks, or the one named: version, documentation, " +
			"inputs (type, default, allowed values), the rules validate checks, and outputs.",
		args:     "  KIND       a stage kind (cost) or data block (scenario); all when left out",
		examples: []string{"tr119 kinds cost", "tr119 kinds -json"},
	},
	"version": {
		usage:    "[flags]",
		about:    "Prints the tool version, the Go version and the platform.",
		examples: []string{"tr119 version", "tr119 version -json"},
	},
	"diff": {
		usage: "[flags] A B",
		about: "Compares two results: per cell throughput, energy and cost with Welch t-tests, and the " +
			"recorded environments. The exit status is 1 when a throughput dropped by more than -threshold.",
		args:     "  A, B       results folders, their manifest.json, or workspaces (their results/)",
		examples: []string{"tr119 diff old-results results", "tr119 diff old-results results -threshold 0.05 -format markdown"},
	},
}
