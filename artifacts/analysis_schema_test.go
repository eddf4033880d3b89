package artifacts

import (
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestAnalysisSchemas(t *testing.T) {
	tests := []struct {
		version string
		schema  *arrow.Schema
	}{
		{CostCellsVersion, CostCellsSchema()},
		{CostTiersVersion, CostTiersSchema()},
		{CostSummaryVersion, CostSummarySchema()},
		{CostWinnersVersion, CostWinnersSchema()},
		{CostRequestsVersion, CostRequestsSchema()},
		{CostTCOVersion, CostTCOSchema()},
		{CostSavingsVersion, CostSavingsSchema()},
		{CostRepsVersion, CostRepsSchema()},
		{StatsCellsVersion, StatsCellsSchema()},
		{StatsGroupsVersion, StatsGroupsSchema()},
		{StatsTestsVersion, StatsTestsSchema()},
		{StatsPairwiseVersion, StatsPairwiseSchema()},
		{StatsCellPairVersion, StatsCellPairwiseSchema()},
		{ValidationVersion, ValidationSchema()},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			if got := SchemaVersion(tt.schema); got != tt.version {
				t.Errorf("version %q, want %q", got, tt.version)
			}
			seen := map[string]bool{}
			for _, f := range tt.schema.Fields() {
				if seen[f.Name] {
					t.Errorf("column %q twice", f.Name)
				}
				seen[f.Name] = true
			}
		})
	}
}
