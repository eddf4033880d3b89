// Package frame reads a small flat Parquet table (an analysis output: cost,
// stats, validation, environment) into memory as named columns, so the
// figure, report and diff code can look values up by column name and row
// without repeating Arrow plumbing. It is for tables of thousands of rows,
// not for the runs table at a million.
package frame
