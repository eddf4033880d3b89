// Package manifest owns the results manifest: an in-toto Statement v1
// whose subjects are the result files and whose predicate has the shape
// of SLSA provenance v1 (what each stage did, its key, inputs, outputs
// and environment). It writes it deterministically (New, Write), reads
// it strictly with located errors (Read, Parse), and checks a results
// folder against it file by file (Verify). Signing lives in attest.
package manifest
