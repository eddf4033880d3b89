package telemetry_test

import (
	"context"
	"fmt"
	"time"

	"github.com/tr119/tr119/telemetry"
)

// How a benchmark measures the energy of a short call: an idle baseline,
// then the call looped until the window reaches 2 s, the energy divided by
// the loop count. A domain that cannot be measured says why.
func Example() {
	ctx := context.Background()
	rec, err := telemetry.Open(ctx, telemetry.Options{})
	if err != nil {
		panic(err)
	}
	defer rec.Close()
	if _, err := rec.Idle(ctx, 3*time.Second); err != nil {
		panic(err)
	}
	call := func() { time.Sleep(2 * time.Millisecond) } // the timed operation
	from, start, n := rec.Mark(), time.Now(), 0
	for time.Since(start) < 2*time.Second {
		call()
		n++
	}
	to := rec.Mark()
	for domain, m := range rec.Energy(from, to) {
		if m.EnergyJ == nil {
			fmt.Printf("%s: %s (%s)\n", domain, m.Source, m.Reason)
			continue
		}
		fmt.Printf("%s: %.3f J per call (%s, %d updates)\n", domain, *m.EnergyJ/float64(n), m.Source, m.Samples)
	}
	if err := rec.WriteSamples("telemetry_samples.parquet"); err != nil {
		panic(err)
	}
}
