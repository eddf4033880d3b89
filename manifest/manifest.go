package manifest

import (
	"encoding/json"
	"fmt"
	"time"
)

// The manifest's fixed type URIs (see docs/manifest.md).
const (
	// StatementType is the in-toto Statement v1 type.
	StatementType = "https://in-toto.io/Statement/v1"
	// ProvenanceType is the SLSA provenance v1 predicate type.
	ProvenanceType = "https://slsa.dev/provenance/v1"
	// BuildType names tr119's build definition: a pipeline applied.
	BuildType = "https://github.com/tr119/tr119/pipeline/v1"
	// BuilderID identifies tr119 as the builder.
	BuilderID = "https://github.com/tr119/tr119"
)

// Stage statuses recorded in a manifest.
const (
	StageExecuted    = "executed"    // the stage ran in this apply
	StageCached      = "cached"      // its outputs came from the action cache
	StageUnavailable = "unavailable" // it could not run here (Reason says why)
	StageFailed      = "failed"      // it ran and failed (Reason says why)
	StageSkipped     = "skipped"     // it did not run in this apply (Reason says why: an upstream stage failed, or it was not targeted)
)

// Manifest is the results manifest: an in-toto Statement v1 whose
// subjects are the result files and whose predicate is SLSA-provenance
// shaped. Its JSON field names are the wire format; Write sorts every
// list so the same content always gives the same bytes.
type Manifest struct {
	// Type is StatementType.
	Type string `json:"_type"`
	// Subject lists every result file.
	Subject []Subject `json:"subject"`
	// PredicateType is ProvenanceType.
	PredicateType string `json:"predicateType"`
	// Predicate says how the subjects were made.
	Predicate Provenance `json:"predicate"`
}

// New returns a manifest with the fixed type URIs filled in.
func New() *Manifest {
	return &Manifest{
		Type:          StatementType,
		PredicateType: ProvenanceType,
		Predicate: Provenance{
			BuildDefinition: BuildDefinition{BuildType: BuildType},
			RunDetails:      RunDetails{Builder: ProvenanceBuilder{ID: BuilderID}},
		},
	}
}

// DigestSet maps a hash algorithm to a hex digest (in-toto's DigestSet);
// tr119 always writes "sha256".
type DigestSet map[string]string

// Subject is one result file.
type Subject struct {
	// Name is the file's path relative to the results folder, with
	// forward slashes.
	Name string `json:"name"`
	// Digest holds the file's "sha256".
	Digest DigestSet `json:"digest"`
	// MediaType is the file's media type (in-toto ResourceDescriptor's
	// own field).
	MediaType string `json:"mediaType,omitempty"`
	// Annotations carry tr119's extra facts about the file.
	Annotations SubjectAnnotations `json:"annotations"`
}

// SubjectAnnotations are a subject's size and origin.
type SubjectAnnotations struct {
	// Size is the file size in bytes.
	Size int64 `json:"size"`
	// Stage is the producing stage's address (stage.KIND.NAME).
	Stage string `json:"stage"`
	// Output is the name of the stage output the file belongs to.
	Output string `json:"output,omitempty"`
}

// Provenance is the SLSA provenance v1 predicate.
type Provenance struct {
	// BuildDefinition is what was asked for.
	BuildDefinition BuildDefinition `json:"buildDefinition"`
	// RunDetails is what happened.
	RunDetails RunDetails `json:"runDetails"`
}

// BuildDefinition is the pipeline as declared and what it used.
type BuildDefinition struct {
	// BuildType is BuildType.
	BuildType string `json:"buildType"`
	// ExternalParameters are the user's inputs: pipeline files and
	// variable values.
	ExternalParameters ExternalParameters `json:"externalParameters"`
	// ResolvedDependencies are inputs from outside the pipeline, such as
	// the ONNX Runtime library, where known.
	ResolvedDependencies []ResourceDescriptor `json:"resolvedDependencies,omitempty"`
}

// ExternalParameters are the pipeline's declared inputs.
type ExternalParameters struct {
	// Pipeline lists the pipeline files (Name relative to the workspace)
	// with their digests.
	Pipeline []ResourceDescriptor `json:"pipeline"`
	// Variables are the final variable values, as JSON, after defaults,
	// -var-file, TR119_VAR_ and -var.
	Variables map[string]json.RawMessage `json:"variables,omitempty"`
}

// ResourceDescriptor is an in-toto ResourceDescriptor: a named thing
// with digests.
type ResourceDescriptor struct {
	// Name identifies the resource (a path, or a library name).
	Name string `json:"name"`
	// URI locates it, where useful.
	URI string `json:"uri,omitempty"`
	// Digest holds its "sha256" where known.
	Digest DigestSet `json:"digest,omitempty"`
	// Annotations are free-form facts, e.g. {"version": "1.29.0"}.
	Annotations map[string]string `json:"annotations,omitempty"`
}

// RunDetails says who ran the pipeline, when, and what each stage did.
type RunDetails struct {
	// Builder is tr119 and its version.
	Builder ProvenanceBuilder `json:"builder"`
	// Metadata identifies this apply.
	Metadata RunMetadata `json:"metadata"`
	// Byproducts has one entry per stage.
	Byproducts []StageRecord `json:"byproducts"`
}

// ProvenanceBuilder identifies the tool.
type ProvenanceBuilder struct {
	// ID is BuilderID.
	ID string `json:"id"`
	// Version maps component to version, e.g. {"tr119": "v0.1.0"}.
	Version map[string]string `json:"version,omitempty"`
}

// RunMetadata identifies one apply.
type RunMetadata struct {
	// InvocationID is unique per apply.
	InvocationID string `json:"invocationId"`
	// StartedOn is when the apply began (written in UTC).
	StartedOn time.Time `json:"startedOn"`
	// FinishedOn is when it ended (written in UTC).
	FinishedOn time.Time `json:"finishedOn"`
}

// StageRecord is one stage's byproduct entry: a ResourceDescriptor named
// by the stage address whose annotations hold the stage's facts.
type StageRecord struct {
	// Name is the stage address, e.g. "stage.cost.tr119".
	Name string `json:"name"`
	// Annotations are the stage's facts.
	Annotations StageFacts `json:"annotations"`
}

// StageFacts is what the manifest records about a stage.
type StageFacts struct {
	// Kind is the stage kind, e.g. "cost".
	Kind string `json:"kind"`
	// KindVersion is the kind's implementation version (part of the key).
	KindVersion string `json:"kindVersion"`
	// ActionKey is the stage's action key (hex SHA-256).
	ActionKey string `json:"actionKey,omitempty"`
	// KeyLinesSHA256 is the digest of the key lines joined by newlines
	// (what `tr119 plan -explain` prints).
	KeyLinesSHA256 string `json:"keyLinesSha256,omitempty"`
	// Inputs are the artifacts the stage read.
	Inputs []StageInput `json:"inputs,omitempty"`
	// Outputs are the stage's result files, relative to the results
	// folder (subject names).
	Outputs []string `json:"outputs,omitempty"`
	// Status is StageExecuted, StageCached, StageUnavailable, StageFailed
	// or StageSkipped.
	Status string `json:"status"`
	// Reason explains an unavailable or failed stage.
	Reason string `json:"reason,omitempty"`
	// Deterministic is false for measurements (benchmarks), whose bytes
	// cannot be reproduced.
	Deterministic bool `json:"deterministic"`
	// Duration is how long the stage ran when it executed.
	Duration StageDuration `json:"duration"`
	// Environment is the machine the stage ran on, as the stage recorded
	// it (CPU, GPU, driver, library versions).
	Environment map[string]string `json:"environment,omitempty"`
	// OutputsFrom is set when the stage's outputs are not from this
	// apply: it failed, was skipped or was not targeted, and the results
	// folder keeps the last good outputs, made by the apply it names.
	OutputsFrom *EarlierApply `json:"outputsFrom,omitempty"`
}

// EarlierApply names the apply that made a stage's outputs when a later
// apply did not replace them, with what the stage was then.
type EarlierApply struct {
	// InvocationID and FinishedOn identify that apply.
	InvocationID string    `json:"invocationId"`
	FinishedOn   time.Time `json:"finishedOn"`
	// Status is the stage's status in that apply (executed or cached).
	Status string `json:"status"`
	// ActionKey and KeyLinesSHA256 are the stage's key in that apply.
	ActionKey      string `json:"actionKey"`
	KeyLinesSHA256 string `json:"keyLinesSha256,omitempty"`
	// Inputs and Environment are the stage's then.
	Inputs      []StageInput      `json:"inputs,omitempty"`
	Environment map[string]string `json:"environment,omitempty"`
}

// StageInput is one artifact a stage read.
type StageInput struct {
	// Name is the input's name in the stage (e.g. "runs[0]").
	Name string `json:"name"`
	// SHA256 is the input's digest.
	SHA256 string `json:"sha256"`
}

// StageDuration is a time.Duration written as Go's duration text ("1.5s"):
// exact and readable.
type StageDuration time.Duration

// MarshalJSON writes the duration as a string.
func (d StageDuration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads the form MarshalJSON writes.
func (d *StageDuration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration: want a string like \"1.5s\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration: %w", err)
	}
	*d = StageDuration(v)
	return nil
}
