package analysisio

import "fmt"

// HeadlineTier is the tier an analysis stage uses: the cost stage's
// headline tier as recorded in its tables' metadata. A tier set on the
// stage that differs from it is an error (one headline tier for cost,
// stats, plot and report). Tables without the metadata (older cost
// stages) use the stage's tier, default on_demand.
func HeadlineTier(recorded, set string) (string, error) {
	switch {
	case recorded == "" && set == "":
		return "on_demand", nil
	case recorded == "":
		return set, nil
	case set != "" && set != recorded:
		return "", fmt.Errorf("tier = %q, but the cost stage's headline_tier is %q: set headline_tier in the cost stage "+
			"(one headline tier for cost, stats, plot and report)", set, recorded)
	}
	return recorded, nil
}
