// Package modelfolder gives the bench commands a model folder to time:
// the one given, or a seeded synthetic preset written there first.
package modelfolder
