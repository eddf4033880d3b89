// Package golden compares a test's output with a file under testdata
// and, when the tests run with -update, rewrites the file first. Every
// package's golden tests use it, so that one flag, one message and one
// way of showing the difference serve them all.
package golden
