// Package exportstage owns the `export` stage kind: it writes a table
// artifact (Parquet) as CSV and JSON lines for spreadsheet and pandas
// users, optionally with a column selection and a sort order. Output
// bytes depend only on the table and the attributes.
package exportstage
