// Package benchinput gives the bench commands what both sides of a
// fidelity comparison time: the default pipeline's five scenarios as
// padded batches (the first prompt of each set), in the JSON form the
// other side reads, and the median they compare.
package benchinput
