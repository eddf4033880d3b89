package engine

import (
	"sort"

	"github.com/tr119/tr119/manifest"
)

// ResultsView is what the results folder holds after an apply: this
// apply's outputs, and the last good outputs of the stages that produced
// none this time (they failed, were skipped or were not targeted), as
// the previous manifest records them. Nothing a user saw disappears
// because a later run failed.
type ResultsView struct {
	// Entries are the result files, sorted by path.
	Entries []ResultEntry
	// Carried are the manifest records, by stage address, of stages
	// whose outputs come from an earlier apply or that were not in this
	// apply's plan.
	Carried map[string]manifest.StageRecord
}

// NewResultsView lists the results of out, digests from the store's
// records, and carries over from prev (the manifest of the results
// folder, nil if none) the outputs of every pipeline stage that did not
// produce outputs in this apply. Stages no longer in the pipeline are
// dropped.
func NewResultsView(s Store, p *Pipeline, out *Outcome, prev *manifest.Manifest) (*ResultsView, error) {
	v := &ResultsView{Carried: map[string]manifest.StageRecord{}}
	outcomes := map[string]*StageOutcome{}
	var fresh []*StageOutcome
	for _, so := range out.Stages {
		outcomes[so.Stage.Addr] = so
		if producedOutputs(so.Status) {
			fresh = append(fresh, so)
		}
	}
	entries, err := entriesOf(s, ResultFiles(&Outcome{Stages: fresh}))
	if err != nil {
		return nil, err
	}
	v.Entries = entries
	if prev != nil {
		v.carry(p, outcomes, prev)
	}
	sort.Slice(v.Entries, func(i, j int) bool { return v.Entries[i].Path < v.Entries[j].Path })
	return v, nil
}

// producedOutputs reports whether a stage with this status has this
// apply's outputs (none, for an unavailable stage, is an outcome too).
func producedOutputs(status string) bool {
	switch status {
	case StatusExecuted, StatusCached, StatusUnavailable:
		return true
	}
	return false
}

// carry keeps the previous outputs and records of the stages that did
// not produce outputs in this apply.
func (v *ResultsView) carry(p *Pipeline, outcomes map[string]*StageOutcome, prev *manifest.Manifest) {
	records := map[string]manifest.StageRecord{}
	for _, r := range prev.Predicate.RunDetails.Byproducts {
		records[r.Name] = r
	}
	subjects := map[string][]manifest.Subject{}
	for _, s := range prev.Subject {
		subjects[s.Annotations.Stage] = append(subjects[s.Annotations.Stage], s)
	}
	meta := prev.Predicate.RunDetails.Metadata
	for _, st := range p.Stages {
		so := outcomes[st.Addr]
		if so != nil && producedOutputs(so.Status) {
			continue
		}
		r, ok := records[st.Addr]
		if !ok {
			continue
		}
		earlier := earlierOf(r.Annotations, meta)
		var names []string
		if earlier != nil {
			for _, s := range subjects[st.Addr] {
				v.Entries = append(v.Entries, ResultEntry{Path: s.Name, Stage: st.Addr, Output: s.Annotations.Output,
					MediaType: s.MediaType, SHA256: s.Digest["sha256"], Size: s.Annotations.Size, earlier: true})
				names = append(names, s.Name)
			}
		}
		var rec manifest.StageRecord
		if so == nil {
			f := r.Annotations
			rec = manifest.StageRecord{Name: st.Addr, Annotations: manifest.StageFacts{
				Kind: f.Kind, KindVersion: f.KindVersion, Status: manifest.StageSkipped,
				Reason: "not in this apply's plan (-target)", Deterministic: f.Deterministic}}
		} else {
			if earlier == nil {
				continue // nothing kept: the stage's own record says enough
			}
			rec = stageRecord(p, so, nil)
		}
		rec.Annotations.Outputs = names
		rec.Annotations.OutputsFrom = earlier
		v.Carried[st.Addr] = rec
	}
}

// earlierOf says which apply made the outputs a stage record lists: the
// one it already names, or the apply that wrote meta; nil when it lists
// no outputs.
func earlierOf(f manifest.StageFacts, meta manifest.RunMetadata) *manifest.EarlierApply {
	if len(f.Outputs) == 0 {
		return nil
	}
	if f.OutputsFrom != nil {
		return f.OutputsFrom
	}
	if f.Status != manifest.StageExecuted && f.Status != manifest.StageCached {
		return nil
	}
	return &manifest.EarlierApply{InvocationID: meta.InvocationID, FinishedOn: meta.FinishedOn,
		Status: f.Status, ActionKey: f.ActionKey, KeyLinesSHA256: f.KeyLinesSHA256,
		Inputs: f.Inputs, Environment: f.Environment}
}
