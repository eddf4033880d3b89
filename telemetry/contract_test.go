package telemetry_test

import (
	"testing"

	"github.com/tr119/tr119/artifacts"
	"github.com/tr119/tr119/telemetry"
)

// The domain and source strings are repeated in telemetry so it builds on
// its own; they must stay the runs table's.
func TestRunsTableStrings(t *testing.T) {
	pairs := [][2]string{
		{telemetry.DomainGPU, artifacts.DomainGPU},
		{telemetry.DomainCPUPackage, artifacts.DomainCPUPackage},
		{telemetry.DomainDRAM, artifacts.DomainDRAM},
		{telemetry.SourceCounter, artifacts.SourceCounter},
		{telemetry.SourceSamples, artifacts.SourceSamples},
		{telemetry.SourceModeled, artifacts.SourceModeled},
		{telemetry.SourceUnavailable, artifacts.SourceUnavailable},
		{telemetry.SchemaKey, artifacts.SchemaKey},
	}
	for _, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("telemetry %q != artifacts %q", p[0], p[1])
		}
	}
}
