package exportstage

import (
	"fmt"
	"slices"

	"github.com/zclconf/go-cty/cty"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/engine"
	"github.com/tr119/tr119/schema"
	"github.com/tr119/tr119/stages/importstage"
)

// CheckUpstream implements engine.UpstreamChecker: where the table comes
// from an import whose columns can be told before it runs, columns and
// sort_by must name them.
func (Kind) CheckUpstream(config cty.Value, upstream []engine.Upstream, workspace string) []*schema.PathError {
	var errs []*schema.PathError
	for _, u := range upstream {
		if u.Kind != "import" {
			continue
		}
		cols, ok := importstage.Columns(u.Config, workspace)
		if !ok {
			continue
		}
		for _, attr := range []string{"columns", "sort_by"} {
			list, ok := schema.Known(config, attr)
			if !ok || !list.CanIterateElements() {
				continue
			}
			for it := list.ElementIterator(); it.Next(); {
				k, e := it.Element()
				if e.IsNull() || e.Type() != cty.String {
					continue
				}
				name := e.AsString()
				if attr == "sort_by" {
					name = artifacts.ParseSortKey(name).Column
				}
				if !slices.Contains(cols, name) {
					errs = append(errs, schema.Errorf(cty.GetAttrPath(attr).Index(k), "Unknown column",
						"%s's table has no column %q.%s Its columns: %s.", u.Addr, name, schema.DidYouMean(name, cols), joinNames(cols)))
				}
			}
		}
	}
	return errs
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		if i == 10 {
			return s + fmt.Sprintf(", ... (%d more)", len(names)-10)
		}
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}
