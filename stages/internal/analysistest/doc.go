// Package analysistest helps test the analysis stages without the engine:
// synthetic runs tables on disk, artifact values, and engine.Run values.
package analysistest
