// Package all assembles the registry of every stage kind and data block
// kind that ships with tr119. It is the only package that imports the stage
// packages; they never import each other.
package all
